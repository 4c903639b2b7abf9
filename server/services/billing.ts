import type Stripe from 'stripe';
import type {
  AccountResponse,
  AccountSummary,
  InvoicesResponse,
  PaymentMethodsResponse,
  SubscriptionStatus,
} from '../contract.js';
import {notFound} from '../errors.js';
import {
  idOf,
  isRunning,
  latestSubscription,
  toCustomer,
  toInvoice,
  toPaymentMethod,
  toSubscription,
  toUpcomingInvoice,
} from './stripe-mappers.js';

const RECENT_INVOICES = 5;

/** Reads of the dashboard, always for one customer the session holds. Stripe is the record. */
export class BillingService {
  constructor(private readonly stripe: Stripe) {}

  /**
   * Live customers whose address is `email` (normalized). `customers.list` matches exactly, so
   * an address stored with capitals is found through the (eventually consistent) search.
   */
  async findCustomersByEmail(email: string): Promise<Array<{id: string; email: string}>> {
    const listed = await this.stripe.customers.list({email, limit: 100});
    let customers = listed.data;
    if (customers.length === 0) {
      const found = await this.stripe.customers.search({
        query: `email:'${email.replace(/['\\]/g, '\\$&')}'`,
        limit: 100,
      });
      customers = found.data.filter(
        (c) => c.email?.trim().normalize('NFKC').toLowerCase() === email,
      );
    }
    return customers
      .filter((c) => !('deleted' in c && c.deleted) && c.email)
      .sort((a, b) => a.created - b.created)
      .map((c) => ({id: c.id, email: c.email!}));
  }

  async accountSummaries(customerIds: string[]): Promise<AccountSummary[]> {
    return Promise.all(
      customerIds.map(async (customerId) => {
        const [customer, subscriptions] = await Promise.all([
          this.#customer(customerId, []),
          this.#subscriptions(customerId, []),
        ]);
        const latest = latestSubscription(subscriptions);
        return {
          customerId,
          name: customer.name ?? null,
          email: customer.email ?? null,
          subscriptionStatus: (latest?.status ?? null) as SubscriptionStatus | null,
        };
      }),
    );
  }

  async account(customerId: string): Promise<AccountResponse> {
    const [customer, subscriptions, invoices] = await Promise.all([
      this.#customer(customerId, ['tax_ids', 'invoice_settings.default_payment_method']),
      this.#subscriptions(customerId, [
        'data.default_payment_method',
        'data.items.data.price.product',
      ]),
      this.stripe.invoices.list({customer: customerId, limit: RECENT_INVOICES}),
    ]);
    const subscription = latestSubscription(subscriptions);
    const defaultMethod = this.#defaultMethod(customer, subscription);
    const defaultId = idOf(defaultMethod);
    const upcoming =
      subscription && isRunning(subscription) && !subscription.cancel_at_period_end
        ? await this.stripe.invoices
            .createPreview({customer: customerId, subscription: subscription.id})
            .catch((error: unknown) => {
              // No preview (e.g. nothing left to bill) is not an error of the dashboard.
              if ((error as {type?: string}).type === 'StripeInvalidRequestError') return null;
              throw error;
            })
        : null;
    return {
      customer: toCustomer(customer),
      subscription: subscription ? toSubscription(subscription) : null,
      defaultPaymentMethod:
        defaultMethod && typeof defaultMethod === 'object'
          ? toPaymentMethod(defaultMethod, defaultId)
          : null,
      upcomingInvoice: upcoming ? toUpcomingInvoice(upcoming) : null,
      recentInvoices: invoices.data.filter((i) => i.status !== 'draft').map(toInvoice),
    };
  }

  async paymentMethods(customerId: string): Promise<PaymentMethodsResponse> {
    const [customer, subscriptions, methods] = await Promise.all([
      this.#customer(customerId, []),
      this.#subscriptions(customerId, []),
      this.stripe.customers.listPaymentMethods(customerId, {limit: 100}),
    ]);
    const defaultId = idOf(this.#defaultMethod(customer, latestSubscription(subscriptions)));
    const paymentMethods = methods.data
      .map((pm) => toPaymentMethod(pm, defaultId))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    return {paymentMethods};
  }

  async invoices(
    customerId: string,
    page: {limit: number; startingAfter?: string},
  ): Promise<InvoicesResponse> {
    if (page.startingAfter) await this.invoiceOf(customerId, page.startingAfter);
    const list = await this.stripe.invoices.list({
      customer: customerId,
      limit: page.limit,
      ...(page.startingAfter ? {starting_after: page.startingAfter} : {}),
    });
    return {
      invoices: list.data.filter((i) => i.status !== 'draft').map(toInvoice),
      hasMore: list.has_more,
    };
  }

  /** The invoice if it is the customer's; otherwise `404`, exactly as if it did not exist. */
  async invoiceOf(customerId: string, invoiceId: string): Promise<Stripe.Invoice> {
    if (!/^in_[A-Za-z0-9]+$/.test(invoiceId)) throw notFound('No such invoice');
    const invoice = await this.stripe.invoices.retrieve(invoiceId).catch((error: unknown) => {
      if ((error as {statusCode?: number}).statusCode === 404) return null;
      throw error;
    });
    if (!invoice || idOf(invoice.customer) !== customerId || invoice.status === 'draft') {
      throw notFound('No such invoice');
    }
    return invoice;
  }

  /** The method the next renewal charges: the subscription's own default first, as Stripe does. */
  #defaultMethod(customer: Stripe.Customer, subscription: Stripe.Subscription | null) {
    const fromSubscription =
      subscription && isRunning(subscription) ? subscription.default_payment_method : null;
    return fromSubscription ?? customer.invoice_settings?.default_payment_method ?? null;
  }

  async #customer(customerId: string, expand: string[]): Promise<Stripe.Customer> {
    const customer = await this.stripe.customers.retrieve(
      customerId,
      expand.length ? {expand} : {},
    );
    if ('deleted' in customer && customer.deleted) throw notFound('No such customer');
    return customer as Stripe.Customer;
  }

  async #subscriptions(customerId: string, expand: string[]): Promise<Stripe.Subscription[]> {
    const list = await this.stripe.subscriptions.list({
      customer: customerId,
      status: 'all',
      limit: 10,
      ...(expand.length ? {expand} : {}),
    });
    return list.data;
  }
}
