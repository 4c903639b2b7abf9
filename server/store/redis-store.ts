import {Redis} from 'ioredis';
import {RateLimiterRedis, RateLimiterRes} from 'rate-limiter-flexible';
import type {Logger} from '../logger.js';
import {
  EPOCH_STARTED,
  newSessionEpoch,
  StoreUnavailableError,
  type LinkRecord,
  type LinkTake,
  type RateLimitOptions,
  type SlotBudget,
  type SlotReservation,
  type Store,
} from './store.js';

/**
 * Takes a link once: reads the record and marks it used in one step on the Redis server, so of
 * any number of parallel takes (from any number of instances) exactly one sees it unused.
 * `HSETNX` keeps the key's TTL. Answers nil (missing), or `[ok|used, recordJson]`.
 */
const TAKE_LINK = `
local record = redis.call('HGET', KEYS[1], 'record')
if not record then return nil end
if redis.call('HSETNX', KEYS[1], 'used', '1') == 1 then return {'ok', record} end
return {'used', record}
`;

type TakeLinkCommand = (key: string) => Promise<[string, string] | null>;

/**
 * Reads the session epoch (KEYS[1]) and, when given, whether a session is revoked (KEYS[2]) in
 * one round trip. A Redis without an epoch (new, flushed, restarted without its data) gets
 * ARGV[1] as its new one, in the same atomic step: of instances noticing a wipe at once exactly
 * one starts the epoch and the others read it, so no two epochs ever disown each other's
 * sessions. No TTL: it guards every session, and losing it only logs everyone out.
 * Answers `[epoch, started 0|1, revoked 0|1]`.
 */
const SESSION_EPOCH = `
local epoch = redis.call('GET', KEYS[1])
local started = 0
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
  started = 1
end
local revoked = 0
if KEYS[2] then revoked = redis.call('EXISTS', KEYS[2]) end
return {epoch, started, revoked}
`;

type SessionEpochCommand = (
  numberOfKeys: 1 | 2,
  ...keysThenFreshEpoch: string[]
) => Promise<[string, number, number]>;

/** Extends a lease only while ARGV[1] still holds it: 1 when extended, 0 otherwise. */
const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Ends a lease only while ARGV[1] still holds it, never another owner's. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type KeyScript = (key: string, ...args: string[]) => Promise<number>;

/** Removes a record only while it holds exactly ARGV[1] (another save's stays). */
const DELETE_RECORD_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * `reserveGcraSlot` (`slots.ts`) on the Redis server's clock, so that instances with clocks apart
 * share one budget: KEYS[1] holds the next slot's theoretical arrival time in ms. ARGV: interval
 * ms, burst, max wait ms. Answers `[granted 0|1, wait ms]` (the wait as a string: Lua numbers
 * lose their fraction on the way out). The key lives only as long as it matters.
 */
const RESERVE_SLOT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local from = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local wait = math.max(0, from - (tonumber(ARGV[2]) - 1) * interval - now)
if wait > tonumber(ARGV[3]) then return {0, tostring(wait)} end
local tat = from + interval
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 1000)
return {1, tostring(wait)}
`;

type ReserveSlotCommand = (key: string, ...args: string[]) => Promise<[number, string]>;

export interface RedisStoreOptions {
  /** `redis://…` or `rediss://…`. */
  url: string;
  /** Starts every key (`REDIS_PREFIX`, default `conroo:`), so that one Redis can serve several portals. */
  prefix?: string;
  /** How long one command may wait, connected or not, before the request needing it fails. */
  timeoutMs?: number;
  log?: Logger;
}

/**
 * The store shared by several instances, in Redis (`REDIS_URL`). Keys, under the prefix:
 * `link:<sha256>` (hash: record, used) · `revoked:<jti>` · `rl:<limit>:<key>` (rate-limiter-flexible)
 * · `cache:<key>` · `record:<key>` (a save's journal) · `lease:<key>` (its holder)
 * · `slots:<budget>` (the Stripe request budget's next slot) · `epoch`
 * (the session epoch). Everything but the epoch carries a TTL; nothing outlives what it guards.
 *
 * When Redis is unreachable every method rejects with `StoreUnavailableError` after at most
 * `timeoutMs` (commands queue while ioredis reconnects, then time out), and requests answer
 * `503 service_unavailable`: the server never guesses (no link without its single-use record,
 * no session without its revocation check, no request past an uncountable limit).
 */
