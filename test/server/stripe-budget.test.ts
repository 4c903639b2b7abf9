/**
 * The Stripe request budget (`STRIPE_MAX_REQUESTS_PER_SECOND`): one token bucket for every
 * instance, in memory or in Redis; slots in the order asked for; a request that would wait too
 * long answers `503 service_unavailable` with `Retry-After`; cache hits cost nothing; a save
 * under way is never stopped halfway by it. No test here sleeps or measures time: the memory
 * store runs on a clock the test moves, and the Redis and HTTP tests use a bucket so slow (one
 * slot in ten minutes) that no busy machine can refill it while they run.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import Stripe from 'stripe';
import {createStripeClient} from '../../server/adapters/stripe.js';
import {
  inBackground,
  patiently,
  PATIENT_MAX_WAIT_MS,
  slotBudget,
  StripeBudget,
  withinApiRequest,
  type BudgetTake,
} from '../../server/adapters/stripe-budget.js';
import {parseConfig} from '../../server/config.js';
import {silentLogger} from '../../server/logger.js';
import {BillingDetailsSaves} from '../../server/services/billing-details-save.js';
import {validateBillingDetails} from '../../server/services/billing-details.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {RedisStore} from '../../server/store/redis-store.js';
import type {SlotBudget, Store} from '../../server/store/store.js';
import {startPortalWithStripe, type Portal} from './harness.js';
import {linkFrom, type SharedServices, useInstancesOnRedis} from './instances.js';
import {startRedisServer, type RedisServer} from './redis-server.js';

/** Lets every promise step that can run now run (no time passes for the tests' clock). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A clock the test moves, with the timers that wait on it. */
class TestTime {
  now = 1_000_000;

  readonly #timers: Array<{at: number; fire: () => void}> = [];

  wait = (ms: number) =>
    new Promise<void>((resolve) => this.#timers.push({at: this.now + ms, fire: resolve}));

  /** Moves the clock to `at`, firing each timer due by then in the order they are due. */
  async advanceTo(at: number): Promise<void> {
    // Requests just started reserve their slots first (a few promise steps).
    await settled();
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      if (!this.#timers.length || this.#timers[0].at > at) break;
      const timer = this.#timers.shift()!;
      this.now = timer.at;
      timer.fire();
      // Let the woken request finish before the next one wakes.
      await settled();
    }
    this.now = at;
  }

  /** A stalled event loop: nothing runs until `at`, then every timer due by then fires at once. */
  async stallUntil(at: number): Promise<void> {
    await settled();
    this.now = at;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      if (!this.#timers.length || this.#timers[0].at > at) break;
      this.#timers.shift()!.fire();
      await settled();
    }
  }

  get pending() {
    return this.#timers.length;
  }
}

/** Bursts of 5, then one every 50 ms: at most 24 in any second. */
const EVERY_50_MS: SlotBudget = {intervalMs: 50, burst: 5};

/** A budget of 25 a second (`EVERY_50_MS`) on a store and a clock the test moves. */
function budgetOnTestClock({
  maxWaitMs,
  clock = false,
  patientMaxWaitMs,
}: {
  maxWaitMs: number;
  clock?: boolean;
  patientMaxWaitMs?: number;
}) {
  const time = new TestTime();
  const store = new MemoryStore({now: () => time.now});
  const budget = new StripeBudget(store, {
    maxRequestsPerSecond: 25,
    slots: EVERY_50_MS,
    maxWaitMs,
    ...(patientMaxWaitMs ? {patientMaxWaitMs} : {}),
    wait: time.wait,
    ...(clock ? {clock: () => time.now} : {}),
  });
  return {time, store, budget};
}

/** One slot in ten minutes: nothing refills while a test runs, however busy the machine. */
const SLOW = (burst: number): SlotBudget => ({intervalMs: 600_000, burst});

describe('Stripe request budget: the bucket', () => {
  it('derives a burst of a tenth and keeps any second one slot under the limit', () => {
    // Intervals rounded up to 0.1 ms (what Redis keeps): 23 never fit into one second.
    assert.deepEqual(slotBudget(25), {intervalMs: 43.5, burst: 2});
    assert.deepEqual(slotBudget(50), {intervalMs: 22.3, burst: 5});
    assert.deepEqual(slotBudget(100), {intervalMs: 11.2, burst: 10});
    assert.deepEqual(slotBudget(1), {intervalMs: 1000, burst: 1});
  });

  it('lets a burst go at once after a quiet spell, then one slot per interval', async () => {
    const time = new TestTime();
    const store = new MemoryStore({now: () => time.now});
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      waits.push((await store.reserveSlot('stripe', EVERY_50_MS, 10_000)).waitMs);
    }
    assert.deepEqual(waits, [0, 0, 0, 0, 0, 50, 100]);
    await store.close();
  });

  it('never lets more than the limit less one into any second, whatever the arrivals', async () => {
    for (const limit of [3, 25, 50, 100]) {
      const time = new TestTime();
      const store = new MemoryStore({now: () => time.now});
      const starts: number[] = [];
      // Bursts, lulls and steady streams, from a fixed seed (no randomness between runs).
      let seed = limit;
      const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 3000; i++) {
        time.now += next() < 0.97 ? 0 : Math.floor(next() * 400);
        const slot = await store.reserveSlot('stripe', slotBudget(limit), 60_000);
        if (slot.granted) starts.push(time.now + slot.waitMs);
      }
      starts.sort((a, b) => a - b);
      let most = 0;
      for (let i = 0, j = 0; i < starts.length; i++) {
        while (starts[i] - starts[j] >= 1000) j++;
        most = Math.max(most, i - j + 1);
      }
      assert.ok(most <= limit - 1, `${most} in a second`);
      assert.ok(most >= limit - 2, `the limit is used, not wasted (${most})`);
      await store.close();
    }
  });

