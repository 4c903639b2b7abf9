import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {
  renewSubscriptions,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
} from '../../demo/stripe-emulator/index.js';
import {type Client, loadDashboard, login, startPortalWithStripe, type Portal} from './harness.js';

const nextYear = String(new Date().getUTCFullYear() + 2);

/** Everything the dashboard reads, as it reads it. */
async function dashboard(client: Client) {
  const {session, account, methods, invoices} = await loadDashboard(client);
  return {
    session,
    account,
    methods: methods.paymentMethods as Array<{id: string; isDefault: boolean}>,
    invoices: invoices.invoices as Array<{id: string; status: string}>,
  };
}

/**
 * Loads the dashboard and proves it is cached (a second load asks Stripe nothing), so that
 * what a later load shows can only come from an invalidation.
 */
async function warm(portal: Portal, client: Client) {
  await dashboard(client);
  await portal.emulator!.webhooksIdle();
  const count = portal.emulator!.requestCount();
  const cached = await dashboard(client);
  assert.equal(portal.emulator!.requestCount(), count, 'the dashboard is cached');
  return cached;
}

describe('Cache invalidation by the portal’s own writes (webhooks off)', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => {
    ({portal, stripe} = await startPortalWithStripe());
    // Only the portal's own invalidation can make these changes visible.
    portal.emulator!.setWebhookEndpoint(null);
  });
  after(() => portal.close());

  it('completing a SetupIntent shows the new default method', async () => {
    const client = await login(portal, SEEDED_EMAILS.card);
    const before = await warm(portal, client);
    const created = await client.post('/api/payment-methods/setup-intents', {});
    const clientSecret = created.body.clientSecret as string;
    const setupIntentId = clientSecret.slice(0, clientSecret.indexOf('_secret_'));
    const confirmed = await fetch(
      `${portal.url}/dev/stripe/v1/setup_intents/${setupIntentId}/confirm`,
      {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({
          key: 'pk_test_demo',
          client_secret: clientSecret,
          'payment_method_data[type]': 'card',
          'payment_method_data[card][number]': '5555555555554444',
          'payment_method_data[card][exp_month]': '12',
          'payment_method_data[card][exp_year]': nextYear,
          'payment_method_data[card][cvc]': '123',
        }).toString(),
      },
    );
    assert.equal(confirmed.status, 200);
    const completed = await client.post('/api/payment-methods/setup-intents/complete', {
      setupIntentId,
    });
    assert.equal(completed.status, 200);
    const pmId = completed.body.paymentMethod.id as string;
    assert.notEqual(before.account.defaultPaymentMethod.id, pmId);

    const after = await dashboard(client);
    assert.equal(after.account.defaultPaymentMethod.id, pmId);
    assert.equal(after.methods[0].id, pmId);
    assert.equal(after.methods.length, before.methods.length + 1);
  });

  it('choosing another default shows it, and removing a method drops it', async () => {
    const client = await login(portal, SEEDED_EMAILS.paypal);
    const customerId = SEEDED_CUSTOMER_IDS.paypal;
    const card = await stripe.paymentMethods.attach('pm_card_mastercard', {customer: customerId});
    const before = await warm(portal, client);
    const previous = before.account.defaultPaymentMethod.id as string;

    const chosen = await client.post(`/api/payment-methods/${card.id}/default`, {});
    assert.equal(chosen.status, 200);
    const afterDefault = await dashboard(client);
    assert.equal(afterDefault.account.defaultPaymentMethod.id, card.id);
    assert.deepEqual(
      afterDefault.methods.filter((m) => m.isDefault).map((m) => m.id),
      [card.id],
    );

    await warm(portal, client);
    const removed = await client.delete(`/api/payment-methods/${previous}`);
    assert.equal(removed.status, 204);
    const afterRemoval = await dashboard(client);
    assert.ok(!afterRemoval.methods.some((m) => m.id === previous));
  });

  it('saving billing details shows them', async () => {
    const client = await login(portal, SEEDED_EMAILS.company);
    await warm(portal, client);
    const holder = (await dashboard(client)).session.accounts[0].name;
    const saved = await client.request('PUT', '/api/billing-details', {
      body: {
        name: 'Neuer Name GmbH',
        phone: null,
        address: {line1: 'Am Kaiserkai 10', postalCode: '20457', city: 'Hamburg', country: 'DE'},
        shipping: null,
        taxId: null,
      },
    });
    assert.equal(saved.status, 200);
    const after = await dashboard(client);
    assert.equal(after.account.customer.name, 'Neuer Name GmbH');
    assert.deepEqual(after.account.customer.taxIds, []);
    // The session names the Gate Pass's holder, which a company's invoice name does not change
    // (docs/carrier-access.md, „The driver's own name").
    assert.equal(after.session.accounts[0].name, holder);
  });

  it('a write that fails halfway still invalidates', async () => {
    const client = await login(portal, SEEDED_EMAILS.failedRenewal);
    await warm(portal, client);
    // Stripe changes the customer behind the portal's back (no webhook), then a portal write
    // fails: what the dashboard shows next must be read again.
    await stripe.customers.update(SEEDED_CUSTOMER_IDS.failedRenewal, {name: 'Geändert'});
    portal.emulator!.failNext(10, 500);
    const failed = await client.request('PUT', '/api/billing-details', {
      body: {
        name: 'Egal',
        phone: null,
        address: {line1: 'Weg 1', postalCode: '20457', city: 'Hamburg', country: 'DE'},
        shipping: null,
        taxId: null,
      },
    });
    assert.equal(failed.status, 503);
    portal.emulator!.state.http.pendingFaults.length = 0;
    assert.equal((await dashboard(client)).account.customer.name, 'Geändert');
  });
});

