/**
 * Carrier access („Spedition"), security.md „Carrier access": only the owner gives and ends
 * access; a carrier holds exactly the Gate Passes that gave it access, and nothing else; an
 * ended access is 404 at the carrier's next request, in an open session and on another instance.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {MAX_CARRIERS} from '../../common/contract.js';
import {carrierAddress, grant, loginAs, loginWithNewestMail} from './carrier-harness.js';
import {decodeJwtPayload, SESSION_COOKIE, startPortalWithStripe, type Portal} from './harness.js';

describe('carrier access', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => {
    ({portal, stripe} = await startPortalWithStripe());
  });
  after(() => portal.close());

  it('lets the owner give access: kept in the customer metadata, listed, a carrier can log in with the mail', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.card);
    assert.deepEqual((await owner.get('/api/carrier-access')).body, {carriers: []});
    const carrier = carrierAddress();
    const given = await grant(portal, owner, `  ${carrier.toUpperCase()} `);
    assert.equal(given.email, carrier, 'normalized');
    const listed = await owner.get('/api/carrier-access');
    assert.deepEqual(listed.body, {carriers: [given]});
    const customer = (await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card)) as Stripe.Customer;
    assert.equal(customer.metadata.conroo_carrier_1, carrier);
    assert.equal(customer.metadata.conroo_carrier_1_at, String(given.grantedAt));

    const spedition = await loginWithNewestMail(portal, carrier);
    const jwt = decodeJwtPayload(spedition.cookies.get(SESSION_COOKIE)!);
    assert.deepEqual(jwt.cus, [], 'the JWT carries no carrier-held customer');
    const session = await spedition.get('/api/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.email, carrier);
    assert.equal(session.body.activeCustomerId, SEEDED_CUSTOMER_IDS.card);
    assert.deepEqual(
      session.body.accounts.map((a: {customerId: string; access: string}) => [
        a.customerId,
        a.access,
      ]),
      [[SEEDED_CUSTOMER_IDS.card, 'carrier']],
    );
    for (const path of ['/api/account', '/api/payment-methods', '/api/invoices']) {
      assert.equal((await spedition.get(path)).status, 200, path);
    }
    assert.deepEqual((await spedition.get('/api/carrier-access')).body, {carriers: [given]});
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
  });

  it('shows the owner its own accounts as owned', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.twoAccounts);
    const session = await owner.get('/api/session');
    assert.deepEqual(
      session.body.accounts.map((a: {access: string}) => a.access),
      ['owner', 'owner'],
    );
  });

  it('refuses a carrier what only the owner may: giving access on, ending another carrier’s, changing the e-mail', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.paypal);
    const first = carrierAddress();
    const second = carrierAddress();
    await grant(portal, owner, first);
    await grant(portal, owner, second);
    const spedition = await loginWithNewestMail(portal, first);

    const onward = await spedition.post('/api/carrier-access', {email: carrierAddress()});
    assert.equal(onward.status, 403);
    assert.equal(onward.body.error.code, 'owner_only');
    const other = await spedition.delete(`/api/carrier-access/${encodeURIComponent(second)}`);
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'owner_only');
    const own = await spedition.delete(`/api/carrier-access/${encodeURIComponent(first)}`);
    assert.equal(own.body.error.code, 'owner_only', 'a carrier leaves through DELETE /api/fleet');
    const listed = await spedition.get('/api/carrier-access');
    assert.deepEqual(
      listed.body.carriers.map((c: {email: string}) => c.email),
      [first],
      'a carrier sees no other carrier',
    );
    const email = await spedition.request('PUT', '/api/billing-details', {
      body: {
        name: 'Übernommen GmbH',
        email: 'attacker@example.com',
        address: {line1: 'Kai 1', postalCode: '20457', city: 'Hamburg', country: 'DE'},
        shipping: null,
        taxId: null,
      },
    });
    assert.equal(email.status, 422);
    assert.equal(email.body.error.fields.email.code, 'unknown_field');
    const customer = (await stripe.customers.retrieve(
      SEEDED_CUSTOMER_IDS.paypal,
    )) as Stripe.Customer;
    assert.equal(customer.email, SEEDED_EMAILS.paypal);
    assert.deepEqual((await owner.get('/api/carrier-access')).body.carriers.length, 2);
    for (const carrier of [first, second]) {
      await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    }
  });

  it('gives a carrier exactly the Gate Passes that gave it access: anything else is 404 or 403', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.company);
    const carrier = carrierAddress();
    await grant(portal, owner, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);
    const switched = await spedition.post('/api/session/account', {
      customerId: SEEDED_CUSTOMER_IDS.card,
    });
    assert.equal(switched.status, 403);
    const [foreign] = (await stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.card, limit: 1}))
      .data;
    assert.equal((await spedition.get(`/api/invoices/${foreign.id}/pdf`)).status, 404);
    const methods = await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.card);
    const answer = await spedition.post(`/api/payment-methods/${methods.data[0].id}/default`);
    assert.equal(answer.status, 404);
    assert.equal((await spedition.delete(`/api/fleet/${SEEDED_CUSTOMER_IDS.card}`)).status, 404);
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
  });

  it('refuses a grant to the owner’s own address, a malformed one, a repeated one and a fourth', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.manyInvoices);
    for (const email of [
      SEEDED_EMAILS.manyInvoices,
      ` ${SEEDED_EMAILS.manyInvoices.toUpperCase()}`,
    ]) {
      const own = await owner.post('/api/carrier-access', {email});
      assert.equal(own.status, 422);
      assert.equal(own.body.error.code, 'own_address');
    }
    for (const body of [{email: 'a@b@c.de'}, {email: 'x@y.de, z@w.de'}, {}, {email: 42}]) {
      const bad = await owner.post('/api/carrier-access', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body.error.code, 'invalid_email');
    }
    const carriers = Array.from({length: MAX_CARRIERS}, () => carrierAddress());
    await grant(portal, owner, carriers[0]);
    const again = await owner.post('/api/carrier-access', {email: carriers[0].toUpperCase()});
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'already_granted');
    for (const carrier of carriers.slice(1)) await grant(portal, owner, carrier);
    const fourth = await owner.post('/api/carrier-access', {email: carrierAddress()});
    assert.equal(fourth.status, 422);
    assert.equal(fourth.body.error.code, 'too_many_carriers');
    // Ending one frees its slot.
    assert.equal(
      (await owner.delete(`/api/carrier-access/${encodeURIComponent(carriers[1])}`)).status,
      204,
    );
    const fresh = carrierAddress();
    await grant(portal, owner, fresh);
    const customer = (await stripe.customers.retrieve(
      SEEDED_CUSTOMER_IDS.manyInvoices,
    )) as Stripe.Customer;
    assert.equal(customer.metadata.conroo_carrier_2, fresh);
    for (const carrier of [carriers[0], carriers[2], fresh]) {
      await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    }
    assert.deepEqual((await owner.get('/api/carrier-access')).body, {carriers: []});
  });

  it('ends an access at the carrier’s next request, in its open session: 404, then logged out', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.failedRenewal);
    const carrier = carrierAddress();
    await grant(portal, owner, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);
    assert.equal((await spedition.get('/api/account')).status, 200);
    assert.equal((await spedition.get('/api/fleet')).body.drivers.length, 1);

    const ended = await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    assert.equal(ended.status, 204);
    for (const path of [
      '/api/account',
      '/api/payment-methods',
      '/api/invoices',
      '/api/carrier-access',
    ]) {
      const answer = await spedition.get(path);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.error.code, 'not_found');
    }
    const put = await spedition.post('/api/payment-methods/setup-intents');
    assert.equal(put.status, 404);
    // Nothing left: the session answers like a logged-out one.
    assert.equal((await spedition.get('/api/session')).body.error.code, 'not_authenticated');
    assert.equal((await spedition.get('/api/fleet')).status, 401);
    // Ending it again is done already.
    assert.equal(
      (await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`)).status,
      204,
    );
  });

  it('switches a carrier among its drivers, and falls back to one still held when the active one ends', async () => {
    const carrier = carrierAddress();
    const card = await loginAs(portal, SEEDED_EMAILS.card);
    const paypal = await loginAs(portal, SEEDED_EMAILS.paypal);
    await grant(portal, card, carrier);
    await grant(portal, paypal, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);
    assert.equal((await spedition.get('/api/session')).body.accounts.length, 2);
    const switched = await spedition.post('/api/session/account', {
      customerId: SEEDED_CUSTOMER_IDS.paypal,
    });
    assert.equal(switched.status, 200);
    assert.equal(switched.body.activeCustomerId, SEEDED_CUSTOMER_IDS.paypal);
    const account = await spedition.get('/api/account');
    assert.equal(account.body.customer.id, SEEDED_CUSTOMER_IDS.paypal);
    const [invoice] = account.body.recentInvoices as Array<{id: string}>;
    const pdf = await spedition.get(`/api/invoices/${invoice.id}/pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const year = new Date().getUTCFullYear();
    assert.equal((await spedition.get(`/api/invoices/export?year=${year}`)).status, 200);

    await paypal.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    assert.equal((await spedition.get('/api/account')).status, 404);
    const session = await spedition.get('/api/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.activeCustomerId, SEEDED_CUSTOMER_IDS.card, 'the one still held');
    assert.ok(session.setCookie.length > 0, 'in a new cookie');
    assert.equal((await spedition.get('/api/account')).body.customer.id, SEEDED_CUSTOMER_IDS.card);
    await card.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
  });

  it('ends access made in the Stripe Dashboard too (customer.updated), without waiting for the cache', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.noSubscription);
    const carrier = carrierAddress();
    await grant(portal, owner, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);
    assert.equal((await spedition.get('/api/account')).status, 200);
    await stripe.customers.update(SEEDED_CUSTOMER_IDS.noSubscription, {
      metadata: {conroo_carrier_1: '', conroo_carrier_1_at: ''},
    });
    await portal.emulator!.webhooksIdle();
    assert.equal((await spedition.get('/api/account')).status, 404);
  });
});
