import {randomUUID} from 'node:crypto';
import type {Store} from '../store/store.js';

/** The lease lapsed or another holder took it while the work ran: stop writing. */
export class LeaseLost extends Error {
  constructor() {
    super('The lease was lost');
    this.name = 'LeaseLost';
  }
}

export interface HeldLease {
  /** Throws `LeaseLost` once the lease may be another holder's; call before every write. */
  check(): void;
}

/**
 * Runs `work` while holding the store lease `key`, renewed every third of `ttlMs`; answers
 * `{held: false}` without running it while another holder has the lease. A holder that dies
 * stops renewing, so its lease is free again within `ttlMs` — seconds, not a minute.
 */
export async function withLease<T>(
  store: Store,
  key: string,
  ttlMs: number,
  work: (lease: HeldLease) => Promise<T>,
): Promise<{held: false} | {held: true; value: T}> {
  const owner = randomUUID();
  if (!(await store.leaseAcquire(key, owner, ttlMs))) return {held: false};
  // A monotonic clock: a wall clock stepping back must not stretch the lease.
  let renewedAt = performance.now();
  let lost = false;
  const renewal = setInterval(() => {
    const asked = performance.now();
    store.leaseRenew(key, owner, ttlMs).then(
      (renewed) => {
        if (renewed) renewedAt = asked;
        else lost = true;
      },
      // The store did not answer: the lease may lapse; `check` tells once it might have.
      () => {},
    );
  }, ttlMs / 3);
  renewal.unref();
  const lease: HeldLease = {
    check() {
      // A third of the lease in reserve for the write about to start.
      if (lost || performance.now() - renewedAt >= (ttlMs * 2) / 3) throw new LeaseLost();
    },
  };
  try {
    return {held: true, value: await work(lease)};
  } finally {
    clearInterval(renewal);
    await store.leaseRelease(key, owner).catch(() => {});
  }
}

/**
 * The lease of one customer's writes that must not interleave: a billing-details save, and a
 * change of its carrier grants (two grants must never pick the same metadata slot).
 */
export const customerLeaseKey = (customerId: string) => `billing-details:${customerId}`;

/**
 * `withLease`, waiting up to `waitMs` for another holder to finish (a grant is quick; a save
 * takes a few Stripe calls) before answering `{held: false}`.
 */
export async function withLeaseWaiting<T>(
  store: Store,
  key: string,
  ttlMs: number,
  work: (lease: HeldLease) => Promise<T>,
  {waitMs = 5000, pollMs = 50}: {waitMs?: number; pollMs?: number} = {},
): Promise<{held: false} | {held: true; value: T}> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const result = await withLease(store, key, ttlMs, work);
    if (result.held || performance.now() >= deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
