/**
 * Builders for the Stripe objects the emulator stores, in API 2026-10-28 shape: subscription
 * periods on the items, an invoice's subscription under `parent.subscription_details`, the
 * customer's billing details snapshotted onto each invoice. Fields the portal never reads are
 * left out and the literal is cast; every field that is set is type-checked against the SDK.
 */
import type Stripe from 'stripe';
import type {EmulatorState} from './state.js';
import {EU_MEMBER_STATES} from '../../common/billing-rules.js';
import {taxIdCountry} from './tax-ids.js';

export type Interval = 'day' | 'week' | 'month' | 'year';

/** `ts` moved by `count` calendar intervals in UTC (31 Jan + 1 month clamps like Stripe: 28/29 Feb). */
export function addInterval(ts: number, interval: Interval, count = 1): number {
  if (interval === 'day') return ts + count * 86_400;
  if (interval === 'week') return ts + count * 7 * 86_400;
  const d = new Date(ts * 1000);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + count);
  else d.setUTCFullYear(d.getUTCFullYear() + count);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return Math.floor(d.getTime() / 1000);
}

export function address(a: Partial<Stripe.Address> = {}): Stripe.Address {
  return {
    line1: a.line1 ?? null,
    line2: a.line2 ?? null,
    postal_code: a.postal_code ?? null,
    city: a.city ?? null,
    state: a.state ?? null,
    country: a.country ?? null,
  };
}

export function buildProduct(
  state: EmulatorState,
  p: {
    id?: string;
    name: string;
    description?: string | null;
    metadata?: Stripe.Metadata;
    created: number;
  },
): Stripe.Product {
  return state.put({
    id: p.id ?? state.newId('prod'),
    object: 'product',
    active: true,
    created: p.created,
    updated: p.created,
    default_price: null,
    description: p.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: p.metadata ?? {},
    name: p.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    url: null,
  });
}

