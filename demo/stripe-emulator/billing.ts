/**
 * Charging a subscription: its first invoice when it is created, and each renewal — the
 * subscription starts its next period, a renewal invoice is finalized with the customer's
 * billing details as they are at that moment, and the default payment method is charged. The
 * demo's `POST /dev/renew` renews now; a test clock renews what falls due while it advances
 * (`test-clocks.ts`).
 */
import type Stripe from 'stripe';
import {addInterval, buildInvoice, buildSubscription, type Interval} from './objects.js';
import {recordInvoicePayment} from './payments.js';
import type {EmulatorState} from './state.js';

const day = 86_400;

/** Statuses whose subscriptions bill another period. */
const runningStatuses: readonly Stripe.Subscription.Status[] = ['active', 'past_due', 'trialing'];

/** Why charging `pmId` at `at` fails, or `null` when it succeeds. */
function declineReason(state: EmulatorState, pmId: string | null, at: number): string | null {
  if (!pmId) return 'no_payment_method';
  const pm = state.paymentMethods.get(pmId);
  if (!pm) return 'no_payment_method';
  if (pm.type !== 'card' || !pm.card) return null;
  const declined = state.cardDeclines.get(pm.id);
  if (declined) return declined;
  const date = new Date(at * 1000);
  const thisMonth = date.getUTCFullYear() * 12 + date.getUTCMonth() + 1;
  if (pm.card.exp_year * 12 + pm.card.exp_month < thisMonth) return 'expired_card';
  return null;
}

function idOf(v: string | {id: string} | null | undefined): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : v.id;
}

function productName(state: EmulatorState, price: Stripe.Price): string {
  return state.products.get(idOf(price.product) ?? '')?.name ?? 'Gate Pass';
}

/**
 * A subscription as `POST /v1/subscriptions` starts it with Stripe's default
 * `payment_behavior=allow_incomplete`
 * (https://docs.stripe.com/api/subscriptions/create#create_subscription-payment_behavior): its
 * first period begins at the customer's now (its test clock's time when it is on one), and
 * the first invoice (`subscription_create`, billing that period) is finalized at once and
 * charged to `defaultPaymentMethod`, else the customer's
 * `invoice_settings.default_payment_method`.
 * Paid, the subscription is `active`; declined (`pm_card_chargeCustomerFail` and kin, an
 * expired card), it is `incomplete` and the invoice stays `open`
 * (https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses). The caller
 * has made sure there is a method to charge.
 */
export function startSubscription(
  state: EmulatorState,
  p: {
    customer: Stripe.Customer;
    price: Stripe.Price;
    quantity: number;
    defaultPaymentMethod: string | null;
    metadata: Stripe.Metadata;
  },
): Stripe.Subscription {
  const at = state.nowFor(p.customer.id);
  const recurring = p.price.recurring;
  const end = addInterval(
    at,
    (recurring?.interval ?? 'year') as Interval,
    recurring?.interval_count,
  );
  const pmId = p.defaultPaymentMethod ?? idOf(p.customer.invoice_settings.default_payment_method);
  const decline = declineReason(state, pmId, at);
  const subscription = buildSubscription(state, {
    customer: p.customer.id,
    price: p.price,
    quantity: p.quantity,
    status: decline ? 'incomplete' : 'active',
    startDate: at,
    currentPeriodStart: at,
    currentPeriodEnd: end,
    defaultPaymentMethod: p.defaultPaymentMethod,
    metadata: p.metadata,
  });
  const invoice = state.put(
    buildInvoice(state, {
      customer: p.customer,
      subscription,
      price: p.price,
      productName: productName(state, p.price),
      quantity: p.quantity,
      servicePeriod: {start: at, end},
      status: decline ? 'open' : 'paid',
      created: at,
      billingReason: 'subscription_create',
      paidAt: decline ? null : at,
      attemptCount: 1,
    }),
  );
  if (!decline && pmId) recordInvoicePayment(state, invoice, pmId, at);
  return state.put({...subscription, latest_invoice: invoice.id});
}

