/**
 * Idempotent requests in the Stripe emulator, as Stripe documents them:
 * https://docs.stripe.com/api/idempotent_requests and
 * https://docs.stripe.com/error-low-level#idempotency.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import {SEEDED_EMAILS, type StripeEmulator} from '../../demo/stripe-emulator/index.js';
import {emulatorStripe, rejects, useEmulator} from './stripe-emulator-client.js';

describe('Stripe emulator: idempotent requests', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  useEmulator({}, (started) => ({emulator, stripe} = started));

  const post = async (path: string, key: string, fields: Record<string, string>) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer sk_test_x',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Idempotency-Key': key,
      },
      body: new URLSearchParams(fields),
    });
    return {status: res.status, headers: res.headers, body: await res.json()};
  };
  const customersWith = async (email: string) => (await stripe.customers.list({email})).data.length;

  it('answers a repeated key with the first answer, marked Idempotent-Replayed, done once', async () => {
    const first = await post('/v1/customers', 'same-key-twice', {email: 'einmal@example.com'});
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const second = await post('/v1/customers', 'same-key-twice', {email: 'einmal@example.com'});
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(second.body, first.body);
    assert.equal(await customersWith('einmal@example.com'), 1);
  });

  it('refuses the key with other parameters: 400 idempotency_error', async () => {
    await post('/v1/customers', 'key-params', {email: 'erst@example.com'});
    const other = await post('/v1/customers', 'key-params', {email: 'anders@example.com'});
    assert.equal(other.status, 400);
    assert.equal(other.body.error?.type, 'idempotency_error');
    assert.equal(
      other.body.error?.message,
      "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'key-params' if you meant to execute a different request.",
    );
    assert.equal(await customersWith('anders@example.com'), 0);

    const err = await rejects(
      stripe.customers.create({email: 'sdk@example.com'}, {idempotencyKey: 'key-params'}),
      Stripe.errors.StripeIdempotencyError,
    );
    assert.equal(err.statusCode, 400);
  });

  it('refuses the key on another endpoint: 400 idempotency_error', async () => {
    const created = await post('/v1/customers', 'key-endpoint', {email: 'endpunkt@example.com'});
    const other = await post(`/v1/customers/${created.body.id}`, 'key-endpoint', {
      email: 'endpunkt@example.com',
    });
    assert.equal(other.status, 400);
    assert.equal(other.body.error?.type, 'idempotency_error');
    assert.match(
      other.body.error?.message ?? '',
      /can only be used for the same endpoint they were first used for \('POST \/v1\/customers' vs 'POST \/v1\/customers\/cus_\w+'\)/,
    );
  });

  it('keeps nothing for a request refused before it began: a retry with the key runs anew', async () => {
    const refused = await post('/v1/customers', 'key-invalid', {emial: 'tippfehler@example.com'});
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error?.code, 'parameter_unknown');
    const again = await post('/v1/customers', 'key-invalid', {email: 'richtig@example.com'});
    assert.equal(again.status, 200, 'not an idempotency_error: nothing was kept');
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(await customersWith('richtig@example.com'), 1);
  });

  it('keeps a 500 of a request that began, replays it, and tells the SDK not to retry', async () => {
    const failOnce = emulator.state.onChange;
    emulator.state.onChange = () => {
      emulator.state.onChange = failOnce;
      throw new Error('a failure after the write');
    };
    const errors = console.error;
    console.error = () => {};
    try {
      const failed = await post('/v1/customers', 'key-500', {email: 'halb@example.com'});
      assert.equal(failed.status, 500);
      assert.equal(failed.headers.get('stripe-should-retry'), 'false');
      assert.equal(await customersWith('halb@example.com'), 1, 'the write happened');

      const replayed = await post('/v1/customers', 'key-500', {email: 'halb@example.com'});
      assert.equal(replayed.status, 500);
      assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
      assert.equal(replayed.headers.get('stripe-should-retry'), 'false');
      assert.deepEqual(replayed.body, failed.body);

      const retrying = emulatorStripe(emulator.port, {maxNetworkRetries: 2});
      const before = emulator.requestCount();
      await rejects(
        retrying.customers.create({email: 'halb@example.com'}, {idempotencyKey: 'key-500'}),
        Stripe.errors.StripeAPIError,
      );
      assert.equal(emulator.requestCount() - before, 1, 'no retry of a kept 500');
      assert.equal(await customersWith('halb@example.com'), 1);
    } finally {
      console.error = errors;
    }
  });

  it('answers 409 idempotency_key_in_use while the first request with the key runs', async () => {
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    const idle = emulator.state.webhooksIdle;
    // The renewal helper waits for its webhooks before it answers: held open here.
    emulator.state.webhooksIdle = () => running;
    try {
      const first = post('/v1/test_helpers/emulator/renew', 'key-busy', {
        email: SEEDED_EMAILS.card,
      });
      while (!emulator.state.idempotency.has('key-busy')) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const busy = await post('/v1/test_helpers/emulator/renew', 'key-busy', {
        email: SEEDED_EMAILS.card,
      });
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error?.type, 'invalid_request_error');
      assert.equal(busy.body.error?.code, 'idempotency_key_in_use');
      release();
      assert.equal((await first).status, 200);
      const replayed = await post('/v1/test_helpers/emulator/renew', 'key-busy', {
        email: SEEDED_EMAILS.card,
      });
      assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    } finally {
      emulator.state.webhooksIdle = idle;
    }
  });

  it('forgets a key after 24 hours of the state’s clock', async () => {
    await post('/v1/customers', 'key-old', {email: 'gestern@example.com'});
    emulator.state.clockOffset += 24 * 60 * 60;
    const next = await post('/v1/customers', 'key-old', {email: 'gestern@example.com'});
    assert.equal(next.status, 200);
    assert.equal(next.headers.get('idempotent-replayed'), null);
    assert.equal(await customersWith('gestern@example.com'), 2, 'a new request');
  });

  it('replays a write whose answer was lost to the SDK’s retry (drop-response)', async () => {
    const retrying = emulatorStripe(emulator.port, {maxNetworkRetries: 1});
    emulator.injectFault({method: 'POST', path: '/v1/customers', fault: 'drop-response', times: 1});
    const created = await retrying.customers.create({email: 'verloren@example.com'});
    assert.match(created.id, /^cus_/);
    assert.equal(await customersWith('verloren@example.com'), 1, 'written once');
  });
});
