/**
 * Stripe's basic rate limiter as a sandbox has it (https://docs.stripe.com/rate-limits): per
 * second, a budget of read operations and one of write operations, "Test mode: 25 read
 * operations and 25 write operations". Off unless the emulator is given a limit (the option
 * `rateLimitPerSecond`, env STRIPE_EMULATOR_RATE_LIMIT): it is there to show how the portal
 * fares against Stripe's ceiling, e.g. at renewal time (`npm run load`).
 *
 * Beyond the budget of the current second a request answers `429` with code `rate_limit` and
 * `Stripe-Should-Retry: false`: Stripe's SDKs do not retry real rate limits, only lock timeouts
 * (stripe-node retries a 429 only when that header says `true`), so neither does the portal's.
 * GET counts as a read, POST and DELETE as writes; the emulator's own helpers
 * (`/v1/test_helpers/emulator/...`) count as nothing. With or without a limit, the operations
 * of every second are counted, so that a load test can report the peak.
 */
import {Router, type RequestHandler} from 'express';
import {StripeApiError} from './errors.js';
import type {EmulatorState} from './state.js';

export interface RateLimitStats {
  /** Reads and writes each per second; `null`: no limit. */
  limitPerSecond: number | null;
  /** The most operations answered (not limited) within one second. */
  peakOpsPerSecond: number;
  /** Requests answered `429 rate_limit`. */
  rateLimited: number;
}

export class SandboxRateLimiter {
  peakOpsPerSecond = 0;
  rateLimited = 0;
  #second = -1;
  #reads = 0;
  #writes = 0;

  constructor(public limitPerSecond: number | null) {}

  /** Counts an operation at `nowMs`; `false` when the second's budget of its kind is spent. */
  admit(kind: 'read' | 'write', nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#reads = 0;
      this.#writes = 0;
    }
    const used = kind === 'read' ? this.#reads : this.#writes;
    if (this.limitPerSecond !== null && used >= this.limitPerSecond) {
      this.rateLimited += 1;
      return false;
    }
    if (kind === 'read') this.#reads += 1;
    else this.#writes += 1;
    this.peakOpsPerSecond = Math.max(this.peakOpsPerSecond, this.#reads + this.#writes);
    return true;
  }

  /** Starts counting afresh (the limit stays). */
  resetStats(): void {
    this.peakOpsPerSecond = 0;
    this.rateLimited = 0;
  }

  stats(): RateLimitStats {
    return {
      limitPerSecond: this.limitPerSecond,
      peakOpsPerSecond: this.peakOpsPerSecond,
      rateLimited: this.rateLimited,
    };
  }
}

const HELPERS = '/v1/test_helpers/emulator/';

/** After authentication (limits are per account), before anything runs or is kept. */
export function sandboxRateLimit(state: EmulatorState): RequestHandler {
  return (req, _res, next) => {
    if (req.path.startsWith(HELPERS)) return next();
    const kind = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
    if (state.http.rateLimit.admit(kind, Date.now())) return next();
    throw new StripeApiError(
      429,
      {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message:
          'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      },
      false,
    );
  };
}

/**
 * `GET /v1/test_helpers/emulator/rate_limit`: the counts of `RateLimitStats` for callers in
 * another process (`npm run load`); `DELETE` starts them afresh.
 */
export function createRateLimitRoutes(state: EmulatorState): Router {
  const router = Router();
  const send: RequestHandler = (_req, res) => {
    const stats = state.http.rateLimit.stats();
    res.json({
      object: 'emulator_rate_limit',
      limit_per_second: stats.limitPerSecond,
      peak_ops_per_second: stats.peakOpsPerSecond,
      rate_limited: stats.rateLimited,
    });
  };
  router.get(`${HELPERS}rate_limit`, send);
  router.delete(`${HELPERS}rate_limit`, (req, res, next) => {
    state.http.rateLimit.resetStats();
    send(req, res, next);
  });
  return router;
}
