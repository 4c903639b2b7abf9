import type {ErrorCode, FieldError} from '../common/contract.js';

/** The one error type of the server: an HTTP status, a stable code for clients, a developer message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      fields?: Record<string, FieldError>;
      retryAfterSeconds?: number;
      /** What Stripe (or the store) answered, for callers that act on it; never sent. */
      cause?: unknown;
    } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : {cause: extra.cause});
    this.name = 'ApiError';
  }
}

export const notFound = (what = 'Not found') => new ApiError(404, 'not_found', what);
