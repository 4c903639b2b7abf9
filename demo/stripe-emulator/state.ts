/**
 * The emulator's in-memory Stripe account: one `EmulatorState` per emulator, nothing global,
 * so every test can start its own. Objects are stored in their unexpanded wire shape
 * (expandable fields hold ids); `expand.ts` resolves ids by prefix when a request asks.
 */
import {randomBytes} from 'node:crypto';
import type Stripe from 'stripe';
import type {IdempotentRequest} from './idempotency.js';
import {clockOf} from './objects.js';
import {SandboxRateLimiter} from './rate-limit.js';
import {CustomerSearchIndex, MAX_SEARCH_LAG_MS} from './search-index.js';
import {settledVerification} from './tax-ids.js';

/** The emulator's Stripe account, as its invoice links name it (`acct_1…` on Stripe). */
export const EMULATOR_ACCOUNT_ID = 'acct_demo';

export type IdPrefix =
  | 'cus'
  | 'pm'
  | 'sub'
  | 'si'
  | 'in'
  | 'inpay'
  | 'pi'
  | 'il'
  | 'txi'
  | 'txr'
  | 'price'
  | 'prod'
  | 'seti'
  | 'req'
  | 'evt'
  | 'clock';

export type StoredObject =
  | Stripe.Customer
  | Stripe.DeletedCustomer
  | Stripe.PaymentMethod
  | Stripe.Subscription
  | Stripe.Invoice
  | Stripe.InvoicePayment
  | Stripe.PaymentIntent
  | Stripe.TaxId
  | Stripe.TaxRate
  | Stripe.Price
  | Stripe.Product
  | Stripe.SetupIntent
  | Stripe.TestHelpers.TestClock;

/**
 * A SetupIntent waiting for the customer: on the emulator's redirect page (PayPal approval, or a
 * 3-D Secure challenge confirmed without Stripe.js), or in Stripe.js' challenge modal.
 */
