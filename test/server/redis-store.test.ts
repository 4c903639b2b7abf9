import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, it} from 'node:test';
import {RateLimiterRes} from 'rate-limiter-flexible';
import {RedisStore} from '../../server/store/redis-store.js';
import {EPOCH_STARTED, StoreUnavailableError, type LinkRecord} from '../../server/store/store.js';
import {freePort, startRedisServer, type RedisServer} from './redis-server.js';

// One expiry for every record: computed per call, a put and a later compare could fall on
// two sides of a second boundary (that made this suite flaky).
const EXPIRES_AT = Math.floor(Date.now() / 1000) + 3600;
const record = (tokenHash: string): LinkRecord => ({
  tokenHash,
  email: 'fahrer@example.com',
  customerIds: ['cus_demoFahrer'],
  expiresAt: EXPIRES_AT,
});

async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('RedisStore against a real redis-server', () => {
  let redis: RedisServer;
  const stores: RedisStore[] = [];
  /** A store as one instance opens it; stores of one test share a fresh prefix. */
  const open = (prefix: string) => {
    // A generous timeout: these tests are about semantics, and a busy CI machine is slow.
    const store = new RedisStore({url: redis.url, prefix, timeoutMs: 10_000});
    stores.push(store);
    return store;
  };
  const fresh = () => `test-${randomUUID()}:`;

  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    for (const store of stores) await store.close();
    await redis.stop();
  });

  it('takes a link once: of 50 parallel takes from two instances exactly one is ok', async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    await a.putLink(record('hash-1'), 600);
    const takes = await Promise.all(
      Array.from({length: 50}, (_, i) => (i % 2 ? a : b).takeLink('hash-1')),
    );
    assert.equal(takes.filter((t) => t.status === 'ok').length, 1);
    assert.equal(takes.filter((t) => t.status === 'used').length, 49);
    for (const take of takes) {
      assert.ok(take.status !== 'missing');
      assert.deepEqual(take.record, record('hash-1'));
    }
    assert.deepEqual(await b.takeLink('unknown'), {status: 'missing'});
  });

  it('keeps a link only for its time, taking it keeps the TTL, and stores no token', async () => {
    const prefix = fresh();
    const store = open(prefix);
    await store.putLink(record('hash-ttl'), 90);
    await store.takeLink('hash-ttl');
    const ttl = await store.redis.ttl(`${prefix}link:hash-ttl`);
    assert.ok(ttl > 80 && ttl <= 90, `TTL ${ttl}`);
    assert.deepEqual(await store.redis.keys(`${prefix}*`), [`${prefix}link:hash-ttl`]);
    await store.redis.del(`${prefix}link:hash-ttl`); // as if expired
    assert.deepEqual(await store.takeLink('hash-ttl'), {status: 'missing'});
  });

  it('revokes a session for every instance, for as long as asked', async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    const epoch = await a.sessionEpoch();
    assert.equal(await b.isSessionRevoked('jti-1', epoch), false);
    await a.revokeSession('jti-1', 3600);
    assert.equal(await b.isSessionRevoked('jti-1', epoch), true);
    assert.equal(await b.isSessionRevoked('jti-2', epoch), false);
    const ttl = await a.redis.ttl(`${prefix}revoked:jti-1`);
    assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl}`);
  });

  it('shares one session epoch, and counts every session of another epoch as revoked', async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    const epoch = await a.sessionEpoch();
    assert.match(epoch, /^[A-Za-z0-9_-]{11}$/);
    assert.equal(await b.sessionEpoch(), epoch);
    assert.equal(await a.redis.ttl(`${prefix}epoch`), -1, 'kept as long as Redis keeps data');
    assert.equal(await b.isSessionRevoked('jti-1', 'older-epoch'), true);

    await a.redis.del(`${prefix}epoch`); // as a wipe leaves it
    assert.equal(await b.isSessionRevoked('jti-1', epoch), true, 'no epoch: nothing vouched for');
    const next = await a.sessionEpoch();
    assert.notEqual(next, epoch);
    assert.equal(await b.sessionEpoch(), next);
    assert.equal(await a.isSessionRevoked('jti-1', next), false);
  });

  it('starts exactly one epoch when 50 checks from two instances find none at once', async () => {
    const prefix = fresh();
    const started: unknown[] = [];
    const log = {
      info: (message: string, fields?: Record<string, unknown>) => {
        if (message === EPOCH_STARTED) started.push(fields?.epoch);
      },
      warn() {},
      error() {},
    };
    const a = new RedisStore({url: redis.url, prefix, timeoutMs: 10_000, log});
    const b = new RedisStore({url: redis.url, prefix, timeoutMs: 10_000, log});
    stores.push(a, b);
    await Promise.all([a.ping(), b.ping()]);
    // Checks of stale sessions and logins, interleaved on both connections.
    const answers = await Promise.all(
      Array.from({length: 50}, (_, i) => {
        const store = i % 2 ? a : b;
        return i % 3 ? store.sessionEpoch() : store.isSessionRevoked('jti', 'old');
      }),
    );
    assert.ok(
      answers.every((answer) => answer !== false),
      'a stale session stays stale',
    );
    const epochs = new Set(answers.filter((answer) => typeof answer === 'string'));
    assert.equal(epochs.size, 1);
    assert.deepEqual(started, [...epochs]);
    assert.equal(await a.isSessionRevoked('jti', [...epochs][0]), false);
  });

  it('counts rate limits across instances (rate-limiter-flexible on Redis)', async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    const options = {name: 'link-ip', points: 3, durationSeconds: 900};
    await a.rateLimiter(options).consume('203.0.113.9');
    await b.rateLimiter(options).consume('203.0.113.9');
    await a.rateLimiter(options).consume('203.0.113.9');
    await assert.rejects(b.rateLimiter(options).consume('203.0.113.9'), RateLimiterRes);
    // Another key and another limit are counted apart.
    await b.rateLimiter(options).consume('203.0.113.10');
    await b.rateLimiter({...options, name: 'other'}).consume('203.0.113.9');
    const seen = await a.rateLimiter(options).get('203.0.113.9');
    assert.ok(seen && seen.consumedPoints >= 3 && seen.msBeforeNext <= 900_000);
  });

  it('caches text with a TTL, only-if-absent, and nothing for a TTL of 0', async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    assert.equal(await a.cacheGet('k'), undefined);
    assert.equal(await a.cacheSet('k', '{"x":1}', 60), true);
    assert.equal(await b.cacheGet('k'), '{"x":1}');
    assert.equal(await b.cacheSet('k', 'other', 60, {onlyIfAbsent: true}), false);
    assert.equal(await a.cacheGet('k'), '{"x":1}');
    assert.equal(await b.cacheSet('k', 'other', 60), true);
    assert.equal(await a.cacheGet('k'), 'other');
    assert.equal(await a.cacheSet('zero', 'v', 0), false);
    assert.equal(await a.cacheGet('zero'), undefined);
    const ttl = await a.redis.ttl(`${prefix}cache:k`);
    assert.ok(ttl > 50 && ttl <= 60);
  });

  it('deletes cache keys by prefix with SCAN, literally, over many pages', async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    const pipeline = a.redis.pipeline();
    for (let i = 0; i < 2500; i++)
      pipeline.set(`${prefix}cache:customer:cus_1:${i}`, 'v', 'EX', 60);
    await pipeline.exec();
    await a.cacheSet('customer:cus_10:x', 'keep', 60);
    await a.cacheSet('weird*[x]?:1', 'gone', 60);
    await a.cacheSet('weirdAB:1', 'keep', 60);
    await a.cacheSet('stripe-event:evt_1:', '1', 60);
    await b.cacheDelete('customer:cus_1:');
    await b.cacheDelete('weird*[x]?:');
    assert.equal((await a.redis.keys(`${prefix}cache:customer:cus_1:*`)).length, 0);
    assert.equal(await a.cacheGet('customer:cus_10:x'), 'keep');
    assert.equal(await a.cacheGet('weird*[x]?:1'), undefined);
    assert.equal(await a.cacheGet('weirdAB:1'), 'keep');
    assert.equal(await a.cacheGet('stripe-event:evt_1:'), '1');
  });

  it("deletes one key exactly: releasing cus_1's lock leaves cus_12's", async () => {
    const prefix = fresh();
    const [a, b] = [open(prefix), open(prefix)];
    await a.cacheSet('lock:billing-details:cus_1', '1', 60);
    await a.cacheSet('lock:billing-details:cus_12', '1', 60);
    await b.cacheDeleteKey('lock:billing-details:cus_1');
    assert.equal(await a.cacheGet('lock:billing-details:cus_1'), undefined);
    assert.equal(await a.cacheGet('lock:billing-details:cus_12'), '1');
  });

  it('keeps portals with different prefixes apart', async () => {
    const [a, b] = [open(fresh()), open(fresh())];
    await a.putLink(record('shared-hash'), 60);
    await a.revokeSession('jti-x', 60);
    await a.cacheSet('k', 'a', 60);
    assert.deepEqual(await b.takeLink('shared-hash'), {status: 'missing'});
    assert.equal(await b.isSessionRevoked('jti-x', await b.sessionEpoch()), false);
    assert.notEqual(await b.sessionEpoch(), await a.sessionEpoch());
    assert.equal(await b.cacheGet('k'), undefined);
    await b.cacheDelete('');
    assert.equal(await a.cacheGet('k'), 'a');
  });

  it('answers ping', async () => {
    await open(fresh()).ping();
  });
});

describe('RedisStore when Redis is unreachable', () => {
  it('fails every operation with StoreUnavailableError within its timeout', async () => {
    const port = await freePort(); // nothing listens there
    const store = new RedisStore({url: `redis://127.0.0.1:${port}`, timeoutMs: 200});
    try {
      await assert.rejects(store.ping(), StoreUnavailableError);
      await assert.rejects(store.putLink(record('h'), 60), StoreUnavailableError);
      await assert.rejects(store.takeLink('h'), StoreUnavailableError);
      await assert.rejects(store.sessionEpoch(), StoreUnavailableError);
      await assert.rejects(store.isSessionRevoked('j', 'e'), StoreUnavailableError);
      await assert.rejects(store.revokeSession('j', 60), StoreUnavailableError);
      await assert.rejects(store.cacheGet('k'), StoreUnavailableError);
      await assert.rejects(store.cacheSet('k', 'v', 60), StoreUnavailableError);
      await assert.rejects(store.cacheDelete('k'), StoreUnavailableError);
      const limiter = store.rateLimiter({name: 'l', points: 1, durationSeconds: 60});
      await assert.rejects(limiter.consume('ip'), StoreUnavailableError);
      await assert.rejects(limiter.get('ip'), StoreUnavailableError);
      await assert.rejects(limiter.penalty('ip', 1), StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('works again by itself once Redis is back', async () => {
    let redis = await startRedisServer();
    const store = new RedisStore({url: redis.url, prefix: 'back:', timeoutMs: 200});
    try {
      await store.putLink(record('before'), 60);
      await redis.stop();
      await assert.rejects(store.ping(), StoreUnavailableError);
      await assert.rejects(store.takeLink('before'), StoreUnavailableError);
      redis = await startRedisServer({port: redis.port});
      await until(
        () =>
          store.ping().then(
            () => true,
            () => false,
          ),
        'the store to reconnect',
      );
      // No persistence in this test's Redis: the record is gone, and says so.
      assert.deepEqual(await store.takeLink('before'), {status: 'missing'});
      await store.putLink(record('after'), 60);
      assert.equal((await store.takeLink('after')).status, 'ok');
    } finally {
      await store.close();
      await redis.stop();
    }
  });
});
