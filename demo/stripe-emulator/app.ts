/**
 * The emulator as an Express app: request counting, optional latency and injected faults,
 * Stripe's API-key auth, idempotent replay of retried POSTs, form parsing with bracketed
 * keys, the routes, and Stripe-shaped errors for everything else. Mountable (the demo
 * server serves it under `/dev/stripe`) or listened on alone (`index.ts`).
 */
import express, {type NextFunction, type Request, type Response} from 'express';
import {apiError, authenticationError, stripeErrorHandler, unknownRoute} from './errors.js';
import {createStripeRoutes} from './routes.js';
import type {EmulatorState} from './state.js';

export interface StripeEmulatorAppOptions {
  /** Wait this long before answering each request. */
  latencyMs?: number;
}

const keyPattern = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

function apiKey(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic?.[1]) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  return undefined;
}

function authenticate(req: Request, _res: Response, next: NextFunction): void {
  const key = apiKey(req);
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (!keyPattern.test(key)) {
    throw authenticationError(
      `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(4)}${key.slice(-4)}`,
    );
  }
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
    res.setHeader('Request-Id', state.newId('req'));
    res.setHeader('Stripe-Version', req.get('stripe-version') ?? '2026-10-28.endive');
    const fault = state.http.pendingFaults.shift();
    const proceed = () => (fault === undefined ? next() : next(apiError(fault)));
    if (opts.latencyMs && opts.latencyMs > 0) setTimeout(proceed, opts.latencyMs);
    else proceed();
  });
  app.use(authenticate);
  app.use(express.urlencoded({extended: true, limit: '1mb', parameterLimit: 10_000}));

  // A retried POST with the same Idempotency-Key gets the first answer again, as on Stripe.
  app.use((req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    const cacheKey = `${req.path} ${key}`;
    const cached = state.idempotentResponses.get(cacheKey);
    if (cached) {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(cached.status).json(cached.body);
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 500)
        state.idempotentResponses.set(cacheKey, {status: res.statusCode, body});
      return json(body);
    };
    next();
  });

  app.use(createStripeRoutes(state));
  app.use(unknownRoute);
  app.use(stripeErrorHandler);
  return app;
}
