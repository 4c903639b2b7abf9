/**
 * „Informationen aktualisieren" under faults: two instances of the production entry on one
 * Redis, Stripe's answer lost at each step of a save, an instance killed exactly before or after
 * each step. After recovery (the next dashboard load on the other instance) Stripe holds exactly
 * the old or exactly the new details — never a mix, „Ihre Referenz" and the customer's other
 * invoice custom fields included — and the dead instance's lease is free.
 */
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS} from '../../demo/stripe-emulator/index.js';
import {
  startPortalProcess,
  startStripeProxy,
  until,
  type PortalProcess,
  type StripeProxy,
} from './fault-harness.js';
import {tokenOf} from './harness.js';
import {startSharedServices, type SharedServices} from './instances.js';
import {startRedisServer, type RedisServer} from './redis-server.js';
import {emulatorStripe} from './stripe-emulator-client.js';

const customerId = SEEDED_CUSTOMER_IDS.company;

const company = {
  name: 'Spedition Nordlicht GmbH & Co. KG',
  phone: '+49 40 123456',
  address: {line1: 'Am Kaiserkai 10', postalCode: '20457', city: 'Hamburg', country: 'DE'},
  shipping: {
    name: 'Spedition Nordlicht – Lager',
    address: {line1: 'Containerweg 3', postalCode: '27568', city: 'Bremerhaven', country: 'DE'},
  },
  taxId: {value: 'DE 987 654 321'},
  // „Ihre Referenz" goes in the customer update, among the customer's other custom fields.
  reference: 'Abruf 7 & <Süd>',
};

/** firma@'s invoice custom fields before each save: its seeded reference and another field. */
const oldCustomFields = [
  {name: 'Kostenstelle', value: 'KS 12'},
  {name: 'Ihre Referenz', value: 'Bestellnr. 4711-K'},
];

/** The save's Stripe writes, in order. */
const steps = [
  {name: 'the new tax ID was created', method: 'POST', path: /^\/v1\/customers\/[^/]+\/tax_ids$/},
  {name: 'the customer was updated', method: 'POST', path: /^\/v1\/customers\/[^/]+$/},
  {name: 'the old tax ID was removed', method: 'DELETE', path: /\/tax_ids\/txi_\w+$/},
];

