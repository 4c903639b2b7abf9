import {AsyncLocalStorage} from 'node:async_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import Stripe from 'stripe';
import type {Config} from '../config.js';
import type {SlotBudget, SlotReservation, Store} from '../store/store.js';

/**
 * The header a refusal of the budget carries on its stand-in for Stripe's answer, so that
 * `http/errors.ts` tells it from a rate limit of Stripe's own.
 */
export const BUDGET_REFUSAL_HEADER = 'conroo-stripe-budget';

/**
 * How long work nobody can retry (background, a save under way) and the later calls of an API
 * request already admitted may wait for a slot: long enough for any backlog that admission lets
 * build, so that a login mail is late rather than lost.
 */
export const PATIENT_MAX_WAIT_MS = 300_000;

export interface StripeBudgetOptions {
  /** `STRIPE_MAX_REQUESTS_PER_SECOND`: at most this many Stripe requests in any one second. */
  maxRequestsPerSecond: number;
  /** `STRIPE_BUDGET_MAX_WAIT_MS`: how long a request's Stripe call may wait for a slot. */
  maxWaitMs: number;
  /** How long `patiently` work may wait (default `PATIENT_MAX_WAIT_MS`). */
  patientMaxWaitMs?: number;
  /** Another bucket than `slotBudget(maxRequestsPerSecond)`: tests pass a slow one. */
  slots?: SlotBudget;
  /** Waits for a reserved slot; tests pass one they control, with its `clock` (ms). */
  wait?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/** How often a request that woke too late for its slot reserves another before it goes anyway. */
const MAX_LATE_WAKES = 3;

export type BudgetTake = {granted: true} | {granted: false; retryAfterSeconds: number};

/**
 * The bucket behind `maxRequestsPerSecond` = N: a burst of a tenth of N (at least 1) after a
 * quiet spell, so that an overview's parallel round goes out at once (its two requests after a
 * login at N = 20 and more; a third, when nothing is cached, one interval later at N < 30),
 * refilled at N minus the burst per second: what a busy day sustains.
 * Any one second then holds at most burst + rate − 1 = N − 1 slots by the store's clock: one to
 * spare for a request whose trip to Stripe took a little longer than another's.
 */
export function slotBudget(maxRequestsPerSecond: number): SlotBudget {
  const burst = Math.max(1, Math.floor(maxRequestsPerSecond / 10));
  const rate = Math.max(1, maxRequestsPerSecond - burst);
  // In tenths of a millisecond, rounded up: `rate` intervals never add up to a hair under one
  // second, which would let one slot more into it. Tenths, because Redis keeps the bucket's
  // time as Lua prints a number (14 digits): 0.1 ms is what is left of a time in ms since 1970.
  return {intervalMs: Math.ceil(10_000 / rate) / 10, burst};
}

const patience = new AsyncLocalStorage<true>();
const background = new AsyncLocalStorage<true>();

/** One API request's admission: decided by its first Stripe call, shared by the others. */
interface RequestScope {
  admission?: Promise<BudgetTake>;
}
const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `handle` (an API request) as one unit for the budget: its first Stripe call decides
 * whether the request is admitted (a slot within `maxWaitMs`), and once it is, every later call
 * of the request waits in line patiently. So a request is turned away before it has sent
 * anything to Stripe, never halfway through a parallel round whose other calls would be wasted
 * (and tried again with the whole request).
 */
export function withinApiRequest<T>(handle: () => T): T {
  return requestScope.run({}, handle);
}

/**
 * Runs `work` with the patient wait for Stripe budget: work that nobody could retry when it is
 * refused (after the answer went out), or a billing-details save whose writes have begun, waits
 * in line for as long as it takes (up to `PATIENT_MAX_WAIT_MS`) instead of being turned away.
 */
export function patiently<T>(work: () => Promise<T>): Promise<T> {
  return patience.run(true, work);
}

/**
 * Runs `work` (after its answer went out: the look-up behind a login mail, a notice) behind the
 * people waiting: its Stripe calls take a slot only when the line ahead is short (half the wait
 * an API request is allowed), in the order asked on this instance, and after
 * `PATIENT_MAX_WAIT_MS` of that in line whatever its length. On a busy day the drivers who hold
 * a link reach their dashboard first, and the mails of those who asked later follow; first come,
 * first served from asking for the link to the dashboard, instead of a line of look-ups that
 * keeps everyone's overview waiting. Calls within `patiently` work wait in line as that says.
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Whether the caller's Stripe calls wait behind the people waiting (`inBackground`). */
export const waitsBehindOthers = (): boolean => !!background.getStore() && !patience.getStore();

/**
 * The Stripe request budget of all instances together (`STRIPE_MAX_REQUESTS_PER_SECOND`),
 * taken once per HTTP request the SDK makes (its retries included), never per API request, so
 * a cache hit costs nothing. Slots are reserved in the store (Redis shared by every instance,
 * or this process's memory) in the order asked for, so the wait is first come, first served
 * across instances; a request whose wait would exceed `maxWaitMs` is refused instead, and its
 * API request answers `503 service_unavailable` with `Retry-After`.
 */
export class StripeBudget {
  readonly slots: SlotBudget;
  readonly #store: Store;
  readonly #maxWaitMs: number;
  readonly #patientMaxWaitMs: number;
  readonly #wait: (ms: number) => Promise<void>;
  readonly #clock: () => number;
  /** Slots taken and refusals, for logs and the load test. */
  readonly counts = {granted: 0, refused: 0, overslept: 0};
  /** The background calls of this instance, one after the other (`inBackground`). */
  #backgroundTurn: Promise<unknown> = Promise.resolve();