export interface SetupIntentRedirect {
  kind: 'three_d_secure' | 'paypal';
  /** Where the redirect page sends the browser back to; `null` for Stripe.js' modal. */
  returnUrl: string | null;
  /** The 3-D Secure source Stripe.js completes the modal's challenge with (`use_stripe_sdk`). */
  source?: string;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random bytes drawn 4 kB at a time: one `randomBytes` call per token made seeding slow. */
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomToken(length: number): string {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(Math.max(4096, length));
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/**
 * Told of every change of a stored object (`after` undefined: removed). `webhooks.ts` turns
 * changes into Stripe events.
 */
export type ChangeListener = (
  before: StoredObject | undefined,
  after: StoredObject | undefined,
) => void;

/** One request as the emulator saw it, for counting sequential rounds (`bench`). */
export interface TracedRequest {
  method: string;
  path: string;
  /** `performance.now()` when it arrived and when its answer was sent. */
  start: number;
  end: number;
}

/**
 * A fault the next requests answer with instead of their real response; 429 is a lock timeout
 * (`apiError`), which the SDK retries.
 */
export type InjectedFault = 429 | 500 | 503;

/**
 * What an endpoint does instead of answering: a Stripe error status; `'timeout'` (never
 * answers: the client's timeout ends it); `'drop'` (closes the connection before doing
 * anything); `'drop-response'` (does the work, then closes the connection instead of
 * answering: a retry must not apply it twice, which Stripe's idempotency keys ensure).
 */
export type FaultKind = InjectedFault | 'timeout' | 'drop' | 'drop-response';

/** A fault for the requests matching `method` (any when absent) and `path`. */
export interface FaultRule {
  method?: string;
  /** A RegExp tested against the path (`/v1/...`), or a string the path starts with. */
  path: RegExp | string;
  fault: FaultKind;
  /** How many matching requests get the fault (default: all until cleared). */
  times?: number;
}

/**
 * Requests matching `method` (any when absent) and `path` wait, before anything else happens
 * to them, for the promise `wait` returns (`StripeEmulator.hold`).
 */
export interface HoldRule {
  method?: string;
  path: RegExp | string;
  times?: number;
  wait: () => Promise<void>;
}

/** Takes one use of the first rule matching the request, if any. */
export function takeRule<Rule extends Omit<FaultRule, 'fault'>>(
  rules: Rule[],
  method: string,
  path: string,
): Rule | null {
  const index = rules.findIndex(
    (rule) =>
      (!rule.method || rule.method.toUpperCase() === method) &&
      (typeof rule.path === 'string' ? path.startsWith(rule.path) : rule.path.test(path)),
  );
  if (index < 0) return null;
  const rule = rules[index];
  if (rule.times !== undefined) {
    rule.times -= 1;
    if (rule.times <= 0) rules.splice(index, 1);
  }
  return rule;
}

export const takeFault = (rules: FaultRule[], method: string, path: string): FaultKind | null =>
  takeRule(rules, method, path)?.fault ?? null;

export interface EmulatorStateOptions {
  /**
   * How long new `eu_vat` / `gb_vat` tax IDs stay `pending` before they settle (`tax-ids.ts`;
   * default 1500 ms; 0 settles them on the next read).
   */
  taxIdVerificationDelayMs?: number;
  /**
   * Stripe's sandbox rate limit: this many reads and this many writes per second, beyond them
   * `429 rate_limit` (`rate-limit.ts`; Stripe's sandbox has 25). Default: no limit.
   */
  rateLimitPerSecond?: number;
  /**
   * How far customer search lags behind the customers (`search-index.ts`): a search sees each
   * customer as it was this many milliseconds ago. Default 0 (instant); at most an hour.
   */
  searchLagMs?: number;
}

/** `searchLagMs` checked: a whole number of milliseconds from 0 to an hour. */
export function checkSearchLagMs(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SEARCH_LAG_MS) {
    throw new RangeError(`searchLagMs must be a whole number from 0 to ${MAX_SEARCH_LAG_MS}`);
  }
  return ms;
}

/** Stripe's registry check of a new VAT ID takes a moment; this is the emulator's moment. */
export const DEFAULT_TAX_ID_VERIFICATION_DELAY_MS = 1500;

export class EmulatorState {
  readonly customers = new Map<string, Stripe.Customer | Stripe.DeletedCustomer>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  /** How each paid invoice was paid (`payments.ts`), and the PaymentIntents that paid them. */
  readonly invoicePayments = new Map<string, Stripe.InvoicePayment>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly taxIds = new Map<string, Stripe.TaxId>();
  readonly taxRates = new Map<string, Stripe.TaxRate>();
  readonly prices = new Map<string, Stripe.Price>();
  readonly products = new Map<string, Stripe.Product>();
  readonly setupIntents = new Map<string, Stripe.SetupIntent>();
  readonly testClocks = new Map<string, Stripe.TestHelpers.TestClock>();
  /** Redirects of SetupIntents confirmed with `requires_action`, kept after they end so a re-POST is answered. */
  readonly setupIntentRedirects = new Map<string, SetupIntentRedirect>();
  /**
   * Public base URL of the emulator app (`https://portal.example/dev/stripe`), used for the
   * redirect pages' URLs; without it, the confirming request's own base URL is used.
   */
  publicBaseUrl: string | undefined;
  /** The secret part of each finalized invoice's `invoice_pdf` link, by invoice id. */
  readonly invoicePdfTokens = new Map<string, string>();
  /**
   * The next this many SetupIntents that would succeed stay `processing` instead, as a
   * bank-backed method can for days, until `settleProcessingSetupIntents`. An emulator
   * control for tests of the portal's "still being checked" path, not a Stripe test value.
   */
  holdSetupsInProcessing = 0;
  /** Payment methods detached from a customer: Stripe refuses to attach them again. */
  readonly consumedPaymentMethods = new Set<string>();
  /** Decline code of cards whose charges fail (Stripe's `pm_card_chargeCustomerFail` and kin). */
  readonly cardDeclines = new Map<string, string>();
  /** POSTs by `Idempotency-Key`, oldest first (`idempotency.ts`). */
  readonly idempotency = new Map<string, IdempotentRequest>();
  /** Counts every change of a stored object: whether a request changed anything. */
  changes = 0;
  /** HTTP-level counters and controls, shared by every app serving this state. */
  readonly http = {
    requests: 0,
    pendingFaults: [] as InjectedFault[],
    /** Per-endpoint faults (`injectFault`), checked after `pendingFaults`. */
    faultRules: [] as FaultRule[],
    /** Requests held until a test lets them go (`hold`), before faults and latency. */
    holds: [] as HoldRule[],
    /** Added before each answer unless the app was given its own `latencyMs`; may change at any time. */
    latencyMs: 0,
    /** When an array, every request is appended to it once answered. */
    trace: null as TracedRequest[] | null,
    /** When an array, every request's method and path is appended to it as it arrives. */
    arrivals: null as Array<{method: string; path: string}> | null,
    /** Counts operations per second, and limits them when given a limit. */
    rateLimit: new SandboxRateLimiter(null),
  };
  /** Set by the webhook sender while an endpoint is configured; nothing is recorded otherwise. */
  onChange: ChangeListener | null = null;
  /** Resolves when the events recorded so far have been delivered (set by the webhook sender). */
  webhooksIdle: () => Promise<void> = async () => {};
  /** Seconds added to the wall clock, for test-clock style jumps. */
  clockOffset = 0;
  /** See {@link EmulatorStateOptions.taxIdVerificationDelayMs}; may be changed at any time. */
  taxIdVerificationDelayMs: number;
  /**
   * See {@link EmulatorStateOptions.searchLagMs}; may be changed at any time (values from
   * {@link checkSearchLagMs}).
   */
  searchLagMs: number;
  /** Every customer's recent versions, for search with a lag. */
  readonly searchIndex = new CustomerSearchIndex();