export class RedisStore implements Store {
  readonly redis: Redis;
  readonly prefix: string;
  readonly #limiters = new Map<string, RateLimiterRedis>();
  readonly #takeLink: TakeLinkCommand;
  readonly #sessionEpoch: SessionEpochCommand;
  readonly #log: Logger | undefined;
  readonly #renewLease: KeyScript;
  readonly #releaseLease: KeyScript;
  readonly #deleteRecordIf: KeyScript;
  readonly #reserveSlot: ReserveSlotCommand;
  #down = false;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix ?? 'conroo:';
    const log = options.log;
    this.#log = log;
    this.redis = new Redis(options.url, {
      commandTimeout: options.timeoutMs ?? 1000,
      // A command waits for at most one reconnection before it fails (then commandTimeout).
      maxRetriesPerRequest: 1,
      connectTimeout: Math.max(1000, options.timeoutMs ?? 1000),
      // Reconnects for ever, at most every 2 s: the store comes back by itself.
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    // Without a listener ioredis prints every failed reconnection; one line per outage instead.
    this.redis.on('error', (error: Error) => {
      if (this.#down) return;
      this.#down = true;
      log?.warn('redis unavailable', {error: error.message});
    });
    this.redis.on('ready', () => {
      if (!this.#down) return;
      this.#down = false;
      log?.info('redis available again');
    });
    this.redis.defineCommand('conrooTakeLink', {numberOfKeys: 1, lua: TAKE_LINK});
    this.#takeLink = (key) =>
      (this.redis as unknown as {conrooTakeLink: TakeLinkCommand}).conrooTakeLink(key);
    // No fixed number of keys: the revocation key is passed only for a check.
    this.redis.defineCommand('conrooSessionEpoch', {lua: SESSION_EPOCH});
    this.#sessionEpoch = (...args) =>
      (this.redis as unknown as {conrooSessionEpoch: SessionEpochCommand}).conrooSessionEpoch(
        ...args,
      );
    this.redis.defineCommand('conrooRenewLease', {numberOfKeys: 1, lua: RENEW_LEASE});
    this.redis.defineCommand('conrooReleaseLease', {numberOfKeys: 1, lua: RELEASE_LEASE});
    this.redis.defineCommand('conrooDeleteRecordIf', {numberOfKeys: 1, lua: DELETE_RECORD_IF});
    this.redis.defineCommand('conrooReserveSlot', {numberOfKeys: 1, lua: RESERVE_SLOT});
    this.#reserveSlot = (key, ...args) =>
      (this.redis as unknown as {conrooReserveSlot: ReserveSlotCommand}).conrooReserveSlot(
        key,
        ...args,
      );
    const commands = this.redis as unknown as Record<string, KeyScript>;
    this.#renewLease = (key, ...args) => commands.conrooRenewLease(key, ...args);
    this.#releaseLease = (key, ...args) => commands.conrooReleaseLease(key, ...args);
    this.#deleteRecordIf = (key, ...args) => commands.conrooDeleteRecordIf(key, ...args);
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async putLink(record: LinkRecord, keepSeconds: number): Promise<void> {
    const key = `${this.prefix}link:${record.tokenHash}`;
    await this.#run(async () => {
      const results = await this.redis
        .multi()
        .hset(key, 'record', JSON.stringify(record))
        .expire(key, Math.max(1, Math.ceil(keepSeconds)))
        .exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction discarded');
    });
  }

  async takeLink(tokenHash: string): Promise<LinkTake> {
    const answer = await this.#run(() => this.#takeLink(`${this.prefix}link:${tokenHash}`));
    if (!answer) return {status: 'missing'};
    const [status, json] = answer;
    const record = JSON.parse(json) as LinkRecord;
    return status === 'ok' ? {status: 'ok', record} : {status: 'used', record};
  }

  async revokeSession(jti: string, keepSeconds: number): Promise<void> {
    await this.#run(() =>
      this.redis.set(
        `${this.prefix}revoked:${jti}`,
        '1',
        'EX',
        Math.max(1, Math.ceil(keepSeconds)),
      ),
    );
  }

  async sessionEpoch(): Promise<string> {
    return (await this.#epochAnd()).epoch;
  }

  /** Asks for the epoch with the revocation, never from a cache, so a wipe counts at once. */
  async isSessionRevoked(jti: string, epoch: string): Promise<boolean> {
    const current = await this.#epochAnd(`${this.prefix}revoked:${jti}`);
    return current.revoked || current.epoch !== epoch;
  }

  async #epochAnd(revokedKey?: string): Promise<{epoch: string; revoked: boolean}> {
    const fresh = newSessionEpoch();
    const epochKey = `${this.prefix}epoch`;
    const [epoch, started, revoked] = await this.#run(() =>
      revokedKey
        ? this.#sessionEpoch(2, epochKey, revokedKey, fresh)
        : this.#sessionEpoch(1, epochKey, fresh),
    );
    if (started === 1) this.#log?.info(EPOCH_STARTED, {epoch, store: 'redis'});
    return {epoch, revoked: revoked === 1};
  }

  rateLimiter({name, points, durationSeconds}: RateLimitOptions): RateLimiterRedis {
    let limiter = this.#limiters.get(name);
    if (!limiter) {
      limiter = new SharedRateLimiter({
        storeClient: this.redis,
        keyPrefix: `${this.prefix}rl:${name}`,
        points,
        duration: durationSeconds,
        // Not `rejectIfRedisNotReady`: that refuses while the first connection is being made.
        // While Redis is down the command times out (`timeoutMs`) like every other.
      });
      this.#limiters.set(name, limiter);
    }
    return limiter;
  }

