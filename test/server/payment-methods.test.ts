import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import Stripe from 'stripe';
import {type Client, login, startPortal, startPortalWithStripe, type Portal} from './harness.js';

const nextYear = String(new Date().getUTCFullYear() + 2);

/** What Stripe.js (the stand-in) does in the browser: confirm at /dev/stripe with the publishable key. */
async function confirm(portal: Portal, clientSecret: string, data: Record<string, string>) {
  const id = clientSecret.slice(0, clientSecret.indexOf('_secret_'));
  const response = await fetch(`${portal.url}/dev/stripe/v1/setup_intents/${id}/confirm`, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({
      key: 'pk_test_demo',
      client_secret: clientSecret,
      return_url: `${portal.url}/kundenportal`,
      ...data,
    }).toString(),
  });
  return {status: response.status, body: await response.json(), id};
}

const card = (number: string) => ({
  'payment_method_data[type]': 'card',
  'payment_method_data[card][number]': number,
  'payment_method_data[card][exp_month]': '12',
  'payment_method_data[card][exp_year]': nextYear,
  'payment_method_data[card][cvc]': '123',
});

async function addCard(portal: Portal, client: Client, number = '5555555555554444') {
  const created = await client.post('/api/payment-methods/setup-intents', {});
  assert.equal(created.status, 201);
  const confirmed = await confirm(portal, created.body.clientSecret, card(number));
  return {setupIntentId: confirmed.id, confirmed};
}

describe('„Zahlungsmethoden": adding a method', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  const subscriptionDefault = async (customerId: string) => {
    const [subscription] = (await stripe.subscriptions.list({customer: customerId})).data;
    return subscription.default_payment_method;
  };

  it('creates a SetupIntent and answers what the element needs: the client secret and which Stripe.js', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const created = await client.post('/api/payment-methods/setup-intents', {});
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), [
      'clientSecret',
      'publishableKey',
      'stripeJsUrl',
    ]);
    assert.match(created.body.clientSecret, /^seti_.+_secret_/);
    assert.equal(created.body.publishableKey, portal.config.stripe.publishableKey);
    // The demo names its emulator's stand-in, on the API's own origin.
    assert.equal(created.body.stripeJsUrl, `${portal.url}/dev/stripe/js/stripe.js`);
    const intent = await stripe.setupIntents.retrieve(
      created.body.clientSecret.split('_secret_')[0],
    );
    assert.equal(intent.usage, 'off_session');
    assert.deepEqual([...intent.payment_method_types].sort(), ['card', 'paypal']);
  });

  it('makes a succeeded card the default of the customer and of the running Gate Pass', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const customerId = (await client.get('/api/session')).body.activeCustomerId;
    const {setupIntentId, confirmed} = await addCard(portal, client);
    assert.equal(confirmed.body.status, 'succeeded');
    const completed = await client.post('/api/payment-methods/setup-intents/complete', {
      setupIntentId,
    });
    assert.equal(completed.status, 200);
    assert.equal(completed.body.paymentMethod.card.last4, '4444');
    assert.equal(completed.body.paymentMethod.isDefault, true);
    const pmId = completed.body.paymentMethod.id;

    const customer = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    assert.equal(customer.invoice_settings.default_payment_method, pmId);
    assert.equal(await subscriptionDefault(customerId), pmId);
    const account = await client.get('/api/account');
    assert.equal(account.body.defaultPaymentMethod.id, pmId);
    const list = await client.get('/api/payment-methods');
    assert.equal(list.body.paymentMethods[0].id, pmId);
    assert.equal(list.body.paymentMethods.filter((m: any) => m.isDefault).length, 1);

    const again = await client.post('/api/payment-methods/setup-intents/complete', {setupIntentId});
    assert.equal(again.status, 200, 'completing twice is harmless');
    assert.equal(again.body.paymentMethod.id, pmId);
  });

  it('changes nothing for a declined card: 409 setup_incomplete, the old default stays', async () => {
    const client = await login(portal, 'paypal@example.com');
    const before = (await client.get('/api/account')).body.defaultPaymentMethod.id;
    const {setupIntentId, confirmed} = await addCard(portal, client, '4000000000000002');
    assert.equal(confirmed.status, 402);
    assert.equal(confirmed.body.error.code, 'card_declined');
    const completed = await client.post('/api/payment-methods/setup-intents/complete', {
      setupIntentId,
    });
    assert.equal(completed.status, 409);
    assert.equal(completed.body.error.code, 'setup_incomplete');
    assert.equal((await client.get('/api/account')).body.defaultPaymentMethod.id, before);
  });

  it('completes a card that needed 3-D Secure only after the challenge was approved', async () => {
    const client = await login(portal, 'firma@example.com');
    const {setupIntentId, confirmed} = await addCard(portal, client, '4000002500003155');
    assert.equal(confirmed.body.status, 'requires_action');
    const early = await client.post('/api/payment-methods/setup-intents/complete', {setupIntentId});
    assert.equal(early.status, 409);

    const challenge = confirmed.body.next_action.redirect_to_url.url as string;
    assert.ok(challenge.startsWith(`${portal.url}/dev/stripe/redirect/`), challenge);
    const page = await (await fetch(challenge)).text();
    const [, action, secret] =
      /<form method="post" action="([^"]+\/approve)"><input type="hidden" name="client_secret" value="([^"]+)">/.exec(
        page,
      )!;
    const back = await fetch(new URL(action, challenge), {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({client_secret: secret}).toString(),
      redirect: 'manual',
    });
    const returnUrl = new URL(back.headers.get('location')!);
    assert.equal(`${returnUrl.origin}${returnUrl.pathname}`, `${portal.url}/kundenportal`);
    assert.equal(returnUrl.searchParams.get('redirect_status'), 'succeeded');
    assert.equal(returnUrl.searchParams.get('setup_intent'), setupIntentId);

    const completed = await client.post('/api/payment-methods/setup-intents/complete', {
      setupIntentId,
    });
    assert.equal(completed.status, 200);
    assert.equal(
      (await client.get('/api/account')).body.defaultPaymentMethod.id,
      completed.body.paymentMethod.id,
    );
  });

  it("answers 404 for another customer's SetupIntent and changes nothing", async () => {
    const owner = await login(portal, 'zwei@example.com');
    const {setupIntentId} = await addCard(portal, owner);
    const other = await login(portal, 'offen@example.com');
    const before = (await other.get('/api/account')).body.defaultPaymentMethod?.id ?? null;
    const answer = await other.post('/api/payment-methods/setup-intents/complete', {setupIntentId});
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'not_found');
    assert.equal((await other.get('/api/account')).body.defaultPaymentMethod?.id ?? null, before);
    assert.equal(
      (
        await other.post('/api/payment-methods/setup-intents/complete', {
          setupIntentId: 'seti_nothing',
        })
      ).status,
      404,
    );
  });
});

