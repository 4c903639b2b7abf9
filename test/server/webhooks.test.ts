import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import Stripe from 'stripe';
import {createStripeClient} from '../../server/adapters/stripe.js';
import {createApp} from '../../server/app.js';
import {parseConfig} from '../../server/config.js';
import {silentLogger} from '../../server/logger.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {
  emulatorLatencyMs,
  renewSubscriptions,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  startStripeEmulator,
  stripeSignature,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {type Client, login, startPortal, type Portal} from './harness.js';

const SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
const sdk = new Stripe('sk_test_unused');

let sequence = 0;
function event(type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: `evt_test${++sequence}${randomBytes(4).toString('hex')}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    data: {object, ...extra},
    livemode: false,
    pending_webhooks: 1,
    request: {id: null, idempotency_key: null},
    type,
  };
}

/** POSTs a payload to the webhook as Stripe would, signed with `secret` at `timestamp`. */
async function deliver(
  portal: {url: string},
  payload: string,
  options: {secret?: string; timestamp?: number; headers?: Record<string, string>} = {},
) {
  const header = sdk.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? SECRET,
    ...(options.timestamp === undefined ? {} : {timestamp: options.timestamp}),
  });
  const response = await fetch(`${portal.url}/api/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': header,
      ...options.headers,
    },
    body: payload,
  });
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    body: type.includes('json') ? await response.json() : await response.text(),
  };
}

