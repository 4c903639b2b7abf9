import {randomBytes} from 'node:crypto';
import {waitsBehindOthers} from '../adapters/stripe-budget.js';
import type {Store} from '../store/store.js';

/** Every key of the dashboard cache starts with this; `cacheDelete(CACHE_PREFIX)` empties it. */
export const CACHE_PREFIX = 'customer:';

/**
 * How long a customer's generation is remembered after its last invalidation. Its expiry is
 * harmless (a new generation only makes older entries unreachable), so it merely has to
 * outlive the entries written under it most of the time.
 */
const GENERATION_TTL_SECONDS = 24 * 3600;

/**
 * The per-customer cache of what the dashboard reads, on top of the store's cache.
 *
 * Every entry is keyed by the customer's current *generation*, a random token:
 * `customer:<id>:<generation>:<name>`. An invalidation gives the customer a new token, so
 * everything cached before it becomes unreachable at once (and leaves with its TTL). A read
 * takes the generation *before* it asks Stripe and writes its result under that generation:
 * a read that started before an invalidation can only write where nobody looks any more, never
 * stale data over fresh. Tokens are never reused, so this holds across expiry and restarts.
 *
 * Concurrent loads of the same entry in this process share one Stripe round trip.
 */
export class CustomerCache {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Store,
    /** 0 turns caching off (every read asks Stripe); invalidation still works the same. */
    readonly ttlSeconds: number,
    /** The clock of `changedAt` (ms); every instance's, so compared with a margin. */
    readonly now: () => number = Date.now,
  ) {}

  /** The customer's cache as of now: reads and writes under the current generation. */
  async open(customerId: string): Promise<CustomerCacheView> {
    const generationKey = `generation:${customerId}`;
    let generation = await this.store.cacheGet(generationKey);
    if (generation === undefined) {
      // The first reader sets it; of parallel first readers one wins and the rest use that one.
      // Not a change: it says nothing changed recently (`changedAt` 0).
      const fresh = newGeneration(0);
      const stored = await this.store.cacheSet(generationKey, fresh, GENERATION_TTL_SECONDS, {
        onlyIfAbsent: true,
      });
      generation = (stored ? fresh : await this.store.cacheGet(generationKey)) ?? fresh;
    }
    return new CustomerCacheView(
      this,
      customerId,
      `${CACHE_PREFIX}${customerId}:${generation}:`,
      changedAtOf(generation),
    );
  }

  /**
   * Forgets everything cached of the customer: the next read asks Stripe. Called after each
   * write of the portal (before it answers) and for each Stripe event about the customer.
   */
  async invalidate(customerId: string): Promise<void> {
    await this.store.cacheSet(
      `generation:${customerId}`,
      newGeneration(this.now()),
      GENERATION_TTL_SECONDS,
    );
  }

  /**
   * Runs `load` once for concurrent callers of the same key. Background work (`inBackground`)
   * shares only with background work: its Stripe calls wait behind the people waiting, and a
   * person's request must not wait behind them in turn.
   */
  shared<T>(name: string, load: () => Promise<T>): Promise<T> {
    const key = waitsBehindOthers() ? `background ${name}` : name;
    const running = this.#inFlight.get(key);
    if (running) return running as Promise<T>;
    const started = load().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  get(key: string): Promise<string | undefined> {
    return this.ttlSeconds > 0 ? this.store.cacheGet(key) : Promise.resolve(undefined);
  }

  async set(key: string, json: string): Promise<void> {
    if (this.ttlSeconds > 0) await this.store.cacheSet(key, json, this.ttlSeconds);
  }
}

/** JSON text of a `T`: what the cache holds, sent to the browser as it is. */
export type JsonText<T> = string & {readonly __json?: T};

/** One customer's cache at one generation. */
export class CustomerCacheView {
  constructor(
    private readonly cache: CustomerCache,
    readonly customerId: string,
    private readonly prefix: string,
    /**
     * When the change that began this generation was recorded (ms, the recording instance's
     * clock); 0 when the generation began without one (the first read since it was forgotten),
     * `Infinity` when that is unknown.
     */
    readonly changedAt: number,
  ) {}

  /**
   * Whether an answer Stripe began to give at `askedAt` (ms, this instance's clock) may be cached
   * here: no change of the customer was recorded since, allowing `CLOCK_SKEW_MS` between the
   * instances' clocks. For a read that found the customer before it could open its cache (a
   * search, a list); one that opens first needs no such check (see the class comment above).
   */
  unchangedSince(askedAt: number): boolean {
    return this.changedAt < askedAt - CLOCK_SKEW_MS;
  }

  /** The cached value of `name`, or `undefined`. */
  async get<T>(name: string): Promise<T | undefined> {
    const json = await this.cache.get(this.prefix + name);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  /** The cached value of `name`, else `load()`'s, which is then cached (errors are not). */
  async through<T>(name: string, load: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(name);
    if (hit !== undefined) return hit;
    return this.fill(name, load);
  }

  /** `load()`'s value, then cached: for a caller that has just looked and found nothing. */
  async fill<T>(name: string, load: () => Promise<T>): Promise<T> {
    return (await this.#load(name, load)).value;
  }

  /** Like `through`, as JSON text: a cached answer is sent without being parsed again. */
  async json<T>(name: string, load: () => Promise<T>): Promise<JsonText<T>> {
    const hit = await this.cache.get(this.prefix + name);
    if (hit !== undefined) return hit;
    return (await this.#load(name, load)).json;
  }

  /** Loads once for concurrent callers, caches the JSON text under this generation. */
  #load<T>(name: string, load: () => Promise<T>): Promise<{value: T; json: string}> {
    const key = this.prefix + name;
    return this.cache.shared(key, async () => {
      const value = await load();
      const json = JSON.stringify(value);
      await this.cache.set(key, json);
      return {value, json};
    });
  }
}

/** How far apart the instances' clocks may be for `unchangedSince`. */
const CLOCK_SKEW_MS = 2000;

/** A new generation token: random, and when the change that made it happened (0: none). */
const newGeneration = (changedAt: number) => `${randomBytes(9).toString('base64url')}.${changedAt}`;

/** The `changedAt` of a generation token; `Infinity` for one written before tokens told it. */
function changedAtOf(generation: string): number {
  const at = Number(generation.slice(generation.indexOf('.') + 1));
  return generation.includes('.') && Number.isFinite(at) ? at : Infinity;
}