  constructor(store: Store, options: StripeBudgetOptions) {
    this.#store = store;
    this.slots = options.slots ?? slotBudget(options.maxRequestsPerSecond);
    this.#maxWaitMs = options.maxWaitMs;
    this.#patientMaxWaitMs = Math.max(
      options.maxWaitMs,
      options.patientMaxWaitMs ?? PATIENT_MAX_WAIT_MS,
    );
    this.#wait = options.wait ?? ((ms) => sleep(ms));
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** Reserves a slot and waits for it, or answers when to come back. */
  async take(): Promise<BudgetTake> {
    if (patience.getStore()) return this.#take(this.#patientMaxWaitMs);
    if (background.getStore()) return this.#take(this.#patientMaxWaitMs, {behindOthers: true});
    const scope = requestScope.getStore();
    if (!scope) return this.#take(this.#maxWaitMs);
    if (!scope.admission) {
      scope.admission = this.#take(this.#maxWaitMs);
      return scope.admission;
    }
    const admitted = await scope.admission;
    return admitted.granted ? this.#take(this.#patientMaxWaitMs) : admitted;
  }

  async #take(maxWaitMs: number, {behindOthers = false} = {}): Promise<BudgetTake> {
    let reservation;
    try {
      reservation = behindOthers
        ? await this.#reserveWhenShort(this.#clock() + maxWaitMs)
        : await this.#store.reserveSlot('stripe', this.slots, maxWaitMs);
    } catch {
      // An uncountable budget is not spent blindly: as when Redis is down for anything else.
      this.counts.refused += 1;
      return {granted: false, retryAfterSeconds: 5};
    }
    if (!reservation.granted) {
      this.counts.refused += 1;
      // Back when the line ahead now has gone out; the element adds its own jitter.
      const retryAfterSeconds = Math.min(60, Math.max(1, Math.ceil(reservation.waitMs / 1000)));
      return {granted: false, retryAfterSeconds};
    }
    this.counts.granted += 1;
    for (let late = 0; reservation.waitMs > 0; late++) {
      const due = this.#clock() + reservation.waitMs;
      await this.#wait(reservation.waitMs);
      // A busy event loop wakes waiters late and together: sent now, slots meant for a second
      // would bunch into the next. One that overslept its slot takes a fresh one instead.
      if (this.#clock() - due <= this.slots.intervalMs || late === MAX_LATE_WAKES) break;
      try {
        reservation = await this.#store.reserveSlot('stripe', this.slots, this.#patientMaxWaitMs);
      } catch {
        break;
      }
      if (!reservation.granted) break;
      this.counts.overslept += 1;
    }
    return {granted: true};
  }

  /**
   * A slot once the line ahead is at most half an API request's wait, so that API requests
   * (admitted up to the whole wait) go first; after the background calls asked for before it on
   * this instance, and looked at again when the line could have become that short. From `until`
   * (its caller's deadline, counted from when it asked) a slot however long the line.
   */
  #reserveWhenShort(until: number): Promise<SlotReservation> {
    const shortMs = this.#maxWaitMs / 2;
    const reserve = async (): Promise<SlotReservation> => {
      for (;;) {
        const left = until - this.#clock();
        if (left <= 0) return this.#store.reserveSlot('stripe', this.slots, this.#patientMaxWaitMs);
        const reservation = await this.#store.reserveSlot('stripe', this.slots, shortMs);
        if (reservation.granted) return reservation;
        const again = Math.max(this.slots.intervalMs, reservation.waitMs - shortMs);
        await this.#wait(Math.min(again, left));
      }
    };
    const turn = this.#backgroundTurn.then(reserve);
    this.#backgroundTurn = turn.catch(() => undefined);
    return turn;
  }
}

/** The budget the settings describe, in `store`: one per instance, all sharing one Redis. */
export function createStripeBudget(config: Config, store: Store): StripeBudget {
  return new StripeBudget(store, config.stripeBudget);
}

/** Stripe's answer to a request the budget refused, as Stripe answers its own rate limit. */
class BudgetRefusal extends Stripe.HttpClientResponse {
  constructor(readonly retryAfterSeconds: number) {
    super(429, {
      'request-id': '',
      // Never retried by the SDK: the API request answers at once instead.
      'stripe-should-retry': 'false',
      'retry-after': String(retryAfterSeconds),
      [BUDGET_REFUSAL_HEADER]: 'refused',
    });
  }
  override getRawResponse(): unknown {
    return null;
  }
  override toStream(streamCompleteCallback: () => void): unknown {
    streamCompleteCallback();
    return null;
  }
  override toJSON(): Promise<unknown> {
    return Promise.resolve({
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message:
          'The portal’s own Stripe request budget (STRIPE_MAX_REQUESTS_PER_SECOND) is spent; the request was not sent',
      },
    });
  }
}

/**
 * The SDK's HTTP client with the budget in front: every request the SDK sends, retries
 * included, passes here, so no call can go around it.
 */
export class BudgetedHttpClient extends Stripe.HttpClient {
  constructor(
    readonly inner: Stripe.HttpClient,
    readonly budget: StripeBudget,
  ) {
    super();
  }

  override getClientName(): string {
    return this.inner.getClientName();
  }

  override async makeRequest(
    ...args: Parameters<Stripe.HttpClient['makeRequest']>
  ): Promise<Stripe.HttpClientResponse> {
    const taken = await this.budget.take();
    if (!taken.granted) return new BudgetRefusal(taken.retryAfterSeconds);
    return this.inner.makeRequest(...args);
  }
}
