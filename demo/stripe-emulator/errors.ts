/**
 * Stripe-shaped errors. The `stripe` SDK picks its error class from the HTTP status
 * (400/404 -> StripeInvalidRequestError, 401 -> StripeAuthenticationError,
 * 402 -> StripeCardError, 429 -> StripeRateLimitError, 5xx -> StripeAPIError) and copies
 * `type`, `code`, `param`, `message` from the body, so both must be right.
 */
import type {ErrorRequestHandler, RequestHandler} from 'express';

export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  /** The intent a failed confirmation left behind, as Stripe includes it. */
  setup_intent?: unknown;
  payment_method?: unknown;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
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
    doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
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

export function cardError(message: string, code: string, declineCode?: string): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code,
    message,
    ...(declineCode === undefined ? {} : {decline_code: declineCode}),
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

export function apiError(status = 500): StripeApiError {
  if (status === 429) {
    return new StripeApiError(429, {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    });
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

export const stripeErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof StripeApiError) {
    if (err.status === 429) res.setHeader('Stripe-Should-Retry', 'true');
    res.status(err.status).json({error: err.body});
    return;
  }
  // Body parser failures (malformed form data, too large) are the client's fault.
  const status = (err as {status?: number})?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(400).json({
      error: {type: 'invalid_request_error', message: `Invalid request: ${String(err)}`},
    });
    return;
  }
  console.error('[stripe-emulator] internal error', err);
  res.status(500).json({error: {type: 'api_error', message: `Emulator failure: ${String(err)}`}});
};
