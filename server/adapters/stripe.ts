import Stripe from 'stripe';
import type {Config} from '../config.js';
import {BudgetedHttpClient, type StripeBudget} from './stripe-budget.js';

/** The API version this code was written against; pinned where the client is made. */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/**
 * The official SDK; `STRIPE_API_BASE` points it at an emulator (demo mode, tests). It retries
 * connection errors, 409, 5xx and the 429s Stripe answers with `Stripe-Should-Retry: true`
 * (lock timeouts; rate limits are not retried), `STRIPE_MAX_NETWORK_RETRIES` times with backoff
 * from 0.5 s, and puts an `Idempotency-Key` on every POST, the same key on each retry, so a
 * write whose answer was lost is never applied twice. When Stripe stays down the request answers
 * `503 stripe_unavailable` with `Retry-After` (`http/errors.ts`).
 *
 * The portal's own client gets the instances' shared `budget` (`STRIPE_MAX_REQUESTS_PER_SECOND`)
 * in front of its HTTP client, so that every request it sends, each retry included, takes a
 * slot first; clients without one (tests, scripts acting as Stripe) are not budgeted.
 */
export function createStripeClient(config: Config, budget?: StripeBudget): Stripe {
  const base = config.stripe.apiBase;
  return new Stripe(config.stripe.secretKey, {
    ...(budget ? {httpClient: new BudgetedHttpClient(Stripe.createNodeHttpClient(), budget)} : {}),
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: config.stripeMaxNetworkRetries,
    timeout: config.stripeTimeoutMs,
    telemetry: false,
    appInfo: {name: 'conroo-billing-portal'},
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const),
        }
      : {}),
  });
}
