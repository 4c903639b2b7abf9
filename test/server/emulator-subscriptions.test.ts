/**
 * Creating subscriptions in the Stripe emulator, through the real `stripe` SDK, with Stripe's
 * default `payment_behavior` (`allow_incomplete`): the first invoice is charged at once, and
 * the subscription is `active` or, when the card declines, `incomplete`.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import type {StripeEmulator} from '../../demo/stripe-emulator/index.js';
import {createGatePassPrice, idOf, rejects, useEmulator} from './stripe-emulator-client.js';

function addYears(ts: number, n: number): number {
  const d = new Date(ts * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime() / 1000;
}

describe('Stripe emulator: creating subscriptions', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let price: Stripe.Price;

  useEmulator({seed: false}, async (started) => {
    ({emulator, stripe} = started);
    const product = await stripe.products.create({name: 'Gate Pass'});
    price = await createGatePassPrice(stripe, product.id, 'year', 14900);
  });

  /** A customer whose default payment method is a fresh card of `token`. */
  async function customerPayingWith(token: string) {
    const customer = await stripe.customers.create({email: `${token}@example.com`, name: 'Ada'});
    const pm = await stripe.paymentMethods.attach(token, {customer: customer.id});
    await stripe.customers.update(customer.id, {
      invoice_settings: {default_payment_method: pm.id},
    });
    return {customer, pm};
  }

  // https://docs.stripe.com/api/subscriptions/create: with the default payment_behavior
  // (allow_incomplete) the first invoice is paid at once from the default payment method and
  // the subscription is active; that invoice bills the first period (billing_reason
  // subscription_create), and "looks back" no period: its own period_start/end are its date
  // (https://docs.stripe.com/api/invoices/object#invoice_object-period_end).
  it('starts an active subscription whose first invoice the customer’s default card paid', async () => {
    const {customer} = await customerPayingWith('pm_card_visa');
    const before = emulator.state.now();
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: price.id}],
      metadata: {conroo_smoke: 'run1'},
      expand: ['latest_invoice'],
    });
    assert.match(sub.id, /^sub_/);
    assert.equal(sub.status, 'active');
    assert.deepEqual(sub.metadata, {conroo_smoke: 'run1'});
    assert.equal(sub.default_payment_method, null, 'the customer’s default pays, not its own');
    assert.equal(sub.collection_method, 'charge_automatically');
    const item = sub.items.data[0];
    assert.equal(item.price.id, price.id);
    assert.ok(item.current_period_start >= before);
    assert.equal(item.current_period_end, addYears(item.current_period_start, 1));

    const invoice = sub.latest_invoice as Stripe.Invoice;
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.billing_reason, 'subscription_create');
    assert.equal(invoice.total, 14900);
    assert.equal(invoice.amount_paid, 14900);
    assert.equal(invoice.customer_name, 'Ada');
    assert.equal(invoice.parent?.subscription_details?.subscription, sub.id);
    assert.deepEqual(invoice.lines.data[0]?.period, {
      start: item.current_period_start,
      end: item.current_period_end,
    });
    assert.equal(invoice.period_start, invoice.created);
    assert.equal(invoice.period_end, invoice.created);
    assert.match(invoice.number ?? '', /^CONROO-\d{4}-\d{4}$/);

    const listed = await stripe.subscriptions.list({customer: customer.id});
    assert.deepEqual(
      listed.data.map((s) => s.id),
      [sub.id],
    );
    assert.equal(idOf(invoice.customer), customer.id);
  });

  // https://docs.stripe.com/testing#declined-payments: pm_card_chargeCustomerFail attaches,
  // and its charges fail; https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses:
  // a first payment that fails leaves the subscription incomplete and its invoice open.
  it('leaves the subscription incomplete and its first invoice open when the card declines', async () => {
    const {customer} = await customerPayingWith('pm_card_chargeCustomerFail');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: price.id}],
    });
    assert.equal(sub.status, 'incomplete');
    const invoice = await stripe.invoices.retrieve(idOf(sub.latest_invoice)!);
    assert.equal(invoice.status, 'open');
    assert.equal(invoice.amount_paid, 0);
    assert.equal(invoice.amount_remaining, 14900);
    assert.equal(invoice.attempt_count, 1);
  });

  // https://docs.stripe.com/billing/subscriptions/payment-methods-setting#payment-method-priority:
  // the subscription's own default_payment_method is charged before the customer's.
  it('charges the subscription’s own default payment method before the customer’s', async () => {
    const {customer} = await customerPayingWith('pm_card_chargeCustomerFail');
    const visa = await stripe.paymentMethods.attach('pm_card_visa', {customer: customer.id});
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: price.id}],
      default_payment_method: visa.id,
    });
    assert.equal(sub.status, 'active');
    assert.equal(sub.default_payment_method, visa.id);

    const stranger = await customerPayingWith('pm_card_mastercard');
    const foreign = await rejects(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{price: price.id}],
        default_payment_method: stranger.pm.id,
      }),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(foreign.param, 'default_payment_method');
  });

  it('refuses a customer without a payment method and an archived price, creating nothing', async () => {
    const customer = await stripe.customers.create({email: 'nothing@example.com'});
    const none = await rejects(
      stripe.subscriptions.create({customer: customer.id, items: [{price: price.id}]}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.match(none.message, /no attached payment source or default payment method/);

    const {customer: paying} = await customerPayingWith('pm_card_visa');
    const product = await stripe.products.create({name: 'Old pass'});
    const old = await stripe.prices.create({
      product: product.id,
      unit_amount: 9900,
      currency: 'eur',
      recurring: {interval: 'year'},
    });
    await stripe.prices.update(old.id, {active: false});
    const inactive = await rejects(
      stripe.subscriptions.create({customer: paying.id, items: [{price: old.id}]}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(inactive.param, 'items[0][price]');
    assert.match(inactive.message, /inactive/);

    for (const id of [customer.id, paying.id]) {
      const subs = await stripe.subscriptions.list({customer: id, status: 'all'});
      assert.equal(subs.data.length, 0);
    }
  });
});
