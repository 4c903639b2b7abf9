import type {
  AccountResponse,
  ApiErrorBody,
  BillingDetailsRequest,
  BillingDetailsResponse,
  EmailLinkResponse,
  ErrorCode,
  InvoicesResponse,
  PaymentMethodResponse,
  PaymentMethodsResponse,
  SessionInfo,
  SetupIntentResponse,
} from '../../common/contract.js';

/** Codes the client adds for failures that never reached a well-formed server answer. */
export type ClientErrorCode = 'network_error' | 'unexpected_response';

/** A failed API call: the server's error code, or a client-side one when there was no answer. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** Seconds from a `Retry-After` header, when the server sent one. */
    readonly retryAfter: number | null = null,
    /** With `validation_failed`: a field error code (and params) per bad field, by dotted path. */
    readonly fields: NonNullable<ApiErrorBody['error']['fields']> = {},
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Whether the call presumes a session: a `401 not_authenticated` then means the session
   * ended while the user was working, and `onSessionExpired` is told.
   */
  needsSession?: boolean;
}

export interface PortalApiClientOptions {
  /** Origin (and optional path prefix) of the portal server; `''` for the page's own origin. */
  baseUrl: string;
  /** Called once per request that found the session gone (`401 not_authenticated`). */
  onSessionExpired?: () => void;
  /**
   * Called when a request that presumes a session is answered `404 not_found`: the session's
   * active Gate Pass may be gone from it (a carrier's access ended).
   */
  onNotFound?: () => void;
}

/**
 * The portal server's HTTP API as the element uses it. Every call sends the session cookie
 * (`credentials: 'include'`, so it also works cross-origin), speaks JSON and takes an
 * `AbortSignal`.
 */
export class PortalApiClient {
  readonly baseUrl: string;
  private readonly onSessionExpired: () => void;
  private readonly onNotFound: () => void;
  private readonly sessionEndListeners = new Set<() => void>();

