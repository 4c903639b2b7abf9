/**
 * SetupIntents in the Stripe emulator: created and read by the server through the real
 * `stripe` SDK (secret key), confirmed by the browser with plain `fetch`, a publishable key and
 * form bodies (as Stripe.js and the demo payment form do), including the redirect pages for
 * 3-D Secure and PayPal.
 */
import assert from 'node:assert/strict';
import type {Server} from 'node:http';
import {describe, it} from 'node:test';
import express from 'express';
import Stripe from 'stripe';
import {
  createEmulatorState,
  createStripeEmulatorApp,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  seedDemoData,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {emulatorStripe, idOf, rejects, useEmulator} from './stripe-emulator-client.js';

const PK = 'pk_test_demo_conroo';
const RETURN_URL = 'https://portal.example/konto?tab=zahlung';
const nextYear = String(new Date().getUTCFullYear() + 1);

interface StripeErrorJson {
  error: {
    type: string;
    code?: string;
    decline_code?: string;
    param?: string;
    message: string;
    setup_intent?: Stripe.SetupIntent;
  };
}

/** The browser side: fetch with a publishable key and form bodies, like the demo payment form. */
function browser(base: string) {
  const call = async (method: 'GET' | 'POST', path: string, fields: Record<string, string>) => {
    const body = new URLSearchParams(fields).toString();
    const res = await fetch(method === 'GET' ? `${base}${path}?${body}` : `${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${PK}`,
        ...(method === 'POST' ? {'Content-Type': 'application/x-www-form-urlencoded'} : {}),
      },
      ...(method === 'POST' ? {body} : {}),
    });
    return {status: res.status, body: (await res.json()) as unknown};
  };
  return {
    retrieve: (si: Stripe.SetupIntent, clientSecret = si.client_secret ?? '') =>
      call('GET', `/v1/setup_intents/${si.id}`, {client_secret: clientSecret}),
    confirm: (si: Stripe.SetupIntent, fields: Record<string, string>) =>
      call('POST', `/v1/setup_intents/${si.id}/confirm`, {
        client_secret: si.client_secret ?? '',
        return_url: RETURN_URL,
        ...fields,
      }),
    confirmCard: (si: Stripe.SetupIntent, number: string, expYear = nextYear) =>
      call('POST', `/v1/setup_intents/${si.id}/confirm`, {
        client_secret: si.client_secret ?? '',
        return_url: RETURN_URL,
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': number,
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': expYear,
        'payment_method_data[card][cvc]': '123',
      }),
  };
}

/** Follows a redirect URL by hand: GET the page, POST one of its forms, return the 303 target. */
async function answerRedirectPage(
  redirectUrl: string,
  button: 'approve' | 'cancel',
): Promise<{page: string; location: URL}> {
  const pageRes = await fetch(redirectUrl);
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.headers.get('content-type') ?? '', /^text\/html/);
  const page = await pageRes.text();
  const form = new RegExp(
    `<form method="post" action="([^"]+/${button})"><input type="hidden" name="client_secret" value="([^"]+)">`,
  ).exec(page);
  assert.ok(form?.[1] && form[2], `the page has a ${button} form`);
  const action = new URL(form[1], redirectUrl);
  const res = await fetch(action, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams({client_secret: form[2]}).toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 303);
  return {page, location: new URL(res.headers.get('location') ?? '')};
}