  private sequence = 0;
  private readonly insertionOrder = new Map<string, number>();
  private readonly invoiceCounters = new Map<number, number>();
  /** Tax IDs whose verification is `pending`, with the state's clock (ms) when they were created. */
  private readonly pendingVerifications = new Map<string, number>();

  constructor(opts: EmulatorStateOptions = {}) {
    this.taxIdVerificationDelayMs =
      opts.taxIdVerificationDelayMs ?? DEFAULT_TAX_ID_VERIFICATION_DELAY_MS;
    this.http.rateLimit.limitPerSecond = opts.rateLimitPerSecond ?? null;
    this.searchLagMs = checkSearchLagMs(opts.searchLagMs ?? 0);
  }

  /** Current time in Unix seconds. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Current time in Unix milliseconds (wall clock plus `clockOffset`). */
  nowMs(): number {
    return Date.now() + this.clockOffset * 1000;
  }

  /**
   * The time of a customer's world: its test clock's `frozen_time` when it is on one (objects
   * of such a customer are created then, https://docs.stripe.com/billing/testing/test-clocks),
   * else {@link now}.
   */
  nowFor(customerId: string | null | undefined): number {
    const clockId = customerId ? clockOf(this.liveCustomer(customerId)) : null;
    const frozen = clockId ? this.testClocks.get(clockId)?.frozen_time : undefined;
    return frozen ?? this.now();
  }

  /** Stores a new tax ID; a `pending` one settles once the verification delay has passed. */
  addTaxId(taxId: Stripe.TaxId): Stripe.TaxId {
    if (taxId.verification?.status === 'pending') {
      this.pendingVerifications.set(taxId.id, this.nowMs());
    }
    return this.put(taxId);
  }

  removeTaxId(id: string): void {
    this.pendingVerifications.delete(id);
    this.remove(id);
  }

  /**
   * The tax ID as it reads now: a `pending` verification whose delay has passed settles
   * (`settledVerification`, with the customer as it is now) and stays so.
   */
  readTaxId(id: string): Stripe.TaxId | undefined {
    const taxId = this.taxIds.get(id);
    const since = this.pendingVerifications.get(id);
    if (!taxId || since === undefined) return taxId;
    if (this.nowMs() - since < this.taxIdVerificationDelayMs) return taxId;
    this.pendingVerifications.delete(id);
    const customerId = typeof taxId.customer === 'string' ? taxId.customer : taxId.customer?.id;
    const customer = customerId ? this.liveCustomer(customerId) : undefined;
    const verification = settledVerification(taxId.value, customer);
    return verification ? this.put({...taxId, verification}) : taxId;
  }