export function buildPrice(
  state: EmulatorState,
  p: {
    id?: string;
    product: string;
    unitAmount: number;
    /** Default `eur`, the seed's. */
    currency?: string;
    interval: Interval | null;
    intervalCount?: number;
    /** Default `inclusive`: the seed's prices include German VAT. */
    taxBehavior?: Stripe.Price.TaxBehavior;
    nickname?: string | null;
    lookupKey?: string | null;
    metadata?: Stripe.Metadata;
    created: number;
  },
): Stripe.Price {
  return state.put({
    id: p.id ?? state.newId('price'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: p.created,
    currency: p.currency ?? 'eur',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: p.lookupKey ?? null,
    metadata: p.metadata ?? {},
    nickname: p.nickname ?? null,
    product: p.product,
    recurring: p.interval
      ? {
          interval: p.interval,
          interval_count: p.intervalCount ?? 1,
          meter: null,
          usage_type: 'licensed',
        }
      : null,
    tax_behavior: p.taxBehavior ?? 'inclusive',
    tiers_mode: null,
    transform_quantity: null,
    type: p.interval ? 'recurring' : 'one_time',
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  } as unknown as Stripe.Price);
}

export interface CustomerInput {
  id?: string;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  address?: Stripe.Address | null;
  shipping?: Stripe.Customer.Shipping | null;
  description?: string | null;
  metadata?: Record<string, string>;
  preferredLocales?: string[];
  /** `invoice_settings.custom_fields`: printed on (and copied into) each invoice made later. */
  customFields?: Stripe.Customer.InvoiceSettings.CustomField[];
  /** The test clock the customer lives on; its objects then belong to that clock too. */
  testClock?: string | null;
  /** `tax_exempt` (default `none`): `reverse` prints „Reverse charge" and charges no VAT. */
  taxExempt?: Stripe.Customer.TaxExempt;
  created: number;
}

export function buildCustomer(state: EmulatorState, c: CustomerInput): Stripe.Customer {
  const id = c.id ?? state.newId('cus');
  return state.put({
    id,
    object: 'customer',
    address: c.address ?? null,
    balance: 0,
    created: c.created,
    currency: 'eur',
    default_source: null,
    delinquent: false,
    description: c.description ?? null,
    discount: null,
    email: c.email ?? null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: c.customFields?.length ? c.customFields : null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: c.metadata ?? {},
    name: c.name ?? null,
    next_invoice_sequence: 1,
    phone: c.phone ?? null,
    preferred_locales: c.preferredLocales ?? ['de'],
    shipping: c.shipping ?? null,
    tax_exempt: c.taxExempt ?? 'none',
    test_clock: c.testClock ?? null,
  });
}

/**
 * The id of the test clock an object is on. A customer's subscriptions and invoices are on the
 * customer's clock.
 */
export function clockOf(
  owner: {test_clock?: string | {id: string} | null} | undefined,
): string | null {
  const clock = owner?.test_clock;
  return typeof clock === 'string' ? clock : (clock?.id ?? null);
}

/**
 * A test clock (https://docs.stripe.com/api/test_clocks/object), `ready` at `frozenTime`.
 * Stripe deletes a clock by itself a week after it was made (`deletes_after`, as the API
 * reference's example has it); the emulator keeps it until it is deleted.
 */
export function buildTestClock(
  state: EmulatorState,
  p: {frozenTime: number; name: string | null; created: number},
): Stripe.TestHelpers.TestClock {
  return state.put({
    id: state.newId('clock'),
    object: 'test_helpers.test_clock',
    created: p.created,
    deletes_after: p.created + 7 * 86_400,
    frozen_time: p.frozenTime,
    livemode: false,
    name: p.name,
    status: 'ready',
    status_details: {},
  });
}

export interface TestCard {
  brand: 'visa' | 'mastercard' | 'amex';
  last4: string;
  funding?: 'credit' | 'debit';
  country?: string;
  /**
   * Charging this card fails with this decline code, though it attaches and sets up (Stripe's
   * 4000000000000341).
   */
  declineCode?: string;
}

export function buildCardPaymentMethod(
  state: EmulatorState,
  p: {
    id?: string;
    customer: string | null;
    card: TestCard;
    expMonth: number;
    expYear: number;
    billingName?: string | null;
    billingEmail?: string | null;
    created: number;
  },
): Stripe.PaymentMethod {
  const country = p.card.country ?? (p.card.brand === 'amex' ? 'US' : 'DE');
  const id = p.id ?? state.newId('pm');
  if (p.card.declineCode) state.cardDeclines.set(id, p.card.declineCode);
  return state.put({
    id,
    object: 'payment_method',
    allow_redisplay: 'always',
    billing_details: {
      address: address({country}),
      email: p.billingEmail ?? null,
      name: p.billingName ?? null,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: p.card.brand,
      checks: {address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass'},
      country,
      display_brand: p.card.brand,
      exp_month: p.expMonth,
      exp_year: p.expYear,
      fingerprint: `fp${p.card.brand}${p.card.last4}`,
      funding: p.card.funding ?? 'credit',
      generated_from: null,
      last4: p.card.last4,
      networks: {available: [p.card.brand], preferred: null},
      regulated_status: 'unregulated',
      three_d_secure_usage: {supported: true},
      wallet: null,
    },
    created: p.created,
    customer: p.customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  });
}

export function buildPaypalPaymentMethod(
  state: EmulatorState,
  p: {
    id?: string;
    customer: string | null;
    payerEmail: string;
    payerId: string;
    billingName?: string | null;
    created: number;
  },
): Stripe.PaymentMethod {
  return state.put({
    id: p.id ?? state.newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'always',
    billing_details: {
      address: address({country: 'DE'}),
      email: p.payerEmail,
      name: p.billingName ?? null,
      phone: null,
      tax_id: null,
    },
    created: p.created,
    customer: p.customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    paypal: {country: 'DE', payer_email: p.payerEmail, payer_id: p.payerId},
    type: 'paypal',
  });
}

export function buildTaxId(
  state: EmulatorState,
  p: {
    id?: string;
    customer: string;
    type: Stripe.TaxId.Type;
    value: string;
    verification: Stripe.TaxId.Verification | null;
    created: number;
  },
): Stripe.TaxId {
  return state.put({
    id: p.id ?? state.newId('txi'),
    object: 'tax_id',
    country: taxIdCountry(p.type, p.value),
    created: p.created,
    customer: p.customer,
    customer_account: null,
    livemode: false,
    owner: {account: undefined, application: undefined, customer: p.customer, type: 'customer'},
    type: p.type,
    value: p.value,
    verification: p.verification,
  } as unknown as Stripe.TaxId);
}

export function buildSubscription(
  state: EmulatorState,
  p: {
    id?: string;
    customer: string;
    price: Stripe.Price;
    status: Stripe.Subscription.Status;
    startDate: number;
    currentPeriodStart: number;
    currentPeriodEnd: number;
    defaultPaymentMethod: string | null;
    latestInvoice?: string | null;
    quantity?: number;
    cancelAtPeriodEnd?: boolean;
    canceledAt?: number | null;
    metadata?: Record<string, string>;
  },
): Stripe.Subscription {
  const id = p.id ?? state.newId('sub');
  const item = {
    id: `si_${id.slice(4)}`,
    object: 'subscription_item',
    billing_thresholds: null,
    created: p.startDate,
    current_period_end: p.currentPeriodEnd,
    current_period_start: p.currentPeriodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    price: structuredClone(p.price),
    quantity: p.quantity ?? 1,
    subscription: id,
    tax_rates: [],
  } as unknown as Stripe.SubscriptionItem;
  return state.put({
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    billing_cycle_anchor: p.currentPeriodStart,
    billing_cycle_anchor_config: null,
    billing_thresholds: null,
    cancel_at: p.cancelAtPeriodEnd ? p.currentPeriodEnd : null,
    cancel_at_period_end: p.cancelAtPeriodEnd ?? false,
    canceled_at: p.canceledAt ?? null,
    cancellation_details: {comment: null, feedback: null, reason: null},
    collection_method: 'charge_automatically',
    created: p.startDate,
    currency: p.price.currency,
    customer: p.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: p.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: p.status === 'canceled' ? (p.canceledAt ?? null) : null,
    items: {
      object: 'list',
      data: [item],
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: p.latestInvoice ?? null,
    livemode: false,
    metadata: p.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: null,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: p.startDate,
    status: p.status,
    test_clock: clockOf(state.liveCustomer(p.customer)),
    transfer_data: null,
    trial_end: null,
    trial_settings: null,
    trial_start: null,
  } as unknown as Stripe.Subscription);
}

/** The German VAT rate every emulator invoice applies (CONROO is a German seller). */
export const GERMAN_VAT_RATE_ID = 'txr_demoVat19';
export const GERMAN_VAT_PERCENT = 19;

/** The `MwSt. 19 %` tax rate, created on first use (so unseeded states have it too). */
export function germanVatRate(state: EmulatorState, created = state.now()): Stripe.TaxRate {
  const existing = state.taxRates.get(GERMAN_VAT_RATE_ID);
  if (existing) return existing;
  return state.put({
    id: GERMAN_VAT_RATE_ID,
    object: 'tax_rate',
    active: true,
    country: 'DE',
    created,
    description: 'Umsatzsteuer Deutschland',
    display_name: 'MwSt.',
    effective_percentage: GERMAN_VAT_PERCENT,
    flat_amount: null,
    inclusive: true,
    jurisdiction: 'DE',
    jurisdiction_level: 'country',
    livemode: false,
    metadata: {},
    percentage: GERMAN_VAT_PERCENT,
    rate_type: 'percentage',
    state: null,
    tax_type: 'vat',
  });
}

/** The rate of lines on which no German VAT is due (reverse charge, not collecting). */
export const NO_VAT_RATE_ID = 'txr_demoVat0';

/** The `0 %` tax rate, like the zero rates Stripe Tax reports (docs.stripe.com/tax/zero-tax). */
export function noVatRate(state: EmulatorState, created = state.now()): Stripe.TaxRate {
  const existing = state.taxRates.get(NO_VAT_RATE_ID);
  if (existing) return existing;
  return state.put({
    ...germanVatRate(state, created),
    id: NO_VAT_RATE_ID,
    created,
    description: 'Keine deutsche Umsatzsteuer',
    effective_percentage: 0,
    percentage: 0,
  });
}

/**
 * Why the invoice to `customer` (with `taxIds`) carries VAT or not, as Stripe Tax decides it for
 * CONROO, a German seller registered for VAT in Germany only
 * (https://docs.stripe.com/tax/zero-tax): the customer's `tax_exempt` first (`exempt`,
 * `reverse`, https://docs.stripe.com/api/customers/object#customer_object-tax_exempt); a business
 * in another EU country with a VAT ID is reverse charge; outside the EU Stripe does not collect
 * (no registration there); everyone else pays German VAT.
 */
export function taxabilityOf(
  customer: Pick<Stripe.Customer, 'tax_exempt' | 'address'>,
  taxIds: ReadonlyArray<{type: string}>,
): Stripe.Invoice.TotalTax.TaxabilityReason {
  if (customer.tax_exempt === 'exempt') return 'customer_exempt';
  if (customer.tax_exempt === 'reverse') return 'reverse_charge';
  const country = customer.address?.country?.toUpperCase();
  if (country && country !== 'DE' && EU_MEMBER_STATES.has(country)) {
    return taxIds.some((t) => t.type === 'eu_vat') ? 'reverse_charge' : 'standard_rated';
  }
  if (country && !EU_MEMBER_STATES.has(country)) return 'not_collecting';
  return 'standard_rated';
}

/**
 * German VAT on `amount` (cents) at 19 %: included in the price when its `tax_behavior` is
 * `inclusive` (the Gate Pass prices are: €149.00 = €125.21 net + €23.79 VAT), added on top
 * when `exclusive`. Rounded to the cent like Stripe, half away from zero.
 */
export function germanVat(
  amount: number,
  taxBehavior: Stripe.Price.TaxBehavior | null | undefined,
): {net: number; tax: number; gross: number; behavior: 'inclusive' | 'exclusive'} {
  if (taxBehavior === 'exclusive') {
    const tax = Math.round((amount * GERMAN_VAT_PERCENT) / 100);
    return {net: amount, tax, gross: amount + tax, behavior: 'exclusive'};
  }
  const tax = Math.round((amount * GERMAN_VAT_PERCENT) / (100 + GERMAN_VAT_PERCENT));
  return {net: amount - tax, tax, gross: amount, behavior: 'inclusive'};
}

/** `Gate Pass – 12 Monate` / `Gate Pass – 1 Monat`: the line CONROO prints for a period. */
export function periodLineDescription(productName: string, price: Stripe.Price): string {
  const recurring = price.recurring;
  if (!recurring) return productName;
  const count = recurring.interval_count ?? 1;
  const months =
    recurring.interval === 'year' ? 12 * count : recurring.interval === 'month' ? count : 0;
  if (months > 0) return `${productName} – ${months} ${months === 1 ? 'Monat' : 'Monate'}`;
  const unit = recurring.interval === 'week' ? ['Woche', 'Wochen'] : ['Tag', 'Tage'];
  return `${productName} – ${count} ${count === 1 ? unit[0] : unit[1]}`;
}

/** The current period of a subscription, read from its first item (API 2025-03-31 and later). */
export function subscriptionPeriod(sub: Stripe.Subscription): {start: number; end: number} {
  const item = sub.items.data[0];
  if (!item) return {start: sub.start_date, end: sub.start_date};
  return {start: item.current_period_start, end: item.current_period_end};
}

export interface Period {
  start: number;
  end: number;
}

export interface InvoiceInput {
  id?: string;
  customer: Stripe.Customer;
  subscription?: Stripe.Subscription | null;
  price: Stripe.Price;
  productName: string;
  quantity?: number;
  /** The service period the line bills (its `period`). */
  servicePeriod: Period;
  /**
   * The subscription period that ended when this invoice began: Stripe's invoice-level
   * `period_start`/`period_end`, which "looks back one period for a subscription invoice"
   * (https://docs.stripe.com/api/invoices/object#invoice_object-period_end). Without it (a
   * subscription's first invoice) both are the invoice's `created`.
   */
  previousPeriod?: Period;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  created: number;
  billingReason?: Stripe.Invoice.BillingReason;
  dueDate?: number | null;
  paidAt?: number | null;
  nextPaymentAttempt?: number | null;
  attemptCount?: number;
  /** Preview invoices (`create_preview`) have no number, no URLs, and an `upcoming_` id. */
  preview?: boolean;
  number?: string;
}

/**
 * An invoice with the customer's billing details as they are now (Stripe copies name, e-mail,
 * address, phone, shipping and tax IDs onto an invoice when it is finalized; later changes of
 * the customer leave it alone), one line for the period and German VAT (`germanVat`). The
 * customer's invoice custom fields become the invoice's own when it is made: "Any custom fields
 * set at the customer level apply to all draft invoices generated for that customer", and "you
 * can't update the custom fields after an invoice has been finalized"
 * (https://docs.stripe.com/invoicing/customize#custom-fields).
 */
export function buildInvoice(state: EmulatorState, p: InvoiceInput): Stripe.Invoice {
  const id = p.id ?? (p.preview ? `upcoming_${state.newId('in')}` : state.newId('in'));
  const quantity = p.quantity ?? 1;
  const lineAmount = (p.price.unit_amount ?? 0) * quantity;
  // A deep copy: the snapshot must not share objects with the customer it was taken from.
  const c = structuredClone(p.customer);
  const taxIds = state.taxIdsOf(c.id).map((t) => ({type: t.type, value: t.value}));
  const taxability = taxabilityOf(c, taxIds);
  const vat =
    taxability === 'standard_rated'
      ? germanVat(lineAmount, p.price.tax_behavior)
      : {
          net: lineAmount,
          tax: 0,
          gross: lineAmount,
          behavior: p.price.tax_behavior === 'exclusive' ? 'exclusive' : 'inclusive',
        };
  const amount = vat.gross;
  const taxRate =
    taxability === 'standard_rated' ? germanVatRate(state, p.created) : noVatRate(state, p.created);
  const taxes = [
    {
      amount: vat.tax,
      tax_behavior: vat.behavior,
      tax_rate_details: {tax_rate: taxRate.id},
      taxability_reason: taxability,
      taxable_amount: vat.net,
      type: 'tax_rate_details',
    },
  ] satisfies Stripe.Invoice.TotalTax[];
  const finalized = p.status !== 'draft';
  const paid = p.status === 'paid';
  const token = state.newToken(40);
  const sub = p.subscription ?? null;
  const subItem = sub?.items.data[0];
  const line = {
    id: `il_${id.replace(/^(upcoming_)?in_/, '')}`,
    object: 'line_item',
    amount: lineAmount,
    currency: p.price.currency,
    description: periodLineDescription(p.productName, p.price),
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: p.preview ? null : id,
    livemode: false,
    metadata: {},
    parent: sub
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: {credited_items: null},
            subscription: sub.id,
            subscription_item: subItem?.id ?? null,
          },
        }
      : null,
    period: {start: p.servicePeriod.start, end: p.servicePeriod.end},
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: {price: p.price.id, product: p.price.product as string},
      unit_amount_decimal: String(p.price.unit_amount ?? 0),
    },
    quantity,
    subscription: sub?.id ?? null,
    subtotal: lineAmount,
    taxes,
  } as unknown as Stripe.InvoiceLineItem;
  return {
    id,
    object: 'invoice',
    account_country: 'DE',
    account_name: 'CONROO GmbH',
    account_tax_ids: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: paid ? amount : 0,
    amount_remaining: paid ? 0 : amount,
    amount_shipping: 0,
    application: null,
    attempt_count: p.attemptCount ?? (paid ? 1 : 0),
    attempted: (p.attemptCount ?? (paid ? 1 : 0)) > 0,
    auto_advance: !paid,
    automatic_tax: {
      disabled_reason: null,
      enabled: false,
      liability: null,
      provider: null,
      status: null,
    },
    automatically_finalizes_at: p.preview ? p.created : null,
    billing_reason: p.billingReason ?? (sub ? 'subscription_cycle' : 'manual'),
    collection_method: 'charge_automatically',
    created: p.created,
    currency: p.price.currency,
    custom_fields: c.invoice_settings?.custom_fields?.length
      ? c.invoice_settings.custom_fields.map(({name, value}) => ({name, value}))
      : null,
    customer: c.id,
    customer_account: null,
    customer_address: c.address ?? null,
    customer_email: c.email,
    customer_name: c.name ?? null,
    customer_phone: c.phone ?? null,
    customer_shipping: c.shipping
      ? {
          address: c.shipping.address ?? null,
          carrier: null,
          name: c.shipping.name ?? null,
          phone: c.shipping.phone ?? null,
          tracking_number: null,
        }
      : null,
    customer_tax_exempt: c.tax_exempt ?? 'none',
    customer_tax_ids: taxIds,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: p.dueDate ?? null,
    effective_at: finalized ? p.created : null,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url:
      finalized && !p.preview ? `https://invoice.stripe.com/i/acct_demo/test_${token}?s=ap` : null,
    // Served by the emulator itself (`invoice-pdf.ts`), rendered from this invoice's snapshot.
    invoice_pdf: finalized && !p.preview ? state.invoicePdfUrl(id) : null,
    issuer: {type: 'self'},
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: [line],
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: p.nextPaymentAttempt ?? null,
    number: p.preview
      ? null
      : (p.number ?? (finalized ? state.nextInvoiceNumber(p.created) : null)),
    on_behalf_of: null,
    parent: sub
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: {metadata: sub.metadata, subscription: sub.id},
        }
      : null,
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: p.previousPeriod?.end ?? p.created,
    period_start: p.previousPeriod?.start ?? p.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: p.status,
    status_transitions: {
      finalized_at: finalized ? p.created : null,
      marked_uncollectible_at: null,
      paid_at: paid ? (p.paidAt ?? p.created) : null,
      voided_at: null,
    },
    subtotal: lineAmount,
    subtotal_excluding_tax: vat.net,
    test_clock: clockOf(c),
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: vat.net,
    total_pretax_credit_amounts: [],
    total_taxes: taxes,
    webhooks_delivered_at: finalized ? p.created : null,
  } as unknown as Stripe.Invoice;
}

export function buildSetupIntent(
  state: EmulatorState,
  p: {
    customer: string | null;
    usage: 'off_session' | 'on_session';
    paymentMethodTypes: string[];
    allowedPaymentMethodTypes: string[] | null;
    automaticPaymentMethods: boolean;
    description: string | null;
    metadata: Stripe.Metadata;
    created: number;
  },
): Stripe.SetupIntent {
  const id = state.newId('seti');
  return state.put({
    id,
    object: 'setup_intent',
    allowed_payment_method_types: p.allowedPaymentMethodTypes,
    application: null,
    automatic_payment_methods: p.automaticPaymentMethods
      ? {allow_redirects: 'always', enabled: true}
      : null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${state.newToken(25)}`,
    created: p.created,
    customer: p.customer,
    customer_account: null,
    description: p.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: p.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: p.automaticPaymentMethods
      ? {id: 'pmc_emulatorDefault', parent: null}
      : null,
    payment_method_options: p.paymentMethodTypes.includes('card')
      ? {card: {mandate_options: null, network: null, request_three_d_secure: 'automatic'}}
      : {},
    payment_method_types: p.paymentMethodTypes,
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: p.usage,
  });
}
