/**
 * Giving and ending carrier access when something fails after Stripe took the change: the
 * store's marks cannot be written, or Stripe's answer to the write is lost. A grant that Stripe
 * holds is given (answered `201`, mailed, usable through its link); a retry of a grant whose
 * answer was lost says `409 already_granted` and mails the carrier again, so the carrier is
 * never left without a link; an end whose marks failed is answered as failed and its retry
 * stops the carrier's open session.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {SEEDED_CUSTOMER_IDS} from '../../demo/stripe-emulator/index.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {StoreUnavailableError} from '../../server/store/store.js';
import {carrierAddress} from './carrier-harness.js';
import {tokenOf, type Client} from './harness.js';
import {linkFrom, startInstance, startSharedServices, type Instance} from './instances.js';
import type {SharedServices} from './instances.js';

/** A store whose writes of grant marks and recent grants fail while `failing` is set. */
class FlakyGrantRecords extends MemoryStore {
  failing = false;
  override async recordPut(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.failing && /^(grants-changed|recent-grants):/.test(key)) {
      throw new StoreUnavailableError(new Error('connection lost'));
    }
    return super.recordPut(key, value, ttlSeconds);
  }
}

describe('carrier access under faults', () => {
  let services: SharedServices;
  let instance: Instance;
  let store: FlakyGrantRecords;
  const errors: string[] = [];

  before(async () => {
    services = await startSharedServices();
    instance = await startInstance({
      services,
      // One try per Stripe request: a lost answer is lost for the portal.
      env: {STRIPE_MAX_NETWORK_RETRIES: '0', STRIPE_TIMEOUT_MS: '2000'},
      store: () => {
        store = new FlakyGrantRecords();
        return store;
      },
      log: {info() {}, warn() {}, error: (message) => errors.push(message)},
    });
  });
  after(async () => {
    await instance?.close();
    await services?.close();
  });

  const loginAs = async (email: string): Promise<Client> => {
    const client = instance.client();
    const token = await linkFrom(instance, services, email);
    assert.equal((await client.post('/api/auth/session', {token})).status, 200);
    return client;
  };
  const grantMails = (to: string) =>
    services.postmark.messages().filter((m) => m.to === to && m.link);
  const carrierLogin = async (to: string): Promise<Client> => {
    const client = instance.client();
    const mail = grantMails(to).at(-1)!;
    assert.equal(
      (await client.post('/api/auth/session', {token: tokenOf(mail.link!)})).status,
      200,
    );
    return client;
  };

  it('gives an access Stripe holds although its marks cannot be written: 201, mailed, usable', async () => {
    const owner = await loginAs('fahrer@example.com');
    // The owner's list is cached before the grant.
    assert.deepEqual((await owner.get('/api/carrier-access')).body, {carriers: []});
    const carrier = carrierAddress('flaky');
    store.failing = true;
    const answer = await owner.post('/api/carrier-access', {email: carrier});
    store.failing = false;
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await instance.app.drain();
    assert.deepEqual(errors.splice(0), ['grant change not marked', 'recent grant not recorded']);
    assert.deepEqual((await owner.get('/api/carrier-access')).body, {carriers: [answer.body]});
    assert.equal(grantMails(carrier).length, 1, 'the carrier has its mail');
    const spedition = await carrierLogin(carrier);
    const account = await spedition.get('/api/account');
    assert.equal(account.status, 200);
    assert.equal(account.body.customer.id, SEEDED_CUSTOMER_IDS.card);
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
  });

  it('mails the carrier again when the owner repeats a grant whose answer was lost', async () => {
    const owner = await loginAs('paypal@example.com');
    const carrier = carrierAddress('lost');
    services.emulator.injectFault({
      method: 'POST',
      path: `/v1/customers/${SEEDED_CUSTOMER_IDS.paypal}`,
      fault: 'drop-response',
      // The SDK retries a closed connection once even with retries off (stripe-node#1040).
      times: 2,
    });
    const lost = await owner.post('/api/carrier-access', {email: carrier});
    assert.equal(lost.status, 503, JSON.stringify(lost.body));
    assert.equal(lost.body.error.code, 'stripe_unavailable');
    await instance.app.drain();
    assert.equal(grantMails(carrier).length, 0, 'the failed answer sent nothing');

    // The owner tries again: Stripe has the grant, so it is there already, and mailed now.
    const again = await owner.post('/api/carrier-access', {email: carrier});
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'already_granted');
    await instance.app.drain();
    assert.equal(grantMails(carrier).length, 1);
    assert.deepEqual(
      (await owner.get('/api/carrier-access')).body.carriers.map((g: {email: string}) => g.email),
      [carrier],
    );
    const spedition = await carrierLogin(carrier);
    assert.equal((await spedition.get('/api/account')).status, 200);
    await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
  });

  it('answers an end whose marks failed as failed; its retry stops the carrier’s open session', async () => {
    const owner = await loginAs('offen@example.com');
    const carrier = carrierAddress('end');
    assert.equal((await owner.post('/api/carrier-access', {email: carrier})).status, 201);
    await instance.app.drain();
    const spedition = await carrierLogin(carrier);
    assert.equal((await spedition.get('/api/account')).status, 200);

    store.failing = true;
    const failed = await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    store.failing = false;
    assert.equal(failed.status, 503, JSON.stringify(failed.body));
    // Stripe ended it and the row was forgotten all the same: the carrier is out already.
    assert.equal((await spedition.get('/api/account')).status, 404);
    const retried = await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    assert.equal(retried.status, 204);
    assert.equal((await spedition.get('/api/account')).status, 404);
    assert.deepEqual((await owner.get('/api/carrier-access')).body, {carriers: []});
    errors.splice(0);
  });
});
