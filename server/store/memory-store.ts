import {RateLimiterMemory} from 'rate-limiter-flexible';
import type {Logger} from '../logger.js';
import {
  EPOCH_STARTED,
  newSessionEpoch,
  type LinkRecord,
  type LinkTake,
  type RateLimitOptions,
  type SlotBudget,
  type SlotReservation,
  type Store,
} from './store.js';
import {reserveGcraSlot} from './slots.js';

interface Expiring<T> {
  value: T;
  until: number;
}

/** Cache entries kept at most; beyond it the oldest written go first. */
const MAX_CACHE_ENTRIES = 50_000;

/**
 * The single-process store. Node runs one callback at a time, so take-and-mark is atomic. Its
 * session epoch lives as long as the process: the signing secret outlives a restart, the
 * revocation list does not, so a new process accepts no session of the one before.
 */
export class MemoryStore implements Store {
  readonly #links = new Map<string, Expiring<{record: LinkRecord; used: boolean}>>();
  readonly #revoked = new Map<string, number>();
  /** Text, as a shared store holds it. */
  readonly #cache = new Map<string, Expiring<string>>();
  readonly #limiters = new Map<string, RateLimiterMemory>();
  readonly #leases = new Map<string, Expiring<string>>();
  /** Per budget: the theoretical arrival time of the next slot (GCRA), in ms. */
  readonly #slots = new Map<string, number>();
  /** Never evicted, unlike the cache. */
  readonly #records = new Map<string, Expiring<string>>();
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  readonly #sweep: NodeJS.Timeout;
  #epoch: string | undefined;

  constructor(options: {now?: () => number; log?: Logger} = {}) {
    this.#now = options.now ?? Date.now;
    this.#log = options.log;
    this.#sweep = setInterval(() => this.#removeExpired(), 60_000);
    this.#sweep.unref();
  }

  async putLink(record: LinkRecord, keepSeconds: number): Promise<void> {
    this.#links.set(record.tokenHash, {
      value: {record, used: false},
      until: this.#now() + keepSeconds * 1000,
    });
  }

  async takeLink(tokenHash: string): Promise<LinkTake> {
    const entry = this.#links.get(tokenHash);
    if (!entry || entry.until <= this.#now()) return {status: 'missing'};
    if (entry.value.used) return {status: 'used', record: entry.value.record};
    entry.value.used = true;
    return {status: 'ok', record: entry.value.record};
  }

  async revokeSession(jti: string, keepSeconds: number): Promise<void> {
    this.#revoked.set(jti, this.#now() + keepSeconds * 1000);
  }

  async sessionEpoch(): Promise<string> {
    if (this.#epoch === undefined) {
      this.#epoch = newSessionEpoch();
      this.#log?.info(EPOCH_STARTED, {epoch: this.#epoch, store: 'memory'});
    }
    return this.#epoch;
  }

  async isSessionRevoked(jti: string, epoch: string): Promise<boolean> {
    if (epoch !== (await this.sessionEpoch())) return true;
    const until = this.#revoked.get(jti);
    return until !== undefined && until > this.#now();
  }

  rateLimiter({name, points, durationSeconds}: RateLimitOptions): RateLimiterMemory {
    let limiter = this.#limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiterMemory({keyPrefix: name, points, duration: durationSeconds});
      this.#limiters.set(name, limiter);
    }
    return limiter;
  }

  async cacheGet(key: string): Promise<string | undefined> {
    const entry = this.#cache.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.#now()) {
      this.#cache.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async cacheSet(
    key: string,
    value: string,
    ttlSeconds: number,
    options: {onlyIfAbsent?: boolean} = {},
  ): Promise<boolean> {
    if (options.onlyIfAbsent) {
      const entry = this.#cache.get(key);
      if (entry && entry.until > this.#now()) return false;
    }
    if (ttlSeconds <= 0) return false;
    // Re-inserted at the end: the map's order is the order of writing.
    this.#cache.delete(key);
    this.#cache.set(key, {value, until: this.#now() + ttlSeconds * 1000});
    if (this.#cache.size > MAX_CACHE_ENTRIES) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    return true;
  }

  async cacheDeleteKey(key: string): Promise<void> {
    this.#cache.delete(key);
  }

  async cacheDelete(prefix: string): Promise<void> {
    for (const key of this.#cache.keys()) if (key.startsWith(prefix)) this.#cache.delete(key);
  }

  async recordPut(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#records.set(key, {value, until: this.#now() + ttlSeconds * 1000});
  }

  async recordGet(key: string): Promise<string | undefined> {
    const entry = this.#records.get(key);
    return entry && entry.until > this.#now() ? entry.value : undefined;
  }

  async recordDelete(key: string, expected?: string): Promise<void> {
    if (expected === undefined || this.#records.get(key)?.value === expected) {
      this.#records.delete(key);
    }
  }

  async recordKeys(prefix: string): Promise<string[]> {
    const now = this.#now();
    return [...this.#records]
      .filter(([key, entry]) => key.startsWith(prefix) && entry.until > now)
      .map(([key]) => key);
  }

  async leaseAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.#leases.get(key);
    if (lease && lease.until > this.#now()) return false;
    this.#leases.set(key, {value: owner, until: this.#now() + ttlMs});
    return true;
  }

  async leaseRenew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.#leases.get(key);
    if (!lease || lease.until <= this.#now() || lease.value !== owner) return false;
    lease.until = this.#now() + ttlMs;
    return true;
  }

  async leaseRelease(key: string, owner: string): Promise<void> {
    if (this.#leases.get(key)?.value === owner) this.#leases.delete(key);
  }

  async reserveSlot(name: string, budget: SlotBudget, maxWaitMs: number): Promise<SlotReservation> {
    const now = this.#now();
    const {reservation, nextTat} = reserveGcraSlot(this.#slots.get(name), now, budget, maxWaitMs);
    if (reservation.granted) this.#slots.set(name, nextTat);
    return reservation;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
  }

  #removeExpired() {
    const now = this.#now();
    for (const [key, entry] of this.#links) if (entry.until <= now) this.#links.delete(key);
    for (const [key, until] of this.#revoked) if (until <= now) this.#revoked.delete(key);
    for (const [key, entry] of this.#cache) if (entry.until <= now) this.#cache.delete(key);
    for (const [key, lease] of this.#leases) if (lease.until <= now) this.#leases.delete(key);
    for (const [key, entry] of this.#records) if (entry.until <= now) this.#records.delete(key);
  }
}
