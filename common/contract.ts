/**
 * The HTTP contract between the portal server and its clients (the element, the CONROO app,
 * the tests). `../shared/design/api.md` is its prose; this module is its types. It lives in
 * common/, which both the server and the widget import and which imports neither.
 *
 * Money is in Stripe minor units with an ISO currency, times are Unix seconds.
 */

export type ErrorCode =
  | 'invalid_email'
  | 'invalid_request'
  | 'rate_limited'
  | 'link_invalid'
  | 'link_expired'
  | 'link_used'
  | 'not_authenticated'
  | 'forbidden'
  | 'not_found'
  | 'origin_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'validation_failed'
  | 'default_payment_method'
  /** Carrier access: only the Gate Pass owner (its e-mail is the customer's) may do this. */
  | 'owner_only'
  /** Carrier access: this address has access already. */
  | 'already_granted'
  /** Carrier access: the Gate Pass has as many carriers as it may have (`MAX_CARRIERS`). */
  | 'too_many_carriers'
  /** Carrier access: a Gate Pass cannot give access to its own owner's address. */
  | 'own_address'
  /**
   * No e-invoice for this invoice: it is not finalized (or void), or Stripe's data cannot decide
   * its tax case; the message says which (README, „E-invoices").
   */
  | 'e_invoice_unavailable'
  | 'setup_incomplete'
  | 'save_in_progress'
  /**
   * The save was accepted but Stripe did not confirm every step: it is kept and completed as
   * soon as Stripe answers (the next dashboard load shows it; `billingDetailsPending` till then).
   */
  | 'save_pending'
  | 'stripe_unavailable'
  /**
   * The server's shared state (Redis) is unreachable, or the portal's Stripe request budget is
   * spent (many drivers at once): nothing was done; try again after `Retry-After`.
   */
  | 'service_unavailable'
  | 'internal_error';

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /**
     * With `validation_failed` (and `invalid_request` from a body the API does not know): what is
     * wrong with each bad field, keyed by its dotted path (`address.postalCode`; `(body)` for the
     * body as a whole).
     */
    fields?: Record<string, FieldError>;
  };
}

/**
 * The params each field error code carries (`undefined`: none). A client shows its own text per
 * code; a code it does not know reads as `rejected`.
 */
export interface FieldErrorParams {
  /** Empty or missing. */
  required: undefined;
  /** Longer than Stripe takes. */
  too_long: {max: number};
  /** Holds line breaks or other control characters. */
  control_characters: undefined;
  /** Not a postal code of the address's country. */
  postal_code: {country: string};
  /** The country's addresses need a state or province. */
  region: {country: string};
  /** Other characters than digits, spaces and `+ ( ) / -`. */
  phone: undefined;
  /** Not an ISO 3166-1 alpha-2 country. */
  country: undefined;
  /** No tax ID Stripe accepts; `example` is Stripe's for the billing country, if it has one. */
  tax_id: {example: string | null};
  /** A valid tax ID, but not of the `taxId.type` sent. */
  tax_id_wrong_type: undefined;
  /** Stripe itself refused the tax ID (`tax_id_invalid`). */
  tax_id_refused: undefined;
  /** Stripe refused the value for another reason. */
  rejected: undefined;
  /** A key the contract does not know. */
  unknown_field: undefined;
  /** The wrong JSON type or not one of the allowed values: a client's mistake. */
  invalid: undefined;
}

export type FieldErrorCode = keyof FieldErrorParams;

/** Every field error code, in the order of `FieldErrorParams`. */
export const FIELD_ERROR_CODES = [
  'required',
  'too_long',
  'control_characters',
  'postal_code',
  'region',
  'phone',
  'country',
  'tax_id',
  'tax_id_wrong_type',
  'tax_id_refused',
  'rejected',
  'unknown_field',
  'invalid',
] as const satisfies readonly FieldErrorCode[];

// Every code of the params table is in the list, and the list holds nothing else.
true satisfies FieldErrorCode extends (typeof FIELD_ERROR_CODES)[number] ? true : never;

