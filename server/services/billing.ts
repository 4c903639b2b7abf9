import type Stripe from 'stripe';
import type {
  AccountResponse,
  AccountSummary,
  InvoicesResponse,
  PaymentMethodsResponse,
  SubscriptionStatus,
} from '../../common/contract.js';
import {notFound} from '../errors.js';
import type {CustomerCache, CustomerCacheView, JsonText} from './customer-cache.js';
import {ROW_EXPAND, SEARCH_EXPAND} from './account-rows.js';
import {holderNameOf} from './holder-name.js';
import {SEARCH_LAG_SECONDS} from './recent-grants.js';
import type {ProductNames} from './product-names.js';
import {
  idOf,
  isRunning,
  latestSubscription,
  productIdOf,
  toCustomer,
  toInvoice,
  toPaymentMethod,
  toSubscription,
  toUpcomingInvoice,
} from './stripe-mappers.js';

const RECENT_INVOICES = 5;

/**
 * Reads of the dashboard, always for one customer the session holds. Stripe is the record;
 * what the dashboard reads is cached per customer (`customer-cache.ts`) until a write of the
 * portal or a Stripe event about the customer invalidates it, or its TTL ends.
 */
export class BillingService {
  constructor(
    private readonly stripe: Stripe,
    private readonly cache: CustomerCache,
    private readonly products: ProductNames,
  ) {}

  /**
   * Live customers whose address is exactly `email` (normalized), oldest first, each with what
   * the dashboard reads of it (`ROW_EXPAND`). `customers.list` is consistent (a Gate Pass bought a
   * second ago is found); an address stored with capitals is found by the login's search instead
   * (`HeldAccounts.loginLookup`).
   */
  async findCustomersByEmail(email: string): Promise<Stripe.Customer[]> {
    const listed = await this.stripe.customers.list({email, limit: 100, expand: SEARCH_EXPAND});
    return listed.data
      .filter((c) => !('deleted' in c && c.deleted) && c.email)
      .sort((a, b) => a.created - b.created);
  }

  /**
   * Keeps what the dashboard will read of `customers`, which a login's look-up found in a Stripe
   * answer (with `ROW_EXPAND`) asked for at `askedAt` (ms): the session and the overview that
   * follow the link then need no request for them. Skipped for a customer whose subscriptions the
   * answer does not settle, or that changed since the answer may have been made: since `askedAt`
   * for a list (consistent), within the search index's lag for a search, whose answer may show
   * a customer as it was (`SEARCH_LAG_SECONDS`).
   */
  async keepFound(
    customers: Stripe.Customer[],
    {askedAt, bySearch}: {askedAt: number; bySearch: boolean},
  ): Promise<void> {
    const since = bySearch ? askedAt - SEARCH_LAG_SECONDS * 1000 : askedAt;
    await Promise.all(
      customers.map(async (customer) => {
        const base = baseOf(customer);
        if (!base) return;
        const cache = await this.cache.open(customer.id);
        if (cache.unchangedSince(since)) await cache.through(BASE, async () => base);
      }),
    );
  }