/**
 * Starts the next billing period of every running subscription (active, past_due, trialing)
 * of every customer whose e-mail matches `email` (case-insensitive):
 * - the item's `current_period_start/end` move forward by one interval of its price;
 * - an invoice is finalized (`CONROO-<year>-<nnnn>`, created now, the new period, one line
 *   „Gate Pass – 12 Monate" / „– 1 Monat", German VAT included in the price, the customer's
 *   current name, e-mail, address, phone, shipping and tax IDs);
 * - the subscription's `default_payment_method`, else the customer's
 *   `invoice_settings.default_payment_method`, is charged: a declining or expired card or no
 *   method leaves the invoice `open` (due in 7 days) and the subscription `past_due`; otherwise
 *   the invoice is `paid` and the subscription `active`.
 *
 * A subscription set to cancel at period end ends instead (`canceled`, no invoice).
 * Returns the new invoices, newest customer first as the state holds them.
 */
export function renewSubscriptions(
  state: EmulatorState,
  email: string,
): {invoices: Stripe.Invoice[]} {
  const wanted = email.trim().toLowerCase();
  const invoices: Stripe.Invoice[] = [];
  const customers = [...state.customers.values()].filter(
    (c): c is Stripe.Customer => !c.deleted && (c.email ?? '').toLowerCase() === wanted,
  );
  for (const customer of customers) {
    const subs = [...state.subscriptions.values()].filter(
      (s) => idOf(s.customer) === customer.id && runningStatuses.includes(s.status),
    );
    for (const sub of subs) {
      const invoice = renewSubscription(state, sub, state.nowFor(customer.id));
      if (invoice) invoices.push(invoice);
    }
  }
  return {invoices};
}

/**
 * Every renewal of the subscription that falls due by `until`, each at the end of the period
 * it closes, as a test clock advanced to `until` makes them (at most two: a clock advances at
 * most two intervals at a time). Returns the new invoices, oldest first.
 */
export function renewDueBy(
  state: EmulatorState,
  subscriptionId: string,
  until: number,
): Stripe.Invoice[] {
  const invoices: Stripe.Invoice[] = [];
  for (;;) {
    const sub = state.subscriptions.get(subscriptionId);
    const periodEnd = sub?.items.data[0]?.current_period_end;
    if (!sub || !runningStatuses.includes(sub.status) || periodEnd === undefined) break;
    if (periodEnd > until) break;
    const invoice = renewSubscription(state, sub, periodEnd);
    if (!invoice) break;
    invoices.push(invoice);
  }
  return invoices;
}

/** The next period of `sub`, begun at `at`; `null` (and no invoice) when it ends instead. */
function renewSubscription(
  state: EmulatorState,
  sub: Stripe.Subscription,
  at: number,
): Stripe.Invoice | null {
  const item = sub.items.data[0];
  if (!item) return null;
  const interval = (item.price.recurring?.interval ?? 'year') as Interval;
  const count = item.price.recurring?.interval_count ?? 1;
  const periodStart = item.current_period_end;
  const periodEnd = addInterval(periodStart, interval, count);

  if (sub.cancel_at_period_end) {
    state.put({
      ...sub,
      status: 'canceled',
      ended_at: periodStart,
      canceled_at: sub.canceled_at ?? at,
    });
    return null;
  }

  const nextItem: Stripe.SubscriptionItem = {
    ...item,
    current_period_start: periodStart,
    current_period_end: periodEnd,
  };
  const renewed: Stripe.Subscription = {
    ...sub,
    items: {...sub.items, data: [nextItem, ...sub.items.data.slice(1)]},
    ...(sub.status === 'trialing' ? {trial_end: sub.trial_end ?? periodStart} : {}),
  };

  // The customer as it is at that moment: the invoice is finalized with these details.
  const customerId = idOf(sub.customer) ?? '';
  const customer = state.liveCustomer(customerId);
  if (!customer) return null;
  const pmId =
    idOf(sub.default_payment_method) ?? idOf(customer.invoice_settings.default_payment_method);
  const decline = declineReason(state, pmId, at);

  const invoice = state.put(
    buildInvoice(state, {
      customer,
      subscription: renewed,
      price: item.price,
      productName: productName(state, item.price),
      quantity: item.quantity ?? 1,
      servicePeriod: {start: periodStart, end: periodEnd},
      previousPeriod: {start: item.current_period_start, end: item.current_period_end},
      status: decline ? 'open' : 'paid',
      created: at,
      billingReason: 'subscription_cycle',
      paidAt: decline ? null : at,
      attemptCount: 1,
      ...(decline ? {dueDate: at + 7 * day, nextPaymentAttempt: at + 3 * day} : {}),
    }),
  );
  if (!decline && pmId) recordInvoicePayment(state, invoice, pmId, at);
  state.put({
    ...renewed,
    status: decline ? 'past_due' : 'active',
    latest_invoice: invoice.id,
  });
  return invoice;
}
