import type {ErrorRequestHandler, RequestHandler} from 'express';
import type {ApiErrorBody} from '../contract.js';
import {ApiError} from '../errors.js';
import type {Logger} from '../logger.js';
import {StoreUnavailableError} from '../store/store.js';

const STRIPE_UNAVAILABLE = new Set([
  'StripeConnectionError',
  'StripeAPIError',
  'StripeRateLimitError',
]);

/** Turns anything thrown into the contract's error body; never a stack, never a Stripe message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreUnavailableError) {
    return new ApiError(503, 'service_unavailable', 'The portal cannot work just now', {
      retryAfterSeconds: 5,
    });
  }
  const e = error as {type?: string; statusCode?: number; status?: number};
  if (e.type && STRIPE_UNAVAILABLE.has(e.type)) {
    return new ApiError(503, 'stripe_unavailable', 'Stripe cannot be reached just now', {
      retryAfterSeconds: 5,
    });
  }
  if (e.type === 'StripeInvalidRequestError' && e.statusCode === 404) {
    return new ApiError(404, 'not_found', 'Not found');
  }
  if (e.type === 'entity.too.large' || e.status === 413) {
    return new ApiError(413, 'payload_too_large', 'The body is larger than 16 kB');
  }
  if (e.type === 'entity.parse.failed')
    return new ApiError(400, 'invalid_request', 'Malformed JSON');
  return new ApiError(500, 'internal_error', 'Something went wrong on our side');
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