  it('serves waiting requests first come, first served', async () => {
    const {time, store, budget} = budgetOnTestClock({maxWaitMs: 10_000});
    const order: number[] = [];
    const takes = Array.from({length: 20}, (_, i) =>
      budget.take().then((taken) => {
        assert.equal(taken.granted, true);
        order.push(i);
      }),
    );
    // The burst goes at once; the rest wait for the clock.
    await settled();
    assert.equal(order.length, 5);
    assert.equal(time.pending, 15);
    await time.advanceTo(time.now + 10_000);
    await Promise.all(takes);
    assert.deepEqual(
      order,
      Array.from({length: 20}, (_, i) => i),
    );
    await store.close();
  });

  it('refuses a request that would wait longer than allowed, saying when to come back, and reserves nothing for it', async () => {
    const {time, store, budget} = budgetOnTestClock({maxWaitMs: 100});
    const granted = [];
    for (let i = 0; i < 7; i++) granted.push(budget.take());
    const refused = await budget.take();
    assert.deepEqual(refused, {granted: false, retryAfterSeconds: 1});
    // Still refused: the refusal took no slot from those in line.
    assert.deepEqual(await budget.take(), {granted: false, retryAfterSeconds: 1});
    assert.deepEqual(budget.counts, {granted: 7, refused: 2, overslept: 0});
    await time.advanceTo(time.now + 50);
    const later = budget.take();
    await time.advanceTo(time.now + 1000);
    assert.deepEqual(await later, {granted: true});
    await Promise.all(granted);
    await store.close();
  });

