/**
 * Idempotent requests as Stripe keeps them (https://docs.stripe.com/api/idempotent_requests,
 * https://docs.stripe.com/error-low-level#idempotency). The `stripe` SDK puts a key on every
 * POST and sends the same key with each retry, so this is what makes a retried write happen once.
 *
 * - The first answer to a POST with an `Idempotency-Key` is kept once its endpoint has begun,
 *   success or failure, 500s included, and given again to every request with that key
 *   (`Idempotent-Replayed: true`). A kept 500 answers `Stripe-Should-Retry: false`: retrying
 *   would only replay it.
 * - A request refused before its endpoint began keeps nothing, so a retry with the key runs
 *   anew. For the emulator that is a 4xx that changed nothing (parameter validation, unknown
 *   ids); the injected faults act before this layer, the `drop-response` one after the work, so
 *   its answer is kept for the SDK's retry.
 * - The key used with other parameters, or on another endpoint (method and path), answers
 *   `400 idempotency_error`; while its first request still runs, `409 idempotency_key_in_use`.
 * - Keys are forgotten after 24 hours of the state's clock.
 */
import type {RequestHandler} from 'express';
import {StripeApiError} from './errors.js';
import type {EmulatorState} from './state.js';

export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface IdempotentRequest {
  method: string;
  /** Within the emulator app (`/v1/customers`), whatever it is mounted under. */
  path: string;
  /** The form parameters, with sorted keys. */
  params: string;
  /** The state's clock (ms) at the first use. */
  createdMs: number;
  /** The kept answer; absent while the first request runs. */
  response?: {status: number; body: unknown};
}

function canonical(params: unknown): string {
  return JSON.stringify(params ?? {}, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

function idempotencyError(message: string): StripeApiError {
  return new StripeApiError(400, {type: 'idempotency_error', message});
}

/** Forgets the keys older than their lifetime (the map holds them oldest first). */
function prune(state: EmulatorState, nowMs: number): void {
  for (const [key, entry] of state.idempotency) {
    if (nowMs - entry.createdMs < IDEMPOTENCY_KEY_LIFETIME_MS) return;
    state.idempotency.delete(key);
  }
}

export function idempotentRequests(state: EmulatorState): RequestHandler {
  return (req, res, next) => {
    const key = req.get('idempotency-key');
    // Stripe: keys on GET and DELETE have no effect.
    if (req.method !== 'POST' || !key) return next();
    const nowMs = state.nowMs();
    prune(state, nowMs);
    const params = canonical(req.body);
    const first = state.idempotency.get(key);
    if (first) {
      if (first.method !== req.method || first.path !== req.path) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${first.method} ${first.path}' vs '${req.method} ${req.path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (first.params !== params) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (!first.response) {
        throw new StripeApiError(409, {
          type: 'invalid_request_error',
          code: 'idempotency_key_in_use',
          message: `There is currently another in-progress request using this idempotent key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        });
      }
      res.setHeader('Idempotent-Replayed', 'true');
      if (first.response.status >= 500) res.setHeader('Stripe-Should-Retry', 'false');
      res.status(first.response.status).json(first.response.body);
      return;
    }

    const entry: IdempotentRequest = {method: req.method, path: req.path, params, createdMs: nowMs};
    state.idempotency.set(key, entry);
    const changesBefore = state.changes;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const began = status < 400 || status >= 500 || state.changes !== changesBefore;
      if (began) {
        entry.response = {status, body};
        if (status >= 500) res.setHeader('Stripe-Should-Retry', 'false');
      } else if (state.idempotency.get(key) === entry) {
        state.idempotency.delete(key);
      }
      return json(body);
    };
    next();
  };
}
