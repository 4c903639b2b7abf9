import {randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import {basename, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import express from 'express';
import helmet from 'helmet';
import type Stripe from 'stripe';
import {createPostmarkMailer} from '../server/adapters/mailer.js';
import {createStripeClient} from '../server/adapters/stripe.js';
import {createStripeBudget, type StripeBudget} from '../server/adapters/stripe-budget.js';
import {createApp, type PortalApp} from '../server/app.js';
import {parseConfig, type Config} from '../server/config.js';
import {ApiError} from '../server/errors.js';
import {errorHandler} from '../server/http/errors.js';
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
  emulatorRateLimit,
  emulatorSearchLagMs,
  renewSubscriptions,
  startStripeEmulator,
  stripeHostsTransport,
  type StripeEmulator,
} from './stripe-emulator/index.js';

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface Demo {
  /** The portal server (the API, `/dev/stripe`, the dev outbox) as a browser reaches it. */
  url: string;
  /** Where the demo pages and the element are: `url`, or their own origin with `pages`. */
  pagesUrl: string;
  portalUrl: string;
  config: Config;
  app: PortalApp;
  /** Memory, or Redis with REDIS_URL (several demo servers then share logins and limits). */
  store: Store;
  /** The portal's Stripe request budget (`STRIPE_MAX_REQUESTS_PER_SECOND`), shared via `store`. */
  stripeBudget: StripeBudget;
  outbox: Outbox;
  /** The in-process Stripe emulator; `null` when STRIPE_API_BASE names one elsewhere. */
  emulator: StripeEmulator | null;
  /** The in-process Postmark stand-in; `null` when POSTMARK_API_BASE names one elsewhere. */
  postmark: PostmarkStandin | null;
  /**
   * Stops the demo as the production entry stops on SIGTERM (`trackConnections`): the server
   * keeps accepting for `drainMs`, answers what it has read and cuts the rest after `graceMs`,
   * counted from the start; without either, open connections are cut at once (tests).
   */
  close(options?: {drainMs?: number; graceMs?: number}): Promise<void>;
}

/**
 * The embedded default behind `npm start`: the real server code, configured to talk to the
 * Stripe emulator and the Postmark stand-in (started here unless STRIPE_API_BASE /
 * POSTMARK_API_BASE name running ones, e.g. from `npm run emulator`), plus the demo pages.
 *
 * The emulator started here sends signed webhooks to the portal's `/api/stripe/webhook` with a
 * fresh `whsec_` secret (or STRIPE_WEBHOOK_SECRET), so changes made in "Stripe" reach the
 * dashboard's cache as in production; STRIPE_EMULATOR_LATENCY_MS slows every Stripe call,
 * STRIPE_EMULATOR_RATE_LIMIT gives it Stripe's sandbox rate limit and
 * STRIPE_EMULATOR_SEARCH_LAG_MS its search index's lag.
 * An emulator elsewhere is given the same secret and URL through its own environment.
 */
export async function startDemo(
  options: {
    port?: number;
    host?: string;
    /**
     * The name a browser uses for this server: `localhost`, or `billing.conroo.localhost` with
     * `pages`.
     */
    hostname?: string;
    /**
     * Cross-origin mode, as in production (a page on www.conroo.com, the API on
     * billing.conroo.com): the demo pages and the element get a listener of their own, by
     * default `http://www.conroo.localhost:<port>`, and this server keeps the API, `/dev/stripe`
     * and the dev tools. PORTAL_URL and ALLOWED_ORIGINS name the pages' origin. Browsers take
     * every `*.localhost` name to loopback as a secure context, so both origins are one site
     * (`conroo.localhost`) and the `Secure` cookie works over http.
     */
    pages?: {port?: number; hostname?: string};
    env?: Record<string, string | undefined>;
    log?: Logger;
    onMail?: (message: OutboxMessage) => void;
    now?: () => number;
    /**
     * The built element served at `/widget/` (default `dist/`): `npm run timing` serves an
     * earlier build's beside this one's, to compare the two.
     */
    elementDir?: string;
    /** The host pages and their assets (default `demo/pages/`): an earlier commit's, with it. */
    pagesDir?: string;
  } = {},
): Promise<Demo> {
  const env = options.env ?? {};
  const closers: Array<() => Promise<void>> = [];
  let drainMs = 0;
  let graceMs = 0;

  let stripeApiBase = env.STRIPE_API_BASE;
  // What a browser reaches at /dev/stripe, as Stripe.js would reach api.stripe.com.
  let browserStripe: express.Handler;
  // Starts the next billing period of an address, like a Stripe test clock.
  let renew: (email: string) => Promise<Stripe.Invoice[]>;
  let emulator: StripeEmulator | null = null;
  let webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (!stripeApiBase) {
    emulator = await startStripeEmulator({
      port: 0,
      latencyMs: emulatorLatencyMs(env),
      rateLimitPerSecond: emulatorRateLimit(env),
      searchLagMs: emulatorSearchLagMs(env),
    });
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

  const tools = devTools(outbox, renew);
  const log = options.log ?? silentLogger;

  // Listen first: with port 0 the portal's own URL is known only then.
  const server: Server = createServer();
  const connections = trackConnections(server);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 8080;
  // The address the server really listens on (a HOST of `localhost` may have resolved to ::1):
  // the config's HOST, and where the emulator sends webhooks.
  const local = typeof address === 'object' && address ? address.address : '127.0.0.1';
  const hostname = options.hostname ?? (options.pages ? 'billing.conroo.localhost' : 'localhost');
  const url = `http://${hostname}:${port}`;

  let pagesUrl = url;
  if (options.pages) {
    const pages = await serveDemoPages({
      apiBase: url,
      port: options.pages.port ?? 0,
      host: options.host,
      hostname: options.pages.hostname ?? 'www.conroo.localhost',
      devTools: tools,
      log,
    });
    closers.push(() => pages.close(graceMs));
    pagesUrl = pages.url;
  }

  const config = parseConfig({
    STRIPE_SECRET_KEY: 'sk_test_demo_conroo',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_demo_conroo',
    POSTMARK_SERVER_TOKEN: 'demo-postmark-token',
    MAIL_FROM: 'CONROO Kundenportal <kundenportal@conroo.example>',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    PORTAL_URL: `${pagesUrl}/kundenportal`,
    ALLOWED_ORIGINS: pagesUrl,
    // The element loads the emulator's Stripe.js stand-in from the API's origin, as it would
    // load Stripe.js from js.stripe.com.
    STRIPE_JS_URL: `${url}/dev/stripe/js/stripe.js`,
    // No load balancer waits for /readyz in front of the demo: Ctrl-C stops it at once.
    SHUTDOWN_DRAIN_MS: '0',
    // The emulator's own limit when it has one, else none worth waiting for: an unlimited
    // emulator is not Stripe, and the tests should not wait on a budget they do not test.
    STRIPE_MAX_REQUESTS_PER_SECOND: String(emulatorRateLimit(env) ?? 10_000),
    ...env,
    STRIPE_API_BASE: stripeApiBase,
    POSTMARK_API_BASE: postmarkApiBase,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    HOST: local,
    PORT: String(port),
  });
  const store = createStore(config, log);
  closers.push(() => store.close());
  const stripeBudget = createStripeBudget(config, store);
  const app = createApp(config, {
    stripe: createStripeClient(config, stripeBudget),
    mailer: createPostmarkMailer(config),
    store,
    log,
    now: options.now,
    // Stripe's PDF links (pay.stripe.com, files.stripe.com) are the emulator's to answer.
    fetchStripeFile: stripeHostsTransport(stripeApiBase),
  });

  app.use(
    demoSite({
      devTools: tools,
      stripe: browserStripe,
      // In cross-origin mode this origin serves no pages: its start page leads to them.
      pages: options.pages
        ? undefined
        : {apiBase: '', elementDir: options.elementDir, pagesDir: options.pagesDir},
      log,
    }),
  );
  if (options.pages) app.get('/', (_req, res) => res.redirect(pagesUrl));

  server.on('request', app);
  if (emulator && config.stripe.webhookSecret) {
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
  closers.unshift(
    // Events of the last changes still reach the portal before it stops.
    async () => {
      await emulator?.webhooksIdle();
    },
    async () => {
      app.beginShutdown();
      await connections.shutdown({drainMs, timeoutMs: graceMs});
    },
    () => app.drain(),
  );
  return {
    url,
    pagesUrl,
    portalUrl: config.portalUrl.toString(),
    config,
    app,
    store,
    stripeBudget,
    outbox,
    emulator,
    postmark,
    async close(closeOptions = {}) {
      drainMs = closeOptions.drainMs ?? 0;
      graceMs = closeOptions.graceMs ?? 0;
      for (const close of closers) await close();
    },
  };
}

/** The demo's own tools under `/dev`: the outbox and `POST /dev/renew`. */
function devTools(outbox: Outbox, renew: (email: string) => Promise<Stripe.Invoice[]>) {
  const tools = express.Router();
  tools.use(outboxRoutes(outbox));
  tools.post('/renew', express.json({limit: '2kb'}), async (req, res) => {
    const sent = (req.body as {email?: unknown} | undefined)?.email;
    const email = typeof sent === 'string' ? sent.trim() : '';
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
  return tools;
}

const escapeAttribute = (s: string) =>
  s.replace(/[&"<>]/g, (c) => ({'&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;'})[c]!);

/**
 * What the demo serves besides the portal's own routes, under the CSP of a CONROO page:
 * the dev tools, the emulator as Stripe.js would reach it, and the host pages with the built
 * element at `/widget/`. With an `apiBase` of another origin, every `<conroo-billing-portal>`
 * of a page gets it written into its tag as `api-base`, as a production page has it, so that no
 * inline script is needed (`''`: the API is this origin, the pages are sent as they are).
 * Errors answer as the API's do (`server/http/errors.ts`): a client's mistake its 4xx, anything
 * else `500 internal_error`, logged to `log`, never with a stack. The emulator under
 * `/dev/stripe` answers its own, Stripe-shaped ones.
 */
function demoSite(parts: {
  devTools?: express.Router;
  stripe?: express.Handler;
  pages?: DemoPagesOptions;
  log: Logger;
}): express.Router {
  const site = express.Router();
  const apiOrigin = parts.pages?.apiBase ? new URL(parts.pages.apiBase).origin : null;
  site.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The API's origin serves the Stripe.js stand-in, as js.stripe.com serves Stripe.js.
          'script-src': ["'self'", ...(apiOrigin ? [apiOrigin] : [])],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'", ...(apiOrigin ? [apiOrigin] : [])],
        },
      },
    }),
  );
  if (parts.devTools) site.use('/dev', parts.devTools);
  if (parts.stripe) site.use('/dev/stripe', parts.stripe);
  if (parts.pages) site.use(demoPages(parts.pages));
  site.use(errorHandler(parts.log));
  return site;
}

interface DemoPagesOptions {
  apiBase: string;
  /** Where the built element is (default `dist/`). */
  elementDir?: string;
  /** The host pages and their assets (default `demo/pages/`). */
  pagesDir?: string;
}

/**
 * The `<link rel="modulepreload">` hints for the element's first use, from the build's list
 * (`conroo-billing-portal.preload.json`, vite.config.ts), as a CONROO page that shows the portal
 * inline at the top puts them in its head (README, „Embedding the element"): the browser then
 * fetches the element with the page instead of once the loader has run. None for a build
 * without the list.
 */
async function firstUseHints(elementDir: string): Promise<string> {
  const list = join(elementDir, 'conroo-billing-portal.preload.json');
  const files: unknown = await readFile(list, 'utf8')
    .then((text) => (JSON.parse(text) as {modulepreload?: unknown}).modulepreload)
    .catch(() => undefined);
  if (!Array.isArray(files)) return '';
  return files
    .map((file) => `<link rel="modulepreload" href="/widget/${escapeAttribute(String(file))}" />`)
    .join('\n    ');
}

/** The host pages, their assets and the built element. */
function demoPages(pages: DemoPagesOptions): express.Router {
  const site = express.Router();
  const elementDir = pages.elementDir ?? root('../dist');
  const pagesDir = pages.pagesDir ?? root('./pages');
  const page =
    (file: string, {inlineAtTop = false} = {}): express.Handler =>
    async (_req, res, next) => {
      try {
        let html = await readFile(join(pagesDir, file), 'utf8').catch((error: unknown) => {
          if ((error as {code?: string}).code === 'ENOENT') return null;
          throw error;
        });
        if (html === null) return next(new ApiError(404, 'not_found', 'No such page'));
        if (pages.apiBase) {
          const apiBase = escapeAttribute(pages.apiBase);
          html = html.replace(
            /<conroo-billing-portal(?![^>]*\sapi-base=)/g,
            () => `<conroo-billing-portal api-base="${apiBase}"`,
          );
        }
        if (inlineAtTop) {
          const hints = await firstUseHints(elementDir);
          if (hints) html = html.replace('</head>', () => `  ${hints}\n  </head>`);
        }
        res.type('html').send(html);
      } catch (error) {
        next(error);
      }
    };
  site.use(
    '/widget',
    express.static(elementDir, {
      fallthrough: false,
      setHeaders: elementCaching,
    }),
  );
  site.get('/', page('index.html'));
  site.get('/kundenportal', page('kundenportal.html', {inlineAtTop: true}));
  site.get('/design', page('design.html'));
  // The pages' assets (CSS, the page script); the pages themselves only by their routes above,
  // which give the element its api-base.
  const assets = express.static(pagesDir, {index: false});
  site.use((req, res, next) => (req.path.endsWith('.html') ? next() : assets(req, res, next)));
  return site;
}

/**
 * How the element's files are to be cached, here as on CONROO's CDN (README, „Embedding the
 * element"): the loader under its stable name is revalidated on every page load, so a deploy
 * reaches the next page; the chunks, named by their content's hash, never change and are kept.
 */
export function elementCaching(res: express.Response, path: string) {
  res.setHeader(
    'Cache-Control',
    basename(dirname(path)) === 'chunks' ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
}

export interface DemoPages {
  /** `http://<hostname>:<port>` */
  url: string;
  /** Stops accepting; open connections get `graceMs` to finish (none: cut at once). */
  close(graceMs?: number): Promise<void>;
}

/**
 * The demo pages and the element on a listener of their own, embedding the API at `apiBase`
 * from another origin — as CONROO's web server does in production. `startDemo` starts one in
 * cross-origin mode; a test starts another on a foreign site to play the attacker's copy.
 */
export async function serveDemoPages(options: {
  apiBase: string;
  hostname: string;
  port?: number;
  host?: string;
  /** The outbox and /dev/renew, for the demo page's links and renew button. */
  devTools?: express.Router;
  log?: Logger;
}): Promise<DemoPages> {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    demoSite({
      devTools: options.devTools,
      pages: {apiBase: options.apiBase},
      log: options.log ?? silentLogger,
    }),
  );
  const server = createServer(app);
  const connections = trackConnections(server);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${options.hostname}:${port}`,
    async close(graceMs = 0) {
      await connections.shutdown({drainMs: 0, timeoutMs: graceMs});
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
