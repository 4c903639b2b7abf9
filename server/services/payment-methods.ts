import type Stripe from 'stripe';
import type {PaymentMethod, SetupIntentResponse} from '../../common/contract.js';
import type {Config} from '../config.js';
import {ApiError, notFound} from '../errors.js';
import type {CustomerCache} from './customer-cache.js';
import {idOf, isRunning, toPaymentMethod} from './stripe-mappers.js';

/**
 * „Zahlungsmethoden": SetupIntents for new methods and the default the next renewal charges.
 * Every object named by the client is checked against the session's customer first.
 */
export class PaymentMethodService {
  constructor(
    private readonly stripe: Stripe,
    private readonly config: Config['stripe'],
    /** Invalidated after every change, before the answer (also when a change failed halfway). */
    private readonly cache?: CustomerCache,
  ) {}

  async createSetupIntent(customerId: string): Promise<SetupIntentResponse> {
    const intent = await this.stripe.setupIntents.create({
      customer: customerId,
      usage: 'off_session',
      // Card and PayPal only, out of what the Dashboard enables (this API version refuses
      // payment_method_types).
      allowed_payment_method_types: ['card', 'paypal'],
      metadata: {source: 'conroo-billing-portal'},
    });
    return {
      clientSecret: intent.client_secret!,
      publishableKey: this.config.publishableKey,
      stripeJsUrl: this.config.stripeJsUrl?.toString() ?? null,
    };
  }

  /**
   * After the Payment Element (or the return from PayPal / 3-D Secure): the SetupIntent must be
   * the customer's and have succeeded; then its method pays the next renewal. Idempotent.
   */
  async completeSetup(customerId: string, setupIntentId: string): Promise<PaymentMethod> {
    if (!/^seti_[A-Za-z0-9]+$/.test(setupIntentId)) throw notFound('No such SetupIntent');
    const intent = await this.stripe.setupIntents
      .retrieve(setupIntentId, {expand: ['payment_method']})
      .catch(missingAsNull);
    if (!intent || idOf(intent.customer) !== customerId) throw notFound('No such SetupIntent');
    if (intent.status !== 'succeeded' || !intent.payment_method) {
      throw new ApiError(
        409,
        'setup_incomplete',
        `The SetupIntent is ${intent.status}, not succeeded`,
      );
    }
    const method = intent.payment_method as Stripe.PaymentMethod;
    // The method was attached when the intent succeeded: the cache is stale whatever follows.
    await this.#changing(customerId, () =>
      this.#makeDefault(customerId, method.id, `seti-${intent.id}`),
    );
    return toPaymentMethod(method, method.id);
  }

  async setDefault(customerId: string, paymentMethodId: string): Promise<PaymentMethod> {
    const method = await this.#ownMethod(customerId, paymentMethodId);
    await this.#changing(customerId, () => this.#makeDefault(customerId, method.id));
    return toPaymentMethod(method, method.id);
  }

  /** Detaches a method, unless it is the one paying a running Gate Pass; answers what it was. */
  async remove(customerId: string, paymentMethodId: string): Promise<PaymentMethod> {
    const method = await this.#ownMethod(customerId, paymentMethodId);
    const [customer, running] = await Promise.all([
      this.stripe.customers.retrieve(customerId) as Promise<Stripe.Customer>,
      this.#runningSubscriptions(customerId),
    ]);
    const paysRunning =
      running.length > 0 &&
      running.some(
        (s) =>
          (idOf(s.default_payment_method) ??
            idOf(customer.invoice_settings?.default_payment_method)) === method.id,
      );
    if (paysRunning) {
      throw new ApiError(
        409,
        'default_payment_method',
        'This method pays a running subscription; make another one the default first',
      );
    }
    await this.#changing(customerId, () => this.stripe.paymentMethods.detach(method.id));
    return toPaymentMethod(method, null);
  }

  /** Runs a change in Stripe, then forgets the customer's cached reads, even if it failed. */
  async #changing<T>(customerId: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      await this.cache?.invalidate(customerId);
    }
  }

  async #ownMethod(customerId: string, paymentMethodId: string): Promise<Stripe.PaymentMethod> {
    if (!/^pm_[A-Za-z0-9]+$/.test(paymentMethodId)) throw notFound('No such payment method');
    const method = await this.stripe.paymentMethods.retrieve(paymentMethodId).catch(missingAsNull);
    if (!method || idOf(method.customer) !== customerId) throw notFound('No such payment method');
    return method;
  }

  async #runningSubscriptions(customerId: string): Promise<Stripe.Subscription[]> {
    const list = await this.stripe.subscriptions.list({
      customer: customerId,
      status: 'all',
      limit: 20,
    });
    return list.data.filter(isRunning);
  }

  /** Stripe charges a subscription's own default first, so both are set. */
  async #makeDefault(customerId: string, paymentMethodId: string, idempotencyBase?: string) {
    const key = (what: string) =>
      idempotencyBase ? {idempotencyKey: `${idempotencyBase}-${what}`} : undefined;
    const [running] = await Promise.all([
      this.#runningSubscriptions(customerId),
      this.stripe.customers.update(
        customerId,
        {invoice_settings: {default_payment_method: paymentMethodId}},
        key('customer'),
      ),
    ]);
    await Promise.all(
      running.map((subscription) =>
        this.stripe.subscriptions.update(
          subscription.id,
          {default_payment_method: paymentMethodId},
          key(subscription.id),
        ),
      ),
    );
  }
}

function missingAsNull(error: unknown): null {
  if ((error as {statusCode?: number}).statusCode === 404) return null;
  throw error;
}