describe('a billing-details save under faults, on two instances and one Redis', () => {
  let redis: RedisServer;
  let services: SharedServices;
  let proxy: StripeProxy;
  let survivor: PortalProcess;
  let stripe: Stripe;
  let cookie: string;
  let oldState: string;
  let newState: string;

  const startInstance = () =>
    startPortalProcess({
      services,
      stripeApiBase: proxy.url,
      redisUrl: redis.url,
      env: {SAVE_LEASE_MS: '1000', SAVE_SWEEP_SECONDS: '0'},
    });

  const put = (instance: PortalProcess) =>
    fetch(`${instance.url}/api/billing-details`, {
      method: 'PUT',
      headers: {'content-type': 'application/json', cookie},
      body: JSON.stringify(company),
    });

  /** What Stripe holds of the details, in one comparable line. */
  const stripeState = async () => {
    const c = (await stripe.customers.retrieve(customerId, {
      expand: ['tax_ids'],
    })) as Stripe.Customer;
    return JSON.stringify({
      name: c.name,
      phone: c.phone,
      address: c.address,
      shipping: c.shipping,
      taxIds: c.tax_ids!.data.map((t) => t.value).sort(),
      customFields: c.invoice_settings.custom_fields,
    });
  };

  /** firma@ as seeded: the old details, one tax ID. */
  const restoreOldDetails = async () => {
    await stripe.customers.update(customerId, {
      name: 'Hafenlogistik Nord GmbH',
      phone: '',
      address: {line1: 'Am Sandtorkai 50', postal_code: '20457', city: 'Hamburg', country: 'DE'},
      shipping: '',
      invoice_settings: {custom_fields: oldCustomFields},
    });
    for (const t of (await stripe.customers.listTaxIds(customerId)).data) {
      await stripe.customers.deleteTaxId(customerId, t.id);
    }
    await stripe.customers.createTaxId(customerId, {type: 'eu_vat', value: 'DE123456789'});
  };

  /** The next dashboard load on the surviving instance, once it shows no save waiting. */
  const recovered = async () => {
    let body: {billingDetailsPending?: true} = {billingDetailsPending: true};
    await until(async () => {
      const answer = await fetch(`${survivor.url}/api/account`, {headers: {cookie}});
      if (answer.status !== 200) return false;
      body = (await answer.json()) as typeof body;
      return !body.billingDetailsPending;
    }, 'the save to be carried forward');
  };

  before(async () => {
    redis = await startRedisServer();
    services = await startSharedServices();
    proxy = await startStripeProxy(services.emulator.url);
    stripe = emulatorStripe(services.emulator.port);
    survivor = await startInstance();
    const email = 'firma@example.com';
    const post = (path: string, body: unknown) =>
      fetch(`${survivor.url}${path}`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(body),
      });
    assert.equal((await post('/api/auth/email-link', {email})).status, 202);
    const mail = () => services.postmark.messages().find((m) => m.to === email);
    await until(() => mail() !== undefined, 'the login mail');
    const session = await post('/api/auth/session', {token: tokenOf(mail()!.link!)});
    cookie = session.headers.getSetCookie()[0].split(';')[0]!;

    await restoreOldDetails();
    oldState = await stripeState();
    assert.equal((await put(survivor)).status, 200);
    newState = await stripeState();
    assert.notEqual(newState, oldState);
    assert.deepEqual(JSON.parse(newState).customFields, [
      oldCustomFields[0],
      {name: 'Ihre Referenz', value: company.reference},
    ]);
  });

  after(async () => {
    survivor?.kill();
    await proxy?.close();
    await services?.close();
    await redis?.stop();
  });

  beforeEach(async () => {
    proxy.rules.length = 0;
    await restoreOldDetails();
    assert.equal(await stripeState(), oldState);
  });

  for (const step of steps) {
    it(`ends in exactly the new details when Stripe's answer is lost after ${step.name}`, async () => {
      // Lost for the SDK's retries too (it tries three times).
      proxy.rules.push({method: step.method, path: step.path, action: 'drop', times: 3});
      const answer = await put(survivor);
      assert.equal(answer.status, 503);
      assert.equal(((await answer.json()) as {error: {code: string}}).error.code, 'save_pending');
      await recovered();
      assert.equal(await stripeState(), newState);
    });

    it(`ends in exactly the new details when the instance dies after ${step.name}`, async () => {
      const doomed = await startInstance();
      proxy.rules.push({
        method: step.method,
        path: step.path,
        action: 'after',
        then: () => doomed.kill(),
      });
      await assert.rejects(put(doomed), 'the dying instance never answers');
      await doomed.exited;
      await recovered();
      assert.equal(await stripeState(), newState);
      // The dead instance's lease is free: the next save runs.
      assert.equal((await put(survivor)).status, 200);
    });
  }

  it('ends in exactly the new details when the instance dies after accepting the save, before any write', async () => {
    const doomed = await startInstance();
    proxy.rules.push({
      method: steps[0].method,
      path: steps[0].path,
      action: 'before',
      then: () => doomed.kill(),
    });
    await assert.rejects(put(doomed));
    await doomed.exited;
    await recovered();
    assert.equal(await stripeState(), newState, 'an accepted save is carried out');
  });

  it('leaves exactly the old details when the instance dies before accepting the save', async () => {
    const doomed = await startInstance();
    // The read that comes before the save is recorded.
    proxy.rules.push({
      method: 'GET',
      path: new RegExp(`^/v1/customers/${customerId}$`),
      action: 'before',
      then: () => doomed.kill(),
    });
    await assert.rejects(put(doomed));
    await doomed.exited;
    await recovered();
    assert.equal(await stripeState(), oldState);
    // Its lease lapses within SAVE_LEASE_MS; then the next save runs.
    await until(async () => (await put(survivor)).status === 200, 'the lease to be free');
    assert.equal(await stripeState(), newState);
  });
});
