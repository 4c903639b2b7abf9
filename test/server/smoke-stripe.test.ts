/**
 * `npm run smoke:stripe` against the Stripe emulator: the same run ops make once against a
 * Stripe sandbox before going live, with the emulator's transport for Stripe's file hosts in
 * place of the real `fetch` (as the demo hands it to `createApp`).
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {stripeHostsTransport, type StripeEmulator} from '../../demo/stripe-emulator/index.js';
import {runStripeSmoke} from '../../scripts/smoke-stripe.js';
import {useEmulator} from './stripe-emulator-client.js';

describe('npm run smoke:stripe against the emulator', () => {
  let emulator: StripeEmulator;

  // The VAT ID stays pending until the smoke says it waits for it (below): a busy machine
  // then cannot let it settle before the smoke's first look.
  useEmulator({taxIdVerificationDelayMs: 3_600_000}, (started) => ({emulator} = started));

  const sandboxEnv = () => ({
    STRIPE_SECRET_KEY: 'sk_test_smoke',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_smoke',
    STRIPE_API_BASE: emulator.url,
  });

  it('walks every step, then removes what it made', async () => {
    const lines: string[] = [];
    const result = await runStripeSmoke({
      env: sandboxEnv(),
      print: (line) => {
        lines.push(line);
        if (line.includes("waiting for Stripe's verification")) {
          emulator.state.taxIdVerificationDelayMs = 0;
        }
      },
      fetchStripeFile: stripeHostsTransport(emulator.url),
    });
    const output = lines.join('\n');
    assert.equal(result.exitCode, 0, output);
    assert.deepEqual(
      result.steps.map((s) => [s.name, s.outcome]),
      [
        ['keys', 'passed'],
        ['own data', 'passed'],
        ['login', 'passed'],
        ['card', 'passed'],
        ['3-D Secure', 'passed'],
        ['billing details', 'passed'],
        ['invoice', 'passed'],
        ['clean-up', 'passed'],
      ],
      output,
    );
    const invoice = result.steps.find((s) => s.name === 'invoice')!.detail;
    assert.match(
      invoice,
      /via pay\.stripe\.com 302 → files\.stripe\.com 200,/,
      'the PDF hops, for ops',
    );
    assert.match(
      result.steps.find((s) => s.name === 'billing details')!.detail,
      /pending → verified/,
    );
    assert.ok(!/sk_test_smoke|pk_test_smoke|_secret_/.test(output), 'no key or client secret');

    const {state} = emulator;
    const {clockId, customerId, productId, priceId} = result.created;
    assert.ok(clockId && customerId && productId && priceId);
    assert.equal(state.testClocks.has(clockId), false, 'the clock is deleted');
    assert.equal(state.customers.get(customerId)?.deleted, true, 'its customer with it');
    assert.ok(
      ![...state.subscriptions.values()].some((s) => s.customer === customerId),
      'and its subscription',
    );
    assert.equal(state.products.get(productId)?.active, false, 'the product is archived');
    assert.equal(state.prices.get(priceId)?.active, false, 'the price is archived');
  });

  it('reports a failed step, skips the rest and still removes what it made', async () => {
    const lines: string[] = [];
    const result = await runStripeSmoke({
      // Stripe's link host only: the redirect to its file storage is refused.
      env: {...sandboxEnv(), STRIPE_PDF_HOSTS: 'pay.stripe.com'},
      print: (line) => lines.push(line),
      fetchStripeFile: stripeHostsTransport(emulator.url),
    });
    const output = lines.join('\n');
    assert.equal(result.exitCode, 1, output);
    assert.deepEqual(
      result.steps.slice(-2).map((s) => [s.name, s.outcome]),
      [
        ['invoice', 'failed'],
        ['clean-up', 'passed'],
      ],
    );
    const failed = result.steps.find((s) => s.name === 'invoice')!.detail;
    assert.match(failed, /answered 503; hops: pay\.stripe\.com 302 \(each host must match/);
    assert.match(
      failed,
      /invoice PDF refused \(.*host files\.stripe\.com, reason host_not_allowed\)/,
    );
    assert.match(output, /The smoke failed at step 7 \(invoice\)\./);
    const {clockId, productId} = result.created;
    assert.equal(emulator.state.testClocks.has(clockId!), false);
    assert.equal(emulator.state.products.get(productId!)?.active, false);
  });

  it('refuses live keys, and a missing secret key, before any request', async () => {
    const cases: Array<Record<string, string>> = [
      {STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc'},
      {STRIPE_SECRET_KEY: 'rk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_test_abc'},
      {STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc'},
      {STRIPE_PUBLISHABLE_KEY: 'pk_test_abc'},
    ];
    for (const keys of cases) {
      const before = emulator.requestCount();
      const lines: string[] = [];
      const result = await runStripeSmoke({
        env: {STRIPE_API_BASE: emulator.url, ...keys},
        print: (line) => lines.push(line),
        fetchStripeFile: stripeHostsTransport(emulator.url),
      });
      assert.equal(result.exitCode, 2, JSON.stringify(keys));
      assert.equal(emulator.requestCount(), before, `no request with ${JSON.stringify(keys)}`);
      assert.deepEqual(result.created, {});
      assert.match(lines.join('\n'), /refused: (live keys|STRIPE_SECRET_KEY is not set)/);
      assert.ok(!lines.join('\n').includes('abc'), 'the keys themselves are not printed');
    }
  });
});
