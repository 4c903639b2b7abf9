import {randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import {fileURLToPath} from 'node:url';
import express from 'express';
import helmet from 'helmet';
import type Stripe from 'stripe';
import {createPostmarkMailer} from '../server/adapters/mailer.js';
import {createStripeClient} from '../server/adapters/stripe.js';
import {createApp, type PortalApp} from '../server/app.js';
import {parseConfig, type Config} from '../server/config.js';
import {trackConnections} from '../server/http/graceful.js';
import {silentLogger, type Logger} from '../server/logger.js';
import {createStore} from '../server/store/create-store.js';
import type {Store} from '../server/store/store.js';
import {outboxRoutes, sentTo, type Outbox} from './outbox.js';
import {
  startPostmarkStandin,
  type OutboxMessage,
  type PostmarkStandin,
} from './postmark-standin.js';
import {
  createStripeEmulatorApp,
  emulatorLatencyMs,
  renewSubscriptions,
  startStripeEmulator,
  type StripeEmulator,
} from './stripe-emulator/index.js';

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface Demo {
  url: string;
  portalUrl: string;
  config: Config;
  app: PortalApp;
  /** Memory, or Redis with REDIS_URL (several demo servers then share logins and limits). */
  store: Store;
  outbox: Outbox;
  /** The in-process Stripe emulator; `null` when STRIPE_API_BASE names one elsewhere. */
  emulator: StripeEmulator | null;
  /** The in-process Postmark stand-in; `null` when POSTMARK_API_BASE names one elsewhere. */
  postmark: PostmarkStandin | null;
  /**
   * Stops the demo. With `graceMs` the server first stops accepting and answers what is in
   * flight (at most that long); without, open connections are cut at once (tests).
   */
  close(options?: {graceMs?: number}): Promise<void>;
}

/**
 * The embedded default behind `npm start`: the real server code, configured to talk to the
 * Stripe emulator and the Postmark stand-in (started here unless STRIPE_API_BASE /
 * POSTMARK_API_BASE name running ones, e.g. from `npm run emulator`), plus the demo pages.
 *
 * The emulator started here sends signed webhooks to the portal's `/api/stripe/webhook` with a
 * fresh `whsec_` secret (or STRIPE_WEBHOOK_SECRET), so changes made in "Stripe" reach the
 * dashboard's cache as in production; STRIPE_EMULATOR_LATENCY_MS slows every Stripe call.
 * An emulator elsewhere is given the same secret and URL through its own environment.
 */
export async function startDemo(
  options: {
    port?: number;
    host?: string;
    env?: Record<string, string | undefined>;
    log?: Logger;
    onMail?: (message: OutboxMessage) => void;
    now?: () => number;
  } = {},
): Promise<Demo> {
  const env = options.env ?? {};
  const closers: Array<() => Promise<void>> = [];

  let stripeApiBase = env.STRIPE_API_BASE;
  // What a browser reaches at /dev/stripe, as Stripe.js would reach api.stripe.com.
  let browserStripe: express.Handler;
  // Starts the next billing period of an address, like a Stripe test clock.
  let renew: (email: string) => Promise<Stripe.Invoice[]>;
  let emulator: StripeEmulator | null = null;
  let webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (!stripeApiBase) {
    emulator = await startStripeEmulator({port: 0, latencyMs: emulatorLatencyMs(env)});
    const started = emulator;
    closers.push(() => started.close());
    webhookSecret ||= `whsec_${randomBytes(24).toString('base64url')}`;
    stripeApiBase = emulator.url;
    browserStripe = createStripeEmulatorApp(started.state);
    renew = async (email) => {
      const {invoices} = renewSubscriptions(started.state, email);
      // Like the portal's own writes: the next dashboard load shows the renewal.
      await started.webhooksIdle();
      return invoices;
    };
  } else {
    const base = stripeApiBase;
    browserStripe = proxyTo(base);
    renew = async (email) => {
      const answer = await fetch(new URL('/v1/test_helpers/emulator/renew', base), {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk_test_demo_conroo',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({email}).toString(),
      });
      return ((await answer.json()) as {data: Stripe.Invoice[]}).data;
    };
  }
  let postmarkApiBase = env.POSTMARK_API_BASE;
  let outbox: Outbox;
  let postmark: PostmarkStandin | null = null;
  if (!postmarkApiBase) {
    const standin = await startPostmarkStandin({port: 0, log: options.onMail});
    postmark = standin;
    closers.push(() => standin.close());
    postmarkApiBase = standin.url;
    outbox = {messages: async (filter) => sentTo(standin.messages(), filter?.to)};
  } else {
    const base = postmarkApiBase;
    outbox = {
      messages: async (filter) => {
        const url = new URL('/outbox', base);
        if (filter?.to) url.searchParams.set('to', filter.to);
        const answer = await fetch(url);
        return ((await answer.json()) as {messages: OutboxMessage[]}).messages;
      },
    };
  }

  // Listen first: with port 0 the portal's own URL is known only then.
  const server: Server = createServer();
  const connections = trackConnections(server);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 8080;
  const url = `http://localhost:${port}`;

  const config = parseConfig({
    STRIPE_SECRET_KEY: 'sk_test_demo_conroo',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_demo_conroo',
    POSTMARK_SERVER_TOKEN: 'demo-postmark-token',
    MAIL_FROM: 'CONROO Kundenportal <kundenportal@conroo.example>',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    PORTAL_URL: `${url}/kundenportal`,
    ALLOWED_ORIGINS: url,
    ...env,
    STRIPE_API_BASE: stripeApiBase,
    POSTMARK_API_BASE: postmarkApiBase,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    PORT: String(port),
  });
  const log = options.log ?? silentLogger;
  const store = createStore(config, log);
  closers.push(() => store.close());
  const app = createApp(config, {
    stripe: createStripeClient(config),
    mailer: createPostmarkMailer(config),
    store,
    log,
    now: options.now,
  });

  const demoPages = express.Router();
  demoPages.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  demoPages.use('/dev', outboxRoutes(outbox));
  demoPages.use('/dev/stripe', browserStripe);
  demoPages.post('/dev/renew', express.json({limit: '2kb'}), async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim() : '';
    if (!email) {
      res.status(400).json({error: {code: 'invalid_email', message: 'Send {"email": "..."}'}});
      return;
    }
    const invoices = await renew(email);
    res.json({
      invoices: invoices.map((i) => ({
        id: i.id,
        number: i.number,
        status: i.status,
        total: i.total,
        currency: i.currency,
        customerName: i.customer_name,
      })),
    });
  });
  demoPages.use('/widget', express.static(root('../dist'), {fallthrough: false}));
  demoPages.get('/', (_req, res) => res.sendFile(root('./pages/index.html')));
  demoPages.get('/kundenportal', (_req, res) => res.sendFile(root('./pages/kundenportal.html')));
  demoPages.use(express.static(root('./pages'), {index: false}));
  app.use(demoPages);

  server.on('request', app);
  if (emulator && config.stripe.webhookSecret) {
    // The address the server listens on, not `localhost` (which may resolve to ::1 first).
    const local = typeof address === 'object' && address ? address.address : '127.0.0.1';
    const host = ['0.0.0.0', '::'].includes(local)
      ? '127.0.0.1'
      : local.includes(':')
        ? `[${local}]`
        : local;
    emulator.setWebhookEndpoint({
      url: `http://${host}:${port}/api/stripe/webhook`,
      secret: config.stripe.webhookSecret,
    });
  }
  let graceMs = 0;
  closers.unshift(
    // Events of the last changes still reach the portal before it stops.
    async () => {
      await emulator?.webhooksIdle();
    },
    async () => {
      app.beginShutdown();
      await connections.close(graceMs);
    },
    () => app.drain(),
  );
  return {
    url,
    portalUrl: config.portalUrl.toString(),
    config,
    app,
    store,
    outbox,
    emulator,
    postmark,
    async close(closeOptions = {}) {
      graceMs = closeOptions.graceMs ?? 0;
      for (const close of closers) await close();
    },
  };
}

/**
 * Forwards /dev/stripe/* to an emulator in another process (`npm run emulator`), keeping the
 * mount path visible to it so that its redirect pages link back through this origin.
 */
function proxyTo(base: string): express.Handler {
  return async (req, res, next) => {
    try {
      const target = new URL(req.url, base);
      const body = ['GET', 'HEAD'].includes(req.method)
        ? undefined
        : await new Promise<Buffer>((resolve, reject) => {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => resolve(Buffer.concat(chunks)));
            req.on('error', reject);
          });
      const headers: Record<string, string> = {
        'x-forwarded-prefix': req.baseUrl,
        'x-forwarded-host': req.get('host') ?? '',
      };
      for (const name of ['content-type', 'authorization', 'accept']) {
        const value = req.get(name);
        if (value) headers[name] = value;
      }
      const upstream = await fetch(target, {
        method: req.method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        redirect: 'manual',
      });
      res.status(upstream.status);
      for (const name of ['content-type', 'location', 'content-security-policy']) {
        const value = upstream.headers.get(name);
        if (value) res.set(name, value);
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      next(error);
    }
  };
}