describe('„Zahlungsmethoden": default and removal', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('makes an older method the default again, on customer and subscription', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const customerId = (await client.get('/api/session')).body.activeCustomerId;
    const original = (await client.get('/api/account')).body.defaultPaymentMethod.id;
    const {setupIntentId} = await addCard(portal, client);
    await client.post('/api/payment-methods/setup-intents/complete', {setupIntentId});
    assert.notEqual((await client.get('/api/account')).body.defaultPaymentMethod.id, original);

    const answer = await client.post(`/api/payment-methods/${original}/default`, {});
    assert.equal(answer.status, 200);
    assert.equal(answer.body.paymentMethod.isDefault, true);
    const customer = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    assert.equal(customer.invoice_settings.default_payment_method, original);
    const [subscription] = (await stripe.subscriptions.list({customer: customerId})).data;
    assert.equal(subscription.default_payment_method, original);
  });

  it('refuses to remove the method that pays the running Gate Pass, removes the others', async () => {
    const client = await login(portal, 'paypal@example.com');
    const current = (await client.get('/api/account')).body.defaultPaymentMethod.id;
    const refused = await client.delete(`/api/payment-methods/${current}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'default_payment_method');

    const {setupIntentId} = await addCard(portal, client);
    const added = (
      await client.post('/api/payment-methods/setup-intents/complete', {setupIntentId})
    ).body.paymentMethod.id;
    // The new card pays now, so the PayPal account may go.
    assert.equal((await client.delete(`/api/payment-methods/${current}`)).status, 204);
    const left = (await client.get('/api/payment-methods')).body.paymentMethods.map(
      (m: any) => m.id,
    );
    assert.deepEqual(left, [added]);
  });

  it('lets a customer without a Gate Pass remove even its default method', async () => {
    const client = await login(portal, 'ohne-abo@example.com');
    const {setupIntentId} = await addCard(portal, client);
    const pm = (await client.post('/api/payment-methods/setup-intents/complete', {setupIntentId}))
      .body.paymentMethod.id;
    assert.equal((await client.delete(`/api/payment-methods/${pm}`)).status, 204);
    assert.deepEqual((await client.get('/api/payment-methods')).body.paymentMethods, []);
  });

  it("answers 404 for another customer's payment method, for default and removal", async () => {
    const owner = await login(portal, 'firma@example.com');
    const theirs = (await owner.get('/api/payment-methods')).body.paymentMethods[0].id;
    const client = await login(portal, 'offen@example.com');
    assert.equal((await client.post(`/api/payment-methods/${theirs}/default`, {})).status, 404);
    assert.equal((await client.delete(`/api/payment-methods/${theirs}`)).status, 404);
    assert.equal((await owner.get('/api/payment-methods')).body.paymentMethods[0].id, theirs);
  });
});

describe('which Stripe.js the element loads is a setting, never inferred', () => {
  it('names no stand-in while STRIPE_JS_URL is unset, even with STRIPE_API_BASE pointing elsewhere', async () => {
    const portal = await startPortal({env: {STRIPE_JS_URL: ''}});
    try {
      assert.ok(portal.config.stripe.apiBase, 'the SDK talks to the emulator');
      const client = await login(portal, 'fahrer@example.com');
      const created = await client.post('/api/payment-methods/setup-intents', {});
      assert.equal(created.status, 201);
      assert.equal(created.body.stripeJsUrl, null, 'the element loads @stripe/stripe-js');
      assert.equal(created.body.publishableKey, portal.config.stripe.publishableKey);
    } finally {
      await portal.close();
    }
  });
});
