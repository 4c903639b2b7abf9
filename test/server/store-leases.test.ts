/**
 * Leases and records, on both stores alike: what one billing-details save per customer and its
 * journal rely on (`server/services/billing-details-save.ts`).
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, it} from 'node:test';
import {silentLogger} from '../../server/logger.js';
import {LeaseLost, withLease} from '../../server/services/lease.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {RedisStore} from '../../server/store/redis-store.js';
import type {Store} from '../../server/store/store.js';
import {startRedisServer, type RedisServer} from './redis-server.js';

let redis: RedisServer;
const opened: Store[] = [];
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  for (const store of opened) await store.close();
  await redis.stop();
});

/** Two instances' views of one store. */
const stores: Array<[string, () => [Store, Store]]> = [
  [
    'MemoryStore',
    () => {
      const store = new MemoryStore();
      opened.push(store);
      return [store, store];
    },
  ],
  [
    'RedisStore',
    () => {
      const prefix = `test-${randomUUID()}:`;
      const view = () => {
        const store = new RedisStore({
          url: redis.url,
          prefix,
          timeoutMs: 10_000,
          log: silentLogger,
        });
        opened.push(store);
        return store;
      };
      return [view(), view()];
    },
  ],
];

for (const [name, open] of stores) {
  describe(`${name}: leases and records`, () => {
    it('lets one owner hold a lease; others can neither take, renew nor release it', async () => {
      const [a, b] = open();
      assert.equal(await a.leaseAcquire('save:cus_1', 'owner-a', 60_000), true);
      assert.equal(await b.leaseAcquire('save:cus_1', 'owner-b', 60_000), false);
      assert.equal(await b.leaseRenew('save:cus_1', 'owner-b', 60_000), false);
      await b.leaseRelease('save:cus_1', 'owner-b');
      assert.equal(await b.leaseAcquire('save:cus_1', 'owner-b', 60_000), false, 'still held');
      assert.equal(await a.leaseRenew('save:cus_1', 'owner-a', 60_000), true);
      await a.leaseRelease('save:cus_1', 'owner-a');
      assert.equal(await b.leaseAcquire('save:cus_1', 'owner-b', 60_000), true, 'released');
    });

    it('frees a lease its holder stops renewing, and then the old holder cannot renew it', async () => {
      const [a, b] = open();
      assert.equal(await a.leaseAcquire('save:cus_2', 'dead', 300), true);
      let taken = false;
      while (!taken) taken = await b.leaseAcquire('save:cus_2', 'next', 60_000);
      assert.equal(await a.leaseRenew('save:cus_2', 'dead', 60_000), false);
      await a.leaseRelease('save:cus_2', 'dead');
      assert.equal(await a.leaseAcquire('save:cus_2', 'third', 60_000), false, 'next keeps it');
    });

    it("removes a record only while it holds the text given: another save's journal stays", async () => {
      const [a, b] = open();
      await a.recordPut('journal:cus_3', 'save-1', 60);
      await b.recordPut('journal:cus_3', 'save-2', 60);
      await a.recordDelete('journal:cus_3', 'save-1');
      assert.equal(await b.recordGet('journal:cus_3'), 'save-2');
      await b.recordDelete('journal:cus_3', 'save-2');
      assert.equal(await a.recordGet('journal:cus_3'), undefined);
      assert.deepEqual(await a.recordKeys('journal:'), []);
    });

    it('tells the work it lost its lease once a renewal finds it gone', async () => {
      const [a] = open();
      // Another instance took the lease over: every renewal of this holder answers false.
      const renewalsFail = new Proxy(a, {
        get: (target, property) =>
          property === 'leaseRenew'
            ? async () => false
            : (Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target),
      });
      const result = await withLease(renewalsFail, 'save:cus_4', 300, async (lease) => {
        lease.check();
        const lost = () => {
          try {
            lease.check();
            return false;
          } catch (error) {
            return error instanceof LeaseLost;
          }
        };
        while (!lost()) await new Promise((resolve) => setTimeout(resolve, 20));
        return 'stopped writing';
      });
      assert.deepEqual(result, {held: true, value: 'stopped writing'});
    });
  });
}