describe('POST /api/stripe/webhook', () => {
  let portal: Portal;
  let client: Client;
  const customerId = SEEDED_CUSTOMER_IDS.card;
  before(async () => {
    portal = await startPortal({env: {STRIPE_WEBHOOK_SECRET: SECRET}});
    // Only the events these tests send.
    portal.emulator!.setWebhookEndpoint(null);
    client = await login(portal, SEEDED_EMAILS.card);
  });
  after(() => portal.close());

  /** Loads the account until it is cached; returns a probe: did the next load ask Stripe? */
  async function warmAccount() {
    await client.get('/api/account');
    const count = portal.emulator!.requestCount();
    await client.get('/api/account');
    assert.equal(portal.emulator!.requestCount(), count, 'cached');
    return async () => {
      const before = portal.emulator!.requestCount();
      assert.equal((await client.get('/api/account')).status, 200);
      return portal.emulator!.requestCount() > before;
    };
  }

  it('accepts a correctly signed event: 200, and the customer’s cache is invalidated', async () => {
    const asksStripe = await warmAccount();
    const answer = await deliver(
      portal,
      JSON.stringify(event('customer.updated', {id: customerId, object: 'customer'})),
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {received: true, handled: true});
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal(await asksStripe(), true);
  });

  it('refuses a bad signature, a missing one and a tampered body: 400, nothing invalidated', async () => {
    const asksStripe = await warmAccount();
    const payload = JSON.stringify(event('customer.updated', {id: customerId, object: 'customer'}));
    const wrongSecret = await deliver(portal, payload, {secret: `whsec_${'x'.repeat(32)}`});
    assert.equal(wrongSecret.status, 400);
    assert.equal(wrongSecret.body.error.code, 'invalid_request');

    const unsigned = await fetch(`${portal.url}/api/stripe/webhook`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: payload,
    });
    assert.equal(unsigned.status, 400);

    const header = sdk.webhooks.generateTestHeaderString({payload, secret: SECRET});
    const tampered = await fetch(`${portal.url}/api/stripe/webhook`, {
      method: 'POST',
      headers: {'content-type': 'application/json', 'stripe-signature': header},
      body: payload.replace('customer.updated', 'customer.deleted'),
    });
    assert.equal(tampered.status, 400);
    assert.equal(await asksStripe(), false);
  });

  it('refuses a signature older than 300 s (replay): 400', async () => {
    const asksStripe = await warmAccount();
    const payload = JSON.stringify(event('customer.updated', {id: customerId, object: 'customer'}));
    const old = await deliver(portal, payload, {timestamp: Math.floor(Date.now() / 1000) - 301});
    assert.equal(old.status, 400);
    assert.equal(await asksStripe(), false);
    const recent = await deliver(portal, payload, {
      timestamp: Math.floor(Date.now() / 1000) - 200,
    });
    assert.equal(recent.status, 200, 'within the tolerance');
  });

  it('handles a repeated event once: 200 both times, the second a no-op', async () => {
    const payload = JSON.stringify(event('customer.updated', {id: customerId, object: 'customer'}));
    let asksStripe = await warmAccount();
    const first = await deliver(portal, payload);
    assert.deepEqual(first.body, {received: true, handled: true});
    assert.equal(await asksStripe(), true);

    asksStripe = await warmAccount();
    const repeated = await deliver(portal, payload);
    assert.equal(repeated.status, 200);
    assert.deepEqual(repeated.body, {received: true, handled: false, duplicate: true});
    assert.equal(await asksStripe(), false, 'the repeat invalidated nothing');
  });

  it('ignores event types that do not concern the dashboard: 200', async () => {
    const asksStripe = await warmAccount();
    // The reminders (https://docs.stripe.com/api/events/types, invoice.upcoming: "Occurs X
    // number of days before a subscription is scheduled to create an invoice … will not have an
    // invoice ID"; invoice.will_be_due likewise before an invoice is due) change nothing.
    for (const type of [
      'product.updated',
      'charge.refunded',
      'setup_intent.created',
      'invoice.upcoming',
      'invoice.will_be_due',
    ]) {
      const answer = await deliver(
        portal,
        JSON.stringify(event(type, {id: 'x_1', object: type.split('.')[0], customer: customerId})),
      );
      assert.equal(answer.status, 200, type);
      assert.deepEqual(answer.body, {received: true, handled: false});
    }
    assert.equal(await asksStripe(), false);
  });

  it('invalidates for every kind of event of customers, tax IDs, subscriptions, invoices, methods', async () => {
    const kinds: Array<[string, Record<string, unknown>, Record<string, unknown>?]> = [
      ['customer.created', {id: customerId, object: 'customer'}],
      ['customer.updated', {id: customerId, object: 'customer'}, {previous_attributes: {}}],
      ['customer.deleted', {id: customerId, object: 'customer'}],
      ['customer.tax_id.created', {id: 'txi_1', object: 'tax_id', customer: customerId}],
      ['customer.tax_id.updated', {id: 'txi_1', object: 'tax_id', customer: customerId}],
      ['customer.tax_id.deleted', {id: 'txi_1', object: 'tax_id', customer: customerId}],
      [
        'customer.subscription.created',
        {id: 'sub_1', object: 'subscription', customer: customerId},
      ],
      [
        'customer.subscription.updated',
        {id: 'sub_1', object: 'subscription', customer: customerId},
      ],
      [
        'customer.subscription.deleted',
        {id: 'sub_1', object: 'subscription', customer: customerId},
      ],
      ['invoice.created', {id: 'in_1', object: 'invoice', customer: customerId}],
      ['invoice.finalized', {id: 'in_1', object: 'invoice', customer: customerId}],
      ['invoice.paid', {id: 'in_1', object: 'invoice', customer: customerId}],
      ['invoice.payment_failed', {id: 'in_1', object: 'invoice', customer: customerId}],
      ['payment_method.attached', {id: 'pm_1', object: 'payment_method', customer: customerId}],
      ['payment_method.updated', {id: 'pm_1', object: 'payment_method', customer: customerId}],
      [
        'payment_method.detached',
        {id: 'pm_1', object: 'payment_method', customer: null},
        {previous_attributes: {customer: customerId}},
      ],
      ['setup_intent.succeeded', {id: 'seti_1', object: 'setup_intent', customer: customerId}],
    ];
    for (const [type, object, extra] of kinds) {
      const asksStripe = await warmAccount();
      const answer = await deliver(portal, JSON.stringify(event(type, object, extra)));
      assert.deepEqual(answer.body, {received: true, handled: true}, type);
      assert.equal(await asksStripe(), true, type);
    }
  });

  it('is exempt from the CSRF guard (no Origin check, no JSON check), the signature decides', async () => {
    const payload = JSON.stringify(event('customer.updated', {id: customerId, object: 'customer'}));
    const answer = await deliver(portal, payload, {
      headers: {
        origin: 'https://elsewhere.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'text/plain',
      },
    });
    assert.equal(answer.status, 200);
  });

  it('refuses a body over the limit: 413, before any work', async () => {
    const big = JSON.stringify(
      event('customer.updated', {id: customerId, object: 'customer', pad: 'x'.repeat(300_000)}),
    );
    const answer = await deliver(portal, big);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'payload_too_large');
  });

  it('answers other methods like any unknown endpoint', async () => {
    assert.equal((await client.get('/api/stripe/webhook')).status, 404);
  });
});