  constructor({baseUrl, onSessionExpired, onNotFound}: PortalApiClientOptions) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.onSessionExpired = onSessionExpired ?? (() => {});
    this.onNotFound = onNotFound ?? (() => {});
  }

  requestEmailLink(email: string, locale: string, signal?: AbortSignal) {
    return this.request<EmailLinkResponse>('/api/auth/email-link', {
      method: 'POST',
      body: {email, locale},
      signal,
    });
  }

  exchangeLinkToken(token: string, signal?: AbortSignal) {
    return this.request<SessionInfo>('/api/auth/session', {
      method: 'POST',
      body: {token},
      signal,
    });
  }

  getSession(signal?: AbortSignal) {
    return this.request<SessionInfo>('/api/session', {signal});
  }

  /** Makes another of the session's accounts the active one; answers the updated session. */
  switchAccount(customerId: string, signal?: AbortSignal) {
    return this.request<SessionInfo>('/api/session/account', {
      method: 'POST',
      body: {customerId},
      signal,
      needsSession: true,
    });
  }

  logout(signal?: AbortSignal) {
    return this.request<void>('/api/session', {method: 'DELETE', signal});
  }

  getAccount(signal?: AbortSignal) {
    return this.request<AccountResponse>('/api/account', {signal, needsSession: true});
  }

  getPaymentMethods(signal?: AbortSignal) {
    return this.request<PaymentMethodsResponse>('/api/payment-methods', {
      signal,
      needsSession: true,
    });
  }

  /** Starts adding a payment method: a SetupIntent for the active account. */
  createSetupIntent(signal?: AbortSignal) {
    return this.request<SetupIntentResponse>('/api/payment-methods/setup-intents', {
      method: 'POST',
      body: {},
      signal,
      needsSession: true,
    });
  }

  /** Makes the method of a succeeded SetupIntent the default of the account and its Gate Pass. */
  completeSetup(setupIntentId: string, signal?: AbortSignal) {
    return this.request<PaymentMethodResponse>('/api/payment-methods/setup-intents/complete', {
      method: 'POST',
      body: {setupIntentId},
      signal,
      needsSession: true,
    });
  }

  setDefaultPaymentMethod(paymentMethodId: string, signal?: AbortSignal) {
    return this.request<PaymentMethodResponse>(
      `/api/payment-methods/${encodeURIComponent(paymentMethodId)}/default`,
      {method: 'POST', body: {}, signal, needsSession: true},
    );
  }

  removePaymentMethod(paymentMethodId: string, signal?: AbortSignal) {
    return this.request<void>(`/api/payment-methods/${encodeURIComponent(paymentMethodId)}`, {
      method: 'DELETE',
      signal,
      needsSession: true,
    });
  }

  /** „Informationen aktualisieren": name, addresses and tax ID of the active account at once. */
  updateBillingDetails(details: BillingDetailsRequest, signal?: AbortSignal) {
    return this.request<BillingDetailsResponse>('/api/billing-details', {
      method: 'PUT',
      body: details,
      signal,
      needsSession: true,
    });
  }

  /**
   * Tells `listener` when a request finds the session gone, before `onSessionExpired` runs and
   * the portal leaves the dashboard: a section can still keep what the user typed. Returns the
   * function that unsubscribes.
   */
  addSessionEndListener(listener: () => void): () => void {
    this.sessionEndListeners.add(listener);
    return () => this.sessionEndListeners.delete(listener);
  }

  getInvoices(
    {limit, startingAfter}: {limit: number; startingAfter?: string},
    signal?: AbortSignal,
  ) {
    const query = new URLSearchParams({limit: String(limit)});
    if (startingAfter) {
      query.set('startingAfter', startingAfter);
    }
    return this.request<InvoicesResponse>(`/api/invoices?${query}`, {
      signal,
      needsSession: true,
    });
  }

  /** Where one invoice's PDF is downloaded (`CONROO-Rechnung-<number>.pdf`); for links. */
  invoicePdfUrl(invoiceId: string): string {
    return `${this.baseUrl}/api/invoices/${encodeURIComponent(invoiceId)}/pdf`;
  }

  /** Where a year's invoices are downloaded as one ZIP with PDFs and a CSV; for links. */
  invoiceExportUrl(year: number): string {
    return `${this.baseUrl}/api/invoices/export?${new URLSearchParams({year: String(year)})}`;
  }

  /**
   * Fetches a file of the session's account (an invoice PDF, a year's ZIP) in full. `filename`
   * comes from `Content-Disposition` (exposed by CORS), `null` when the server sent none.
   */
  async downloadFile(
    url: string,
    signal?: AbortSignal,
  ): Promise<{blob: Blob; filename: string | null}> {
    const response = await this.send(url, {signal, needsSession: true, accept: '*/*'});
    try {
      const blob = await response.blob();
      return {blob, filename: filenameOf(response.headers.get('Content-Disposition'))};
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      // The server streams; a connection lost halfway ends here.
      throw new ApiError(0, 'network_error', 'The download broke off.');
    }
  }

  /**
   * One JSON call of the API (`path` below `baseUrl`). The calls of parts that load on demand
   * (the fleet, „Spedition": api/fleet-api.ts, api/carrier-access-api.ts) are made through it,
   * so that this client, which loads with the login form, carries only what shows first.
   */
  async request<T>(path: string, options: RequestOptions): Promise<T> {
    const response = await this.send(`${this.baseUrl}${path}`, options);
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Sends a request with the session cookie; answers a successful response, throws an ApiError. */
  private async send(
    url: string,
    {
      method = 'GET',
      body,
      signal,
      needsSession = false,
      accept = 'application/json',
    }: RequestOptions & {accept?: string},
  ): Promise<Response> {
    const headers: Record<string, string> = {Accept: accept};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'include',
        signal,
      });
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      throw new ApiError(0, 'network_error', 'The portal server could not be reached.');
    }

    if (response.ok) {
      return response;
    }

    const error = await toApiError(response);
    if (needsSession && error.code === 'not_authenticated') {
      for (const listener of [...this.sessionEndListeners]) {
        listener();
      }
      this.onSessionExpired();
    }
    if (needsSession && error.code === 'not_found') {
      this.onNotFound();
    }
    throw error;
  }
}

/** The file name of `Content-Disposition: attachment; filename="…"` (or `filename*=UTF-8''…`). */
export function filenameOf(header: string | null): string | null {
  if (!header) {
    return null;
  }
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // Not valid percent-encoding: try the plain parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  const name = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2]) : null;
  return name?.trim() || null;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: Partial<ApiErrorBody> | null = null;
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    // A proxy's HTML error page or an empty body: fall through to a status-based code.
  }
  const code =
    body?.error?.code ??
    (response.status === 401
      ? 'not_authenticated'
      : response.status === 429
        ? 'rate_limited'
        : // A proxy's or load balancer's 503 page: the service is down, as with the server's own.
          response.status === 503
          ? 'service_unavailable'
          : 'unexpected_response');
  return new ApiError(
    response.status,
    code,
    body?.error?.message ?? `HTTP ${response.status}`,
    retryAfter,
    body?.error?.fields ?? {},
  );
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | null {
  if (!header) {
    return null;
  }
  const seconds = Number(header);
  if (Number.isFinite(seconds)) {
    return Math.max(0, Math.ceil(seconds));
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Whether the server (or Stripe behind it) is down for a moment: `503 service_unavailable`
 * (e.g. its store is unreachable) or `503 stripe_unavailable`. Trying again later may work, and
 * nothing was changed.
 */
export function isServiceUnavailable(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.code === 'service_unavailable' || error.code === 'stripe_unavailable')
  );
}

/** Whether trying the same request again may work: the service is down, or the connection. */
export function mayWorkLater(error: unknown): boolean {
  return (
    isServiceUnavailable(error) || (error instanceof ApiError && error.code === 'network_error')
  );
}

/** A 401 has already taken the portal back to the login form: nothing more to say about it. */
export function sessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'not_authenticated';
}
