/**
 * Redis unreachable: readiness fails, no link is issued without its single-use record, and
 * sessions fail closed (503, cookie kept) until Redis is back.
 */
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {MemoryStore} from '../../server/store/memory-store.js';
import {RedisStore} from '../../server/store/redis-store.js';
import {StoreUnavailableError, type LinkRecord} from '../../server/store/store.js';
import {SESSION_COOKIE} from './harness.js';
import {linkFrom, startInstance, startSharedServices, type SharedServices} from './instances.js';
import {startRedisServer, type RedisServer} from './redis-server.js';

async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('when Redis is unreachable', () => {
  let redis: RedisServer;
  let services: SharedServices;
  // An outage, not a wipe: the Redis that comes back has the data it had (a Redis back without
  // its data logs everyone out, see store-wipe.test.ts).
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'conroo-redis-down-'));
    redis = await startRedisServer({dataDir});
    services = await startSharedServices();
  });
  after(async () => {
    await services?.close();
    await redis?.stop();
    await rm(dataDir, {recursive: true, force: true});
  });

  it('is not ready, refuses links with 503, fails sessions closed, and recovers', async () => {
    const instance = await startInstance({
      services,
      env: {REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200'},
      store: (config) =>
        new RedisStore({
          url: config.redis!.url,
          prefix: 'down:',
          timeoutMs: config.redis!.timeoutMs,
        }),
    });
    try {
      const loggedOut = instance.client();
      const stays = instance.client();
      for (const client of [loggedOut, stays]) {
        const token = await linkFrom(instance, services, 'fahrer@example.com');
        assert.equal((await client.post('/api/auth/session', {token})).status, 200);
      }
      const mailsBefore = services.postmark.messages().length;

      await redis.stop();

      const ready = await instance.client().get('/readyz');
      assert.equal(ready.status, 503);

      // No link without its single-use state: the request is refused before anything is sent.
      const link = await instance.client().post('/api/auth/email-link', {
        email: 'fahrer@example.com',
      });
      assert.equal(link.status, 503);
      assert.equal(link.body.error.code, 'service_unavailable');
      assert.equal(link.headers.get('retry-after'), '5');
      await instance.app.drain();
      assert.equal(services.postmark.messages().length, mailsBefore);

      // A token cannot be checked (nor used up) either.
      const exchange = await instance.client().post('/api/auth/session', {token: 'A'.repeat(43)});
      assert.equal(exchange.status, 503);

      // Sessions fail closed: revocation cannot be checked, so no data; but no 401 and the
      // cookie stays, so the dashboard works again as soon as Redis is back.
      const session = await stays.get('/api/account');
      assert.equal(session.status, 503);
      assert.equal(session.body.error.code, 'service_unavailable');
      assert.deepEqual(session.setCookie, []);
      assert.ok(stays.cookies.has(SESSION_COOKIE));

      // Logout cannot record the revocation: 503, and the cookie stays so that a retry
      // revokes the session instead of only forgetting it in this browser.
      const logout = await loggedOut.delete('/api/session');
      assert.equal(logout.status, 503);
      assert.deepEqual(logout.setCookie, []);
      assert.equal(loggedOut.cookies.has(SESSION_COOKIE), true);

      redis = await startRedisServer({port: redis.port, dataDir});
      await until(
        async () => (await instance.client().get('/readyz')).status === 200,
        'readiness after Redis is back',
      );
      assert.equal((await stays.get('/api/account')).status, 200);
      // The retried logout revokes the session: a copy of the cookie is dead.
      const copy = instance.client();
      copy.cookies = new Map(loggedOut.cookies);
      assert.equal((await loggedOut.delete('/api/session')).status, 204);
      assert.equal((await copy.get('/api/account')).status, 401);
      const again = await instance.client().post('/api/auth/email-link', {
        email: 'fahrer@example.com',
      });
      assert.equal(again.status, 202);
    } finally {
      await instance.close();
    }
  });

  it('sends no mail when the single-use record cannot be stored', async () => {
    class LosingStore extends MemoryStore {
      override async putLink(_record: LinkRecord, _keep: number): Promise<void> {
        throw new StoreUnavailableError(new Error('connection lost'));
      }
    }
    const errors: string[] = [];
    const instance = await startInstance({
      services,
      store: () => new LosingStore(),
      log: {info() {}, warn() {}, error: (message) => errors.push(message)},
    });
    try {
      const before = services.postmark.messages().length;
      const answer = await instance.client().post('/api/auth/email-link', {
        email: 'paypal@example.com',
      });
      assert.equal(answer.status, 202, 'the answer went out before the store failed');
      await instance.app.drain();
      assert.equal(services.postmark.messages().length, before);
      assert.deepEqual(errors, ['background task failed']);
    } finally {
      await instance.close();
    }
  });
});