describe('POST /api/stripe/webhook without STRIPE_WEBHOOK_SECRET', () => {
  it('does not exist (404); the cache then relies on its TTL', async () => {
    const config = parseConfig({
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
      POSTMARK_SERVER_TOKEN: 'token',
      MAIL_FROM: 'kundenportal@conroo.com',
      SESSION_SECRET: 'a'.repeat(64),
      PORTAL_URL: 'http://127.0.0.1/kundenportal',
      ALLOWED_ORIGINS: 'http://127.0.0.1',
    });
    assert.equal(config.stripe.webhookSecret, null);
    const store = new MemoryStore();
    const app = createApp(config, {
      stripe: createStripeClient(config),
      mailer: {send: async () => {}},
      store,
      log: silentLogger,
    });
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const {port} = server.address() as AddressInfo;
      const payload = JSON.stringify(event('customer.updated', {id: 'cus_x', object: 'customer'}));
      const answer = await deliver({url: `http://127.0.0.1:${port}`}, payload);
      assert.equal(answer.status, 404);
    } finally {
      server.close();
      await store.close();
    }
  });
});

describe('Stripe emulator: webhooks', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let receiver: Server;
  const received: Array<{signature: string; body: string}> = [];

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          signature: String(req.headers['stripe-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, {'content-type': 'application/json'}).end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const {port} = receiver.address() as AddressInfo;
    emulator = await startStripeEmulator({
      webhookUrl: `http://127.0.0.1:${port}/hook`,
      webhookSecret: SECRET,
    });
    stripe = new Stripe('sk_test_emulator', {
      host: '127.0.0.1',
      port: emulator.port,
      protocol: 'http',
      telemetry: false,
    });
  });
  after(async () => {
    await emulator.close();
    receiver.close();
  });

  /** The events of what `change` does, verified like the portal verifies them. */
  async function eventsOf(change: () => unknown): Promise<Stripe.Event[]> {
    await emulator.webhooksIdle();
    received.length = 0;
    await change();
    await emulator.webhooksIdle();
    return received.map((r) => sdk.webhooks.constructEvent(r.body, r.signature, SECRET, 300));
  }

  it('sends nothing for the seed', async () => {
    await emulator.webhooksIdle();
    assert.equal(emulator.webhookStats().delivered, 0);
  });

  it('signs like Stripe: t=<seconds>,v1=<HMAC-SHA256 of "t.body">', () => {
    const payload = '{"id":"evt_1","object":"event"}';
    const timestamp = 1_700_000_000;
    assert.equal(
      stripeSignature(payload, SECRET, timestamp),
      sdk.webhooks.generateTestHeaderString({payload, secret: SECRET, timestamp}),
    );
  });

  it('customer.updated with previous_attributes', async () => {
    const events = await eventsOf(() =>
      stripe.customers.update(SEEDED_CUSTOMER_IDS.card, {name: 'Neu'}),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['customer.updated'],
    );
    const [updated] = events as Stripe.CustomerUpdatedEvent[];
    assert.equal(updated.data.object.name, 'Neu');
    assert.equal((updated.data.previous_attributes as any).name, 'Jan Kowalski');
    assert.match(updated.id, /^evt_/);
    assert.equal(updated.api_version, '2026-10-28.endive');
  });

  it('customer.tax_id.created and .deleted', async () => {
    let taxId!: Stripe.TaxId;
    const created = await eventsOf(async () => {
      taxId = await stripe.customers.createTaxId(SEEDED_CUSTOMER_IDS.card, {
        type: 'de_stn',
        value: '12/345/67891',
      });
    });
    assert.deepEqual(
      created.map((e) => e.type),
      ['customer.tax_id.created'],
    );
    const deleted = await eventsOf(() =>
      stripe.customers.deleteTaxId(SEEDED_CUSTOMER_IDS.card, taxId.id),
    );
    assert.deepEqual(
      deleted.map((e) => [e.type, (e.data.object as Stripe.TaxId).customer]),
      [['customer.tax_id.deleted', SEEDED_CUSTOMER_IDS.card]],
    );
  });

  it('payment_method.attached, .updated and .detached (with the customer it had)', async () => {
    let pm!: Stripe.PaymentMethod;
    const attached = await eventsOf(async () => {
      pm = await stripe.paymentMethods.attach('pm_card_visa', {
        customer: SEEDED_CUSTOMER_IDS.company,
      });
    });
    assert.deepEqual(
      attached.map((e) => e.type),
      ['payment_method.attached'],
    );
    const updated = await eventsOf(() =>
      stripe.paymentMethods.update(pm.id, {billing_details: {name: 'Fuhrpark'}}),
    );
    assert.deepEqual(
      updated.map((e) => e.type),
      ['payment_method.updated'],
    );
    const detached = await eventsOf(() => stripe.paymentMethods.detach(pm.id));
    assert.deepEqual(
      detached.map((e) => e.type),
      ['payment_method.detached'],
    );
    assert.equal((detached[0].data.object as Stripe.PaymentMethod).customer, null);
    assert.equal(
      (detached[0].data.previous_attributes as any).customer,
      SEEDED_CUSTOMER_IDS.company,
    );
  });

  it('a SetupIntent: created, the method attached, succeeded, in that order', async () => {
    const events = await eventsOf(() =>
      stripe.setupIntents.create({
        customer: SEEDED_CUSTOMER_IDS.paypal,
        allowed_payment_method_types: ['card'],
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['setup_intent.created', 'payment_method.attached', 'setup_intent.succeeded'],
    );
  });

  // https://docs.stripe.com/api/events/types#event_types-setup_intent.setup_failed
  it('setup_intent.setup_failed for a declined confirmation, each time it is declined', async () => {
    const si = await stripe.setupIntents.create({customer: SEEDED_CUSTOMER_IDS.paypal});
    for (const token of ['pm_card_chargeDeclined', 'pm_card_chargeDeclinedInsufficientFunds']) {
      const events = await eventsOf(() =>
        stripe.setupIntents.confirm(si.id, {payment_method: token}).catch(() => {}),
      );
      assert.deepEqual(
        events.map((e) => e.type),
        ['setup_intent.setup_failed'],
      );
      const failed = events[0].data.object as Stripe.SetupIntent;
      assert.equal(failed.status, 'requires_payment_method');
      assert.equal(failed.last_setup_error?.code, 'card_declined');
    }
  });

  // https://docs.stripe.com/api/events/types#event_types-setup_intent.requires_action, then
  // setup_failed when the authentication fails, succeeded when it passes.
  it('setup_intent.requires_action for 3-D Secure, then .setup_failed or .succeeded', async () => {
    const confirm3ds = async () => {
      const si = await stripe.setupIntents.create({customer: SEEDED_CUSTOMER_IDS.paypal});
      let confirmed!: Stripe.SetupIntent;
      const events = await eventsOf(async () => {
        confirmed = await stripe.setupIntents.confirm(si.id, {
          payment_method: 'pm_card_authenticationRequired',
          return_url: 'https://portal.example/konto',
        });
      });
      assert.deepEqual(
        events.map((e) => e.type),
        ['setup_intent.requires_action'],
      );
      return confirmed;
    };
    const answer = (si: Stripe.SetupIntent, button: 'approve' | 'cancel') =>
      fetch(`${emulator.url}/redirect/${si.id}/${button}`, {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({client_secret: si.client_secret ?? ''}),
        redirect: 'manual',
      });

    const cancelled = await confirm3ds();
    const failed = await eventsOf(() => answer(cancelled, 'cancel'));
    assert.deepEqual(
      failed.map((e) => e.type),
      ['setup_intent.setup_failed'],
    );
    assert.equal(
      (failed[0].data.object as Stripe.SetupIntent).last_setup_error?.code,
      'setup_intent_authentication_failure',
    );

    const approved = await confirm3ds();
    const succeeded = await eventsOf(() => answer(approved, 'approve'));
    assert.deepEqual(
      succeeded.map((e) => e.type),
      ['payment_method.attached', 'setup_intent.succeeded'],
    );
  });

  it('customer.subscription.updated and .deleted', async () => {
    const [sub] = (await stripe.subscriptions.list({customer: SEEDED_CUSTOMER_IDS.paypal})).data;
    const updated = await eventsOf(() =>
      stripe.subscriptions.update(sub.id, {cancel_at_period_end: true}),
    );
    assert.deepEqual(
      updated.map((e) => e.type),
      ['customer.subscription.updated'],
    );
    assert.equal((updated[0].data.previous_attributes as any).cancel_at_period_end, false);
    const deleted = await eventsOf(() => stripe.subscriptions.cancel(sub.id));
    assert.deepEqual(
      deleted.map((e) => e.type),
      ['customer.subscription.deleted'],
    );
  });

  it('a renewal: invoice.created, .finalized, .paid, then the subscription', async () => {
    const events = await eventsOf(() => renewSubscriptions(emulator.state, SEEDED_EMAILS.company));
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'invoice.created',
        'invoice.finalized',
        'invoice.paid',
        'invoice.payment_succeeded',
        'customer.subscription.updated',
      ],
    );
  });

  it('a failed renewal: invoice.payment_failed', async () => {
    const events = await eventsOf(() =>
      renewSubscriptions(emulator.state, SEEDED_EMAILS.failedRenewal),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'invoice.created',
        'invoice.finalized',
        'invoice.payment_failed',
        'customer.subscription.updated',
      ],
    );
  });

  it('retries a failed delivery and keeps the order', async () => {
    let refuse = 1;
    receiver.removeAllListeners('request');
    receiver.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refuse-- > 0) {
          res.writeHead(503).end();
          return;
        }
        received.push({
          signature: String(req.headers['stripe-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200).end();
      });
    });
    const events = await eventsOf(async () => {
      await stripe.customers.update(SEEDED_CUSTOMER_IDS.manyInvoices, {name: 'Eins'});
      await stripe.customers.update(SEEDED_CUSTOMER_IDS.manyInvoices, {name: 'Zwei'});
    });
    assert.deepEqual(
      events.map((e) => (e.data.object as Stripe.Customer).name),
      ['Eins', 'Zwei'],
    );
  });
});

