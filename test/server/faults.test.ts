/**
 * Stripe and Postmark stumbling: the SDK retries (idempotently), a Stripe that stays down is
 * `503 stripe_unavailable` with `Retry-After`, and login mails are retried with backoff while
 * the person asking gets the same 202 as always.
 */
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import {startDemo, type Demo} from '../../demo/boot.js';
import type {FaultKind, StripeEmulator} from '../../demo/stripe-emulator/index.js';
import type {Logger} from '../../server/logger.js';
import {Client, login} from './harness.js';

const FAST = {
  STRIPE_TIMEOUT_MS: '300',
  MAIL_RETRY_DELAYS_MS: '10,20,30',
  // Every dashboard load asks Stripe.
  CACHE_TTL_SECONDS: '0',
};

function recordingLog() {
  const lines: Array<{level: string; message: string; fields: Record<string, unknown>}> = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({level, message, fields});
  const log: Logger = {info: at('info'), warn: at('warn'), error: at('error')};
  return {log, lines};
}

describe('Stripe faults', () => {
  let portal: Demo;
  let emulator: StripeEmulator;
  let client: Client;
  before(async () => {
    portal = await startDemo({port: 0, env: FAST});
    emulator = portal.emulator!;
    client = await login(portal, 'fahrer@example.com');
  });
  after(() => portal.close());
  beforeEach(() => {
    emulator.clearFaults();
    emulator.state.http.trace = [];
  });
  const calls = (method: string, path: string | RegExp) =>
    emulator.state.http.trace!.filter(
      (t) =>
        t.method === method && (typeof path === 'string' ? t.path === path : path.test(t.path)),
    ).length;

  for (const fault of [500, 429, 503] as FaultKind[]) {
    it(`retries a ${fault} and answers as if nothing happened`, async () => {
      emulator.injectFault({method: 'GET', path: '/v1/customers/cus_demoFahrer', fault, times: 1});
      const answer = await client.get('/api/account');
      assert.equal(answer.status, 200);
      assert.equal(answer.body.customer.id, 'cus_demoFahrer');
      assert.ok(calls('GET', '/v1/customers/cus_demoFahrer') >= 2, 'the SDK asked again');
    });
  }

  it('retries a dropped connection and a timeout', async () => {
    emulator.injectFault({path: '/v1/customers/cus_demoFahrer', fault: 'drop', times: 1});
    emulator.injectFault({path: /^\/v1\/invoices$/, fault: 'timeout', times: 1});
    const answer = await client.get('/api/invoices');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });

  for (const fault of [429, 500, 'timeout', 'drop'] as FaultKind[]) {
    it(`answers 503 stripe_unavailable with Retry-After when Stripe stays down (${fault})`, async () => {
      emulator.injectFault({method: 'GET', path: /^\/v1\/customers\/cus_demoFahrer$/, fault});
      const answer = await client.get('/api/account');
      assert.equal(answer.status, 503);
      assert.deepEqual(answer.body.error.code, 'stripe_unavailable');
      assert.equal(answer.headers.get('retry-after'), '5');
      // One try and the SDK's two retries, then it gave up (a timeout is traced only if answered).
      if (fault !== 'timeout' && fault !== 'drop') {
        assert.equal(calls('GET', '/v1/customers/cus_demoFahrer'), 3);
      }
      // The session survives: once Stripe is back the same request works.
      emulator.clearFaults();
      assert.equal((await client.get('/api/account')).status, 200);
    });
  }

  it('applies a write once when its answer was lost and the SDK retried it', async () => {
    const intents = () =>
      [...emulator.state.setupIntents.values()].filter((i) => i.customer === 'cus_demoFahrer')
        .length;
    const before = intents();
    // Stripe creates the SetupIntent, then the connection drops before the answer arrives.
    emulator.injectFault({
      method: 'POST',
      path: '/v1/setup_intents',
      fault: 'drop-response',
      times: 1,
    });
    const answer = await client.post('/api/payment-methods/setup-intents');
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.match(answer.body.clientSecret, /^seti_/);
    assert.equal(
      calls('POST', '/v1/setup_intents'),
      1,
      'the retry was answered from the first try',
    );
    assert.equal(intents(), before + 1, 'one SetupIntent, not two');
    const kept = [...emulator.state.idempotency.values()].filter(
      (r) => r.path === '/v1/setup_intents' && r.response?.status === 200,
    );
    assert.ok(kept.length >= 1);
  });

  it('offers the per-endpoint faults over HTTP for an emulator in another process', async () => {
    const helper = (method: string, body?: Record<string, string>) =>
      fetch(`${emulator.url}/v1/test_helpers/emulator/faults`, {
        method,
        headers: {
          authorization: 'Bearer sk_test_demo_conroo',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: body && new URLSearchParams(body).toString(),
      });
    const added = await helper('POST', {path: '^/v1/invoices$', fault: '500', times: '10'});
    assert.equal(added.status, 200);
    assert.equal((await client.get('/api/invoices')).status, 503);
    assert.equal((await helper('DELETE')).status, 200);
    assert.equal((await client.get('/api/invoices')).status, 200);
    const bad = await helper('POST', {path: '^/v1/x', fault: 'explode'});
    assert.equal(bad.status, 400);
  });
});

describe('Postmark faults', () => {
  let portal: Demo;
  let recorded: ReturnType<typeof recordingLog>;
  before(async () => {
    recorded = recordingLog();
    portal = await startDemo({port: 0, env: FAST, log: recorded.log});
  });
  after(() => portal.close());
  beforeEach(() => {
    recorded.lines.length = 0;
  });

  const mails = async (to: string) => (await portal.outbox.messages({to})).length;

  it('retries with backoff and the mail arrives; the answer is the usual 202', async (t) => {
    const standin = portal.postmark!;
    standin.failNext(2);
    const before = await mails('paypal@example.com');
    const answer = await new Client(portal.url).post('/api/auth/email-link', {
      email: 'paypal@example.com',
    });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, {status: 'sent'});
    await portal.app.drain();
    assert.equal(await mails('paypal@example.com'), before + 1);
    const retries = recorded.lines.filter((l) => l.message === 'login mail failed, retrying');
    assert.deepEqual(
      retries.map((l) => [l.level, l.fields.attempt, l.fields.delayMs]),
      [
        ['warn', 1, 10],
        ['warn', 2, 20],
      ],
    );
    assert.ok(recorded.lines.some((l) => l.message === 'login link sent'));
    t.diagnostic('mail delivered on the third try');
  });

  it('gives up after the last retry, logs it, answers 202 all the same; asking again works', async () => {
    const standin = portal.postmark!;
    standin.failNext(4);
    const before = await mails('firma@example.com');
    const answer = await new Client(portal.url).post('/api/auth/email-link', {
      email: 'firma@example.com',
    });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, {status: 'sent'});
    await portal.app.drain();
    assert.equal(await mails('firma@example.com'), before);
    const failed = recorded.lines.find((l) => l.message === 'login mail not sent');
    assert.equal(failed?.level, 'error');
    assert.equal(failed?.fields.email, 'f***@example.com');

    const again = await new Client(portal.url).post('/api/auth/email-link', {
      email: 'firma@example.com',
    });
    assert.equal(again.status, 202);
    await portal.app.drain();
    assert.equal(await mails('firma@example.com'), before + 1);
  });

  it('does not retry what Postmark refuses for good', async () => {
    const {withRetries} = await import('../../server/adapters/mailer.js');
    let tries = 0;
    const refusing = withRetries(
      {
        async send() {
          tries += 1;
          throw Object.assign(new Error('Invalid To address'), {statusCode: 422});
        },
      },
      {delaysMs: [1, 1, 1]},
    );
    await assert.rejects(refusing.send({to: 'x@example.com', subject: '', text: '', html: ''}));
    assert.equal(tries, 1);
  });
});
