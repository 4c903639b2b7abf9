/**
 * Carrier access across two portal instances behind one Redis: an access ended through one
 * instance is 404 on the other at the carrier's next request, although that one had the
 * customer cached; a grant made on one is good on the other at once.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, it} from 'node:test';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {RedisStore} from '../../server/store/redis-store.js';
import {carrierAddress} from './carrier-harness.js';
import {
  linkFrom,
  startInstance,
  startSharedServices,
  type Instance,
  type SharedServices,
} from './instances.js';
import {startRedisServer, type RedisServer} from './redis-server.js';
import {tokenOf} from './harness.js';

describe('carrier access on two instances behind one Redis', () => {
  let redis: RedisServer;
  let services: SharedServices;
  let a: Instance;
  let b: Instance;

  before(async () => {
    redis = await startRedisServer();
    services = await startSharedServices();
    const prefix = `carrier-${randomUUID()}:`;
    const start = () =>
      startInstance({
        services,
        env: {REDIS_URL: redis.url, REDIS_PREFIX: prefix, REDIS_TIMEOUT_MS: '10000'},
        store: (config) => new RedisStore({url: config.redis!.url, prefix: config.redis!.prefix}),
      });
    a = await start();
    b = await start();
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await services?.close();
    await redis?.stop();
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
