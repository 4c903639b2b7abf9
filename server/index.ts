import {createServer} from 'node:http';
import {createPostmarkMailer} from './adapters/mailer.js';
import {createStripeClient} from './adapters/stripe.js';
import {createApp} from './app.js';
import {ConfigError, parseConfig} from './config.js';
import {trackConnections} from './http/graceful.js';
import {createLogger} from './logger.js';
import {createStore} from './store/create-store.js';

/**
 * Production entry: configuration from the environment, then listen. On SIGTERM (or SIGINT)
 * it stops accepting connections, answers every request already in flight, finishes the mail
 * work in the background, closes Redis and exits 0 (1 when `SHUTDOWN_TIMEOUT_MS`, default
 * 25 s, ran out and requests had to be cut).
 */
let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const log = createLogger({level: config.logLevel});
const store = createStore(config, log);
const app = createApp(config, {
  stripe: createStripeClient(config),
  mailer: createPostmarkMailer(config),
  store,
  log,
});
const server = createServer();
const connections = trackConnections(server);
server.on('request', app);
server.listen(config.port, config.host, () =>
  log.info('listening', {
    host: config.host,
    port: config.port,
    store: config.redis ? 'redis' : 'memory',
  }),
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', {signal, inFlight: connections.inFlight()});
  app.beginShutdown();
  const clean = await connections.close(config.shutdownTimeoutMs);
  await app.drain();
  await store.close();
  log.info('stopped', {clean});
  process.exit(clean ? 0 : 1);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
