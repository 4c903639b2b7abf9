/**
 * `GET /api/fleet`: every account a session holds, in few Stripe requests (300 carrier-held
 * drivers: the three search pages cold, nothing warm); what the fleet shows of each driver.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {FleetDriver} from '../../common/contract.js';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {buildCustomer} from '../../demo/stripe-emulator/objects.js';
import {carrierAddress, grant, loginAs, loginWithNewestMail} from './carrier-harness.js';
import {startPortal, type Portal} from './harness.js';

describe('GET /api/fleet', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  const stripeRequests = () => portal.emulator!.requestCount();

  it('lists an owner’s own Gate Passes as owned', async () => {
    const owner = await loginAs(portal, SEEDED_EMAILS.twoAccounts);
    const {drivers} = (await owner.get('/api/fleet')).body as {drivers: FleetDriver[]};
    assert.deepEqual(
      drivers.map((d) => [d.customerId, d.access]),
      [
        [SEEDED_CUSTOMER_IDS.twoAccountsFirst, 'owner'],
        [SEEDED_CUSTOMER_IDS.twoAccountsSecond, 'owner'],
      ],
    );
  });

  it('shows a carrier each driver’s Gate Pass, default method, billing name, tax IDs and an open invoice', async () => {
    const carrier = carrierAddress();
    for (const email of [SEEDED_EMAILS.company, SEEDED_EMAILS.failedRenewal]) {
      await grant(portal, await loginAs(portal, email), carrier);
    }
    const spedition = await loginWithNewestMail(portal, carrier);
    const {drivers} = (await spedition.get('/api/fleet')).body as {drivers: FleetDriver[]};
    const firma = drivers.find((d) => d.customerId === SEEDED_CUSTOMER_IDS.company)!;
    const offen = drivers.find((d) => d.customerId === SEEDED_CUSTOMER_IDS.failedRenewal)!;
    assert.equal(drivers.length, 2);
    assert.equal(firma.access, 'carrier');
    assert.equal(firma.billingName, 'Hafenlogistik Nord GmbH');
    assert.equal(firma.subscription?.status, 'active');
    assert.equal(firma.subscription?.currency, 'eur');
    assert.ok(firma.subscription.amount > 0);
    assert.ok(firma.subscription.currentPeriodEnd > Date.now() / 1000);
    assert.equal(firma.defaultPaymentMethod?.card?.brand, 'mastercard');
    assert.equal(firma.taxIds[0]?.value, 'DE123456789');
    assert.equal(firma.openInvoice, false);
    assert.equal(offen.subscription?.status, 'past_due');
    assert.equal(offen.openInvoice, true);
  });

  it('reads 300 carrier-held drivers in three Stripe search pages cold, and none warm', async () => {
    const carrier = carrierAddress('grossspedition');
    const state = portal.emulator!.state;
    for (let i = 0; i < 300; i++) {
      buildCustomer(state, {
        email: `fahrer-${i}@fleet.example`,
        name: `Fahrer ${String(i).padStart(3, '0')}`,
        // Any of the three slots.
        metadata: {[`conroo_carrier_${(i % 3) + 1}`]: carrier},
        created: state.now() - i,
      });
    }
    await portal.emulator!.webhooksIdle();
    const spedition = await loginAs(portal, carrier);
    await portal.store.cacheDelete('');
    const cold = stripeRequests();
    // What the element loads at once: the session and the fleet share one search.
    const [first, coldSession] = await Promise.all([
      spedition.get('/api/fleet'),
      spedition.get('/api/session'),
    ]);
    assert.equal(first.status, 200);
    assert.equal(coldSession.status, 200);
    assert.equal(first.body.drivers.length, 300);
    assert.equal(stripeRequests() - cold, 3, 'three search pages of 100, nothing per driver');
    assert.equal(coldSession.body.accounts.length, 300);
    assert.equal(first.body.drivers[0].name, 'Fahrer 000');

    const warm = stripeRequests();
    const again = await spedition.get('/api/fleet');
    const session = await spedition.get('/api/session');
    const account = await spedition.get('/api/carrier-access');
    assert.deepEqual(again.body, first.body);
    assert.equal(session.body.accounts.length, 300);
    assert.equal(account.status, 200);
    assert.equal(stripeRequests(), warm, 'no Stripe request warm');
  });

  it('lets a carrier give an access back: 204, then 404, and gone from the fleet', async () => {
    const carrier = carrierAddress();
    const owner = await loginAs(portal, SEEDED_EMAILS.paypal);
    await grant(portal, owner, carrier);
    const spedition = await loginWithNewestMail(portal, carrier);
    const back = await spedition.delete(`/api/fleet/${SEEDED_CUSTOMER_IDS.paypal}`);
    assert.equal(back.status, 204);
    assert.equal((await spedition.get('/api/account')).status, 404);
    assert.equal((await spedition.delete(`/api/fleet/${SEEDED_CUSTOMER_IDS.paypal}`)).status, 404);
    assert.deepEqual((await owner.get('/api/carrier-access')).body, {carriers: []});
    // An owner cannot „give back" its own Gate Pass.
    assert.equal((await owner.delete(`/api/fleet/${SEEDED_CUSTOMER_IDS.paypal}`)).status, 404);
  });
});