  it('gives requests that overslept their slots fresh ones, so a stalled event loop does not bunch them', async () => {
    const {time, store, budget} = budgetOnTestClock({maxWaitMs: 10_000, clock: true});
    const start = time.now;
    const sentAt: number[] = [];
    const requests = Array.from({length: 40}, () =>
      budget.take().then(() => sentAt.push(time.now)),
    );
    // The event loop stalls for 600 ms: every timer due by then fires at its end, together.
    await time.stallUntil(start + 600);
    await time.advanceTo(start + 60_000);
    await Promise.all(requests);
    assert.ok(budget.counts.overslept >= 5, `re-reserved ${budget.counts.overslept}`);
    sentAt.sort((x, y) => x - y);
    let most = 0;
    for (let i = 0, j = 0; i < sentAt.length; i++) {
      while (sentAt[i] - sentAt[j] >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    assert.ok(most <= 24, `${most} sent within one second`);
    await store.close();
  });

  it('lets work nobody can retry wait in line for as long as it takes', async () => {
    const {time, store, budget} = budgetOnTestClock({maxWaitMs: 0});
    for (let i = 0; i < 5; i++) assert.deepEqual(await budget.take(), {granted: true});
    assert.equal((await budget.take()).granted, false);
    const patient = patiently(() => budget.take());
    await time.advanceTo(time.now + 50);
    assert.deepEqual(await patient, {granted: true});
    await store.close();
  });

  it('lets background work (a login mail’s look-up) wait behind API requests, in the order it was asked for', async () => {
    const {time, store, budget} = budgetOnTestClock({maxWaitMs: 1000});
    const order: string[] = [];
    const take = (label: string, run: (take: () => Promise<BudgetTake>) => Promise<BudgetTake>) =>
      run(() => budget.take()).then((taken) => {
        assert.equal(taken.granted, true, label);
        order.push(label);
      });
    // A line of 800 ms: a burst of 5 at once, then 16 more, one every 50 ms.
    const api = Array.from({length: 21}, (_, i) => take(`api ${i}`, (next) => next()));
    await settled();
    const mails = ['mail 1', 'mail 2'].map((label) => take(label, (next) => inBackground(next)));
    await settled();
    // Asked for after the mails, served before them: their line is over half an API wait long.
    const late = take('api late', (next) => next());
    await settled();
    assert.deepEqual(budget.counts.refused, 0);
    await time.advanceTo(time.now + 10_000);
    await Promise.all([...api, ...mails, late]);
    assert.deepEqual(order.slice(-3), ['api late', 'mail 1', 'mail 2']);
    // Without a line, background work goes at once.
    const idle = inBackground(() => budget.take());
    await settled();
    assert.deepEqual(await idle, {granted: true});
    assert.equal(time.pending, 0);
    await store.close();
  });

  it('lets each background call wait behind others at most its patience, counted from when it asked', async () => {
    const {time, store, budget} = budgetOnTestClock({
      maxWaitMs: 1000,
      clock: true,
      patientMaxWaitMs: 2000,
    });
    const start = time.now;
    const granted: number[] = [];
    // API requests come twice as fast as slots: the line stays near their 1 s wait, longer than
    // the half a background call waits for.
    const api: Array<Promise<unknown>> = [];
    const keepLineLong = async () => {
      while (time.now < start + 8000) {
        api.push(budget.take(), budget.take());
        await time.wait(50);
      }
    };
    const line = keepLineLong();
    await time.advanceTo(start + 1500);
    const asked = time.now;
    const mails = [1, 2, 3].map(() =>
      inBackground(() => budget.take()).then((taken) => {
        assert.equal(taken.granted, true);
        granted.push(time.now - asked);
      }),
    );
    await time.advanceTo(start + 10_000);
    await Promise.all([line, ...mails, ...api]);
    // All three asked at once: each takes its slot after 2 s in line, not one after another's.
    assert.equal(granted.length, 3);
    assert.ok(
      granted.every((ms) => ms <= 2000 + 1000 + 200),
      `granted after ${granted.join(', ')} ms`,
    );
    await store.close();
  });

  it('admits an API request as a whole: its first call decides, its later calls wait their turn', async () => {
    const {time, store, budget} = budgetOnTestClock({maxWaitMs: 0});
    for (let i = 0; i < 4; i++) assert.equal((await budget.take()).granted, true);
    // One slot left at once: the request's first call takes it, its three others wait for theirs.
    const admitted = withinApiRequest(() =>
      Promise.all([budget.take(), budget.take(), budget.take(), budget.take()]),
    );
    await settled();
    // Now the next request's first call finds no slot within the wait: none of it goes out.
    const before = {...budget.counts};
    const refused = await withinApiRequest(() =>
      Promise.all([budget.take(), budget.take(), budget.take()]),
    );
    assert.deepEqual(
      refused.map((t) => t.granted),
      [false, false, false],
    );
    await time.advanceTo(time.now + 1000);
    assert.deepEqual(
      (await admitted).map((t) => t.granted),
      [true, true, true, true],
    );
    assert.equal(budget.counts.granted, before.granted, 'no slot reserved for a refused request');
    await store.close();
  });

  it('refuses (503 later) rather than spend a budget it cannot count', async () => {
    const unreachable = {
      reserveSlot: () => Promise.reject(new Error('redis down')),
    } as unknown as Store;
    const budget = new StripeBudget(unreachable, {maxRequestsPerSecond: 25, maxWaitMs: 1000});
    assert.deepEqual(await budget.take(), {granted: false, retryAfterSeconds: 5});
  });
});

describe('Stripe request budget in Redis', () => {
  let redis: RedisServer;
  const stores: RedisStore[] = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });
  const pair = () => {
    const prefix = `budget-${randomUUID()}:`;
    const made = [
      new RedisStore({url: redis.url, prefix}),
      new RedisStore({url: redis.url, prefix}),
    ];
    stores.push(...made);
    return made as [RedisStore, RedisStore];
  };