  /** Name, address and Gate Pass status of each account of a session, cached per customer. */
  async accountSummaries(customerIds: string[]): Promise<AccountSummary[]> {
    return Promise.all(
      customerIds.map(async (customerId) => {
        const cache = await this.cache.open(customerId);
        return cache.through('summary', async () => summaryOf(customerId, await this.#base(cache)));
      }),
    );
  }

  /**
   * The overview, in one parallel round of Stripe calls when nothing is cached: the upcoming
   * invoice is asked for by customer (Stripe previews the subscription that renews next), so
   * it does not wait for the subscription list. The Gate Pass's name is its product's
   * (`ProductNames`, kept for all customers): one more round only when that is not cached.
   */
  async account(customerId: string): Promise<AccountResponse> {
    return JSON.parse(await this.accountJson(customerId)) as AccountResponse;
  }

  /** `account()` as JSON text: a cached answer goes out without being parsed and serialized. */
  async accountJson(customerId: string): Promise<JsonText<AccountResponse>> {
    const cache = await this.cache.open(customerId);
    return cache.json('account', async (): Promise<AccountResponse> => {
      const known = await cache.get<Base>(BASE);
      const knownNext = known && renewing(known);
      const knownProduct = known ? productIdOf(latestSubscription(known.subscriptions)) : null;
      const [base, invoices, preview, knownName] = await Promise.all([
        known ?? this.#base(cache, {missing: true}),
        this.stripe.invoices.list({customer: customerId, limit: RECENT_INVOICES}),
        // With the subscriptions known (e.g. from the login's summary), only a Gate Pass that
        // renews is previewed, and exactly that one.
        known
          ? knownNext
            ? this.#preview(customerId, knownNext.id)
            : null
          : this.#preview(customerId),
        knownProduct ? this.products.of(knownProduct) : null,
      ]);
      const subscription = latestSubscription(base.subscriptions);
      const defaultMethod = defaultMethodOf(base.customer, subscription);
      const defaultId = idOf(defaultMethod);
      const next = renewing(base);
      const previewed = next && preview && previewedSubscription(preview) === next.id;
      const product = productIdOf(subscription);
      const [upcoming, productName] = await Promise.all([
        // Another running subscription renews before the latest one (rare): ask for this one.
        next && !previewed ? this.#preview(customerId, next.id) : previewed ? preview : null,
        product === knownProduct ? knownName : product ? this.products.of(product) : null,
      ]);
      return {
        customer: toCustomer(base.customer),
        subscription: subscription ? toSubscription(subscription, productName) : null,
        defaultPaymentMethod:
          defaultMethod && typeof defaultMethod === 'object'
            ? toPaymentMethod(defaultMethod, defaultId)
            : null,
        upcomingInvoice: upcoming ? toUpcomingInvoice(upcoming) : null,
        recentInvoices: invoices.data.filter((i) => i.status !== 'draft').map(toInvoice),
      };
    });
  }

  async paymentMethodsJson(customerId: string): Promise<JsonText<PaymentMethodsResponse>> {
    const cache = await this.cache.open(customerId);
    return cache.json('payment-methods', async (): Promise<PaymentMethodsResponse> => {
      const [base, methods] = await Promise.all([
        this.#base(cache),
        this.stripe.customers.listPaymentMethods(customerId, {limit: 100}),
      ]);
      const defaultId = idOf(
        defaultMethodOf(base.customer, latestSubscription(base.subscriptions)),
      );
      const paymentMethods = methods.data
        .map((pm) => toPaymentMethod(pm, defaultId))
        .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
      return {paymentMethods};
    });
  }

  /** A page of invoices; the first page (what the section opens with) is cached. */
  async invoicesJson(
    customerId: string,
    page: {limit: number; startingAfter?: string},
  ): Promise<JsonText<InvoicesResponse>> {
    const load = async (): Promise<InvoicesResponse> => {
      // The cursor's owner is checked alongside the list, not before it: one round, and the
      // list is thrown away when the cursor is another customer's.
      const [, list] = await Promise.all([
        page.startingAfter ? this.invoiceOf(customerId, page.startingAfter) : null,
        this.stripe.invoices.list({
          customer: customerId,
          limit: page.limit,
          ...(page.startingAfter ? {starting_after: page.startingAfter} : {}),
        }),
      ]);
      return {
        invoices: list.data.filter((i) => i.status !== 'draft').map(toInvoice),
        hasMore: list.has_more,
      };
    };
    if (page.startingAfter) return JSON.stringify(await load());
    const cache = await this.cache.open(customerId);
    return cache.json(`invoices:${page.limit}`, load);
  }

  /**
   * The invoice if it is the customer's; otherwise `404`, exactly as if it did not exist. A draft
   * is `404` too unless `includeDrafts` (the e-invoice answers it `409`).
   */
  async invoiceOf(
    customerId: string,
    invoiceId: string,
    {includeDrafts = false}: {includeDrafts?: boolean} = {},
  ): Promise<Stripe.Invoice> {
    if (!/^in_[A-Za-z0-9]+$/.test(invoiceId)) throw notFound('No such invoice');
    const invoice = await this.stripe.invoices.retrieve(invoiceId).catch((error: unknown) => {
      if ((error as {statusCode?: number}).statusCode === 404) return null;
      throw error;
    });
    if (
      !invoice ||
      idOf(invoice.customer) !== customerId ||
      (invoice.status === 'draft' && !includeDrafts)
    ) {
      throw notFound('No such invoice');
    }
    return invoice;
  }

  /**
   * The customer (tax IDs and default method expanded) and its subscriptions (default method
   * expanded; each item's price comes with it, its product as an ID): what the summary, the
   * overview and the payment methods share. `missing`: the caller found no cached copy just now.
   *
   * One request when the customer's current subscriptions (Stripe includes them on request)
   * settle which is the latest Gate Pass; a second for the full list only when they do not
   * (none running: a cancelled one may be the latest).
   */
  #base(cache: CustomerCacheView, {missing = false} = {}): Promise<Base> {
    const load = async (): Promise<Base> => {
      const customer = await this.#customer(cache.customerId);
      return (
        baseOf(customer) ?? {
          customer: withoutSubscriptions(customer),
          subscriptions: await this.#subscriptions(cache.customerId),
        }
      );
    };
    return missing ? cache.fill(BASE, load) : cache.through(BASE, load);
  }

  /** The upcoming invoice (of `subscription`, else of the one renewing next), or `null`. */
  async #preview(customerId: string, subscription?: string): Promise<Stripe.Invoice | null> {
    return this.stripe.invoices
      .createPreview({customer: customerId, ...(subscription ? {subscription} : {})})
      .catch((error: unknown) => {
        // No preview (nothing left to bill, no subscription) is not an error of the dashboard.
        if ((error as {type?: string}).type === 'StripeInvalidRequestError') return null;
        throw error;
      });
  }