/** What is wrong with one field: a code and, for some codes, its params. */
export type FieldProblem = {
  [C in FieldErrorCode]: FieldErrorParams[C] extends undefined
    ? {code: C}
    : {code: C; params: FieldErrorParams[C]};
}[FieldErrorCode];

/** A field's entry in `error.fields`: `message` is English for developers, never shown to users. */
export type FieldError = FieldProblem & {message: string};

// ---- Auth and session -------------------------------------------------------------------

export interface EmailLinkRequest {
  email: string;
  /** BCP 47 tag of the language the mail is written in (`pl`, `pl-PL`, …); German when absent or when the portal does not speak it. */
  locale?: string;
}

export interface EmailLinkResponse {
  status: 'sent';
}

export interface SessionExchangeRequest {
  token: string;
}

export type SubscriptionStatus =
  | 'active'
  | 'trialing'
  | 'past_due'
  | 'unpaid'
  | 'canceled'
  | 'incomplete'
  | 'incomplete_expired'
  | 'paused';

/** How a session holds an account: it is the owner's, or a carrier was given access to it. */
export type AccountAccess = 'owner' | 'carrier';

export interface AccountSummary {
  customerId: string;
  /** The Gate Pass holder's own name (as `FleetDriver.name`). */
  name: string | null;
  email: string | null;
  /** Status of the customer's latest Gate Pass, `null` without one. */
  subscriptionStatus: SubscriptionStatus | null;
  /** `carrier`: held through carrier access (the owner's e-mail is another). */
  access: AccountAccess;
}

export interface SessionInfo {
  email: string;
  accounts: AccountSummary[];
  activeCustomerId: string;
  /** When the session ends if the user stays idle (Unix seconds); activity slides it, up to 8 h. */
  expiresAt: number;
}

export interface SwitchAccountRequest {
  customerId: string;
}

// ---- Account ------------------------------------------------------------------------------

export interface Address {
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
}

export interface Shipping {
  name: string | null;
  phone: string | null;
  address: Address | null;
}

export type TaxIdVerificationStatus = 'pending' | 'verified' | 'unverified' | 'unavailable';

export interface TaxId {
  id: string;
  /** Stripe's tax ID type, e.g. `eu_vat`, `de_stn`. */
  type: string;
  value: string;
  verification: {status: TaxIdVerificationStatus; verifiedName: string | null} | null;
}

export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Address | null;
  shipping: Shipping | null;
  taxIds: TaxId[];
  /**
   * „Ihre Referenz": the buyer's reference (an order number, a Leitweg-ID), printed on every
   * invoice from the next one (the customer's invoice custom field `Ihre Referenz`) and given
   * as the e-invoice's buyer reference (BT-10). `null`: none.
   */
  reference: string | null;
}

/** The longest „Ihre Referenz" Stripe keeps (an invoice custom field's value). */
export const MAX_REFERENCE_LENGTH = 140;

export interface Subscription {
  id: string;
  status: SubscriptionStatus;
  /** Product name, e.g. „Gate Pass". */
  planName: string;
  /** Price per interval in minor units. */
  amount: number;
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  intervalCount: number;
  currentPeriodStart: number;
  currentPeriodEnd: number;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
}

