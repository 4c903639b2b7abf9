/**
 * Renewal like a Stripe test clock advanced to the end of the period: the subscription starts
 * its next period, a renewal invoice is finalized with the customer's billing details as they
 * are now, and the default payment method is charged. The demo's `POST /dev/renew` calls this.
 */
import type Stripe from 'stripe';
import {addInterval, buildInvoice, type Interval} from './objects.js';
import type {EmulatorState} from './state.js';

const day = 86_400;

/** Statuses whose subscriptions bill another period. */
const runningStatuses: readonly Stripe.Subscription.Status[] = ['active', 'past_due', 'trialing'];

/** Why charging `pmId` fails now, or `null` when it succeeds. */
function declineReason(state: EmulatorState, pmId: string | null): string | null {
  if (!pmId) return 'no_payment_method';
  const pm = state.paymentMethods.get(pmId);
  if (!pm) return 'no_payment_method';
  if (pm.type !== 'card' || !pm.card) return null;
  const declined = state.cardDeclines.get(pm.id);
  if (declined) return declined;
  const now = new Date(state.now() * 1000);
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (pm.card.exp_year * 12 + pm.card.exp_month < thisMonth) return 'expired_card';
  return null;
}

function idOf(v: string | {id: string} | null | undefined): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : v.id;
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
      const invoice = renewSubscription(state, sub);
      if (invoice) invoices.push(invoice);
    }
  }
  return {invoices};
}

function renewSubscription(state: EmulatorState, sub: Stripe.Subscription): Stripe.Invoice | null {
  const now = state.now();
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
      canceled_at: sub.canceled_at ?? now,
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

  // The customer as it is now: the invoice is finalized with these details.
  const customerId = idOf(sub.customer) ?? '';
  const customer = state.liveCustomer(customerId);
  if (!customer) return null;
  const pmId =
    idOf(sub.default_payment_method) ?? idOf(customer.invoice_settings.default_payment_method);
  const decline = declineReason(state, pmId);
  const product = state.products.get(idOf(item.price.product) ?? '');

  const invoice = state.put(
    buildInvoice(state, {
      customer,
      subscription: renewed,
      price: item.price,
      productName: product?.name ?? 'Gate Pass',
      quantity: item.quantity ?? 1,
      servicePeriod: {start: periodStart, end: periodEnd},
      previousPeriod: {start: item.current_period_start, end: item.current_period_end},
      status: decline ? 'open' : 'paid',
      created: now,
      billingReason: 'subscription_cycle',
      paidAt: decline ? null : now,
      attemptCount: 1,
      ...(decline ? {dueDate: now + 7 * day, nextPaymentAttempt: now + 3 * day} : {}),
    }),
  );
  state.put({
    ...renewed,
    status: decline ? 'past_due' : 'active',
    latest_invoice: invoice.id,
  });
  return invoice;
}