describe('Cache invalidation by Stripe webhooks (changes made in Stripe)', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  const settle = () => portal.emulator!.webhooksIdle();

  it('customer.updated: a new name', async () => {
    const client = await login(portal, SEEDED_EMAILS.card);
    await warm(portal, client);
    await stripe.customers.update(SEEDED_CUSTOMER_IDS.card, {name: 'Jana Kowalska'});
    await settle();
    const after = await dashboard(client);
    assert.equal(after.account.customer.name, 'Jana Kowalska');
    assert.equal(after.session.accounts[0].name, 'Jana Kowalska');
  });

  it('customer.tax_id.created, .updated (verification) and .deleted', async () => {
    const client = await login(portal, SEEDED_EMAILS.card);
    const customerId = SEEDED_CUSTOMER_IDS.card;
    portal.emulator!.state.taxIdVerificationDelayMs = 60_000;
    await warm(portal, client);
    const taxId = await stripe.customers.createTaxId(customerId, {
      type: 'eu_vat',
      value: 'DE123456789',
    });
    await settle();
    let shown = (await dashboard(client)).account.customer.taxIds;
    assert.deepEqual(
      shown.map((t: any) => [t.id, t.verification?.status]),
      [
        ...shown
          .filter((t: any) => t.id !== taxId.id)
          .map((t: any) => [t.id, t.verification?.status]),
        [taxId.id, 'pending'],
      ],
    );

    await warm(portal, client);
    // Stripe's check of the VAT ID finishes (the emulator settles it when it is next read).
    portal.emulator!.state.taxIdVerificationDelayMs = 0;
    await stripe.customers.retrieveTaxId(customerId, taxId.id);
    await settle();
    shown = (await dashboard(client)).account.customer.taxIds;
    assert.notEqual(shown.find((t: any) => t.id === taxId.id)?.verification?.status, 'pending');

    await warm(portal, client);
    await stripe.customers.deleteTaxId(customerId, taxId.id);
    await settle();
    shown = (await dashboard(client)).account.customer.taxIds;
    assert.ok(!shown.some((t: any) => t.id === taxId.id));
  });

  it('payment_method.attached and .detached', async () => {
    const client = await login(portal, SEEDED_EMAILS.company);
    const customerId = SEEDED_CUSTOMER_IDS.company;
    await warm(portal, client);
    const card = await stripe.paymentMethods.attach('pm_card_amex', {customer: customerId});
    await settle();
    assert.ok((await dashboard(client)).methods.some((m) => m.id === card.id));

    await warm(portal, client);
    await stripe.paymentMethods.detach(card.id);
    await settle();
    assert.ok(!(await dashboard(client)).methods.some((m) => m.id === card.id));
  });

  it('setup_intent.succeeded: a method added in Stripe', async () => {
    const client = await login(portal, SEEDED_EMAILS.paypal);
    await warm(portal, client);
    const intent = await stripe.setupIntents.create({
      customer: SEEDED_CUSTOMER_IDS.paypal,
      allowed_payment_method_types: ['card'],
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    assert.equal(intent.status, 'succeeded');
    await settle();
    const after = await dashboard(client);
    assert.ok(after.methods.some((m) => m.id === intent.payment_method));
  });

  it('customer.subscription.updated: cancelled at period end, no upcoming invoice', async () => {
    const client = await login(portal, SEEDED_EMAILS.manyInvoices);
    const before = await warm(portal, client);
    assert.ok(before.account.upcomingInvoice);
    await stripe.subscriptions.update(before.account.subscription.id, {
      cancel_at_period_end: true,
    });
    await settle();
    const after = await dashboard(client);
    assert.equal(after.account.subscription.cancelAtPeriodEnd, true);
    assert.equal(after.account.upcomingInvoice, null);
  });

  it('invoice.created / .finalized / .paid: a renewal shows its invoice', async () => {
    const client = await login(portal, SEEDED_EMAILS.company);
    const before = await warm(portal, client);
    const [invoice] = renewSubscriptions(portal.emulator!.state, SEEDED_EMAILS.company).invoices;
    assert.equal(invoice?.status, 'paid');
    await settle();
    const after = await dashboard(client);
    assert.equal(after.account.recentInvoices[0].id, invoice.id);
    assert.equal(after.invoices[0].id, invoice.id);
    assert.equal(after.invoices.length, before.invoices.length + 1);
    assert.notEqual(
      after.account.subscription.currentPeriodEnd,
      before.account.subscription.currentPeriodEnd,
    );
  });

  it('invoice.payment_failed: a failed renewal shows the open invoice and past_due', async () => {
    const client = await login(portal, SEEDED_EMAILS.card);
    const customerId = SEEDED_CUSTOMER_IDS.card;
    const declining = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customerId,
    });
    const [subscription] = (await stripe.subscriptions.list({customer: customerId})).data;
    await stripe.subscriptions.update(subscription.id, {default_payment_method: declining.id});
    await settle();
    await warm(portal, client);
    const [invoice] = renewSubscriptions(portal.emulator!.state, SEEDED_EMAILS.card).invoices;
    assert.equal(invoice?.status, 'open');
    await settle();
    const after = await dashboard(client);
    assert.equal(after.account.recentInvoices[0].id, invoice.id);
    assert.equal(after.account.recentInvoices[0].status, 'open');
    assert.equal(after.account.subscription.status, 'past_due');
    assert.equal(after.session.accounts[0].subscriptionStatus, 'past_due');
  });
});
