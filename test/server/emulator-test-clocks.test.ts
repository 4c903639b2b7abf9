/**
 * Test clocks in the Stripe emulator, through the real `stripe` SDK
 * (https://docs.stripe.com/billing/testing/test-clocks, https://docs.stripe.com/api/test_clocks):
 * customers and their objects live at the clock's frozen time, advancing renews what falls due
 * the way `POST /dev/renew` does, and deleting the clock takes its customers with it.
 */
import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import type {StripeEmulator} from '../../demo/stripe-emulator/index.js';
import {TEST_CLOCK_ADVANCE_MS} from '../../demo/stripe-emulator/test-clocks.js';
import {createGatePassPrice, idOf, rejects, useEmulator} from './stripe-emulator-client.js';

const day = 86_400;

function addYears(ts: number, n: number): number {
  const d = new Date(ts * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime() / 1000;
}

function addMonths(ts: number, n: number): number {
  const d = new Date(ts * 1000);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.getTime() / 1000;
}

describe('Stripe emulator: test clocks', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let yearly: Stripe.Price;
  let monthly: Stripe.Price;
  /** A fixed moment well before now (15 January, noon UTC), so clock times stand out. */
  const start = Date.UTC(new Date().getUTCFullYear() - 1, 0, 15, 12) / 1000;

  useEmulator({}, async (started) => {
    ({emulator, stripe} = started);
    const product = await stripe.products.create({name: 'Gate Pass'});
    yearly = await createGatePassPrice(stripe, product.id, 'year', 14900);
    monthly = await createGatePassPrice(stripe, product.id, 'month', 1490);
  });

  /** A clock at `start` with one customer on it whose default card is a fresh Visa. */
  async function clockWithCustomer(email: string) {
    const clock = await stripe.testHelpers.testClocks.create({frozen_time: start, name: email});
    const customer = await stripe.customers.create({
      email,
      name: 'Uta Uhrig',
      address: {line1: 'Am Kai 1', postal_code: '20457', city: 'Hamburg', country: 'DE'},
      test_clock: clock.id,
    });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', {customer: customer.id});
    await stripe.customers.update(customer.id, {
      invoice_settings: {default_payment_method: pm.id},
    });
    return {clock, customer};
  }

  // https://docs.stripe.com/api/test_clocks/object and /create: `ready` at the frozen time;
  // the reference's example deletes the clock by itself a week after it was made.
  it('creates and retrieves a clock frozen at the time given', async () => {
    const clock = await stripe.testHelpers.testClocks.create({
      frozen_time: start,
      name: 'smoke run 1',
    });
    assert.match(clock.id, /^clock_/);
    assert.equal(clock.object, 'test_helpers.test_clock');
    assert.equal(clock.status, 'ready');
    assert.equal(clock.frozen_time, start);
    assert.equal(clock.name, 'smoke run 1');
    assert.equal(clock.livemode, false);
    assert.equal(clock.deletes_after, clock.created + 7 * day);
    assert.deepEqual(await stripe.testHelpers.testClocks.retrieve(clock.id), clock);

    const missing = await rejects(
      stripe.customers.create({email: 'x@example.com', test_clock: 'clock_missing'}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(missing.param, 'test_clock');
  });

  // https://docs.stripe.com/billing/testing/test-clocks: objects of a customer on a clock are
  // made at the clock's time; https://docs.stripe.com/api/customers/list#list_customers-test_clock
  // and https://docs.stripe.com/api/subscriptions/list#list_subscriptions-test_clock: lists leave
  // them out unless asked by clock (subscriptions: or by customer).
  it('creates a clock customer’s objects at the clock’s time and lists them only by clock', async () => {
    const email = 'clock-lists@example.com';
    const {clock, customer} = await clockWithCustomer(email);
    assert.equal(customer.created, start);
    assert.equal(customer.test_clock, clock.id);
    const taxId = await stripe.customers.createTaxId(customer.id, {
      type: 'eu_vat',
      value: 'DE000000000',
    });
    assert.equal(taxId.created, start);
    const setupIntent = await stripe.setupIntents.create({customer: customer.id});
    assert.equal(setupIntent.created, start);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: yearly.id}],
      expand: ['latest_invoice'],
    });
    assert.equal(sub.test_clock, clock.id);
    assert.equal(sub.start_date, start);
    assert.equal(sub.items.data[0]?.current_period_end, addYears(start, 1));
    const invoice = sub.latest_invoice as Stripe.Invoice;
    assert.equal(invoice.created, start);
    assert.equal(invoice.test_clock, clock.id);
    assert.equal(invoice.status, 'paid');

    assert.equal((await stripe.customers.list({email})).data.length, 0);
    const byClock = await stripe.customers.list({email, test_clock: clock.id});
    assert.deepEqual(
      byClock.data.map((c) => c.id),
      [customer.id],
    );
    const allSubscriptions = await stripe.subscriptions.list({limit: 100});
    assert.ok(!allSubscriptions.data.some((s) => s.id === sub.id));
    for (const filter of [{customer: customer.id}, {test_clock: clock.id}]) {
      const listed = await stripe.subscriptions.list(filter);
      assert.deepEqual(
        listed.data.map((s) => s.id),
        [sub.id],
      );
    }
    // The portal finds such a customer only through search (which Stripe fills with a lag).
    const found = await stripe.customers.search({query: `email:'${email}'`});
    assert.deepEqual(
      found.data.map((c) => c.id),
      [customer.id],
    );
  });

  // https://docs.stripe.com/api/test_clocks/advance: "Starts advancing a test clock … Advancement
  // is done when status changes to Ready"; a subscription period that ends meanwhile renews as
  // on https://docs.stripe.com/billing/testing/test-clocks (here: as renewSubscriptions does).
  it('answers advancing, then renews the period that ended and reads ready at the new time', async () => {
    const {clock, customer} = await clockWithCustomer('clock-renews@example.com');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: yearly.id}],
    });
    const periodEnd = addYears(start, 1);
    // Billing details changed before the renewal are the ones the renewal invoice carries.
    await stripe.customers.update(customer.id, {name: 'Uhrig Logistik GmbH'});

    const target = periodEnd + day;
    const advancing = await stripe.testHelpers.testClocks.advance(clock.id, {
      frozen_time: target,
    });
    assert.equal(advancing.status, 'advancing');
    assert.equal(advancing.frozen_time, start);
    assert.deepEqual(advancing.status_details, {advancing: {target_frozen_time: target}});

    const ready = await stripe.testHelpers.testClocks.retrieve(clock.id);
    assert.equal(ready.status, 'ready');
    assert.equal(ready.frozen_time, target);
    assert.deepEqual(ready.status_details, {});

    const renewed = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(renewed.status, 'active');
    assert.equal(renewed.items.data[0]?.current_period_start, periodEnd);
    assert.equal(renewed.items.data[0]?.current_period_end, addYears(start, 2));
    const invoices = await stripe.invoices.list({customer: customer.id});
    assert.equal(invoices.data.length, 2);
    const renewal = invoices.data[0];
    assert.equal(renewal.id, idOf(renewed.latest_invoice));
    assert.equal(renewal.billing_reason, 'subscription_cycle');
    assert.equal(renewal.status, 'paid');
    assert.equal(renewal.created, periodEnd);
    assert.equal(renewal.status_transitions.paid_at, periodEnd);
    assert.equal(renewal.test_clock, clock.id);
    assert.equal(renewal.customer_name, 'Uhrig Logistik GmbH');
    assert.deepEqual(renewal.lines.data[0]?.period, {start: periodEnd, end: addYears(start, 2)});
    assert.equal(renewal.period_start, start);
    assert.equal(renewal.period_end, periodEnd);
    const year = new Date(periodEnd * 1000).getUTCFullYear();
    assert.match(renewal.number ?? '', new RegExp(`^CONROO-${year}-\\d{4}$`));
  });

  it('settles an advance after a short time even when nobody reads the clock', async () => {
    const {clock, customer} = await clockWithCustomer('clock-unread@example.com');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: monthly.id}],
    });
    await stripe.testHelpers.testClocks.advance(clock.id, {frozen_time: addMonths(start, 1)});
    // Nobody reads the clock through the API: it settles by its own timer.
    for (
      let waited = 0;
      emulator.state.testClocks.get(clock.id)?.status !== 'ready';
      waited += 10
    ) {
      if (waited > TEST_CLOCK_ADVANCE_MS + 10_000) assert.fail('the advance never settled');
      await sleep(10);
    }
    const renewed = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(renewed.items.data[0]?.current_period_start, addMonths(start, 1));
  });

  // https://docs.stripe.com/api/test_clocks/advance#advance_test_clock-frozen_time: "Must be
  // after the test clock's current frozen time. Cannot be more than two intervals in the future
  // from the shortest subscription in this test clock. If there are no subscriptions in this
  // test clock, it cannot be more than two years in the future."
  it('refuses to go back, to go further than two intervals, and to advance while advancing', async () => {
    const empty = await stripe.testHelpers.testClocks.create({frozen_time: start});
    for (const frozen_time of [start, start - 1, addYears(start, 2) + 1]) {
      const refused = await rejects(
        stripe.testHelpers.testClocks.advance(empty.id, {frozen_time}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(refused.param, 'frozen_time');
    }

    const {clock, customer} = await clockWithCustomer('clock-limits@example.com');
    await stripe.subscriptions.create({customer: customer.id, items: [{price: monthly.id}]});
    const tooFar = await rejects(
      stripe.testHelpers.testClocks.advance(clock.id, {frozen_time: addMonths(start, 2) + 1}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(tooFar.param, 'frozen_time');
    await stripe.testHelpers.testClocks.advance(clock.id, {frozen_time: addMonths(start, 2)});
    await rejects(
      stripe.testHelpers.testClocks.advance(clock.id, {frozen_time: addMonths(start, 3)}),
      Stripe.errors.StripeInvalidRequestError,
    );
    const ready = await stripe.testHelpers.testClocks.retrieve(clock.id);
    assert.equal(ready.frozen_time, addMonths(start, 2));
    const invoices = await stripe.invoices.list({customer: customer.id});
    assert.equal(invoices.data.length, 3, 'the first invoice and two monthly renewals');
  });

  // https://docs.stripe.com/api/test_clocks/delete, and the test-clocks guide: deleting the
  // clock deletes the customers on it and their subscriptions.
  it('deletes its customers and their subscriptions with it', async () => {
    const {clock, customer} = await clockWithCustomer('clock-delete@example.com');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{price: yearly.id}],
    });
    const deleted = await stripe.testHelpers.testClocks.del(clock.id);
    assert.deepEqual(deleted, {id: clock.id, object: 'test_helpers.test_clock', deleted: true});

    const gone = await stripe.customers.retrieve(customer.id);
    assert.equal(gone.deleted, true);
    await rejects(stripe.subscriptions.retrieve(sub.id), Stripe.errors.StripeInvalidRequestError);
    const missing = await rejects(
      stripe.testHelpers.testClocks.retrieve(clock.id),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(missing.statusCode, 404);
    assert.equal(
      (await stripe.customers.list({test_clock: clock.id})).data.length,
      0,
      'no live customer is left on it',
    );
  });
});