  async cacheGet(key: string): Promise<string | undefined> {
    const value = await this.#run(() => this.redis.get(`${this.prefix}cache:${key}`));
    return value ?? undefined;
  }

  async cacheSet(
    key: string,
    value: string,
    ttlSeconds: number,
    options: {onlyIfAbsent?: boolean} = {},
  ): Promise<boolean> {
    if (ttlSeconds <= 0) return false;
    const full = `${this.prefix}cache:${key}`;
    const ttl = Math.ceil(ttlSeconds);
    const answer = await this.#run(() =>
      options.onlyIfAbsent
        ? this.redis.set(full, value, 'EX', ttl, 'NX')
        : this.redis.set(full, value, 'EX', ttl),
    );
    return answer === 'OK';
  }

  /** `SCAN` (never `KEYS`, which blocks Redis) in pages, `UNLINK` (freed in the background). */
  async cacheDeleteKey(key: string): Promise<void> {
    await this.#run(() => this.redis.unlink(`${this.prefix}cache:${key}`));
  }

  async cacheDelete(prefix: string): Promise<void> {
    const pattern = `${escapeGlob(`${this.prefix}cache:${prefix}`)}*`;
    await this.#run(async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await this.redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    });
  }

  async recordPut(key: string, value: string, ttlSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    await this.#run(() => this.redis.set(`${this.prefix}record:${key}`, value, 'EX', ttl));
  }

  async recordGet(key: string): Promise<string | undefined> {
    return (await this.#run(() => this.redis.get(`${this.prefix}record:${key}`))) ?? undefined;
  }

  async recordDelete(key: string, expected?: string): Promise<void> {
    const full = `${this.prefix}record:${key}`;
    await this.#run(() =>
      expected === undefined ? this.redis.unlink(full) : this.#deleteRecordIf(full, expected),
    );
  }

  async recordKeys(prefix: string): Promise<string[]> {
    const recordPrefix = `${this.prefix}record:`;
    const pattern = `${escapeGlob(`${recordPrefix}${prefix}`)}*`;
    return this.#run(async () => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        found.push(...keys.map((key) => key.slice(recordPrefix.length)));
        cursor = next;
      } while (cursor !== '0');
      return found;
    });
  }

  async leaseAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const full = `${this.prefix}lease:${key}`;
    const answer = await this.#run(() => this.redis.set(full, owner, 'PX', ttlMs, 'NX'));
    return answer === 'OK';
  }

  async leaseRenew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const full = `${this.prefix}lease:${key}`;
    return (await this.#run(() => this.#renewLease(full, owner, String(ttlMs)))) === 1;
  }

  async leaseRelease(key: string, owner: string): Promise<void> {
    await this.#run(() => this.#releaseLease(`${this.prefix}lease:${key}`, owner));
  }

  async reserveSlot(name: string, budget: SlotBudget, maxWaitMs: number): Promise<SlotReservation> {
    const [granted, waitMs] = await this.#run(() =>
      this.#reserveSlot(
        `${this.prefix}slots:${name}`,
        String(budget.intervalMs),
        String(budget.burst),
        String(maxWaitMs),
      ),
    );
    return {granted: granted === 1, waitMs: Number(waitMs)};
  }

  async ping(): Promise<void> {
    await this.#run(() => this.redis.ping());
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

/** `*`, `?`, `[`, `]` and `\` match literally in a `SCAN MATCH` pattern only when escaped. */
export const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * rate-limiter-flexible's Redis limiter, whose store failures become `StoreUnavailableError`
 * (an exceeded limit still rejects with `RateLimiterRes`).
 */
class SharedRateLimiter extends RateLimiterRedis {
  override consume(key: string | number, points?: number, options?: Record<string, unknown>) {
    return super.consume(key, points, options).catch(storeFailure);
  }
  override penalty(key: string | number, points?: number, options?: Record<string, unknown>) {
    return super.penalty(key, points, options).catch(storeFailure);
  }
  override reward(key: string | number, points?: number, options?: Record<string, unknown>) {
    return super.reward(key, points, options).catch(storeFailure);
  }
  override get(key: string | number, options?: Record<string, unknown>) {
    return super.get(key, options).catch(storeFailure);
  }
  override delete(key: string | number, options?: Record<string, unknown>) {
    return super.delete(key, options).catch(storeFailure);
  }
}

function storeFailure(error: unknown): never {
  // rate-limiter-flexible rejects with a RateLimiterRes (not an Error) when the limit is hit.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the caller reads it as the limiter's answer
  if (error instanceof RateLimiterRes) throw error;
  throw new StoreUnavailableError(error);
}