describe('Stripe emulator: SetupIntents', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let client: ReturnType<typeof browser>;

  useEmulator({port: 0}, (started) => {
    ({emulator, stripe} = started);
    client = browser(emulator.url);
  });

  const create = (customer: string = SEEDED_CUSTOMER_IDS.card) =>
    stripe.setupIntents.create({
      customer,
      usage: 'off_session',
      automatic_payment_methods: {enabled: true},
      metadata: {portal: 'conroo'},
    });

  describe('server side (secret key, SDK)', () => {
    it('refuses payment_method_types like API 2026-10-28.endive', async () => {
      const err = await rejects(
        stripe.setupIntents.create({
          customer: SEEDED_CUSTOMER_IDS.card,
          payment_method_types: ['card'],
        } as Stripe.SetupIntentCreateParams),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.statusCode, 400);
      assert.equal(err.code, 'parameter_unknown');
      assert.equal(err.param, 'payment_method_types');
    });

    it('creates with automatic_payment_methods: card and PayPal, requires_payment_method', async () => {
      const si = await create();
      assert.match(si.id, /^seti_/);
      assert.ok(si.client_secret?.startsWith(`${si.id}_secret_`));
      assert.equal(si.object, 'setup_intent');
      assert.equal(si.status, 'requires_payment_method');
      assert.equal(si.customer, SEEDED_CUSTOMER_IDS.card);
      assert.equal(si.payment_method, null);
      assert.equal(si.usage, 'off_session');
      assert.deepEqual(si.payment_method_types, ['card', 'paypal']);
      assert.equal(si.automatic_payment_methods?.enabled, true);
      assert.equal(si.next_action, null);
      assert.equal(si.last_setup_error, null);
      assert.equal(si.latest_attempt, null);
      assert.equal(si.livemode, false);
      assert.equal(typeof si.created, 'number');
      assert.deepEqual(si.metadata, {portal: 'conroo'});
    });

    it('creates with allowed_payment_method_types', async () => {
      const si = await stripe.setupIntents.create({
        customer: SEEDED_CUSTOMER_IDS.card,
        allowed_payment_method_types: ['card', 'paypal'],
      });
      assert.deepEqual(si.payment_method_types, ['card', 'paypal']);
      assert.deepEqual(si.allowed_payment_method_types, ['card', 'paypal']);
      const cardOnly = await stripe.setupIntents.create({
        customer: SEEDED_CUSTOMER_IDS.card,
        allowed_payment_method_types: ['card'],
      });
      assert.deepEqual(cardOnly.payment_method_types, ['card']);
    });

    it('refuses an unknown customer with resource_missing', async () => {
      const err = await rejects(
        stripe.setupIntents.create({customer: 'cus_nope'}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.code, 'resource_missing');
      assert.equal(err.param, 'customer');
    });

    it('retrieves, lists by customer, and cancels', async () => {
      const si = await create(SEEDED_CUSTOMER_IDS.noSubscription);
      const again = await stripe.setupIntents.retrieve(si.id);
      assert.equal(again.client_secret, si.client_secret);
      const list = await stripe.setupIntents.list({customer: SEEDED_CUSTOMER_IDS.noSubscription});
      assert.ok(list.data.some((s) => s.id === si.id));
      assert.ok(list.data.every((s) => s.customer === SEEDED_CUSTOMER_IDS.noSubscription));
      const canceled = await stripe.setupIntents.cancel(si.id, {
        cancellation_reason: 'abandoned',
      });
      assert.equal(canceled.status, 'canceled');
      assert.equal(canceled.cancellation_reason, 'abandoned');
      const err = await rejects(
        stripe.setupIntents.cancel(si.id),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.code, 'setup_intent_unexpected_state');
      await rejects(
        stripe.setupIntents.retrieve('seti_doesNotExist'),
        Stripe.errors.StripeInvalidRequestError,
      );
    });

    it('confirms server-side with a test PaymentMethod token', async () => {
      const si = await create(SEEDED_CUSTOMER_IDS.noSubscription);
      const done = await stripe.setupIntents.confirm(si.id, {payment_method: 'pm_card_visa'});
      assert.equal(done.status, 'succeeded');
      const pm = await stripe.paymentMethods.retrieve(idOf(done.payment_method)!);
      assert.equal(pm.customer, SEEDED_CUSTOMER_IDS.noSubscription);
    });
    it('creates with confirm=true, or with a payment method to confirm later', async () => {
      const now = await stripe.setupIntents.create({
        customer: SEEDED_CUSTOMER_IDS.noSubscription,
        payment_method: 'pm_card_mastercard',
        confirm: true,
      });
      assert.equal(now.status, 'succeeded');
      const later = await stripe.setupIntents.create({
        customer: SEEDED_CUSTOMER_IDS.noSubscription,
        payment_method: 'pm_card_visa',
      });
      assert.equal(later.status, 'requires_confirmation');
      assert.equal((await stripe.setupIntents.confirm(later.id)).status, 'succeeded');
    });
  });

  describe('browser side (publishable key, fetch)', () => {
    it('confirms 4242: succeeded, the card is attached and listed, the default is unchanged', async () => {
      const before = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card);
      assert.ok(!before.deleted);
      const si = await create();
      const {status, body} = await client.confirmCard(si, '4242 4242 4242 4242');
      assert.equal(status, 200);
      const confirmed = body as Stripe.SetupIntent;
      assert.equal(confirmed.status, 'succeeded');
      assert.equal(confirmed.next_action, null);
      assert.equal(confirmed.customer, undefined, 'a publishable key does not see the customer');
      const pmId = idOf(confirmed.payment_method);
      assert.match(pmId ?? '', /^pm_/);

      const pm = await stripe.paymentMethods.retrieve(pmId!);
      assert.equal(pm.type, 'card');
      assert.equal(pm.card?.brand, 'visa');
      assert.equal(pm.card?.last4, '4242');
      assert.equal(pm.card?.exp_month, 12);
      assert.equal(pm.card?.exp_year, Number(nextYear));
      assert.equal(pm.card?.funding, 'credit');
      assert.equal(pm.customer, SEEDED_CUSTOMER_IDS.card);

      const listed = await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.card);
      assert.ok(listed.data.some((m) => m.id === pmId));
      const afterwards = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card);
      assert.ok(!afterwards.deleted);
      assert.equal(
        afterwards.invoice_settings.default_payment_method,
        before.invoice_settings.default_payment_method,
      );

      const server = await stripe.setupIntents.retrieve(si.id, {expand: ['payment_method']});
      assert.equal(server.status, 'succeeded');
      assert.equal(typeof server.payment_method === 'object' && server.payment_method?.id, pmId);
    });

    it('confirms a Mastercard 5555…4444', async () => {
      const si = await create();
      const {body} = await client.confirmCard(si, '5555555555554444');
      const pm = await stripe.paymentMethods.retrieve(
        idOf((body as Stripe.SetupIntent).payment_method)!,
      );
      assert.equal(pm.card?.brand, 'mastercard');
      assert.equal(pm.card?.last4, '4444');
    });

    it('answers confirming an already succeeded SetupIntent with setup_intent_unexpected_state', async () => {
      const si = await create();
      assert.equal((await client.confirmCard(si, '4242424242424242')).status, 200);
      const {status, body} = await client.confirmCard(si, '4242424242424242');
      assert.equal(status, 400);
      assert.equal((body as StripeErrorJson).error.code, 'setup_intent_unexpected_state');
      const pms = await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.card, {
        limit: 100,
      });
      assert.equal(pms.data.filter((m) => m.card?.last4 === '4242').length >= 1, true);
    });

    it('declines 4000…0002 with a 402 card_error and leaves the intent requires_payment_method', async () => {
      const si = await create(SEEDED_CUSTOMER_IDS.company);
      const countBefore = (await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.company))
        .data.length;
      const {status, body} = await client.confirmCard(si, '4000000000000002');
      assert.equal(status, 402);
      const {error} = body as StripeErrorJson;
      assert.equal(error.type, 'card_error');
      assert.equal(error.code, 'card_declined');
      assert.equal(error.decline_code, 'generic_decline');
      assert.equal(error.message, 'Your card was declined.');
      assert.equal(error.setup_intent?.status, 'requires_payment_method');

      const after = await stripe.setupIntents.retrieve(si.id);
      assert.equal(after.status, 'requires_payment_method');
      assert.equal(after.payment_method, null);
      assert.equal(after.last_setup_error?.code, 'card_declined');
      assert.equal(after.last_setup_error?.decline_code, 'generic_decline');
      assert.equal(
        (await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.company)).data.length,
        countBefore,
        'nothing attached',
      );

      // The same intent can be confirmed again with a good card.
      const retry = await client.confirmCard(si, '4242424242424242');
      assert.equal((retry.body as Stripe.SetupIntent).status, 'succeeded');
    });

    it('declines 4000…9995 with insufficient_funds and an expired date with expired_card', async () => {
      const si = await create();
      const funds = await client.confirmCard(si, '4000000000009995');
      assert.equal(funds.status, 402);
      assert.equal((funds.body as StripeErrorJson).error.decline_code, 'insufficient_funds');
      const expired = await client.confirmCard(si, '4242424242424242', '2020');
      assert.equal(expired.status, 402);
      assert.equal((expired.body as StripeErrorJson).error.code, 'expired_card');
      assert.equal((await stripe.setupIntents.retrieve(si.id)).status, 'requires_payment_method');
    });

    it('refuses a number that fails the Luhn check with incorrect_number', async () => {
      const si = await create();
      const {status, body} = await client.confirmCard(si, '4242424242424241');
      assert.equal(status, 402);
      assert.equal((body as StripeErrorJson).error.code, 'incorrect_number');
    });

    it('runs 3-D Secure (4000…3155) through the redirect page: approve', async () => {
      const si = await create();
      const {status, body} = await client.confirmCard(si, '4000002500003155');
      assert.equal(status, 200);
      const pending = body as Stripe.SetupIntent;
      assert.equal(pending.status, 'requires_action');
      assert.equal(pending.next_action?.type, 'redirect_to_url');
      const redirect = pending.next_action?.redirect_to_url;
      assert.equal(redirect?.return_url, RETURN_URL);
      const redirectUrl = redirect?.url ?? '';
      assert.ok(redirectUrl.startsWith(`${emulator.url}/redirect/${si.id}?`), redirectUrl);

      const {page, location} = await answerRedirectPage(redirectUrl, 'approve');
      assert.match(page, /Demo: 3-D Secure/);
      assert.match(page, /Bestätigen \/ Approve/);
      assert.match(page, /Abbrechen \/ Cancel/);
      assert.match(page, /Visa •••• 3155/);
      assert.doesNotMatch(page, /<script|https?:\/\//i, 'no script, no external resources');

      assert.equal(location.origin + location.pathname, 'https://portal.example/konto');
      assert.equal(location.searchParams.get('tab'), 'zahlung', 'the return URL keeps its query');
      assert.equal(location.searchParams.get('setup_intent'), si.id);
      assert.equal(location.searchParams.get('setup_intent_client_secret'), si.client_secret);
      assert.equal(location.searchParams.get('redirect_status'), 'succeeded');

      const done = await stripe.setupIntents.retrieve(si.id, {expand: ['payment_method']});
      assert.equal(done.status, 'succeeded');
      assert.equal(done.next_action, null);
      const pm = done.payment_method as Stripe.PaymentMethod;
      assert.equal(pm.card?.last4, '3155');
      assert.equal(pm.customer, SEEDED_CUSTOMER_IDS.card);

      // Revisiting the page (back button) offers no forms any more, only the way back.
      const revisit = await (await fetch(redirectUrl)).text();
      assert.doesNotMatch(revisit, /<form/);
      assert.match(revisit, /redirect_status=succeeded/);
      // A second POST (double click) changes nothing and sends the same result.
      const repost = await fetch(`${emulator.url}/redirect/${si.id}/cancel`, {
        method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({client_secret: si.client_secret ?? ''}).toString(),
        redirect: 'manual',
      });
      assert.equal(repost.status, 303);
      assert.match(repost.headers.get('location') ?? '', /redirect_status=succeeded/);
      assert.equal((await stripe.setupIntents.retrieve(si.id)).status, 'succeeded');
    });

    it('runs 3-D Secure (4000…3184) through the redirect page: cancel', async () => {
      const si = await create();
      const {body} = await client.confirmCard(si, '4000002760003184');
      const url = (body as Stripe.SetupIntent).next_action?.redirect_to_url?.url;
      assert.ok(url);
      const {location} = await answerRedirectPage(url, 'cancel');
      assert.equal(location.searchParams.get('redirect_status'), 'failed');
      assert.equal(location.searchParams.get('setup_intent'), si.id);

      const failed = await stripe.setupIntents.retrieve(si.id);
      assert.equal(failed.status, 'requires_payment_method');
      assert.equal(failed.payment_method, null);
      assert.equal(failed.last_setup_error?.code, 'setup_intent_authentication_failure');
      const pmId = failed.last_setup_error?.payment_method?.id;
      assert.ok(pmId);
      assert.equal((await stripe.paymentMethods.retrieve(pmId)).customer, null, 'not attached');

      const read = await client.retrieve(si);
      assert.equal((read.body as Stripe.SetupIntent).status, 'requires_payment_method');
    });

    it('sets up PayPal through the simulated approval page', async () => {
      const si = await create(SEEDED_CUSTOMER_IDS.noSubscription);
      const {status, body} = await client.confirm(si, {'payment_method_data[type]': 'paypal'});
      assert.equal(status, 200);
      const pending = body as Stripe.SetupIntent;
      assert.equal(pending.status, 'requires_action');
      const url = pending.next_action?.redirect_to_url?.url;
      assert.ok(url);
      const {page, location} = await answerRedirectPage(url, 'approve');
      assert.match(page, /Demo: PayPal/);
      assert.match(page, new RegExp(SEEDED_EMAILS.noSubscription));
      assert.equal(location.searchParams.get('redirect_status'), 'succeeded');

      const done = await stripe.setupIntents.retrieve(si.id);
      assert.equal(done.status, 'succeeded');
      const pm = await stripe.paymentMethods.retrieve(idOf(done.payment_method)!);
      assert.equal(pm.type, 'paypal');
      assert.equal(pm.paypal?.payer_email, SEEDED_EMAILS.noSubscription);
      assert.ok(pm.paypal?.payer_id);
      assert.equal(pm.customer, SEEDED_CUSTOMER_IDS.noSubscription);
      const listed = await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.noSubscription, {
        type: 'paypal',
      });
      assert.ok(listed.data.some((m) => m.id === pm.id));
    });

    it('answers a cancelled PayPal approval with redirect_status=failed', async () => {
      const si = await create();
      const {body} = await client.confirm(si, {'payment_method_data[type]': 'paypal'});
      const url = (body as Stripe.SetupIntent).next_action?.redirect_to_url?.url;
      assert.ok(url);
      const {location} = await answerRedirectPage(url, 'cancel');
      assert.equal(location.searchParams.get('redirect_status'), 'failed');
      const failed = await stripe.setupIntents.retrieve(si.id);
      assert.equal(failed.status, 'requires_payment_method');
      assert.match(failed.last_setup_error?.message ?? '', /PayPal/);
    });

    it('refuses PayPal on a card-only intent', async () => {
      const si = await stripe.setupIntents.create({
        customer: SEEDED_CUSTOMER_IDS.card,
        allowed_payment_method_types: ['card'],
      });
      const {status} = await client.confirm(si, {'payment_method_data[type]': 'paypal'});
      assert.equal(status, 400);
    });

    it('needs the matching client_secret: wrong is 400, an unknown intent 404', async () => {
      const si = await create();
      const wrong = await client.retrieve(si, `${si.id}_secret_wrong`);
      assert.equal(wrong.status, 400);
      assert.equal((wrong.body as StripeErrorJson).error.param, 'client_secret');
      const confirmWrong = await client.confirm(
        {...si, client_secret: `${si.id}_secret_wrong`},
        {'payment_method_data[type]': 'paypal'},
      );
      assert.equal(confirmWrong.status, 400);
      assert.equal((await stripe.setupIntents.retrieve(si.id)).status, 'requires_payment_method');
      const missing = await client.retrieve({...si, id: 'seti_unknown'});
      assert.equal(missing.status, 404);
      assert.equal((missing.body as StripeErrorJson).error.code, 'resource_missing');
      const noSecret = await fetch(`${emulator.url}/v1/setup_intents/${si.id}`, {
        headers: {Authorization: `Bearer ${PK}`},
      });
      assert.equal(noSecret.status, 400);
      const page = await fetch(
        `${emulator.url}/redirect/${si.id}?client_secret=${encodeURIComponent(`${si.id}_secret_x`)}`,
      );
      assert.equal(page.status, 404);
    });

    it('retrieves with the client secret, leaving out what the browser must not see', async () => {
      const si = await create();
      const {status, body} = await client.retrieve(si);
      assert.equal(status, 200);
      const seen = body as Partial<Stripe.SetupIntent>;
      assert.equal(seen.id, si.id);
      assert.equal(seen.status, 'requires_payment_method');
      assert.equal(seen.customer, undefined);
      assert.equal(seen.metadata, undefined);
    });

    it('accepts the publishable key as Stripe.js sends it, in the key parameter', async () => {
      const si = await create();
      const res = await fetch(`${emulator.url}/v1/setup_intents/${si.id}/confirm`, {
        method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({
          key: PK,
          client_secret: si.client_secret ?? '',
          'payment_method_data[type]': 'card',
          'payment_method_data[card][number]': '4242424242424242',
          'payment_method_data[card][exp_month]': '1',
          'payment_method_data[card][exp_year]': nextYear.slice(2),
        }).toString(),
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Stripe.SetupIntent).status, 'succeeded');
    });

    it('refuses a publishable key on secret endpoints', async () => {
      const headers = {Authorization: `Bearer ${PK}`};
      const customers = await fetch(`${emulator.url}/v1/customers`, {headers});
      assert.equal(customers.status, 401);
      assert.match(
        ((await customers.json()) as StripeErrorJson).error.message,
        /cannot be made with a publishable API key/,
      );
      const list = await fetch(`${emulator.url}/v1/setup_intents`, {headers});
      assert.equal(list.status, 401);
      const createRes = await fetch(`${emulator.url}/v1/setup_intents`, {
        method: 'POST',
        headers: {...headers, 'Content-Type': 'application/x-www-form-urlencoded'},
        body: `customer=${SEEDED_CUSTOMER_IDS.card}`,
      });
      assert.equal(createRes.status, 401);
      const si = await create();
      const cancel = await fetch(`${emulator.url}/v1/setup_intents/${si.id}/cancel`, {
        method: 'POST',
        headers,
      });
      assert.equal(cancel.status, 401);
      const live = await fetch(`${emulator.url}/v1/setup_intents/${si.id}`, {
        headers: {Authorization: 'Bearer pk_live_nope'},
      });
      assert.equal(live.status, 401);
    });

    it('answers OPTIONS with 204 and CORS headers', async () => {
      const res = await fetch(`${emulator.url}/v1/setup_intents/seti_x/confirm`, {
        method: 'OPTIONS',
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    });

    it('requires a return_url when a redirect is needed', async () => {
      const si = await create();
      const res = await fetch(`${emulator.url}/v1/setup_intents/${si.id}/confirm`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${PK}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          client_secret: si.client_secret ?? '',
          'payment_method_data[type]': 'paypal',
        }).toString(),
      });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as StripeErrorJson).error.param, 'return_url');
    });
  });

  describe('mounted under /dev/stripe', () => {
    async function host(
      opts: {publicBaseUrl?: string} = {},
    ): Promise<{server: Server; base: string; stripe: Stripe}> {
      const state = createEmulatorState();
      seedDemoData(state);
      const app = express();
      app.use('/dev/stripe', createStripeEmulatorApp(state, opts));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const {port} = server.address() as {port: number};
      return {server, base: `http://127.0.0.1:${port}/dev/stripe`, stripe: emulatorStripe(port)};
    }

    it('builds the redirect URL under the mount path and serves the page there', async () => {
      const {server, base} = await host();
      try {
        const secretHeaders = {
          Authorization: 'Bearer sk_test_x',
          'Content-Type': 'application/x-www-form-urlencoded',
        };
        const created = await fetch(`${base}/v1/setup_intents`, {
          method: 'POST',
          headers: secretHeaders,
          body: `customer=${SEEDED_CUSTOMER_IDS.card}&automatic_payment_methods[enabled]=true`,
        });
        const si = (await created.json()) as Stripe.SetupIntent;
        const {body} = await browser(base).confirm(si, {'payment_method_data[type]': 'paypal'});
        const url = (body as Stripe.SetupIntent).next_action?.redirect_to_url?.url ?? '';
        assert.ok(url.startsWith(`${base}/redirect/${si.id}?client_secret=`), url);
        assert.match(url, /\/dev\/stripe\/redirect\//);
        const {location} = await answerRedirectPage(url, 'approve');
        assert.equal(location.searchParams.get('redirect_status'), 'succeeded');
        const after = await fetch(`${base}/v1/setup_intents/${si.id}`, {headers: secretHeaders});
        assert.equal(((await after.json()) as Stripe.SetupIntent).status, 'succeeded');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('uses publicBaseUrl when given', async () => {
      const {server, base} = await host({publicBaseUrl: 'https://demo.conroo.example/dev/stripe/'});
      try {
        const res = await fetch(`${base}/v1/setup_intents`, {
          method: 'POST',
          headers: {
            Authorization: 'Bearer sk_test_x',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: `customer=${SEEDED_CUSTOMER_IDS.card}`,
        });
        const si = (await res.json()) as Stripe.SetupIntent;
        const {body} = await browser(base).confirmCard(si, '4000002500003155');
        const url = (body as Stripe.SetupIntent).next_action?.redirect_to_url?.url ?? '';
        assert.ok(url.startsWith(`https://demo.conroo.example/dev/stripe/redirect/${si.id}?`), url);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});

/**
 * Stripe's PaymentMethod tokens stand for its test cards (https://docs.stripe.com/testing#cards,
 * "PaymentMethods" tab): each use makes a fresh card, which attaching and setting up check.
 * Declining cards "can't be attached to a Customer object" and decline a SetupIntent
 * (https://docs.stripe.com/testing#declined-payments); the 3-D Secure cards ask for
 * authentication when set up (https://docs.stripe.com/testing#regulatory-cards).
 */
describe('Stripe emulator: pm_card_* test tokens', () => {
  let stripe: Stripe;
  const customer = SEEDED_CUSTOMER_IDS.noSubscription;

  useEmulator({}, (started) => ({stripe} = started));

  const setUp = (paymentMethod: string) =>
    stripe.setupIntents
      .create({customer, automatic_payment_methods: {enabled: true}})
      .then((si) =>
        stripe.setupIntents.confirm(si.id, {payment_method: paymentMethod, return_url: RETURN_URL}),
      );
  const methodsOf = async (id: string) =>
    (await stripe.customers.listPaymentMethods(id, {limit: 100})).data.map((m) => m.id);

  /** [token, brand, last4, funding, country] */
  const succeeding: Array<[string, string, string, string, string]> = [
    ['pm_card_visa', 'visa', '4242', 'credit', 'US'],
    ['pm_card_visa_debit', 'visa', '5556', 'debit', 'US'],
    ['pm_card_mastercard', 'mastercard', '4444', 'credit', 'US'],
    ['pm_card_mastercard_debit', 'mastercard', '8210', 'debit', 'US'],
    ['pm_card_amex', 'amex', '0005', 'credit', 'US'],
    ['pm_card_de', 'visa', '0016', 'credit', 'DE'],
    // Sets up and attaches; only its charges fail (the renewal tests charge it).
    ['pm_card_chargeCustomerFail', 'visa', '0341', 'credit', 'US'],
  ];

  for (const [token, brand, last4, funding, country] of succeeding) {
    it(`${token}: attaches, sets up and creates a customer with a fresh ${brand} •••• ${last4}`, async () => {
      const attached = await stripe.paymentMethods.attach(token, {customer});
      assert.match(attached.id, /^pm_/);
      assert.notEqual(attached.id, token);
      assert.deepEqual(
        [
          attached.card?.brand,
          attached.card?.last4,
          attached.card?.funding,
          attached.card?.country,
        ],
        [brand, last4, funding, country],
      );
      assert.equal(attached.customer, customer);

      const si = await setUp(token);
      assert.equal(si.status, 'succeeded');
      const pmId = idOf(si.payment_method)!;
      assert.notEqual(pmId, attached.id, 'every use makes a new PaymentMethod');
      assert.ok((await methodsOf(customer)).includes(pmId));

      const created = await stripe.customers.create({
        email: `token-${last4}@example.com`,
        payment_method: token,
      });
      const [own] = (await stripe.customers.listPaymentMethods(created.id)).data;
      assert.equal(own?.card?.last4, last4);
    });
  }

  /** [token, code, decline_code, param] */
  const declining: Array<[string, string, string, string | undefined]> = [
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', undefined],
    ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline', undefined],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', undefined],
    ['pm_card_chargeDeclinedLostCard', 'card_declined', 'lost_card', undefined],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'exp_month'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', 'cvc'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error', undefined],
  ];

  for (const [token, code, declineCode, param] of declining) {
    it(`${token}: declines setting up (402 ${code}/${declineCode}) and cannot be attached`, async () => {
      const before = await methodsOf(customer);
      const si = await stripe.setupIntents.create({customer});
      const err = await rejects(
        stripe.setupIntents.confirm(si.id, {payment_method: token}),
        Stripe.errors.StripeCardError,
      );
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, code);
      assert.equal(err.decline_code, declineCode);
      assert.equal(err.param, param);
      assert.equal(err.setup_intent?.status, 'requires_payment_method');
      const failed = await stripe.setupIntents.retrieve(si.id);
      assert.equal(failed.status, 'requires_payment_method');
      assert.equal(failed.payment_method, null);
      assert.equal(failed.last_setup_error?.type, 'card_error');
      assert.equal(failed.last_setup_error?.code, code);
      assert.equal(failed.last_setup_error?.decline_code, declineCode);
      assert.equal(
        failed.last_setup_error?.doc_url,
        `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`,
      );

      const attachErr = await rejects(
        stripe.paymentMethods.attach(token, {customer}),
        Stripe.errors.StripeCardError,
      );
      assert.equal(attachErr.code, code);
      assert.equal(attachErr.decline_code, declineCode);

      const email = `declined-${declineCode}-${code}@example.com`;
      await rejects(
        stripe.customers.create({email, payment_method: token}),
        Stripe.errors.StripeCardError,
      );
      assert.equal((await stripe.customers.list({email})).data.length, 0, 'no customer made');
      assert.deepEqual(await methodsOf(customer), before, 'nothing attached');
    });
  }

  for (const [token, last4] of [
    ['pm_card_authenticationRequired', '3184'],
    ['pm_card_authenticationRequiredOnSetup', '3155'],
    ['pm_card_threeDSecure2Required', '3220'],
  ] as const) {
    it(`${token}: setting up asks for 3-D Secure (requires_action); attaching does not`, async () => {
      const si = await setUp(token);
      assert.equal(si.status, 'requires_action');
      assert.equal(si.next_action?.type, 'redirect_to_url');
      assert.equal(si.next_action?.redirect_to_url?.return_url, RETURN_URL);
      const pm = await stripe.paymentMethods.retrieve(idOf(si.payment_method)!);
      assert.equal(pm.card?.last4, last4);
      assert.equal(pm.customer, null, 'attached only once authenticated');

      const attached = await stripe.paymentMethods.attach(token, {customer});
      assert.equal(attached.card?.last4, last4);
    });
  }
});
