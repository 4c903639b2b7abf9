/**
 * Stripe's customer search lags behind metadata changes (under a minute, up to an hour). A test
 * double of `customers.search` plays the lagging index: it does not find a fresh grant yet, and
 * still finds an ended one, with the customer as it was. Neither may matter: a fresh grant
 * works for the carrier's login at once (recent grants), an ended one stays ended (the grants
 * were marked changed, so the stale hit is read again from Stripe).
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {randomBytes} from 'node:crypto';
import Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {StoreUnavailableError} from '../../server/store/store.js';
import {carrierAddress} from './carrier-harness.js';
import {emulatorStripe} from './stripe-emulator-client.js';
import {tokenOf, type Client} from './harness.js';
import {
  linkFrom,
  startInstance,
  startSharedServices,
  type Instance,
  type SharedServices,
} from './instances.js';

const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;

/** Tells the portal of a change as Stripe's webhook does: a signed `customer.*` event. */
async function customerEvent(
  portal: Instance,
  type: 'customer.created' | 'customer.updated',
  customer: Stripe.Customer,
  previous?: Record<string, unknown>,
  {id = `evt_${randomBytes(8).toString('hex')}`, status = 200} = {},
) {
  const payload = JSON.stringify({
    id,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    data: {object: customer, ...(previous ? {previous_attributes: previous} : {})},
    livemode: false,
    type,
  });
  const answer = await fetch(`${portal.url}/api/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
        payload,
        secret: WEBHOOK_SECRET,
      }),
    },
    body: payload,
  });
  assert.equal(answer.status, status);
}

/** The lagging index: what it hides (not indexed yet) and what it still finds (as it was). */
const index = {
  hidden: new Set<string>(),
  stale: new Map<string, Stripe.Customer>(),
  seen: new Map<string, Stripe.Customer>(),
  searches: 0,
};

function laggingSearch(stripe: Stripe): Stripe {
  const search = stripe.customers.search.bind(stripe.customers);
  stripe.customers.search = (async (params: Stripe.CustomerSearchParams) => {
    index.searches += 1;
    const result = await search(params);
    const data = result.data.filter((c) => !index.hidden.has(c.id));
    for (const customer of data) index.seen.set(customer.id, customer);
    for (const [id, old] of index.stale) if (!data.some((c) => c.id === id)) data.push(old);
    return {...result, data};
  }) as typeof stripe.customers.search;
  return stripe;
}

describe('carrier access while the search index lags', () => {
  let services: SharedServices;
  let portal: Instance;

  before(async () => {
    services = await startSharedServices();
    portal = await startInstance({
      services,
      store: () => new MemoryStore(),
      wrapStripe: laggingSearch,
      env: {STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET},
    });
  });
  after(async () => {
    await portal?.close();
    await services?.close();
  });

  const loginAs = async (email: string): Promise<Client> => {
    const client = portal.client();
    const answer = await client.post('/api/auth/session', {
      token: await linkFrom(portal, services, email),
    });
    assert.equal(answer.status, 200);
    return client;
  };

  it('lets a carrier log in and reach a driver that gave access a moment ago', async () => {
    index.hidden.add(SEEDED_CUSTOMER_IDS.card);
    const owner = await loginAs(SEEDED_EMAILS.card);
    const carrier = carrierAddress();
    assert.equal((await owner.post('/api/carrier-access', {email: carrier})).status, 201);
    await portal.app.drain();

    // The carrier asks for a login link itself: the address is found through the recent grant.
    const spedition = await loginAs(carrier);
    const session = await spedition.get('/api/session');
    assert.equal(session.body.activeCustomerId, SEEDED_CUSTOMER_IDS.card);
    assert.equal(session.body.accounts[0].access, 'carrier');
    assert.equal((await spedition.get('/api/account')).status, 200);
    assert.equal((await spedition.get('/api/fleet')).body.drivers.length, 1);
    assert.ok(index.searches > 0, 'the search ran and did not find it');
    index.hidden.clear();
  });

  it('keeps an ended access ended although the index still finds the customer as it was', async () => {
    const owner = await loginAs(SEEDED_EMAILS.paypal);
    const carrier = carrierAddress();
    assert.equal((await owner.post('/api/carrier-access', {email: carrier})).status, 201);
    await portal.app.drain();
    const grantMail = services.postmark.messages().find((m) => m.to === carrier)!;
    const spedition = portal.client();
    await spedition.post('/api/auth/session', {token: tokenOf(grantMail.link!)});
    assert.equal((await spedition.get('/api/fleet')).body.drivers.length, 1);
    const asIndexed = index.seen.get(SEEDED_CUSTOMER_IDS.paypal);
    assert.equal(asIndexed?.metadata.conroo_carrier_1, carrier, 'the index knows the grant');

    assert.equal(
      (await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`)).status,
      204,
    );
    index.stale.set(SEEDED_CUSTOMER_IDS.paypal, asIndexed);
    // Cold: the carrier's list and every cached row are gone, so the stale search answer is read.
    await portal.store.cacheDelete('');
    const before = index.searches;
    assert.equal((await spedition.get('/api/fleet')).status, 401);
    assert.ok(index.searches > before, 'the search answered with the ended grant');
    assert.equal((await spedition.get('/api/account')).status, 404);
    assert.equal((await spedition.get('/api/session')).status, 401);
    const login = await spedition.post('/api/auth/email-link', {email: carrier});
    assert.equal(login.status, 202);
    await portal.app.drain();
    assert.equal(
      services.postmark.messages().filter((m) => m.to === carrier).length,
      1,
      'no login mail: the address holds nothing',
    );
    index.stale.clear();
  });
  it('sends a driver whose Gate Pass the index does not know yet a link all the same', async () => {
    // A Gate Pass bought a moment ago: the search does not find it, Stripe's list does.
    index.hidden.add(SEEDED_CUSTOMER_IDS.failedRenewal);
    try {
      const driver = await loginAs(SEEDED_EMAILS.failedRenewal);
      const session = await driver.get('/api/session');
      assert.deepEqual(
        session.body.accounts.map((a: {customerId: string; access: string}) => [
          a.customerId,
          a.access,
        ]),
        [[SEEDED_CUSTOMER_IDS.failedRenewal, 'owner']],
      );
    } finally {
      index.hidden.clear();
    }
  });

  it('sends no login link to a former address that the index still finds as the owner’s', async () => {
    const stripe = emulatorStripe(services.emulator.port);
    const id = SEEDED_CUSTOMER_IDS.company;
    const asIndexed = (await stripe.customers.retrieve(id)) as Stripe.Customer;
    const moved = `firma-${randomBytes(3).toString('hex')}@example.com`;
    const now = await stripe.customers.update(id, {email: moved});
    // Stripe tells the portal at once; its index still finds the customer as it was.
    await customerEvent(portal, 'customer.updated', now, {email: SEEDED_EMAILS.company});
    index.hidden.add(id);
    index.stale.set(id, asIndexed);
    const mailsTo = (to: string) => services.postmark.messages().filter((m) => m.to === to).length;
    const before = mailsTo(SEEDED_EMAILS.company);
    try {
      const searches = index.searches;
      const asked = await portal
        .client()
        .post('/api/auth/email-link', {email: SEEDED_EMAILS.company});
      assert.equal(asked.status, 202);
      await portal.app.drain();
      assert.ok(index.searches > searches, 'the search answered with the old address');
      assert.equal(mailsTo(SEEDED_EMAILS.company), before, 'no link for the former address');
      // The address it has now gets one.
      assert.equal((await loginAs(moved).then((c) => c.get('/api/account'))).status, 200);
    } finally {
      index.hidden.clear();
      index.stale.clear();
      await stripe.customers.update(id, {email: SEEDED_EMAILS.company});
    }
  });
  // customers.list matches the address exactly, capitals and all
  // (https://docs.stripe.com/api/customers/list#list_customers-email: "case-sensitive"): one
  // typed in capitals is found only because the webhook's customer.created named it.
  for (const [title, email] of [
    ['though the index knows only the first', SEEDED_EMAILS.noSubscription],
    ['under the address in capitals', SEEDED_EMAILS.noSubscription.toUpperCase()],
  ]) {
    it(`puts a second Gate Pass bought a moment ago into the link, ${title}`, async () => {
      const stripe = emulatorStripe(services.emulator.port);
      const second = await stripe.customers.create({email, name: 'Lena Wagner GmbH'});
      index.hidden.add(second.id);
      try {
        await customerEvent(portal, 'customer.created', second);
        const driver = await loginAs(SEEDED_EMAILS.noSubscription);
        const session = await driver.get('/api/session');
        assert.deepEqual(
          session.body.accounts.map((a: {customerId: string}) => a.customerId),
          [SEEDED_CUSTOMER_IDS.noSubscription, second.id],
        );
      } finally {
        index.hidden.clear();
        await stripe.customers.del(second.id);
      }
    });
  }

  it('puts a customer whose address became this one (in capitals) a moment ago into the link', async () => {
    const stripe = emulatorStripe(services.emulator.port);
    const other = await stripe.customers.create({
      email: 'vorher@example.com',
      name: 'Spedition Vorher',
    });
    // The index still has it under its former address only.
    index.hidden.add(other.id);
    index.stale.set(other.id, other);
    try {
      const moved = await stripe.customers.update(other.id, {
        email: 'Neu.Fahrer@Example.com',
      });
      await customerEvent(portal, 'customer.updated', moved, {email: 'vorher@example.com'});
      const driver = await loginAs('neu.fahrer@example.com');
      const session = await driver.get('/api/session');
      assert.deepEqual(
        session.body.accounts.map((a: {customerId: string}) => a.customerId),
        [other.id],
      );
    } finally {
      index.hidden.clear();
      index.stale.clear();
      await stripe.customers.del(other.id);
    }
  });
  for (const since of ['moved to another address', 'deleted'] as const) {
    it(`sends no link for a customer noted as the address's own that has since been ${since}`, async () => {
      const stripe = emulatorStripe(services.emulator.port);
      const address = `notiert-${since.length}@example.com`;
      const customer = await stripe.customers.create({
        email: address.toUpperCase(),
        name: 'Nur kurz',
      });
      index.hidden.add(customer.id);
      try {
        await customerEvent(portal, 'customer.created', customer);
        // Changed without a word from the webhook yet.
        if (since === 'deleted') await stripe.customers.del(customer.id);
        else await stripe.customers.update(customer.id, {email: 'woanders@example.com'});
        await assert.rejects(linkFrom(portal, services, address), /no mail/);
      } finally {
        index.hidden.clear();
        if (since !== 'deleted') await stripe.customers.del(customer.id);
      }
    });
  }

  for (const fault of ['could not be stored', 'stayed busy'] as const) {
    it(`has Stripe deliver again an event whose note ${fault}: 503, then noted`, async () => {
      let failNotes = true;
      class FlakyStore extends MemoryStore {
        override async recordPut(key: string, value: string, ttl: number): Promise<void> {
          if (failNotes && fault === 'could not be stored' && key.startsWith('recent-owner:')) {
            throw new StoreUnavailableError(new Error('connection lost'));
          }
          return super.recordPut(key, value, ttl);
        }
        // Another instance holds the record's lease (and keeps it past the 5 s wait).
        override async leaseAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
          if (failNotes && fault === 'stayed busy' && key.includes('recent-owner:')) return false;
          return super.leaseAcquire(key, owner, ttlMs);
        }
      }
      const flaky = await startInstance({
        services,
        store: () => new FlakyStore(),
        wrapStripe: laggingSearch,
        env: {STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET},
        log: {info() {}, warn() {}, error() {}},
      });
      const stripe = emulatorStripe(services.emulator.port);
      const second = await stripe.customers.create({
        email: SEEDED_EMAILS.noSubscription.toUpperCase(),
        name: 'Lena Wagner GmbH',
      });
      index.hidden.add(second.id);
      try {
        const id = `evt_${randomBytes(8).toString('hex')}`;
        await customerEvent(flaky, 'customer.created', second, undefined, {id, status: 503});
        failNotes = false;
        // Stripe's retry of the same event (https://docs.stripe.com/webhooks#retries).
        await customerEvent(flaky, 'customer.created', second, undefined, {id});
        const client = flaky.client();
        const answer = await client.post('/api/auth/session', {
          token: await linkFrom(flaky, services, SEEDED_EMAILS.noSubscription),
        });
        assert.equal(answer.status, 200);
        assert.deepEqual(
          answer.body.accounts.map((a: {customerId: string}) => a.customerId),
          [SEEDED_CUSTOMER_IDS.noSubscription, second.id],
        );
      } finally {
        index.hidden.clear();
        await stripe.customers.del(second.id);
        await flaky.close();
      }
    });
  }
});