export interface Card {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface PaymentMethod {
  id: string;
  /** `card` or `paypal` today; any other Stripe type may come. */
  type: string;
  card?: Card;
  paypal?: {email: string | null};
  isDefault: boolean;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

export interface Invoice {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  total: number;
  currency: string;
  created: number;
  periodStart: number;
  periodEnd: number;
  dueDate: number | null;
  /** The name the invoice was issued to, as Stripe copied it when finalizing. */
  customerName: string | null;
  /** Stripe's hosted invoice page, only for invoices that can still be paid. */
  payUrl?: string;
}

export interface UpcomingInvoice {
  /** When it will be issued (the renewal date). */
  date: number;
  total: number;
  currency: string;
}

export interface AccountResponse {
  customer: Customer;
  subscription: Subscription | null;
  defaultPaymentMethod: PaymentMethod | null;
  upcomingInvoice: UpcomingInvoice | null;
  recentInvoices: Invoice[];
  /** Present while an accepted save of the billing details waits for Stripe (`save_pending`). */
  billingDetailsPending?: true;
}

// ---- Payment methods ----------------------------------------------------------------------

export interface PaymentMethodsResponse {
  paymentMethods: PaymentMethod[];
}

export interface SetupIntentResponse {
  clientSecret: string;
  /** For Stripe.js (`STRIPE_PUBLISHABLE_KEY`). */
  publishableKey: string;
  /**
   * `null` in production: the element loads Stripe.js through `@stripe/stripe-js`. The URL of a
   * Stripe.js stand-in when the server is configured with one (`STRIPE_JS_URL`, the demo's
   * emulator); the element loads it only from its own `api-base` origin.
   */
  stripeJsUrl: string | null;
}

export interface CompleteSetupRequest {
  setupIntentId: string;
}

export interface PaymentMethodResponse {
  paymentMethod: PaymentMethod;
}

// ---- Invoices -----------------------------------------------------------------------------

export interface InvoicesResponse {
  invoices: Invoice[];
  hasMore: boolean;
}

// ---- Billing and shipping -----------------------------------------------------------------

export interface AddressInput {
  line1: string;
  line2?: string | null;
  postalCode: string;
  city: string;
  state?: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface BillingDetailsRequest {
  /** The full legal name of the company (or the driver's name): printed on the next invoice. */
  name: string;
  phone?: string | null;
  address: AddressInput;
  /** `null`: no separate shipping address (the billing address is used). */
  shipping: {name: string; phone?: string | null; address: AddressInput} | null;
  /** `null` removes the tax ID. The type follows from the prefix or the country when omitted. */
  taxId: {type?: 'eu_vat' | 'gb_vat' | 'ch_vat' | 'no_vat' | 'de_stn'; value: string} | null;
  /**
   * „Ihre Referenz" (at most MAX_REFERENCE_LENGTH characters, trimmed). Omitted: unchanged;
   * `null` or blank: removed.
   */
  reference?: string | null;
}

/** A save is all or nothing: this answer means Stripe holds every part of it. */
export interface BillingDetailsResponse {
  customer: Customer;
}

// ---- Carrier access („Spedition") ---------------------------------------------------------

/** How many carriers one Gate Pass may give access to at once. */
export const MAX_CARRIERS = 3;

export interface CarrierGrant {
  /** The carrier's address (normalized). */
  email: string;
  /** When the owner gave the access (Unix seconds). */
  grantedAt: number;
}

export interface CarrierAccessResponse {
  carriers: CarrierGrant[];
}

export interface GrantCarrierRequest {
  email: string;
  /**
   * BCP 47 tag of the language the carrier's mail is written in (the element's); else the Gate
   * Pass owner's `preferred_locales[0]`, else German.
   */
  locale?: string;
}

export interface FleetDriver {
  customerId: string;
  /**
   * The driver's own name: kept in the customer's metadata (`conroo_driver_name`) once the
   * invoice name became a company's, else the customer's name.
   */
  name: string | null;
  email: string | null;
  access: AccountAccess;
  subscription: {
    status: SubscriptionStatus;
    currentPeriodEnd: number;
    amount: number;
    currency: string;
  } | null;
  defaultPaymentMethod: PaymentMethod | null;
  /** The name the next invoice is issued to (the customer's name). */
  billingName: string | null;
  taxIds: TaxId[];
  /** An invoice of this customer is open (unpaid and due or overdue). */
  openInvoice: boolean;
}

export interface FleetResponse {
  drivers: FleetDriver[];
}

/** How many accounts one `PUT /api/fleet/billing-details` may name; a client sends more in turns. */
export const MAX_FLEET_BILLING_IDS = 500;

export interface FleetBillingDetailsRequest {
  /** Each at most once, 1 to `MAX_FLEET_BILLING_IDS` of them. */
  customerIds: string[];
  details: BillingDetailsRequest;
}

export interface FleetBillingResult {
  customerId: string;
  status: 'saved' | 'failed';
  /** Why a row failed: `not_found`, `validation_failed` (with `fields`), `save_pending`, … */
  error?: ApiErrorBody['error'];
}

export interface FleetBillingDetailsResponse {
  results: FleetBillingResult[];
}
