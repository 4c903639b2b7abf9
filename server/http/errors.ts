import type {ErrorRequestHandler, RequestHandler} from 'express';
import type {ApiErrorBody} from '../../common/contract.js';
import {BUDGET_REFUSAL_HEADER} from '../adapters/stripe-budget.js';
import {ApiError} from '../errors.js';
import type {Logger} from '../logger.js';
import {StoreUnavailableError} from '../store/store.js';

const STRIPE_UNAVAILABLE = new Set([
  'StripeConnectionError',
  'StripeAPIError',
  'StripeRateLimitError',
]);

/**
 * What the body parser (body-parser, raw-body) means by its error types, in our words: its own
 * messages quote what the client sent (a charset, an encoding, a parse position).
 */
const BODY_ERROR_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON',
  'charset.unsupported': 'Send the body in UTF-8',
  'encoding.unsupported': 'The Content-Encoding of the body is not supported',
  'request.aborted': 'The body ended before it was complete',
  'request.size.invalid': 'The body does not match its Content-Length',
};

/**
 * A mistake of the client's that the body parser, the router or the static files raised, as
 * the contract's 4xx: http-errors' errors (every one has a boolean `expose`; static files set it
 * `false` for a missing file) and the router's `URIError` for a path parameter that is not valid
 * percent-encoding. Stripe's errors carry a 4xx `statusCode` too, but no `expose`: a request of
 * ours that Stripe refuses is our fault, not the client's.
 */
function clientError(error: unknown): ApiError | null {
  const e = error as {status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown};
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (error instanceof URIError) {
    return new ApiError(400, 'invalid_request', 'A path segment is not valid percent-encoding');
  }
  if (typeof e.expose !== 'boolean') return null;
  const limit = (error as {limit?: unknown}).limit;
  const message = typeof e.type === 'string' ? BODY_ERROR_MESSAGES[e.type] : undefined;
  switch (status) {
    case 403:
      return new ApiError(403, 'forbidden', 'Not allowed');
    case 404:
      return new ApiError(404, 'not_found', 'Not found');
    case 413:
      return new ApiError(
        413,
        'payload_too_large',
        typeof limit === 'number'
          ? `The body is larger than ${limit} bytes`
          : 'The body is too large',
      );
    case 415:
      return new ApiError(415, 'unsupported_media_type', message ?? 'Unsupported body');
    default:
      return new ApiError(status, 'invalid_request', message ?? 'The request is malformed');
  }
}

/** Turns anything thrown into the contract's error body; never a stack, never a Stripe message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreUnavailableError) {
    return new ApiError(503, 'service_unavailable', 'The portal cannot work just now', {
      retryAfterSeconds: 5,
    });
  }
  const e = error as {type?: string; statusCode?: number; headers?: Record<string, unknown>};
  if (e.headers?.[BUDGET_REFUSAL_HEADER]) {
    // The portal's own Stripe budget is spent (renewal day): nothing was sent to Stripe.
    return new ApiError(503, 'service_unavailable', 'The portal is busy just now', {
      retryAfterSeconds: Number(e.headers['retry-after']) || 5,
    });
  }
  if (e.type && STRIPE_UNAVAILABLE.has(e.type)) {
    return new ApiError(503, 'stripe_unavailable', 'Stripe cannot be reached just now', {
      retryAfterSeconds: 5,
    });
  }
  if (e.type === 'StripeInvalidRequestError' && e.statusCode === 404) {
    return new ApiError(404, 'not_found', 'Not found');
  }
  return (
    clientError(error) ?? new ApiError(500, 'internal_error', 'Something went wrong on our side')
  );
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      log.error('request failed', {
        requestId: res.locals.requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    if (apiError.extra.retryAfterSeconds)
      res.set('Retry-After', String(apiError.extra.retryAfterSeconds));
    const body: ApiErrorBody = {error: {code: apiError.code, message: apiError.message}};
    if (apiError.extra.fields) body.error.fields = apiError.extra.fields;
    res.status(apiError.status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) =>
  next(new ApiError(404, 'not_found', 'No such endpoint'));
