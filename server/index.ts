import {createPostmarkMailer} from './adapters/mailer.js';
import {createStripeClient} from './adapters/stripe.js';
import {createApp} from './app.js';
import {ConfigError, parseConfig} from './config.js';
import {createJsonLogger} from './logger.js';
import {MemoryStore} from './store/memory-store.js';

/** Production entry: configuration from the environment, then listen. */
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
const log = createJsonLogger();
const store = new MemoryStore();
const app = createApp(config, {
  stripe: createStripeClient(config),
  mailer: createPostmarkMailer(config),
  store,
  log,
});
const server = app.listen(config.port, () => log.info('listening', {port: config.port}));
const stop = () => {
  server.close(async () => {
    await app.drain();
    await store.close();
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
