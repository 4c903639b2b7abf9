import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {login, startPortal} from './harness.js';

describe('GET /api/account', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('shows the Gate Pass, the Visa card, the next renewal and two paid invoices of fahrer@', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const {body, status} = await client.get('/api/account');
    assert.equal(status, 200);
    assert.equal(body.subscription.status, 'active');
    assert.equal(body.subscription.planName, 'Gate Pass');
    assert.equal(body.subscription.interval, 'year');
    assert.ok(body.subscription.currentPeriodEnd > Date.now() / 1000);
    assert.equal(body.defaultPaymentMethod.type, 'card');
    assert.equal(body.defaultPaymentMethod.card.brand, 'visa');
    assert.match(body.defaultPaymentMethod.card.last4, /^\d{4}$/);
    assert.equal(body.defaultPaymentMethod.isDefault, true);
    assert.equal(body.upcomingInvoice.date, body.subscription.currentPeriodEnd);
    assert.equal(body.upcomingInvoice.total, body.subscription.amount);
    assert.equal(body.recentInvoices.length, 2);
    assert.ok(body.recentInvoices.every((i: {status: string}) => i.status === 'paid'));
    assert.ok(body.recentInvoices[0].created >= body.recentInvoices[1].created, 'newest first');
  });

  it('shows the PayPal address as the payment method of paypal@', async () => {
    const client = await login(portal, 'paypal@example.com');
    const {body} = await client.get('/api/account');
    assert.equal(body.defaultPaymentMethod.type, 'paypal');
    assert.match(body.defaultPaymentMethod.paypal.email, /@/);
  });

  it('shows the company, its verified VAT ID and the separate shipping address of firma@', async () => {
    const client = await login(portal, 'firma@example.com');
    const {body} = await client.get('/api/account');
    assert.match(body.customer.name, /GmbH/);
    assert.equal(body.customer.address.country, 'DE');
    assert.equal(body.customer.taxIds[0].type, 'eu_vat');
    assert.match(body.customer.taxIds[0].value, /^DE\d{9}$/);
    assert.equal(body.customer.taxIds[0].verification.status, 'verified');
    assert.ok(body.customer.shipping.address.line1);
    assert.notEqual(body.customer.shipping.address.line1, body.customer.address.line1);
  });

  it('shows the past-due Gate Pass and its open invoice with a Stripe pay link for offen@', async () => {
    const client = await login(portal, 'offen@example.com');
    const {body} = await client.get('/api/account');
    assert.equal(body.subscription.status, 'past_due');
    const open = body.recentInvoices.find((i: {status: string}) => i.status === 'open');
    assert.ok(open);
    assert.match(open.payUrl, /^https:\/\/[a-z.]*stripe\.com\//);
  });

  it('answers a customer without subscription with nulls, not an error (ohne-abo@)', async () => {
    const client = await login(portal, 'ohne-abo@example.com');
    const {body, status} = await client.get('/api/account');
    assert.equal(status, 200);
    assert.equal(body.subscription, null);
    assert.equal(body.defaultPaymentMethod, null);
    assert.equal(body.upcomingInvoice, null);
    assert.deepEqual(body.recentInvoices, []);
  });
});

describe('GET /api/payment-methods', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('lists the methods of the active customer with the default marked', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const {body} = await client.get('/api/payment-methods');
    assert.ok(body.paymentMethods.length >= 1);
    assert.equal(body.paymentMethods.filter((m: {isDefault: boolean}) => m.isDefault).length, 1);
    assert.equal(body.paymentMethods[0].isDefault, true, 'default first');
    assert.equal(body.paymentMethods[0].card.brand, 'visa');
  });
});

describe('GET /api/invoices', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('pages through every invoice newest first without overlap', async () => {
    const client = await login(portal, 'viele@example.com');
    const seen: Array<{id: string; created: number}> = [];
    let startingAfter = '';
    for (let page = 0; page < 10; page++) {
      const query = `limit=5${startingAfter ? `&startingAfter=${startingAfter}` : ''}`;
      const {body, status} = await client.get(`/api/invoices?${query}`);
      assert.equal(status, 200);
      seen.push(...body.invoices);
      if (!body.hasMore) break;
      startingAfter = body.invoices.at(-1).id;
    }
    assert.ok(seen.length >= 12, `saw ${seen.length}`);
    assert.equal(new Set(seen.map((i) => i.id)).size, seen.length);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].created >= seen[i].created);
  });

  it('refuses a limit outside 1–100 and unknown parameters', async () => {
    const client = await login(portal, 'fahrer@example.com');
    assert.equal((await client.get('/api/invoices?limit=0')).status, 400);
    assert.equal((await client.get('/api/invoices?limit=1000')).status, 400);
    assert.equal((await client.get('/api/invoices?customer=cus_x')).status, 400);
  });

  it("answers 404 for another customer's invoice, as a cursor and as a PDF", async () => {
    const owner = await login(portal, 'paypal@example.com');
    const theirs = (await owner.get('/api/invoices')).body.invoices[0].id;
    const client = await login(portal, 'zwei@example.com');
    const pdf = await client.get(`/api/invoices/${theirs}/pdf`);
    assert.equal(pdf.status, 404);
    assert.equal(pdf.body.error.code, 'not_found');
    const cursor = await client.get(`/api/invoices?startingAfter=${theirs}`);
    assert.equal(cursor.status, 404);
    const missing = await client.get('/api/invoices/in_doesnotexist/pdf');
    assert.deepEqual(missing.body, pdf.body, 'not distinguishable from a missing invoice');
  });
});