  /** A customer's tax IDs as they read now, oldest first. */
  taxIdsOf(customerId: string): Stripe.TaxId[] {
    return [...this.taxIds.values()]
      .filter((t) => t.customer === customerId)
      .sort((a, b) => a.created - b.created || this.orderOf(a.id) - this.orderOf(b.id))
      .map((t) => this.readTaxId(t.id) ?? t);
  }

  newId(prefix: IdPrefix): string {
    const length = prefix === 'pm' || prefix === 'seti' || prefix === 'req' ? 24 : 14;
    return `${prefix}_${randomToken(length)}`;
  }

  /** A random token for URLs Stripe derives from an object (hosted invoice pages, PDFs). */
  newToken(length = 32): string {
    return randomToken(length);
  }

  /**
   * The invoice's `invoice_pdf`, shaped like Stripe's: a bearer link on pay.stripe.com (the
   * token authorizes, no API key) that `invoice-pdf.ts` serves. Mints the token on first use.
   */
  invoicePdfUrl(invoiceId: string): string {
    let token = this.invoicePdfTokens.get(invoiceId);
    if (!token) {
      token = randomToken(40);
      this.invoicePdfTokens.set(invoiceId, token);
    }
    return `https://pay.stripe.com/invoice/${EMULATOR_ACCOUNT_ID}/test_${token}/pdf?s=ap`;
  }

  /** Stores (or replaces) an object, remembering first insertion for stable list order. */
  put<T extends StoredObject>(obj: T): T {
    if (!this.insertionOrder.has(obj.id)) this.insertionOrder.set(obj.id, ++this.sequence);
    const collection = this.collectionFor(obj.id);
    const before = collection?.get(obj.id);
    this.changes += 1;
    collection?.set(obj.id, obj);
    if (obj.object === 'customer') this.searchIndex.record(obj, this.nowMs());
    if (collection) this.onChange?.(before, obj);
    return obj;
  }

  /** Forgets an object, as Stripe forgets a deleted tax ID or test clock: its id reads 404. */
  remove(id: string): void {
    const collection = this.collectionFor(id);
    const before = collection?.get(id);
    this.changes += 1;
    collection?.delete(id);
    if (before) this.onChange?.(before, undefined);
  }

  /** Any stored object by id, found by its prefix (`cus_`, `pm_`, ...). */
  lookup(id: string): StoredObject | undefined {
    return this.collectionFor(id)?.get(id);
  }

  /** Insertion rank, used to order objects created in the same second. */
  orderOf(id: string): number {
    return this.insertionOrder.get(id) ?? 0;
  }

  /** `CONROO-2025-0042`: invoice numbers count per calendar year, like a numbering scheme by year. */
  nextInvoiceNumber(created: number): string {
    const year = new Date(created * 1000).getUTCFullYear();
    const next = (this.invoiceCounters.get(year) ?? 0) + 1;
    this.invoiceCounters.set(year, next);
    return `CONROO-${year}-${String(next).padStart(4, '0')}`;
  }

  /** The customer, unless missing or deleted. */
  liveCustomer(id: string): Stripe.Customer | undefined {
    const c = this.customers.get(id);
    return c && !c.deleted ? c : undefined;
  }

  private collectionFor(id: string): Map<string, StoredObject> | undefined {
    const prefix = id.split('_')[0];
    const map: Record<string, Map<string, StoredObject>> = {
      cus: this.customers,
      pm: this.paymentMethods,
      sub: this.subscriptions,
      in: this.invoices,
      inpay: this.invoicePayments,
      pi: this.paymentIntents,
      txi: this.taxIds,
      txr: this.taxRates,
      price: this.prices,
      prod: this.products,
      seti: this.setupIntents,
      clock: this.testClocks,
    };
    return prefix === undefined ? undefined : map[prefix];
  }
}

/** A fresh, empty state (seed it with `seedDemoData`). */
export function createEmulatorState(opts: EmulatorStateOptions = {}): EmulatorState {
  return new EmulatorState(opts);
}
