/**
 * The Stripe emulator's optional sandbox rate limit, after https://docs.stripe.com/rate-limits
 * ("Test mode: 25 read operations and 25 write operations" per second), and how the `stripe`
 * SDK meets it: a real rate limit is not retried (only lock timeouts are, by
 * `Stripe-Should-Retry: true`).
 */
import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import {startDemo} from '../../demo/boot.js';
import {
  emulatorRateLimit,
  SEEDED_CUSTOMER_IDS,
  startStripeEmulator,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {emulatorStripe, rejects, useEmulator} from './stripe-emulator-client.js';

const headers = {Authorization: 'Bearer sk_test_x'};

/**
 * Runs `requests` within one wall-clock second (the limiter's window), starting just after a
 * second begins; runs them again should a busy machine let them spill into the next second,
 * and never judges a run that spilled.
 */
async function withinOneSecond<T>(requests: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 30; attempt++) {
    await sleep(1000 - (Date.now() % 1000) + 10);
    const second = Math.floor(Date.now() / 1000);
    const result = await requests();
    if (Math.floor(Date.now() / 1000) === second) return result;
  }
  throw new Error('30 runs in a row spilled over a second: the machine is too busy to tell');
}

describe('Stripe emulator: sandbox rate limit', () => {
  let emulator: StripeEmulator;

  useEmulator({rateLimitPerSecond: 3}, (started) => ({emulator} = started));

  it('answers reads beyond the second’s budget 429 rate_limit, Stripe-Should-Retry: false', async () => {
    const answers = await withinOneSecond(async () => {
      const out: Response[] = [];
      for (let i = 0; i < 4; i++) {
        out.push(await fetch(`${emulator.url}/v1/customers?limit=1`, {headers}));
      }
      // Writes have a budget of their own.
      out.push(
        await fetch(`${emulator.url}/v1/customers/${SEEDED_CUSTOMER_IDS.card}`, {
          method: 'POST',
          headers: {...headers, 'Content-Type': 'application/x-www-form-urlencoded'},
          body: 'metadata[seen]=yes',
        }),
      );
      return out;
    });
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 429, 200],
    );
    const limited = answers[3];
    assert.equal(limited.headers.get('stripe-should-retry'), 'false');
    const {error} = (await limited.json()) as {error: Record<string, string>};
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.code, 'rate_limit');
    assert.equal(error.doc_url, 'https://stripe.com/docs/error-codes/rate-limit');
    assert.match(
      error.request_log_url ?? '',
      /^https:\/\/dashboard\.stripe\.com\/test\/logs\/req_/,
    );
  });

  it('is not retried by the SDK, which raises StripeRateLimitError', async () => {
    const retrying = emulatorStripe(emulator.port, {maxNetworkRetries: 2});
    const before = emulator.requestCount();
    const err = await withinOneSecond(async () => {
      for (let i = 0; i < 3; i++) await retrying.customers.list({limit: 1});
      return rejects(retrying.customers.list({limit: 1}), Stripe.errors.StripeRateLimitError);
    });
    assert.equal(err.statusCode, 429);
    assert.equal(err.code, 'rate_limit');
    assert.equal(emulator.requestCount() - before, 4, 'three answered, one refused, no retry');
  });

  it('counts the busiest second and the refusals, also for another process', async () => {
    const stats = emulator.rateLimitStats();
    assert.equal(stats.limitPerSecond, 3);
    assert.equal(stats.peakOpsPerSecond, 4, 'three reads and a write');
    assert.ok(stats.rateLimited >= 2);
    const res = await fetch(`${emulator.url}/v1/test_helpers/emulator/rate_limit`, {headers});
    assert.deepEqual(await res.json(), {
      object: 'emulator_rate_limit',
      limit_per_second: 3,
      peak_ops_per_second: stats.peakOpsPerSecond,
      rate_limited: stats.rateLimited,
    });
    const reset = await fetch(`${emulator.url}/v1/test_helpers/emulator/rate_limit`, {
      method: 'DELETE',
      headers,
    });
    assert.equal(((await reset.json()) as {rate_limited: number}).rate_limited, 0);
  });

  it('is off by default and still counts', async () => {
    const open = await startStripeEmulator();
    try {
      const answers = await Promise.all(
        Array.from({length: 30}, () => fetch(`${open.url}/v1/customers?limit=1`, {headers})),
      );
      assert.ok(answers.every((a) => a.status === 200));
      const stats = open.rateLimitStats();
      assert.equal(stats.limitPerSecond, null);
      assert.equal(stats.rateLimited, 0);
      assert.ok(stats.peakOpsPerSecond >= 15, 'thirty reads fall into one or two seconds');
    } finally {
      await open.close();
    }
  });

  it('reads STRIPE_EMULATOR_RATE_LIMIT, and the demo boot passes it on', async () => {
    assert.equal(emulatorRateLimit({}), undefined);
    assert.equal(emulatorRateLimit({STRIPE_EMULATOR_RATE_LIMIT: ' 25 '}), 25);
    for (const bad of ['0', '-1', '2.5', 'viele']) {
      assert.throws(() => emulatorRateLimit({STRIPE_EMULATOR_RATE_LIMIT: bad}), /1 to 100000/);
    }
    const demo = await startDemo({port: 0, env: {STRIPE_EMULATOR_RATE_LIMIT: '25'}});
    try {
      assert.equal(demo.emulator?.rateLimitStats().limitPerSecond, 25);
    } finally {
      await demo.close();
    }
  });
});
