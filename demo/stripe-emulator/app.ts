/**
 * The emulator as an Express app: request counting, optional latency, held requests and
 * injected faults, form parsing with bracketed keys, the keyless redirect pages (3-D Secure,
 * PayPal), invoice PDFs (bearer links, like Stripe's) and the Stripe.js stand-in
 * (`/js/stripe.js`), Stripe's API-key auth, the sandbox rate limit (`rate-limit.ts`), the
 * depth limit of `expand[]` (`expand.ts`), idempotent requests (`idempotency.ts`), the routes,
 * and Stripe-shaped errors for everything else. Mountable (the demo server serves it under
 * `/dev/stripe`) or listened on alone (`index.ts`).
 *
 * Keys: secret (`sk_test_`) and restricted (`rk_test_`) keys reach everything; a publishable
 * key (`pk_test_`, in the Authorization header or as Stripe.js' `key` parameter) reaches only
 * what Stripe.js calls: `GET /v1/setup_intents/:id` and `POST /v1/setup_intents/:id/confirm`
 * (which then require the intent's `client_secret`) and `POST /v1/3ds2/challenge_complete`.
 */
import express, {type NextFunction, type Request, type Response} from 'express';
import {apiError, authenticationError, stripeErrorHandler, unknownRoute} from './errors.js';
import {checkExpandDepth, expandParam} from './expand.js';
import {idempotentRequests} from './idempotency.js';
import {createInvoicePdfRoutes} from './invoice-pdf.js';
import {createProductRoutes} from './products.js';
import {createRateLimitRoutes, sandboxRateLimit} from './rate-limit.js';
import {createRedirectRoutes} from './redirect.js';
import {createStripeRoutes} from './routes.js';
import {createSetupIntentRoutes} from './setup-intents.js';
import {createStripeJsRoutes} from './stripe-js.js';
import {createTestClockRoutes} from './test-clocks.js';
import {takeFault, takeRule, type EmulatorState} from './state.js';
import {API_VERSION} from './webhooks.js';

export interface StripeEmulatorAppOptions {
  /** Wait this long before answering each request (default: `state.http.latencyMs`). */
  latencyMs?: number;
  /**
   * Public base URL this app is reached at, e.g. `http://localhost:8080/dev/stripe`: redirect
   * URLs (3-D Secure, PayPal) start with it. Defaults to `state.publicBaseUrl`, then to the
   * confirming request's own protocol, host and mount path.
   */
  publicBaseUrl?: string;
}

const keyPattern = /^(sk|rk)_test_[A-Za-z0-9_]+$/;
const publishableKeyPattern = /^pk_test_[A-Za-z0-9_]+$/;

/** Endpoints Stripe.js calls with a publishable key. */
function isClientEndpoint(req: Request): boolean {
  return (
    (req.method === 'GET' && /^\/v1\/setup_intents\/[^/]+\/?$/.test(req.path)) ||
    (req.method === 'POST' && /^\/v1\/setup_intents\/[^/]+\/confirm\/?$/.test(req.path)) ||
    (req.method === 'POST' && req.path === '/v1/3ds2/challenge_complete')
  );
}

function apiKey(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic?.[1]) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  // Stripe.js sends its publishable key as the `key` parameter.
  const source = (req.method === 'GET' ? req.query : req.body) as
    Record<string, unknown> | undefined;
  const key = source?.key;
  if (typeof key === 'string' && publishableKeyPattern.test(key)) return key;
  return undefined;
}

function authenticate(req: Request, res: Response, next: NextFunction): void {
  const key = apiKey(req);
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (publishableKeyPattern.test(key)) {
    if (!isClientEndpoint(req)) {
      throw authenticationError(
        'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
        'secret_key_required',
      );
    }
    res.locals.stripeKeyKind = 'publishable';
    return next();
  }
  if (!keyPattern.test(key)) {
    throw authenticationError(
      `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(4)}${key.slice(-4)}`,
    );
  }
  res.locals.stripeKeyKind = 'secret';
  next();
}

export function createStripeEmulatorApp(
  state: EmulatorState,
  opts: StripeEmulatorAppOptions = {},
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.set('json spaces', 2);

  app.use((req, res, next) => {
    state.http.requests += 1;
    state.http.arrivals?.push({method: req.method, path: req.path});
    const trace = state.http.trace;
    if (trace) {
      const start = performance.now();
      res.on('finish', () =>
        trace.push({method: req.method, path: req.path, start, end: performance.now()}),
      );
    }
    res.setHeader('Request-Id', state.newId('req'));
    res.setHeader('Stripe-Version', req.get('stripe-version') ?? API_VERSION);
    // The emulator's own helpers (`/v1/test_helpers/emulator/...`) never fail.
    const helper = req.path.startsWith('/v1/test_helpers/emulator/');
    const fault = helper
      ? undefined
      : (state.http.pendingFaults.shift() ??
        takeFault(state.http.faultRules, req.method, req.path));
    const proceed = () => {
      if (fault === undefined || fault === null) return next();
      if (fault === 'timeout') return; // Holds the connection until the client gives up.
      if (fault === 'drop') return void req.socket.destroy();
      if (fault === 'drop-response') {
        // The route runs (and its idempotent answer is kept), but the answer never arrives.
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
        return next();
      }
      next(apiError(fault));
    };
    const latencyMs = opts.latencyMs ?? state.http.latencyMs;
    const afterLatency = () => (latencyMs > 0 ? void setTimeout(proceed, latencyMs) : proceed());
    const held = helper ? null : takeRule(state.http.holds, req.method, req.path);
    if (held) void held.wait().then(afterLatency);
    else afterLatency();
  });
  // Like api.stripe.com: any origin may call (the demo calls same-origin anyway).
  app.use((req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, Idempotency-Key, Stripe-Version, Stripe-Account',
    );
    res.setHeader('Access-Control-Max-Age', '300');
    res.setHeader('Allow', 'GET, POST, DELETE, OPTIONS');
    res.status(204).end();
  });
  app.use(express.urlencoded({extended: true, limit: '1mb', parameterLimit: 10_000}));
  app.use(createRedirectRoutes(state));
  app.use(createInvoicePdfRoutes(state));
  app.use(createStripeJsRoutes());
  app.use(authenticate);
  app.use(sandboxRateLimit(state));
  app.use(createRateLimitRoutes(state));
  // Stripe's depth limit of `expand[]`, for every endpoint at once and before it runs: a refused
  // create creates nothing, and (a validation error) keeps no idempotent answer.
  app.use((req, _res, next) => {
    const source = (req.method === 'GET' || req.method === 'DELETE' ? req.query : req.body) as
      Record<string, unknown> | undefined;
    checkExpandDepth(expandParam(source?.expand));
    next();
  });

  app.use(idempotentRequests(state));

  app.use(createSetupIntentRoutes(state, {publicBaseUrl: opts.publicBaseUrl}));
  app.use(createStripeRoutes(state));
  app.use(createProductRoutes(state));
  app.use(createTestClockRoutes(state));
  app.use(unknownRoute);
  app.use(stripeErrorHandler(state));
  return app;
}
