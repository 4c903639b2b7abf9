/**
 * Carrier access across two portal instances behind one Redis: an access ended through one
 * instance is 404 on the other at the carrier's next request, although that one had the
 * customer cached; a grant made on one is good on the other at once.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {before, describe, it} from 'node:test';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {carrierAddress} from './carrier-harness.js';
import {linkFrom, type Instance, type SharedServices, useInstancesOnRedis} from './instances.js';
import {tokenOf} from './harness.js';

describe('carrier access on two instances behind one Redis', () => {
  const suite = useInstancesOnRedis();
  let services: SharedServices;
  let a: Instance;
  let b: Instance;

  before(async () => {
    services = suite.services;
    const prefix = `carrier-${randomUUID()}:`;
    a = await suite.start({prefix});
    b = await suite.start({prefix});
  });

  it('ends on B an access the owner ended on A, though B had the customer cached', async () => {
    const owner = a.client();
    const token = await linkFrom(a, services, SEEDED_EMAILS.card);
    assert.equal((await owner.post('/api/auth/session', {token})).status, 200);
    const carrier = carrierAddress();
    assert.equal((await owner.post('/api/carrier-access', {email: carrier})).status, 201);
    await a.app.drain();
    const grantMail = services.postmark.messages().find((m) => m.to === carrier);
    assert.ok(grantMail?.link);

    // The carrier logs in on B with the grant mail of A: the recent grant is in the shared store.
    const spedition = b.client();
    const login = await spedition.post('/api/auth/session', {token: tokenOf(grantMail.link)});
    assert.equal(login.status, 200);
    assert.equal(login.body.activeCustomerId, SEEDED_CUSTOMER_IDS.card);
    assert.equal((await spedition.get('/api/account')).status, 200);
    assert.equal((await spedition.get('/api/account')).status, 200, 'now cached on B');
    assert.equal((await spedition.get('/api/fleet')).body.drivers.length, 1);

    const ended = await owner.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    assert.equal(ended.status, 204);
    assert.equal((await spedition.get('/api/account')).status, 404);
    assert.equal((await spedition.get('/api/fleet')).status, 401);
    assert.equal((await spedition.get('/api/session')).status, 401);
  });
});
