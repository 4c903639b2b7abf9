import type {FleetBillingResult} from '../../common/contract.js';
import {notFound} from '../errors.js';
import {toApiError} from '../http/errors.js';
import type {Logger} from '../logger.js';
import type {ValidBillingDetails} from './billing-details.js';
import type {BillingDetailsSaves} from './billing-details-save.js';
import type {NoticeOwner} from './owner-notices.js';

/** Tries of one account whose save Stripe refused with `429` (the first one included). */
const RATE_LIMITED_TRIES = 4;
/** Stripe's advice for 429s: exponential back-off with jitter; from 1 s, its limits are per second. */
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 8000;

/** What the caller of `saveAll` decides about each account, and hears of each result. */
export interface FleetSaveHooks {
  /** Who saves (the session's address): the owner's notice of a save completed later names it. */
  by?: string;
  /** Whether the session holds the account now; `false`: the row fails `not_found`. */
  holds(customerId: string): Promise<boolean>;
  /**
   * Read after `holds` and before the account's save, handed to `onSaved`: whom the owner's
   * notice goes to, while the customer's cached row still holds it (the save makes the cache
   * forget it), so that the notices add no Stripe requests beside the run's own. A failure
   * only costs the notice its snapshot (`undefined`: it reads the owner itself).
   */
  prepare?(customerId: string): Promise<NoticeOwner | null>;
  /** Called once the account's details are saved (the owner's notice); must not throw. */
  onSaved?(customerId: string, owner: NoticeOwner | null | undefined): void;
  /** Each row's result as it is known, in the order they finish. */
  onResult?(result: FleetBillingResult): void;
}

/**
 * „Rechnung und Versand" for many accounts at once (a carrier's fleet): the same validated
 * details saved to each account by `BillingDetailsSaves`, one save per account, so that each
 * account ends with exactly its old or exactly the new details as after a single save (an
 * accepted save Stripe did not confirm is completed later: `save_pending`). At most
 * `concurrency` accounts at a time. A `429` from Stripe (which the SDK retries only when
 * Stripe says so, as for lock timeouts) pauses the whole run with exponential back-off and
 * jitter, and the account is tried again, up to `RATE_LIMITED_TRIES` times.
 */
export class FleetBillingSaves {
  constructor(
    private readonly saves: BillingDetailsSaves,
    private readonly options: {
      concurrency: number;
      log: Logger;
      /** For tests of the back-off: the clock (ms), the wait, the jitter's random number. */
      clock?: () => number;
      sleep?: (ms: number) => Promise<void>;
      random?: () => number;
    },
  ) {}

  /**
   * Saves `details` to every account of `customerIds` (each at most once) and answers a result
   * per account, in their order. Never throws for one account's sake: each row stands alone.
   */
  async saveAll(
    customerIds: readonly string[],
    details: ValidBillingDetails,
    hooks: FleetSaveHooks,
  ): Promise<FleetBillingResult[]> {
    const results: FleetBillingResult[] = [];
    const pace = new Pace({
      clock: this.options.clock ?? Date.now,
      sleep: this.options.sleep ?? sleep,
      random: this.options.random ?? Math.random,
    });
    let next = 0;
    const worker = async () => {
      while (next < customerIds.length) {
        const index = next++;
        const result = await this.#saveOne(customerIds[index], details, hooks, pace);
        results[index] = result;
        hooks.onResult?.(result);
      }
    };
    const workers = Math.min(this.options.concurrency, customerIds.length);
    await Promise.all(Array.from({length: workers}, worker));
    return results;
  }

  async #saveOne(
    customerId: string,
    details: ValidBillingDetails,
    hooks: FleetSaveHooks,
    pace: Pace,
  ): Promise<FleetBillingResult> {
    let owner: NoticeOwner | null | undefined;
    for (let attempt = 1; ; attempt++) {
      await pace.ready();
      try {
        if (!(await hooks.holds(customerId))) throw notFound('No such customer');
        owner = await hooks.prepare?.(customerId).catch(() => undefined);
        await this.saves.save(customerId, details, hooks.by);
      } catch (error) {
        if (rateLimited(error) && attempt < RATE_LIMITED_TRIES) {
          const ms = pace.backOff(attempt);
          this.options.log.info('fleet save rate-limited, backing off', {customerId, ms});
          continue;
        }
        return this.#failed(customerId, error);
      }
      try {
        hooks.onSaved?.(customerId, owner);
      } catch (error) {
        this.options.log.error('fleet save hook failed', {
          customerId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return {customerId, status: 'saved'};
    }
  }

  #failed(customerId: string, error: unknown): FleetBillingResult {
    const {status, code, message, extra} = toApiError(error);
    if (status >= 500) {
      this.options.log.warn('fleet save of an account failed', {
        customerId,
        code,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    return {
      customerId,
      status: 'failed',
      error: {code, message, ...(extra.fields ? {fields: extra.fields} : {})},
    };
  }
}

/** One run's back-off: after a 429 no account starts a Stripe request before `resumeAt`. */
class Pace {
  #resumeAt = 0;

  constructor(
    private readonly time: {
      clock: () => number;
      sleep: (ms: number) => Promise<void>;
      random: () => number;
    },
  ) {}

  async ready(): Promise<void> {
    const {clock, sleep} = this.time;
    // Another account's 429 may push the time further while this one waits.
    for (let wait = this.#resumeAt - clock(); wait > 0; wait = this.#resumeAt - clock()) {
      await sleep(wait);
    }
  }

  /** Pauses the run after the `attempt`-th 429 of an account; answers the pause in ms. */
  backOff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_FIRST_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
    // Between half and all of it, so that runs that met the limit together do not come back
    // in step (other requests, other instances).
    const ms = Math.round(ceiling * (0.5 + this.time.random() / 2));
    this.#resumeAt = Math.max(this.#resumeAt, this.time.clock() + ms);
    return ms;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A 429 from Stripe, thrown as it is or as the cause of the save's own answer. */
function rateLimited(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 3; depth++) {
    if ((e as {statusCode?: unknown}).statusCode === 429) return true;
    e = (e as {cause?: unknown}).cause;
  }
  return false;
}
