import type Stripe from 'stripe';
import type {
  Address,
  Customer,
  Invoice,
  PaymentMethod,
  Subscription,
  SubscriptionStatus,
  TaxId,
  TaxIdVerificationStatus,
  UpcomingInvoice,
} from '../../common/contract.js';

/** Stripe objects → the portal's contract. Only what the clients need leaves the server. */

const idOf = (value: string | {id: string} | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;

export function toAddress(address: Stripe.Address | null | undefined): Address | null {
  if (!address) return null;
  return {
    line1: address.line1 ?? null,
    line2: address.line2 ?? null,
    postalCode: address.postal_code ?? null,
    city: address.city ?? null,
    state: address.state ?? null,
    country: address.country ?? null,
  };
}

export function toTaxId(taxId: Stripe.TaxId): TaxId {
  return {
    id: taxId.id,
    type: taxId.type,
    value: taxId.value,
    verification: taxId.verification
      ? {
          status: taxId.verification.status as TaxIdVerificationStatus,
          verifiedName: taxId.verification.verified_name ?? null,
        }
      : null,
  };
}

export function toCustomer(customer: Stripe.Customer): Customer {
  const taxIds = customer.tax_ids?.data ?? [];
  return {
    id: customer.id,
    name: customer.name ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    address: toAddress(customer.address),
    shipping: customer.shipping
      ? {
          name: customer.shipping.name ?? null,
          phone: customer.shipping.phone ?? null,
          address: toAddress(customer.shipping.address),
        }
      : null,
    taxIds: taxIds.map(toTaxId),
    reference: referenceOf(customer.invoice_settings?.custom_fields),
  };
}

/**
 * The invoice custom field that holds „Ihre Referenz" (BT-10 of the e-invoice). Stripe prints a
 * customer's invoice custom fields on each invoice it issues from then on and copies them into
 * the invoice's own `custom_fields` (docs.stripe.com/api/customers/object#customer_object-invoice_settings-custom_fields).
 */
export const REFERENCE_FIELD_NAME = 'Ihre Referenz';

/** „Ihre Referenz" among a customer's or an invoice's custom fields; `null` when none or blank. */
export function referenceOf(
  fields: readonly {name: string; value: string}[] | null | undefined,
): string | null {
  return fields?.find((field) => field.name === REFERENCE_FIELD_NAME)?.value.trim() || null;
}

export function toPaymentMethod(pm: Stripe.PaymentMethod, defaultId: string | null): PaymentMethod {
  const method: PaymentMethod = {id: pm.id, type: pm.type, isDefault: pm.id === defaultId};
  if (pm.card) {
    method.card = {
      brand: pm.card.brand,
      last4: pm.card.last4,
      expMonth: pm.card.exp_month,
      expYear: pm.card.exp_year,
    };
  }
  if (pm.type === 'paypal') method.paypal = {email: pm.paypal?.payer_email ?? null};
  return method;
}

/** Subscriptions that still bill: the one the dashboard shows first. */
const RUNNING: ReadonlySet<string> = new Set([
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'incomplete',
  'paused',
]);

export const isRunning = (subscription: Pick<Stripe.Subscription, 'status'>) =>
  RUNNING.has(subscription.status);

/** The latest Gate Pass: the newest running subscription, else the newest one at all. */
export function latestSubscription(
  subscriptions: Stripe.Subscription[],
): Stripe.Subscription | null {
  const newestFirst = [...subscriptions].sort((a, b) => b.created - a.created);
  return newestFirst.find(isRunning) ?? newestFirst[0] ?? null;
}

/** The product of the subscription's (first) item: what its plan name is read from. */
export const productIdOf = (subscription: Stripe.Subscription | null): string | null =>
  idOf(subscription?.items.data[0]?.price.product ?? null);

/** `productName`: the name of `productIdOf(subscription)`, when known (`ProductNames`). */
export function toSubscription(
  subscription: Stripe.Subscription,
  productName: string | null = null,
): Subscription {
  const item = subscription.items.data[0];
  const price = item?.price;
  return {
    id: subscription.id,
    status: subscription.status as SubscriptionStatus,
    planName: productName ?? price?.nickname ?? 'Gate Pass',
    amount: (price?.unit_amount ?? 0) * (item?.quantity ?? 1),
    currency: price?.currency ?? subscription.currency,
    interval: (price?.recurring?.interval ?? 'year') as Subscription['interval'],
    intervalCount: price?.recurring?.interval_count ?? 1,
    currentPeriodStart: item?.current_period_start ?? subscription.start_date,
    currentPeriodEnd: item?.current_period_end ?? subscription.start_date,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    canceledAt: subscription.canceled_at ?? null,
  };
}

/** Pay links are rendered only when they are `https:` on a Stripe host. */
export function isStripeHostedUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' &&
      (url.hostname === 'stripe.com' || url.hostname.endsWith('.stripe.com'))
    );
  } catch {
    return false;
  }
}

/**
 * The service period an invoice bills: the Gate Pass line's (the one a subscription item
 * billed), else the first line's; without lines, the invoice's `created` for both. Never the
 * invoice's own `period_start/period_end`: on a renewal they look back one period
 * (https://docs.stripe.com/api/invoices/object#invoice_object-period_end).
 */
export function servicePeriod(invoice: Stripe.Invoice): {start: number; end: number} {
  const lines = invoice.lines?.data ?? [];
  const line = lines.find((l) => l.parent?.subscription_item_details) ?? lines[0];
  return line?.period
    ? {start: line.period.start, end: line.period.end}
    : {start: invoice.created, end: invoice.created};
}

export function toInvoice(invoice: Stripe.Invoice): Invoice {
  const period = servicePeriod(invoice);
  const result: Invoice = {
    id: invoice.id,
    number: invoice.number ?? null,
    status: (invoice.status ?? 'draft') as Invoice['status'],
    total: invoice.total,
    currency: invoice.currency,
    created: invoice.created,
    periodStart: period.start,
    periodEnd: period.end,
    dueDate: invoice.due_date ?? null,
    customerName: invoice.customer_name ?? null,
  };
  if (invoice.status === 'open' && isStripeHostedUrl(invoice.hosted_invoice_url)) {
    result.payUrl = invoice.hosted_invoice_url;
  }
  return result;
}

export function toUpcomingInvoice(preview: Stripe.Invoice): UpcomingInvoice {
  return {
    date: preview.next_payment_attempt ?? preview.period_end ?? preview.created,
    total: preview.total,
    currency: preview.currency,
  };
}

export {idOf};