describe('Stripe emulator: createPreview with only a customer', () => {
  it('previews the subscription that renews first, as Stripe does', async () => {
    const emulator = await startStripeEmulator();
    try {
      const stripe = new Stripe('sk_test_emulator', {
        host: '127.0.0.1',
        port: emulator.port,
        protocol: 'http',
        telemetry: false,
      });
      const customerId = SEEDED_CUSTOMER_IDS.card;
      const subs = (await stripe.subscriptions.list({customer: customerId})).data;
      assert.equal(subs.length, 1);
      const preview = await stripe.invoices.createPreview({customer: customerId});
      assert.equal(preview.parent?.subscription_details?.subscription, subs[0].id);
      await stripe.subscriptions.update(subs[0].id, {cancel_at_period_end: true});
      await assert.rejects(
        stripe.invoices.createPreview({customer: customerId}),
        (error: any) => error.code === 'invoice_upcoming_none',
      );
    } finally {
      await emulator.close();
    }
  });
});

describe('The demo boot wires the emulator to the portal', () => {
  it('with a generated whsec_ secret and STRIPE_EMULATOR_LATENCY_MS', async () => {
    const portal = await startPortal({env: {STRIPE_EMULATOR_LATENCY_MS: '25'}});
    try {
      assert.match(portal.config.stripe.webhookSecret ?? '', /^whsec_[A-Za-z0-9_-]{20,}$/);
      assert.equal(portal.emulator!.state.http.latencyMs, 25);
      const before = portal.emulator!.webhookStats().delivered;
      const stripe = createStripeClient(portal.config);
      await stripe.customers.update(SEEDED_CUSTOMER_IDS.noSubscription, {name: 'Neu'});
      await portal.emulator!.webhooksIdle();
      assert.equal(portal.emulator!.webhookStats().delivered, before + 1);
      assert.equal(portal.emulator!.webhookStats().failed, 0);
    } finally {
      await portal.close();
    }
  });

  it('refuses a latency that is not a number of milliseconds', () => {
    assert.equal(emulatorLatencyMs({}), 0);
    assert.equal(emulatorLatencyMs({STRIPE_EMULATOR_LATENCY_MS: '200'}), 200);
    assert.throws(() => emulatorLatencyMs({STRIPE_EMULATOR_LATENCY_MS: 'fast'}), /LATENCY/);
    assert.throws(() => emulatorLatencyMs({STRIPE_EMULATOR_LATENCY_MS: '-5'}), /LATENCY/);
  });
});
