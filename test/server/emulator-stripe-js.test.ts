/**
 * What the emulator answers the Stripe.js stand-in: confirmations with `use_stripe_sdk`, the
 * 3-D Secure challenge Stripe.js completes in its modal, and SetupIntents that stay
 * `processing`. Called as Stripe.js calls Stripe: `fetch`, form bodies, the publishable key as
 * `key`.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS, type StripeEmulator} from '../../demo/stripe-emulator/index.js';
import {settleProcessingSetupIntents} from '../../demo/stripe-emulator/setup-intents.js';
import {idOf, useEmulator} from './stripe-emulator-client.js';

const PK = 'pk_test_demo_conroo';
const nextYear = String(new Date().getUTCFullYear() + 1);

describe('the emulator as Stripe.js reaches it', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  useEmulator({}, (started) => ({emulator, stripe} = started));

  const call = async (method: 'GET' | 'POST', path: string, fields: Record<string, string>) => {
    const query = new URLSearchParams({...fields, key: PK}).toString();
    const response = await fetch(`${emulator.url}${path}${method === 'GET' ? `?${query}` : ''}`, {
      method,
      headers:
        method === 'POST' ? {'Content-Type': 'application/x-www-form-urlencoded'} : undefined,
      body: method === 'POST' ? query : undefined,
    });
    return {status: response.status, body: await response.json()};
  };

  const newSetupIntent = () =>
    stripe.setupIntents.create({
      customer: SEEDED_CUSTOMER_IDS.card,
      usage: 'off_session',
      allowed_payment_method_types: ['card', 'paypal'],
    });

  const confirmCard = (si: Stripe.SetupIntent, number: string, extra = {}) =>
    call('POST', `/v1/setup_intents/${si.id}/confirm`, {
      client_secret: si.client_secret!,
      'payment_method_data[type]': 'card',
      'payment_method_data[card][number]': number,
      'payment_method_data[card][exp_month]': '12',
      'payment_method_data[card][exp_year]': nextYear,
      'payment_method_data[card][cvc]': '123',
      ...extra,
    });

  // https://docs.stripe.com/api/setup_intents/confirm#confirm_setup_intent-use_stripe_sdk and
  // https://docs.stripe.com/api/setup_intents/object#setup_intent_object-next_action-type: with
  // `use_stripe_sdk` Stripe.js handles the next action itself (`use_stripe_sdk`); without it a
  // 3-D Secure card needs a redirect (`redirect_to_url`).
  it('asks Stripe.js to run 3-D Secure itself when it confirms with use_stripe_sdk', async () => {
    const si = await newSetupIntent();
    const viaSdk = await confirmCard(si, '4000002500003155', {use_stripe_sdk: 'true'});
    assert.equal(viaSdk.status, 200);
    assert.equal(viaSdk.body.status, 'requires_action');
    assert.equal(viaSdk.body.next_action.type, 'use_stripe_sdk');
    assert.match(viaSdk.body.next_action.use_stripe_sdk.three_d_secure_2_source, /^src_/);
    assert.equal(viaSdk.body.customer, undefined, 'Stripe.js sees no customer');

    const other = await newSetupIntent();
    const withoutSdk = await confirmCard(other, '4000002500003155', {
      return_url: 'https://portal.example/kundenportal',
    });
    assert.equal(withoutSdk.body.next_action.type, 'redirect_to_url');
  });

  // https://docs.stripe.com/testing#regulatory-cards: the test card 4000 0025 0000 3155 needs
  // authentication; the test page offers to complete or to fail it.
  it('attaches the card once the challenge is completed, and says so to retrieveSetupIntent', async () => {
    const si = await newSetupIntent();
    const confirmed = await confirmCard(si, '4000002500003155', {use_stripe_sdk: 'true'});
    const source = confirmed.body.next_action.use_stripe_sdk.three_d_secure_2_source;
    const completed = await call('POST', '/v1/3ds2/challenge_complete', {
      source,
      outcome: 'authenticated',
    });
    assert.equal(completed.status, 200);
    const read = await call('GET', `/v1/setup_intents/${si.id}`, {
      client_secret: si.client_secret!,
    });
    assert.equal(read.body.status, 'succeeded');
    const pm = await stripe.paymentMethods.retrieve(read.body.payment_method);
    assert.equal(idOf(pm.customer), SEEDED_CUSTOMER_IDS.card);
    const again = await call('POST', '/v1/3ds2/challenge_complete', {
      source,
      outcome: 'authenticated',
    });
    assert.equal(again.status, 404, 'a challenge is answered once');
  });

  // https://docs.stripe.com/api/setup_intents/object#setup_intent_object-last_setup_error: a
  // failed authentication leaves `requires_payment_method` with the error on the intent.
  it('leaves the intent requires_payment_method with the error when the challenge fails', async () => {
    const si = await newSetupIntent();
    const confirmed = await confirmCard(si, '4000002500003155', {use_stripe_sdk: 'true'});
    await call('POST', '/v1/3ds2/challenge_complete', {
      source: confirmed.body.next_action.use_stripe_sdk.three_d_secure_2_source,
      outcome: 'failed',
    });
    const read = await stripe.setupIntents.retrieve(si.id);
    assert.equal(read.status, 'requires_payment_method');
    assert.equal(read.last_setup_error?.code, 'setup_intent_authentication_failure');
    assert.equal(read.payment_method, null);
    const tried = await stripe.paymentMethods.retrieve(confirmed.body.payment_method);
    assert.equal(tried.customer, null, 'the card was not attached');
  });

  it('refuses a challenge answer without a publishable key, or for an unknown source', async () => {
    const anonymous = await fetch(`${emulator.url}/v1/3ds2/challenge_complete`, {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: 'source=src_x&outcome=authenticated',
    });
    assert.equal(anonymous.status, 401);
    const unknown = await call('POST', '/v1/3ds2/challenge_complete', {
      source: 'src_unknown',
      outcome: 'authenticated',
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'resource_missing');
  });

  // https://docs.stripe.com/payments/setupintents/lifecycle: `processing` until the method is
  // confirmed, then `succeeded`. The hold is the emulator's own control, not a Stripe test value.
  it('holds a setup in processing when told to, and lets it succeed later', async () => {
    emulator.state.holdSetupsInProcessing = 1;
    const si = await newSetupIntent();
    const confirmed = await confirmCard(si, '4242424242424242', {use_stripe_sdk: 'true'});
    assert.equal(confirmed.body.status, 'processing');
    assert.equal(
      (await stripe.setupIntents.retrieve(si.id)).status,
      'processing',
      'until the bank answers',
    );
    settleProcessingSetupIntents(emulator.state);
    const settled = await stripe.setupIntents.retrieve(si.id);
    assert.equal(settled.status, 'succeeded');
    const pm = await stripe.paymentMethods.retrieve(settled.payment_method as string);
    assert.equal(idOf(pm.customer), SEEDED_CUSTOMER_IDS.card);
  });
});
