import {randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import type Stripe from 'stripe';
import {createPostmarkMailer} from '../../server/adapters/mailer.js';
import {createStripeClient} from '../../server/adapters/stripe.js';
import {createStripeBudget, type StripeBudget} from '../../server/adapters/stripe-budget.js';
import {createApp, type PortalApp} from '../../server/app.js';
import {parseConfig, type Config} from '../../server/config.js';
import {silentLogger, type Logger} from '../../server/logger.js';
import type {Store} from '../../server/store/store.js';
import {startPostmarkStandin, type PostmarkStandin} from '../../demo/postmark-standin.js';
import {
  startStripeEmulator,
  stripeHostsTransport,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import type {FetchStripeFile} from '../../server/adapters/stripe-files.js';
import {after, before} from 'node:test';
import {RedisStore} from '../../server/store/redis-store.js';
import {Client, tokenOf} from './harness.js';
import {startRedisServer, type RedisServer} from './redis-server.js';

/** What `npm run emulator` runs: one Stripe emulator and one Postmark stand-in for all instances. */
export interface SharedServices {
  emulator: StripeEmulator;
  postmark: PostmarkStandin;
  close(): Promise<void>;
}

export async function startSharedServices(): Promise<SharedServices> {
  const emulator = await startStripeEmulator({port: 0});
  const postmark = await startPostmarkStandin({port: 0});
  return {
    emulator,
    postmark,
    async close() {
      await Promise.allSettled([emulator.close(), postmark.close()]);
    },
  };
}

/** One portal server (the real `createApp`) on its own port, as `server/index.ts` runs it. */
export interface Instance {
  url: string;
  app: PortalApp;
  config: Config;
  store: Store;
  stripeBudget: StripeBudget;
  client(): Client;
  close(): Promise<void>;
}

/** The same secret for every instance of a test: a session made by one is read by the other. */
export const SHARED_SESSION_SECRET = randomBytes(32).toString('hex');

export async function startInstance(options: {
  services: SharedServices;
  store: (config: Config) => Store;
  env?: Record<string, string>;
  log?: Logger;
  /** How PDFs travel (default: Stripe's hosts to the shared emulator, as the demo does). */
  fetchStripeFile?: FetchStripeFile;
  /** Another Stripe request budget than the settings' (a slow bucket a test controls). */
  stripeBudget?: (config: Config, store: Store) => StripeBudget;
  /** Replaces parts of the instance's Stripe client (a test double of one call). */
  wrapStripe?: (stripe: Stripe) => Stripe;
}): Promise<Instance> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const config = parseConfig({
    STRIPE_SECRET_KEY: 'sk_test_instances',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_instances',
    POSTMARK_SERVER_TOKEN: 'instances-token',
    MAIL_FROM: 'kundenportal@conroo.example',
    SESSION_SECRET: SHARED_SESSION_SECRET,
    PORTAL_URL: 'https://portal.conroo.example/kundenportal',
    ALLOWED_ORIGINS: 'https://portal.conroo.example',
    STRIPE_API_BASE: options.services.emulator.url,
    POSTMARK_API_BASE: options.services.postmark.url,
    MAIL_RETRY_DELAYS_MS: '10,20',
    // Unbudgeted unless a test says otherwise (`stripe-budget.test.ts`).
    STRIPE_MAX_REQUESTS_PER_SECOND: '10000',
    ...options.env,
  });
  const store = options.store(config);
  const stripeBudget = (options.stripeBudget ?? createStripeBudget)(config, store);
  const app = createApp(config, {
    stripe: (options.wrapStripe ?? ((stripe) => stripe))(createStripeClient(config, stripeBudget)),
    mailer: createPostmarkMailer(config),
    store,
    log: options.log ?? silentLogger,
    fetchStripeFile: options.fetchStripeFile ?? stripeHostsTransport(options.services.emulator.url),
  });
  server.on('request', app);
  return {
    url,
    app,
    config,
    store,
    stripeBudget,
    client: () => new Client(url),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.drain();
      await store.close();
    },
  };
}

/** Asks `instance` for a link to `email` and returns the token of the mail it sent. */
export async function linkFrom(
  instance: Instance,
  services: SharedServices,
  email: string,
): Promise<string> {
  const before = services.postmark.messages().length;
  const answer = await instance.client().post('/api/auth/email-link', {email});
  if (answer.status !== 202) throw new Error(`email-link answered ${answer.status}`);
  await instance.app.drain();
  const messages = services.postmark.messages();
  // The one with a link: an owner's notice of a change just before may have come after it.
  const mail = messages.slice(0, messages.length - before).find((m) => m.link);
  if (!mail) throw new Error(`no mail for ${email}`);
  return tokenOf(mail.link!);
}

/** A suite's portal instances behind one Redis (see `useInstancesOnRedis`). */
export interface InstancesOnRedis {
  /** The suite's redis-server (a test may restart it; set it to the new one). */
  redis: RedisServer;
  services: SharedServices;
  /**
   * An instance on the suite's Redis under `prefix` (instances of one prefix share their
   * state), closed after the suite.
   */
  start(options: {
    prefix: string;
    env?: Record<string, string>;
    log?: Logger;
    stripeBudget?: (config: Config, store: Store) => StripeBudget;
  }): Promise<Instance>;
}

/**
 * Starts a redis-server and the shared emulator and Postmark stand-in before the suite's tests
 * and stops them, and every instance started on them, after.
 */
export function useInstancesOnRedis(): InstancesOnRedis {
  const running: Instance[] = [];
  const suite = {
    start: async ({prefix, env, log, stripeBudget}) => {
      const instance = await startInstance({
        services: suite.services,
        log,
        stripeBudget,
        env: {REDIS_URL: suite.redis.url, REDIS_PREFIX: prefix, REDIS_TIMEOUT_MS: '10000', ...env},
        store: (config) =>
          new RedisStore({url: config.redis!.url, prefix: config.redis!.prefix, log}),
      });
      running.push(instance);
      return instance;
    },
  } as InstancesOnRedis;
  before(async () => {
    suite.redis = await startRedisServer();
    suite.services = await startSharedServices();
  });
  after(async () => {
    for (const instance of running.splice(0)) await instance.close();
    await suite.services?.close();
    await suite.redis?.stop();
  });
  return suite;
}
