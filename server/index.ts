import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createPostmarkMailer} from './adapters/mailer.js';
import {createStripeClient} from './adapters/stripe.js';
import {createStripeBudget} from './adapters/stripe-budget.js';
import {createApp} from './app.js';
import {ConfigError, parseConfig} from './config.js';
import {trackConnections} from './http/graceful.js';
import {createLogger} from './logger.js';
import {createStore} from './store/create-store.js';

/**
 * Production entry (`npm run start:prod` runs it compiled: `node dist-server/server/index.js`):
 * configuration from the environment, then listen on HOST:PORT. On SIGTERM (or
 * SIGINT) `/readyz` turns 503 and every answer closes its connection; the listener keeps
 * accepting for `SHUTDOWN_DRAIN_MS` (default 5 s) so that the load balancer notices, then closes
 * together with the idle connections (`http/graceful.ts`). The process exits 0 once every
 * request it has read is answered, every handler has finished, the mail work is done and Redis
 * is closed; 1 when `SHUTDOWN_TIMEOUT_MS` (default 25 s, counted from the signal) ran out first.
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
  stripe: createStripeClient(config, createStripeBudget(config, store)),
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
    // The port bound: with PORT=0 the system picks one.
    port: (server.address() as AddressInfo).port,
    store: config.redis ? 'redis' : 'memory',
  }),
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', {
    signal,
    inFlight: connections.inFlight(),
    drainMs: config.shutdownDrainMs,
  });
  const signalledAt = performance.now();
  app.beginShutdown();
  const answered = await connections.shutdown({
    drainMs: config.shutdownDrainMs,
    timeoutMs: config.shutdownTimeoutMs,
    onStopAccepting: () =>
      log.info('stopped accepting connections', {
        inFlight: connections.inFlight(),
        accepted: connections.accepted(),
      }),
  });
  // Mail and the save being carried forward get what is left of the timeout, no more.
  const left = config.shutdownTimeoutMs - (performance.now() - signalledAt);
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    app.drain().then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, left));
    }),
  ]);
  clearTimeout(timer);
  await store.close();
  const clean = answered && drained;
  log.info('stopped', {clean});
  process.exit(clean ? 0 : 1);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
