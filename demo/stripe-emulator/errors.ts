/**
 * Stripe-shaped errors. The `stripe` SDK picks its error class from the HTTP status
 * (400/404 -> StripeInvalidRequestError, or StripeIdempotencyError for type
 * `idempotency_error`; 401 -> StripeAuthenticationError, 402 -> StripeCardError,
 * 429 -> StripeRateLimitError, 5xx -> StripeAPIError) and copies `type`, `code`, `param`,
 * `message` from the body, so both must be right.
 *
 * Throw sites say what went wrong (type, code, message, param); the error handler adds what
 * Stripe derives from that (https://docs.stripe.com/api/errors): `doc_url` for every error
 * with a code, and `request_log_url`, the request's entry in the Dashboard's logs, for every
 * error.
 */
import type {ErrorRequestHandler, RequestHandler, Response} from 'express';
import type {EmulatorState} from './state.js';

export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
  /** The intent a failed confirmation left behind, as Stripe includes it. */
  setup_intent?: unknown;
  payment_method?: unknown;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /**
     * `Stripe-Should-Retry`, which the SDK obeys before its own rules (it retries 409 and 5xx
     * by itself, a 429 only when told to).
     */
    readonly shouldRetry?: boolean,
  ) {
    super(body.message);
  }
}

/** Stripe's page about an error code: `https://stripe.com/docs/error-codes/resource-missing`. */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

/** Object names as Stripe writes them in "No such ..." messages, keyed by id prefix. */
const objectNames: Record<string, string> = {
  cus: 'customer',
  pm: 'PaymentMethod',
  sub: 'subscription',
  in: 'invoice',
  txi: 'tax_id',
  txr: 'tax_rate',
  price: 'price',
  prod: 'product',
  seti: 'setupintent',
  clock: 'test_clock',
};

export function objectNameForId(id: string): string {
  return objectNames[id.split('_')[0] ?? ''] ?? 'object';
}

/** `No such customer: 'cus_x'` with code `resource_missing`, 404 unless said otherwise. */
export function resourceMissing(id: string, param = 'id', status = 404): StripeApiError {
  return new StripeApiError(status, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectNameForId(id)}: '${id}'`,
    param,
  });
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(param === undefined ? {} : {param}),
    ...(code === undefined ? {} : {code}),
  });
}

/** Stripe answers 401 with type `invalid_request_error`; the SDK maps the status to StripeAuthenticationError. */
export function authenticationError(message: string, code?: string): StripeApiError {
  return new StripeApiError(401, {
    type: 'invalid_request_error',
    message,
    ...(code === undefined ? {} : {code}),
  });
}

/**
 * An injected failure. Its 429 is Stripe's object lock timeout, the 429 that Stripe asks clients
 * to retry (https://docs.stripe.com/rate-limits#object-lock-timeouts); the sandbox rate limit,
 * which they must not retry, is `rate-limit.ts`.
 */
export function apiError(status = 500): StripeApiError {
  if (status === 429) {
    return new StripeApiError(
      429,
      {
        type: 'invalid_request_error',
        code: 'lock_timeout',
        message:
          'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
      },
      true,
    );
  }
  return new StripeApiError(status, {
    type: 'api_error',
    message: 'An unknown error occurred (injected by the Stripe emulator).',
  });
}

export const unknownRoute: RequestHandler = (req) => {
  throw new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${req.method}: ${req.baseUrl}${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
};

/** Answers `{error: body}` with the links Stripe adds to every error. */
export function sendStripeError(
  state: EmulatorState,
  res: Response,
  status: number,
  body: StripeErrorBody,
): void {
  let requestId = res.getHeader('Request-Id');
  if (typeof requestId !== 'string') {
    requestId = state.newId('req');
    res.setHeader('Request-Id', requestId);
  }
  res.status(status).json({
    error: {
      ...body,
      ...(body.code ? {doc_url: docUrl(body.code)} : {}),
      request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}?t=${state.now()}`,
    },
  });
}

export function stripeErrorHandler(state: EmulatorState): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof StripeApiError) {
      if (err.shouldRetry !== undefined) {
        res.setHeader('Stripe-Should-Retry', String(err.shouldRetry));
      }
      sendStripeError(state, res, err.status, err.body);
      return;
    }
    // Body parser failures (malformed form data, too large) are the client's fault.
    const status = (err as {status?: number})?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendStripeError(state, res, 400, {
        type: 'invalid_request_error',
        message: `Invalid request: ${String(err)}`,
      });
      return;
    }
    console.error('[stripe-emulator] internal error', err);
    sendStripeError(state, res, 500, {
      type: 'api_error',
      message: `Emulator failure: ${String(err)}`,
    });
  };
}