  it('is one bucket for two instances: what one takes, the other cannot', async () => {
    const [a, b] = pair();
    const taken = [
      await a.reserveSlot('stripe', SLOW(3), 0),
      await b.reserveSlot('stripe', SLOW(3), 0),
      await a.reserveSlot('stripe', SLOW(3), 0),
    ];
    assert.deepEqual(
      taken.map((t) => t.granted),
      [true, true, true],
    );
    const refusedB = await b.reserveSlot('stripe', SLOW(3), 0);
    const refusedA = await a.reserveSlot('stripe', SLOW(3), 0);
    assert.equal(refusedB.granted, false);
    assert.equal(refusedA.granted, false);
    assert.ok(refusedB.waitMs > 500_000, `the next slot is minutes away (${refusedB.waitMs})`);
  });

  it('hands out slots in the order asked for, whichever instance asks', async () => {
    const [a, b] = pair();
    const waits = [];
    for (const store of [a, b, b, a, b, a]) {
      waits.push((await store.reserveSlot('stripe', SLOW(1), 3_600_000)).waitMs);
    }
    for (let i = 1; i < waits.length; i++) {
      assert.ok(
        waits[i] > waits[i - 1] + 500_000,
        `slot ${i} after slot ${i - 1}: ${waits.join(', ')}`,
      );
    }
  });
});

