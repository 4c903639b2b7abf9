/**
 * A store that lost its data (Redis flushed, restarted without persistence, failed over to an
 * empty replica; a memory store in a new process) fails closed: the revocation list is gone, so
 * every session made before is invalid, and new sessions work on every instance.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, it} from 'node:test';
import type {Logger} from '../../server/logger.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {RedisStore} from '../../server/store/redis-store.js';
import type {Client} from './harness.js';
import {
  linkFrom,
  startInstance,
  startSharedServices,
  type Instance,
  type SharedServices,
  useInstancesOnRedis,
} from './instances.js';
import {startRedisServer, type RedisServer} from './redis-server.js';

/** Logins in these tests repeat an address more often than the per-address limits allow. */
const GENEROUS_LIMITS = {
  RATE_LIMIT_LINKS_PER_ADDRESS_15MIN: '1000',
  RATE_LIMIT_LINKS_PER_ADDRESS_DAY: '1000',
  // The default: a restart of Redis is noticed within a second.
  REDIS_TIMEOUT_MS: '1000',
};

/** Records the messages of the log lines it is given. */
function recordingLogger(): Logger & {messages: string[]} {
  const messages: string[] = [];
  const record = (message: string) => void messages.push(message);
  return {messages, info: record, warn: record, error: record};
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function login(instance: Instance, services: SharedServices, email: string) {
  const client = instance.client();
  const token = await linkFrom(instance, services, email);
  const answer = await client.post('/api/auth/session', {token});
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return client;
}

/** Empties the whole Redis, as `FLUSHALL` by an operator or a failover to an empty replica would. */
async function flushAll(redis: RedisServer) {
  const flusher = new RedisStore({url: redis.url});
  try {
    await flusher.redis.flushall();
  } finally {
    await flusher.close();
  }
}

/** A browser with `from`'s cookies talking to `instance`. */
const withCookieOf = (instance: Instance, from: Client) => {
  const client = instance.client();
  client.cookies = new Map(from.cookies);
  return client;
};

async function assertStatusOn(instances: Instance[], from: Client, status: number) {
  for (const instance of instances) {
    const answer = await withCookieOf(instance, from).get('/api/session');
    assert.equal(answer.status, status, `${instance.url}: ${JSON.stringify(answer.body)}`);
    if (status === 401) assert.equal(answer.body.error.code, 'not_authenticated');
  }
}

describe('Redis that lost its data', () => {
  const suite = useInstancesOnRedis();
  let services: SharedServices;
  before(() => (services = suite.services));

  /** A and B on one Redis prefix, each with a log of its own. */
  async function pair() {
    const prefix = `wipe-${randomUUID()}:`;
    const start = async () => {
      const log = recordingLogger();
      const instance = await suite.start({prefix, log, env: GENEROUS_LIMITS});
      return Object.assign(instance, {log});
    };
    return [await start(), await start()] as const;
  }

  const epochsStarted = (...instances: {log: {messages: string[]}}[]) =>
    instances.flatMap((i) => i.log.messages).filter((m) => m === 'store epoch started').length;

  /** Sessions made before `wipe` die with it, on both instances; those made after live on both. */
  async function survivesAWipe(wipe: (instances: Instance[]) => Promise<void>) {
    const [a, b] = await pair();
    const loggedOut = await login(a, services, 'fahrer@example.com');
    const copy = withCookieOf(b, loggedOut);
    const kept = await login(b, services, 'paypal@example.com');
    assert.equal((await loggedOut.delete('/api/session')).status, 204);
    await assertStatusOn([a, b], copy, 401);
    await assertStatusOn([a, b], kept, 200);
    const unusedLink = await linkFrom(a, services, 'firma@example.com');
    assert.equal(epochsStarted(a, b), 1, 'the first session started the first epoch');

    await wipe([a, b]);

    // The revocation is gone with the data, and yet the copied cookie stays dead; a session
    // nobody logged out is invalid too: everyone logs in again, once.
    await assertStatusOn([a, b], copy, 401);
    await assertStatusOn([a, b], kept, 401);
    // The link's single-use record went with the wipe: an invalid link, not an error.
    const exchange = await b.client().post('/api/auth/session', {token: unusedLink});
    assert.equal(exchange.status, 401);
    assert.equal(exchange.body.error.code, 'link_invalid');
    assert.equal(epochsStarted(a, b), 2, 'the wipe started one new epoch');

    // New sessions made on either instance are good on both, and stay so.
    const onA = await login(a, services, 'fahrer@example.com');
    const onB = await login(b, services, 'paypal@example.com');
    for (let round = 0; round < 3; round++) {
      await assertStatusOn([a, b], onA, 200);
      await assertStatusOn([b, a], onB, 200);
    }
    await assertStatusOn([a, b], copy, 401);
    assert.equal(epochsStarted(a, b), 2);
  }

  it('keeps revoked sessions dead after FLUSHALL, and new ones live on both instances', async () => {
    await survivesAWipe(() => flushAll(suite.redis));
  });

  it('does the same after a restart without persistence', async () => {
    await survivesAWipe(async (instances) => {
      await suite.redis.stop();
      suite.redis = await startRedisServer({port: suite.redis.port});
      for (const instance of instances) {
        await until(
          async () => (await instance.client().get('/readyz')).status === 200,
          'both instances to reach Redis again',
        );
      }
    });
  });

  it('starts one epoch when both instances notice the wipe at the same moment', async () => {
    const [a, b] = await pair();
    const before = await login(a, services, 'firma@example.com');
    await flushAll(suite.redis);
    // Both instances check stale cookies in parallel, then (after another wipe) log in in
    // parallel: of all those that find no epoch, exactly one starts the new one, the others
    // take it, and no instance's sessions are stale for the other.
    const stale = await Promise.all(
      Array.from({length: 20}, (_, i) => withCookieOf(i % 2 ? a : b, before).get('/api/session')),
    );
    assert.deepEqual(new Set(stale.map((r) => r.status)), new Set([401]));
    assert.equal(epochsStarted(a, b), 2, 'the first login and the wipe, one epoch each');

    await flushAll(suite.redis);
    // One after the other: each takes the newest mail of the shared Postmark stand-in.
    const tokens = [
      await linkFrom(a, services, 'fahrer@example.com'),
      await linkFrom(b, services, 'paypal@example.com'),
    ];
    const [onA, onB] = [a.client(), b.client()];
    const logins = await Promise.all([
      onA.post('/api/auth/session', {token: tokens[0]}),
      onB.post('/api/auth/session', {token: tokens[1]}),
    ]);
    assert.deepEqual(
      logins.map((r) => r.status),
      [200, 200],
    );
    await assertStatusOn([a, b], before, 401);
    assert.equal(epochsStarted(a, b), 3);
    for (let round = 0; round < 3; round++) {
      await assertStatusOn([a, b], onA, 200);
      await assertStatusOn([b, a], onB, 200);
    }
  });
});

describe('a memory store in a new process', () => {
  let services: SharedServices;
  before(async () => {
    services = await startSharedServices();
  });
  after(() => services?.close());

  const start = () =>
    startInstance({services, env: GENEROUS_LIMITS, store: () => new MemoryStore()});

  it('accepts no session of the process before, revoked or not', async () => {
    const first = await start();
    let copy: Client;
    let kept: Client;
    try {
      const loggedOut = await login(first, services, 'fahrer@example.com');
      copy = withCookieOf(first, loggedOut);
      kept = await login(first, services, 'paypal@example.com');
      assert.equal((await loggedOut.delete('/api/session')).status, 204);
      await assertStatusOn([first], copy, 401);
      await assertStatusOn([first], kept, 200);
    } finally {
      await first.close();
    }

    // The same signing secret, a new store: the revocation list did not survive the restart.
    const second = await start();
    try {
      await assertStatusOn([second], copy, 401);
      await assertStatusOn([second], kept, 401);
      const fresh = await login(second, services, 'fahrer@example.com');
      await assertStatusOn([second], fresh, 200);
    } finally {
      await second.close();
    }
  });
});
