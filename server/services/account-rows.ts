import type Stripe from 'stripe';
import type {
  AccountAccess,
  AccountSummary,
  CarrierGrant,
  FleetDriver,
  PaymentMethod,
  SubscriptionStatus,
  TaxId,
} from '../../common/contract.js';
import {grantsOf} from './carrier-grants.js';
import {holderNameOf} from './holder-name.js';
import {
  idOf,
  isRunning,
  latestSubscription,
  toPaymentMethod,
  toSubscription,
  toTaxId,
} from './stripe-mappers.js';

/**
 * What the portal keeps of a customer a session may hold, one per customer in the
 * `CustomerCache`: a fleet row, the session's account list, the carrier check and the owner's
 * notices all read it. Made from one Stripe customer with `ROW_EXPAND` (a retrieve) or
 * `SEARCH_EXPAND` (a search page): no further request.
 */
export interface AccountRow {
  customerId: string;
  /** The name invoices are issued to (the customer's name): the driver's, or a company's. */
  name: string | null;
  /** The Gate Pass holder's own name (`holder-name.ts`). */
  holderName: string | null;
  email: string | null;
  /** The customer's `preferred_locales[0]`: the language of the owner's notices. */
  locale: string | null;
  /** Who was given access, from the metadata slots. */
  carriers: CarrierGrant[];
  subscriptionStatus: SubscriptionStatus | null;
  subscription: FleetDriver['subscription'];
  defaultPaymentMethod: PaymentMethod | null;
  taxIds: TaxId[];
  openInvoice: boolean;
}

/** The name under which a row lives in the customer's cache. */
export const ROW = 'account-row';

/** A customer's `retrieve` expansions for a row. */
export const ROW_EXPAND = [
  'subscriptions',
  'subscriptions.data.default_payment_method',
  'tax_ids',
  'invoice_settings.default_payment_method',
];

/** The same for each customer of a search page. */
export const SEARCH_EXPAND = ROW_EXPAND.map((path) => `data.${path}`);

const OVERDUE: ReadonlySet<string> = new Set(['past_due', 'unpaid']);

export function rowOf(customer: Stripe.Customer): AccountRow {
  const subscription = latestSubscription(customer.subscriptions?.data ?? []);
  const fromSubscription =
    subscription && isRunning(subscription) ? subscription.default_payment_method : null;
  const method = fromSubscription ?? customer.invoice_settings?.default_payment_method ?? null;
  const mapped = subscription ? toSubscription(subscription) : null;
  return {
    customerId: customer.id,
    name: customer.name ?? null,
    holderName: holderNameOf(customer),
    email: customer.email ?? null,
    locale: customer.preferred_locales?.[0] ?? null,
    carriers: grantsOf(customer.metadata).map(({email, grantedAt}) => ({email, grantedAt})),
    subscriptionStatus: (subscription?.status ?? null) as SubscriptionStatus | null,
    subscription: mapped && {
      status: mapped.status,
      currentPeriodEnd: mapped.currentPeriodEnd,
      amount: mapped.amount,
      currency: mapped.currency,
    },
    defaultPaymentMethod:
      method && typeof method === 'object' ? toPaymentMethod(method, idOf(method)) : null,
    taxIds: (customer.tax_ids?.data ?? []).map(toTaxId),
    openInvoice:
      customer.delinquent === true || (!!subscription && OVERDUE.has(subscription.status)),
  };
}

export function driverOf(row: AccountRow, access: AccountAccess): FleetDriver {
  return {
    customerId: row.customerId,
    name: row.holderName,
    email: row.email,
    access,
    subscription: row.subscription,
    defaultPaymentMethod: row.defaultPaymentMethod,
    billingName: row.name,
    taxIds: row.taxIds,
    openInvoice: row.openInvoice,
  };
}

export const summaryOfRow = (row: AccountRow, access: AccountAccess): AccountSummary => ({
  customerId: row.customerId,
  name: row.holderName,
  email: row.email,
  subscriptionStatus: row.subscriptionStatus,
  access,
});

/** Whether the row names `email` as a carrier: the one test of carrier access. */
export const namesCarrier = (row: AccountRow | null | undefined, email: string): boolean =>
  !!row && row.carriers.some((grant) => grant.email === email);