describe('Stripe request budget through two instances', () => {
  const suite = useInstancesOnRedis();
  let services: SharedServices;
  before(() => (services = suite.services));

  it('answers 503 service_unavailable with Retry-After when the shared budget is spent, never 500, and serves cache hits for free', async () => {
    const prefix = `budget-${randomUUID()}:`;
    const start = () =>
      suite.start({
        prefix,
        // Plenty for a login and a dashboard, and never refilled while the test runs.
        stripeBudget: (config, store) =>
          new StripeBudget(store, {maxRequestsPerSecond: 25, maxWaitMs: 0, slots: SLOW(100)}),
      });
    const a = await start();
    const b = await start();

    const token = await linkFrom(a, services, 'fahrer@example.com');
    const driver = a.client();
    assert.equal((await driver.post('/api/auth/session', {token})).status, 200);
    assert.equal((await driver.get('/api/account')).status, 200);
    const spent = a.stripeBudget.counts.granted + b.stripeBudget.counts.granted;
    assert.ok(spent > 0, 'the login and the dashboard read Stripe');

    // The same dashboard on B: the cache (in Redis) answers, Stripe is not asked.
    const onB = b.client();
    onB.cookies = new Map(driver.cookies);
    assert.equal((await onB.get('/api/account')).status, 200);
    assert.equal(a.stripeBudget.counts.granted + b.stripeBudget.counts.granted, spent);

    // A spends what is left of the shared bucket; B's next Stripe call finds it empty.
    while ((await a.store.reserveSlot('stripe', SLOW(100), 0)).granted);
    const answers = await Promise.all([
      onB.get('/api/payment-methods'),
      onB.get('/api/invoices?limit=3'),
      driver.get('/api/payment-methods'),
    ]);
    for (const answer of answers) {
      assert.equal(answer.status, 503);
      assert.equal(answer.body.error.code, 'service_unavailable');
      const retryAfter = Number(answer.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    }
    assert.ok(b.stripeBudget.counts.refused >= 2 && a.stripeBudget.counts.refused >= 1);
    // A cache hit still answers while the budget is spent.
    assert.equal((await onB.get('/api/account')).status, 200);
  });
});

describe('a billing-details save and the budget', () => {
  let portal: Portal;
  let stripe: Stripe;
  let customerId: string;
  let store: MemoryStore;

  const company = {
    name: 'Budget Logistik GmbH',
    phone: '+49 40 555000',
    address: {line1: 'Am Sandtorkai 1', postalCode: '20457', city: 'Hamburg', country: 'DE'},
    shipping: null,
    taxId: {value: 'DE 987 654 321'},
  };
  const stateOf = async () => {
    const c = (await stripe.customers.retrieve(customerId, {
      expand: ['tax_ids'],
    })) as Stripe.Customer;
    return {
      name: c.name,
      line1: c.address?.line1,
      taxIds: c.tax_ids!.data.map((t) => t.value).sort(),
    };
  };
  const oldState = {
    name: 'Hafenlogistik Nord GmbH',
    line1: 'Am Sandtorkai 50',
    taxIds: ['DE123456789'],
  };
  const newState = {name: company.name, line1: company.address.line1, taxIds: ['DE987654321']};

  /**
   * A bucket that gives a request in a hurry `hurried` slots in all and then none, and work that
   * waits patiently a slot while `patientOpen()` says so: the budget runs dry for everyone else
   * the moment the save has begun.
   */
  const drying = (hurried: number, patientOpen: () => boolean): Store =>
    ({
      reserveSlot: async (_name: string, _slots: SlotBudget, maxWaitMs: number) => {
        const patient = maxWaitMs >= PATIENT_MAX_WAIT_MS;
        if (patient ? patientOpen() : hurried-- > 0) return {granted: true, waitMs: 0};
        return {granted: false, waitMs: 30_000};
      },
    }) as unknown as Store;
  const savesWith = (budgetStore: Store) =>
    new BillingDetailsSaves(
      createStripeClient(
        portal.config,
        new StripeBudget(budgetStore, {maxRequestsPerSecond: 25, maxWaitMs: 1000}),
      ),
      store,
      {leaseMs: 5000, log: silentLogger, now: () => Math.floor(Date.now() / 1000)},
    );

  before(async () => {
    ({portal, stripe} = await startPortalWithStripe());
    customerId = (await stripe.customers.list({email: 'firma@example.com'})).data[0].id;
  });
  after(() => portal.close());
  beforeEach(async () => {
    store = new MemoryStore();
    await stripe.customers.update(customerId, {
      name: oldState.name,
      address: {line1: oldState.line1, postal_code: '20457', city: 'Hamburg', country: 'DE'},
    });
    for (const t of (await stripe.customers.listTaxIds(customerId)).data) {
      await stripe.customers.deleteTaxId(customerId, t.id);
    }
    await stripe.customers.createTaxId(customerId, {type: 'eu_vat', value: 'DE123456789'});
  });
  afterEach(() => store.close());

  it('completes a save under way although the budget ran dry for everyone else', async () => {
    // The save's first read gets the one slot in a hurry; after the journal only patience helps.
    const saves = savesWith(drying(1, () => true));
    const answer = await saves.save(customerId, validateBillingDetails(company));
    assert.equal(answer.customer.name, company.name);
    assert.deepEqual(await stateOf(), newState);
    assert.deepEqual(await store.recordKeys('billing-details-save:'), [], 'nothing pending');
  });

  it('refuses a save before it begins with 503 service_unavailable, and changes nothing', async () => {
    const saves = savesWith(drying(0, () => true));
    await assert.rejects(
      saves.save(customerId, validateBillingDetails(company)),
      (error: any) =>
        error.status === 503 &&
        error.code === 'service_unavailable' &&
        error.extra.retryAfterSeconds === 30,
    );
    assert.deepEqual(await stateOf(), oldState);
    assert.deepEqual(await store.recordKeys('billing-details-save:'), []);
  });

  it('keeps a save the budget stopped halfway as pending, as when Stripe is down, and completes it', async () => {
    let patientSlots = 1;
    // Budget for the first write of the save, then none at all (as if Stripe were down).
    const saves = savesWith(drying(1, () => patientSlots-- > 0));
    await assert.rejects(
      saves.save(customerId, validateBillingDetails(company)),
      (error: any) => error.status === 503 && error.code === 'save_pending',
    );
    assert.equal((await store.recordKeys('billing-details-save:')).length, 1, 'kept');
    const halfway = await stateOf();
    assert.notDeepEqual(halfway, oldState, 'the first write went out');
    // Budget again: the sweep carries the accepted save forward to exactly the new details.
    patientSlots = Infinity;
    assert.deepEqual(await saves.sweep(), {pending: 0});
    assert.deepEqual(await stateOf(), newState);
  });
});

describe('STRIPE_MAX_REQUESTS_PER_SECOND and STRIPE_BUDGET_MAX_WAIT_MS', () => {
  const base = {
    STRIPE_SECRET_KEY: 'sk_test_x',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
    POSTMARK_SERVER_TOKEN: 'x',
    MAIL_FROM: 'a@example.com',
    SESSION_SECRET: 'x'.repeat(32),
    PORTAL_URL: 'https://portal.example.com/',
    ALLOWED_ORIGINS: 'https://portal.example.com',
  };
  it('default to 25 per second and a 2 s wait', () => {
    assert.deepEqual(parseConfig(base).stripeBudget, {maxRequestsPerSecond: 25, maxWaitMs: 2000});
  });
  it('are checked at start', () => {
    assert.throws(
      () =>
        parseConfig({
          ...base,
          STRIPE_MAX_REQUESTS_PER_SECOND: '0',
          STRIPE_BUDGET_MAX_WAIT_MS: 'soon',
        }),
      (error: any) =>
        error.problems.some((p: string) => p.startsWith('STRIPE_MAX_REQUESTS_PER_SECOND ')) &&
        error.problems.some((p: string) => p.startsWith('STRIPE_BUDGET_MAX_WAIT_MS ')),
    );
  });
});