  async #customer(customerId: string): Promise<Stripe.Customer> {
    const customer = await this.stripe.customers.retrieve(customerId, {expand: ROW_EXPAND});
    if ('deleted' in customer && customer.deleted) throw notFound('No such customer');
    return customer;
  }

  async #subscriptions(customerId: string): Promise<Stripe.Subscription[]> {
    const list = await this.stripe.subscriptions.list({
      customer: customerId,
      status: 'all',
      limit: 10,
      // Not `data.items.data.price.product`: five levels, which Stripe refuses (four at most).
      expand: ['data.default_payment_method'],
    });
    return list.data;
  }
}

/** What `#base` reads of a customer, cached as Stripe sent it. */
interface Base {
  customer: Stripe.Customer;
  subscriptions: Stripe.Subscription[];
}
const BASE = 'stripe-base';

/**
 * The `Base` of a customer read with `ROW_EXPAND`, when its included subscriptions settle the
 * latest Gate Pass: Stripe includes the current ones only ("The customer's current
 * subscriptions, if any", https://docs.stripe.com/api/customers/object#customer_object-subscriptions),
 * so only a running one among them (all of them, no further page) is the one a full list would
 * give `latestSubscription` too. `null` otherwise.
 */
function baseOf(customer: Stripe.Customer): Base | null {
  const included = customer.subscriptions;
  if (!included || included.has_more || !included.data.some(isRunning)) return null;
  return {customer: withoutSubscriptions(customer), subscriptions: included.data};
}

/** The customer without its included subscriptions: `Base` keeps those once. */
function withoutSubscriptions(customer: Stripe.Customer): Stripe.Customer {
  const {subscriptions: _included, ...rest} = customer;
  return rest;
}

function summaryOf(customerId: string, {customer, subscriptions}: Base): AccountSummary {
  return {
    customerId,
    name: holderNameOf(customer),
    email: customer.email ?? null,
    subscriptionStatus: (latestSubscription(subscriptions)?.status ??
      null) as SubscriptionStatus | null,
    access: 'owner',
  };
}

/** The latest Gate Pass if a renewal is still to come (the overview shows its invoice). */
function renewing({subscriptions}: Base): Stripe.Subscription | null {
  const subscription = latestSubscription(subscriptions);
  return subscription && isRunning(subscription) && !subscription.cancel_at_period_end
    ? subscription
    : null;
}

const previewedSubscription = (preview: Stripe.Invoice): string | null =>
  idOf(preview.parent?.subscription_details?.subscription ?? null);

/** The method the next renewal charges: the subscription's own default first, as Stripe does. */
function defaultMethodOf(customer: Stripe.Customer, subscription: Stripe.Subscription | null) {
  const fromSubscription =
    subscription && isRunning(subscription) ? subscription.default_payment_method : null;
  return fromSubscription ?? customer.invoice_settings?.default_payment_method ?? null;
}
