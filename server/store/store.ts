import {randomBytes} from 'node:crypto';
import type {RateLimiterAbstract} from 'rate-limiter-flexible';

/** What a magic link grants once exchanged; stored under the hash of its token, never the token. */
export interface LinkRecord {
  tokenHash: string;
  email: string;
  /** The customers the address owns (may be empty for a carrier). */
  customerIds: string[];
  /**
   * Customers that gave the address carrier access when the link was made: the first active
   * account of a carrier without its own (each request checks the access again). Absent in
   * records of older releases.
   */
  carrierIds?: string[];
  /** Unix seconds. */
  expiresAt: number;
}

export type LinkTake =
  {status: 'ok'; record: LinkRecord} | {status: 'used'; record: LinkRecord} | {status: 'missing'};

export interface RateLimitOptions {
  /** Unique per limit, e.g. `email-link:address`. */
  name: string;
  points: number;
  durationSeconds: number;
}

/**
 * A request budget shared by every instance (`StripeBudget`): a token bucket in GCRA form, one
 * slot every `intervalMs` and `burst` slots at once after a quiet spell.
 */
export interface SlotBudget {
  intervalMs: number;
  burst: number;
}

/**
 * A reserved slot and how long to wait for it (`granted`), or none because the wait would be
 * longer than allowed; `waitMs` then says how long it would have been.
 */
export interface SlotReservation {
  granted: boolean;
  waitMs: number;
}

/**
 * The server's only state: short-lived security records and the dashboard cache. Memory by
 * default; a shared implementation (Redis) lets several instances behave as one.
 */
export interface Store {
  putLink(record: LinkRecord, keepSeconds: number): Promise<void>;
  /** Marks the link used and returns what it held; of parallel takes exactly one gets `ok`. */
  takeLink(tokenHash: string): Promise<LinkTake>;
  revokeSession(jti: string, keepSeconds: number): Promise<void>;
  /**
   * The epoch every new session is issued in. A store that holds none (new, or one that lost
   * its data: a flushed or restarted Redis, a memory store in a new process) starts one, and
   * of any number of instances asking at once exactly one starts it and all get it.
   */
  sessionEpoch(): Promise<string>;
  /**
   * Whether session `jti` of `epoch` is revoked: logged out, or of another epoch than the
   * store's (its revocation list may be lost, so it fails closed). One round trip; starts an
   * epoch as `sessionEpoch` does when the store has none.
   */
  isSessionRevoked(jti: string, epoch: string): Promise<boolean>;
  rateLimiter(options: RateLimitOptions): RateLimiterAbstract;
  /**
   * The cache: text (JSON for cached answers) under string keys, each with its own TTL;
   * `undefined` when missing or expired. Text, not objects, so that a shared store keeps
   * exactly what memory keeps and a cached answer can be sent as it is. Redis: `GET` / `SET key json EX ttl [NX]` /
   * `SCAN MATCH prefix*` + `UNLINK`.
   */
  cacheGet(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlSeconds`; with `onlyIfAbsent`, only when the key holds nothing live. Answers whether it was stored. */
  cacheSet(
    key: string,
    value: string,
    ttlSeconds: number,
    options?: {onlyIfAbsent?: boolean},
  ): Promise<boolean>;
  /** Removes one cache key (a lock, a marker). */
  cacheDeleteKey(key: string): Promise<void>;
  /** Removes every cache key that starts with `prefix` (a scan: for tools, not requests). */
  cacheDelete(prefix: string): Promise<void>;
  /**
   * Records: text under string keys with a TTL, like the cache, but not evicted to make room (a
   * save's journal must outlive the instance that wrote it). Redis: `record:<key>`, which Redis
   * keeps only under `maxmemory-policy noeviction` (see the README).
   */
  recordPut(key: string, value: string, ttlSeconds: number): Promise<void>;
  recordGet(key: string): Promise<string | undefined>;
  /** Removes the record; with `expected`, only while it still holds exactly that text. */
  recordDelete(key: string, expected?: string): Promise<void>;
  /** The record keys that start with `prefix` (a scan: for background sweeps, not requests). */
  recordKeys(prefix: string): Promise<string[]>;
  /**
   * Takes the lease `key` for `owner` when nobody holds it (or the holder let it lapse);
   * answers whether `owner` holds it now. A lease ends by itself after `ttlMs` unless renewed,
   * so that one held by an instance that died is free again within that time.
   */
  leaseAcquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease by `ttlMs` if `owner` still holds it; `false` once it lapsed or was taken. */
  leaseRenew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Ends the lease if `owner` still holds it (never another owner's). */
  leaseRelease(key: string, owner: string): Promise<void>;
  /**
   * Reserves the next slot of budget `name`: slots are handed out in the order asked for, across
   * instances (Redis: one Lua step on the server's clock), so waiting is first come, first
   * served. A slot whose wait would exceed `maxWaitMs` is not reserved.
   */
  reserveSlot(name: string, budget: SlotBudget, maxWaitMs: number): Promise<SlotReservation>;
  /** Resolves when the store can serve requests (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A new session epoch: random, never a counter, which would start again at 1 after a wipe and
 * bring the old sessions back. 64 bits keep it short in every JWT and unlike any epoch before.
 */
export const newSessionEpoch = () => randomBytes(8).toString('base64url');

/** What a store logs when it starts an epoch: once per wipe, one line for the operator. */
export const EPOCH_STARTED = 'store epoch started';

/**
 * The shared store (Redis) did not answer in time or is unreachable. The request that needed it
 * answers `503 service_unavailable`: without its state the server can neither issue a link
 * (no single-use record), nor tell a revoked session from a live one, nor count a rate limit.
 */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super(`The shared store is unavailable${cause instanceof Error ? `: ${cause.message}` : ''}`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}
