import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {inBackground} from '../../server/adapters/stripe-budget.js';
import {BillingService} from '../../server/services/billing.js';
import {CACHE_PREFIX, CustomerCache} from '../../server/services/customer-cache.js';
import {ProductNames} from '../../server/services/product-names.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {
  GATE_PASS_PRODUCT_ID,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
} from '../../demo/stripe-emulator/index.js';
import {loadDashboard, login, requestToken, startPortal, type Portal} from './harness.js';

/** A promise resolved from outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return {promise, resolve};
}

describe('MemoryStore cache', () => {
  it('keeps text until its TTL, sets only-if-absent, deletes by prefix', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({now: () => now});
    assert.equal(await store.cacheSet('customer:x:1', '{"a":1}', 60), true);
    assert.equal(await store.cacheGet('customer:x:1'), '{"a":1}');
    assert.equal(await store.cacheSet('customer:x:1', '2', 60, {onlyIfAbsent: true}), false);
    assert.equal(await store.cacheGet('customer:x:1'), '{"a":1}');
    await store.cacheSet('customer:y:1', '1', 60);
    await store.cacheDelete('customer:x:');
    assert.equal(await store.cacheGet('customer:x:1'), undefined);
    assert.equal(await store.cacheGet('customer:y:1'), '1');
    now += 60_000;
    assert.equal(await store.cacheGet('customer:y:1'), undefined, 'expired');
    assert.equal(
      await store.cacheSet('customer:y:1', '1', 60, {onlyIfAbsent: true}),
      true,
      'an expired key is absent',
    );
    assert.equal(await store.cacheSet('k', '1', 0), false, 'a TTL of 0 keeps nothing');
    await store.close();
  });

  it("deletes one key exactly: releasing cus_1's lock leaves cus_12's", async () => {
    const store = new MemoryStore();
    await store.cacheSet('lock:billing-details:cus_1', '1', 60);
    await store.cacheSet('lock:billing-details:cus_12', '1', 60);
    await store.cacheDeleteKey('lock:billing-details:cus_1');
    assert.equal(await store.cacheGet('lock:billing-details:cus_1'), undefined);
    assert.equal(await store.cacheGet('lock:billing-details:cus_12'), '1');
    await store.close();
  });
});

describe('CustomerCache', () => {
  it('lets a person’s request load for itself rather than wait behind background work loading the same', async () => {
    const store = new MemoryStore();
    const cache = new CustomerCache(store, 60);
    const waitingInLine = deferred<string>();
    const background = inBackground(() => cache.shared('entry', () => waitingInLine.promise));
    assert.equal(await cache.shared('entry', async () => 'read now'), 'read now');
    // Background work still shares with background work.
    const alsoBackground = inBackground(() => cache.shared('entry', async () => 'another'));
    waitingInLine.resolve('read in line');
    assert.deepEqual(await Promise.all([background, alsoBackground]), [
      'read in line',
      'read in line',
    ]);
    await store.close();
  });

  it('caches per customer until invalidated, and until the TTL ends', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({now: () => now});
    const cache = new CustomerCache(store, 60);
    let loads = 0;
    const read = async (customerId: string) =>
      (await cache.open(customerId)).through('account', async () => ({n: ++loads}));
    assert.deepEqual(await read('cus_a'), {n: 1});
    assert.deepEqual(await read('cus_a'), {n: 1});
    assert.deepEqual(await read('cus_b'), {n: 2}, 'another customer has its own entries');
    await cache.invalidate('cus_a');
    assert.deepEqual(await read('cus_a'), {n: 3});
    assert.deepEqual(await read('cus_b'), {n: 2}, 'only that customer is invalidated');
    now += 61_000;
    assert.deepEqual(await read('cus_b'), {n: 4}, 'the TTL ended');
    await store.close();
  });

  it('never caches a read that started before an invalidation (race guard)', async () => {
    const store = new MemoryStore();
    const cache = new CustomerCache(store, 60);
    const stale = deferred<{name: string}>();
    // A read opens the cache and asks "Stripe", which answers only later, with the old data.
    const slow = (await cache.open('cus_a')).through('account', () => stale.promise);
    // Meanwhile the data changes and the change invalidates the cache.
    await cache.invalidate('cus_a');
    stale.resolve({name: 'old'});
    assert.deepEqual(await slow, {name: 'old'}, 'the slow read itself answers what it read');
    const next = await (await cache.open('cus_a')).through('account', async () => ({name: 'new'}));
    assert.deepEqual(next, {name: 'new'}, 'the old data was not written back over the new');
    await store.close();
  });

  it('shares one load between concurrent readers of the same entry', async () => {
    const store = new MemoryStore();
    const cache = new CustomerCache(store, 60);
    const answer = deferred<number>();
    let loads = 0;
    const load = () => {
      loads += 1;
      return answer.promise;
    };
    const [a, b] = [
      (await cache.open('cus_a')).through('x', load),
      (await cache.open('cus_a')).through('x', load),
    ];
    answer.resolve(7);
    assert.deepEqual(await Promise.all([a, b]), [7, 7]);
    assert.equal(loads, 1);
    await store.close();
  });

  it('with a TTL of 0 caches nothing', async () => {
    const store = new MemoryStore();
    const cache = new CustomerCache(store, 0);
    let loads = 0;
    const read = async () => (await cache.open('cus_a')).through('x', async () => ++loads);
    assert.equal(await read(), 1);
    assert.equal(await read(), 2);
    await store.close();
  });
});

describe('BillingService with the cache: race guard against a slow Stripe', () => {
  it('answers fresh data after an invalidation that came while an old read was in flight', async () => {
    const store = new MemoryStore();
    const cache = new CustomerCache(store, 60);
    let name = 'Old Name';
    let hold: ReturnType<typeof deferred<void>> | null = null;
    let calls = 0;
    const answer = async <T>(value: () => T): Promise<T> => {
      calls += 1;
      if (hold) await hold.promise;
      return value();
    };
    // The Stripe calls of account(), each reading `name` when it is made (before `hold`).
    const stripe = {
      customers: {
        retrieve: (id: string) => {
          const snapshot = {id, object: 'customer', name, email: 'a@example.com'};
          return answer(() => ({...snapshot, invoice_settings: {default_payment_method: null}}));
        },
      },
      subscriptions: {list: () => answer(() => ({data: [], has_more: false}))},
      invoices: {
        list: () => answer(() => ({data: [], has_more: false})),
        createPreview: () =>
          answer(() => {
            throw Object.assign(new Error('none'), {type: 'StripeInvalidRequestError'});
          }),
      },
    } as unknown as Stripe;
    const billing = new BillingService(stripe, cache, new ProductNames(stripe, store, 60));

    hold = deferred<void>();
    const release = hold;
    const inFlight = billing.account('cus_a');
    await new Promise((resolve) => setImmediate(resolve));
    // The customer comes without a running subscription: its full list follows once it is in.
    assert.equal(calls, 3, 'one parallel round: customer, invoices, preview');
    name = 'New Name';
    await cache.invalidate('cus_a');
    hold = null;
    release.resolve();
    assert.equal((await inFlight).customer.name, 'Old Name');
    assert.equal((await billing.account('cus_a')).customer.name, 'New Name');
    const before = calls;
    assert.equal((await billing.account('cus_a')).customer.name, 'New Name');
    assert.equal(calls, before, 'and that is cached');
    await store.close();
  });
});

describe('BillingService with the cache: what a login found', () => {
  it('keeps a found customer only when no change of it was recorded since its answer may have been made', async () => {
    const store = new MemoryStore();
    const cache = new CustomerCache(store, 60);
    const retrieved: string[] = [];
    const customer = (id: string, name: string) => ({
      id,
      object: 'customer',
      name,
      email: 'a@example.com',
      metadata: {},
      invoice_settings: {default_payment_method: null},
    });
    const stripe = {
      customers: {
        retrieve: async (id: string) => {
          retrieved.push(id);
          return customer(id, 'Read now');
        },
      },
      subscriptions: {list: async () => ({data: [], has_more: false})},
    } as unknown as Stripe;
    const billing = new BillingService(stripe, cache, new ProductNames(stripe, store, 60));
    const askedAt = Date.now();
    // Changed while the look-up was under way: its event invalidated the customer's cache.
    await cache.invalidate('cus_changed');
    // Changed ten minutes before: a list's answer is newer, a search's may not be (its index
    // lags up to an hour).
    const tenMinutesAgo = new CustomerCache(store, 60, () => askedAt - 600_000);
    await tenMinutesAgo.invalidate('cus_lately');
    await tenMinutesAgo.invalidate('cus_listed');
    const found = (id: string) =>
      ({
        ...customer(id, 'From the search'),
        subscriptions: {
          object: 'list',
          data: [{id: `sub_${id}`, status: 'active', created: 1, items: {data: []}}],
          has_more: false,
        },
      }) as unknown as Stripe.Customer;
    await billing.keepFound([found('cus_kept'), found('cus_changed'), found('cus_lately')], {
      askedAt,
      bySearch: true,
    });
    await billing.keepFound([found('cus_listed')], {askedAt, bySearch: false});
    const summaries = await billing.accountSummaries([
      'cus_kept',
      'cus_changed',
      'cus_lately',
      'cus_listed',
    ]);
    assert.deepEqual(
      summaries.map((s) => [s.name, s.subscriptionStatus]),
      [
        ['From the search', 'active'],
        ['Read now', null],
        ['Read now', null],
        ['From the search', 'active'],
      ],
    );
    assert.deepEqual(retrieved, ['cus_changed', 'cus_lately']);
    await store.close();
  });
});

describe('The dashboard cache over HTTP', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  const stripeRequests = () => portal.emulator!.requestCount();
  const settle = () => portal.emulator!.webhooksIdle();

  it('serves a warm dashboard without a single Stripe request', async () => {
    const client = await login(portal, SEEDED_EMAILS.card);
    const cold = await loadDashboard(client);
    await settle();
    const count = stripeRequests();
    const warm = await loadDashboard(client);
    assert.equal(stripeRequests(), count, 'no Stripe request');
    assert.deepEqual(warm, cold);
    const answer = await client.get('/api/account');
    assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  it('loads a cold overview (session and account) with three Stripe calls', async () => {
    const client = await login(portal, SEEDED_EMAILS.company);
    // Loaded once before, so that the Gate Pass's name (kept for all customers) is known.
    assert.equal((await client.get('/api/account')).status, 200);
    await portal.store.cacheDelete(CACHE_PREFIX);
    await settle();
    const count = stripeRequests();
    const [session, account] = await Promise.all([
      client.get('/api/session'),
      client.get('/api/account'),
    ]);
    assert.equal(session.status, 200);
    assert.equal(account.status, 200);
    assert.ok(account.body.upcomingInvoice, 'the preview of the Gate Pass that renews');
    // The customer with its subscriptions (shared by both), recent invoices, upcoming invoice
    assert.equal(stripeRequests() - count, 3);
  });

  it('keeps what the login link’s search found: the session needs no request, the overview two', async () => {
    // Nothing of the customer or the address cached (the Gate Pass's name still is).
    await portal.store.cacheDelete(CACHE_PREFIX);
    await portal.store.cacheDelete('generation:');
    await portal.store.cacheDelete('carrier-accounts:');
    await settle();
    const arrivals: Array<{method: string; path: string}> = [];
    portal.emulator!.state.http.arrivals = arrivals;
    const step = async (work: () => Promise<unknown>) => {
      arrivals.length = 0;
      await work();
      return arrivals.map((a) => `${a.method} ${a.path}`);
    };
    try {
      const client = portal.client();
      let token = '';
      assert.deepEqual(
        await step(async () => {
          token = await requestToken(portal, client, SEEDED_EMAILS.company);
        }),
        ['GET /v1/customers/search'],
        'one search finds the address as owner and as carrier',
      );
      assert.deepEqual(
        await step(async () => {
          const session = await client.post('/api/auth/session', {token});
          assert.equal(session.body.accounts[0].name, 'Hafenlogistik Nord GmbH');
          assert.equal(session.body.accounts[0].subscriptionStatus, 'active');
        }),
        [],
      );
      assert.deepEqual(
        (
          await step(async () => {
            const account = await client.get('/api/account');
            assert.equal(account.status, 200);
            assert.ok(account.body.upcomingInvoice);
          })
        ).sort(),
        ['GET /v1/invoices', 'POST /v1/invoices/create_preview'],
      );
    } finally {
      portal.emulator!.state.http.arrivals = null;
    }
  });

  it('reads the Gate Pass’s name from its product once for every customer', async () => {
    const first = await login(portal, SEEDED_EMAILS.card);
    const second = await login(portal, SEEDED_EMAILS.paypal);
    await portal.store.cacheDelete('');
    await settle();
    const arrivals: Array<{method: string; path: string}> = [];
    portal.emulator!.state.http.arrivals = arrivals;
    try {
      for (const client of [first, second, first]) {
        const account = await client.get('/api/account');
        assert.equal(account.body.subscription.planName, 'Gate Pass');
        await portal.store.cacheDelete(CACHE_PREFIX);
      }
    } finally {
      portal.emulator!.state.http.arrivals = null;
    }
    assert.deepEqual(
      arrivals.filter((a) => a.path.startsWith('/v1/products')).map((a) => a.path),
      [`/v1/products/${GATE_PASS_PRODUCT_ID}`],
    );
  });

  it('caches the summaries of a session with two accounts, per customer', async () => {
    const client = await login(portal, SEEDED_EMAILS.twoAccounts);
    const first = await client.get('/api/session');
    assert.equal(first.body.accounts.length, 2);
    await settle();
    const count = stripeRequests();
    const again = await client.get('/api/session');
    assert.equal(stripeRequests(), count);
    assert.deepEqual(again.body.accounts, first.body.accounts);
    const switched = await client.post('/api/session/account', {
      customerId: SEEDED_CUSTOMER_IDS.twoAccountsSecond,
    });
    assert.equal(switched.status, 200);
    assert.equal(stripeRequests(), count, 'switching writes nothing and reads the cache');
  });

  it('caches the first page of invoices only', async () => {
    const client = await login(portal, SEEDED_EMAILS.manyInvoices);
    const first = await client.get('/api/invoices?limit=5');
    await settle();
    const count = stripeRequests();
    assert.deepEqual((await client.get('/api/invoices?limit=5')).body, first.body);
    assert.equal(stripeRequests(), count);
    const last = first.body.invoices.at(-1).id;
    const next = await client.get(`/api/invoices?limit=5&startingAfter=${last}`);
    assert.equal(next.status, 200);
    assert.ok(stripeRequests() > count, 'later pages always ask Stripe');
  });
});
