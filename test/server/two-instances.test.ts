/**
 * Two portal servers behind one Redis, sharing one Stripe emulator and one Postmark stand-in
 * (what `npm run emulator` runs), behave as one: links, logout, rate limits, cache, webhooks.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {before, describe, it} from 'node:test';
import Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS} from '../../demo/stripe-emulator/index.js';
import {Client, SESSION_COOKIE} from './harness.js';
import {linkFrom, type Instance, type SharedServices, useInstancesOnRedis} from './instances.js';

const WEBHOOK_SECRET = 'whsec_twoInstancesTestSecret0123456789';

describe('two instances behind one Redis', () => {
  const suite = useInstancesOnRedis();
  let services: SharedServices;
  before(() => (services = suite.services));

  /** A and B with one Redis key prefix of their own, so that tests do not share limits. */
  async function pair(env: Record<string, string> = {}): Promise<[Instance, Instance]> {
    const prefix = `two-${randomUUID()}:`;
    return [await suite.start({prefix, env}), await suite.start({prefix, env})];
  }

  const withCookieOf = (instance: Instance, from: Client) => {
    const client = instance.client();
    client.cookies = new Map(from.cookies);
    return client;
  };

  it('exchanges a link requested on A on B, once', async () => {
    const [a, b] = await pair();
    const token = await linkFrom(a, services, 'fahrer@example.com');
    const onB = b.client();
    const first = await onB.post('/api/auth/session', {token});
    assert.equal(first.status, 200);
    assert.equal(first.body.email, 'fahrer@example.com');
    const again = await a.client().post('/api/auth/session', {token});
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, 'link_used');
    // The session made by B is good on A.
    const onA = withCookieOf(a, onB);
    assert.equal((await onA.get('/api/session')).status, 200);
  });

  it('lets exactly one of 8 parallel exchanges across A and B succeed', async () => {
    const [a, b] = await pair();
    const token = await linkFrom(b, services, 'paypal@example.com');
    const answers = await Promise.all(
      Array.from({length: 8}, (_, i) =>
        (i % 2 ? a : b).client().post('/api/auth/session', {token}),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 401, 401, 401, 401, 401, 401, 401]);
    for (const answer of answers.filter((r) => r.status === 401)) {
      assert.equal(answer.body.error.code, 'link_used');
    }
    assert.equal(
      answers.filter((r) => r.setCookie.some((c) => c.startsWith(SESSION_COOKIE))).length,
      1,
    );
  });

  it('revokes on B what was logged out on A', async () => {
    const [a, b] = await pair();
    const onA = a.client();
    const token = await linkFrom(a, services, 'firma@example.com');
    assert.equal((await onA.post('/api/auth/session', {token})).status, 200);
    const copied = withCookieOf(b, onA);
    assert.equal((await copied.get('/api/session')).status, 200);
    assert.equal((await onA.delete('/api/session')).status, 204);
    const after = await copied.get('/api/session');
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'not_authenticated');
    assert.equal((await withCookieOf(a, copied).get('/api/account')).status, 401);
  });

  it('counts the per-IP limits across both', async () => {
    const [a, b] = await pair({
      RATE_LIMIT_LINKS_PER_IP_15MIN: '4',
      RATE_LIMIT_FAILED_EXCHANGES_PER_IP_15MIN: '3',
    });
    for (const instance of [a, b, a, b]) {
      const answer = await instance.client().post('/api/auth/email-link', {
        email: `niemand-${randomUUID()}@example.com`,
      });
      assert.equal(answer.status, 202);
    }
    const over = await b.client().post('/api/auth/email-link', {email: 'fahrer@example.com'});
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'rate_limited');
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assert.equal(
      (await a.client().post('/api/auth/email-link', {email: 'x@example.com'})).status,
      429,
    );

    const wrong = 'A'.repeat(43);
    for (const instance of [a, b, a]) {
      const answer = await instance.client().post('/api/auth/session', {token: wrong});
      assert.equal(answer.status, 401);
    }
    const guessing = await b.client().post('/api/auth/session', {token: wrong});
    assert.equal(guessing.status, 429);
  });

  it('counts the silent per-address limit across both', async () => {
    const [a, b] = await pair();
    const to = (m: {to: string}) => m.to === 'offen@example.com';
    const before = services.postmark.messages().filter(to).length;
    for (const instance of [a, b, a, b]) {
      const answer = await instance.client().post('/api/auth/email-link', {
        email: 'Offen@Example.com',
      });
      assert.equal(answer.status, 202, 'the answer never tells');
      await instance.app.drain();
    }
    // 3 per 15 minutes per address, however the requests were spread.
    assert.equal(services.postmark.messages().filter(to).length - before, 3);
  });

  it('shows on B what was changed on A at once, though B caches for an hour', async () => {
    const [a, b] = await pair({CACHE_TTL_SECONDS: '3600'});
    const onA = a.client();
    const token = await linkFrom(a, services, 'ohne-abo@example.com');
    assert.equal((await onA.post('/api/auth/session', {token})).status, 200);
    const onB = withCookieOf(b, onA);
    const before = (await onB.get('/api/account')).body.customer;

    // Changed in Stripe behind the portal's back (no webhook here): B keeps its cached copy.
    const stripe = new Stripe('sk_test_instances', {
      host: '127.0.0.1',
      port: services.emulator.port,
      protocol: 'http',
    });
    await stripe.customers.update(SEEDED_CUSTOMER_IDS.noSubscription, {phone: '+49 40 999'});
    assert.equal((await onB.get('/api/account')).body.customer.phone, before.phone);

    // A change through A invalidates the cache of both.
    const update = {
      name: 'Spedition Zwei Instanzen GmbH',
      phone: '+49 40 123456',
      address: {line1: 'Am Kaiserkai 10', postalCode: '20457', city: 'Hamburg', country: 'DE'},
      shipping: null,
      taxId: null,
    };
    const changed = await onA.request('PUT', '/api/billing-details', {body: update});
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const seen = (await onB.get('/api/account')).body.customer;
    assert.equal(seen.name, 'Spedition Zwei Instanzen GmbH');
    assert.equal(seen.phone, '+49 40 123456');
  });

  it('treats a Stripe event delivered to A and again to B as one', async () => {
    const [a, b] = await pair({STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET});
    const payload = JSON.stringify({
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'customer.updated',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      data: {object: {id: SEEDED_CUSTOMER_IDS.card, object: 'customer'}},
    });
    const signature = Stripe.webhooks.generateTestHeaderString({payload, secret: WEBHOOK_SECRET});
    const deliver = (instance: Instance) =>
      instance.client().request('POST', '/api/stripe/webhook', {
        rawBody: payload,
        headers: {'content-type': 'application/json', 'stripe-signature': signature},
      });
    const first = await deliver(a);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, {received: true, handled: true});
    const repeat = await deliver(b);
    assert.deepEqual(repeat.body, {received: true, handled: false, duplicate: true});
  });

  it('reports ready on both while Redis answers', async () => {
    const [a, b] = await pair();
    for (const instance of [a, b]) {
      const ready = await instance.client().get('/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, {status: 'ready'});
    }
  });
});
