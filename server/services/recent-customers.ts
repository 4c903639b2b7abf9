import type {Logger} from '../logger.js';
import type {Store} from '../store/store.js';
import {withLeaseWaiting} from './lease.js';
import {maskEmail} from './email-address.js';

/**
 * How long Stripe's search may lag behind a change: "under 1 minute" normally, "up to an hour"
 * during outages (https://docs.stripe.com/search#data-freshness).
 */
export const SEARCH_LAG_SECONDS = 3600;

interface Entry {
  customerId: string;
  /** When it was noted (the app's clock, Unix seconds). */
  at: number;
}

/**
 * Customer IDs noted for an address within the last `SEARCH_LAG_SECONDS`, which Stripe's search
 * may not find under it yet. A record in the store per address (shared by every instance, not
 * evicted), written under a short lease so that two notes at once both stay in it. What a note
 * means is the user's (`RecentGrants`, `RecentOwners`).
 */
export class RecentCustomers {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly log: Logger,
    /** The records' key prefix, which also names them in the log. */
    private readonly prefix: string,
  ) {}

  /** The customer IDs noted for `email` within the lag window, newest first. */
  async of(email: string): Promise<string[]> {
    return (await this.#entries(email)).map((entry) => entry.customerId);
  }

  /** Notes `customerId` for `email`; `false` when the record stayed busy (logged). */
  async add(email: string, customerId: string): Promise<boolean> {
    return this.#change(email, (entries) => [
      {customerId, at: this.now()},
      ...entries.filter((entry) => entry.customerId !== customerId),
    ]);
  }

  async remove(email: string, customerId: string): Promise<boolean> {
    return this.#change(email, (entries) =>
      entries.filter((entry) => entry.customerId !== customerId),
    );
  }

  async #entries(email: string): Promise<Entry[]> {
    const raw = await this.store.recordGet(this.prefix + email);
    if (!raw) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return [];
    }
    const since = this.now() - SEARCH_LAG_SECONDS;
    return Array.isArray(parsed)
      ? (parsed as Entry[]).filter(
          (entry) =>
            typeof entry?.customerId === 'string' &&
            typeof entry.at === 'number' &&
            entry.at > since,
        )
      : [];
  }

  async #change(email: string, change: (entries: Entry[]) => Entry[]): Promise<boolean> {
    const key = this.prefix + email;
    const result = await withLeaseWaiting(this.store, key, 5000, async () => {
      const entries = change(await this.#entries(email));
      if (entries.length === 0) await this.store.recordDelete(key);
      else await this.store.recordPut(key, JSON.stringify(entries), SEARCH_LAG_SECONDS);
    });
    if (!result.held) {
      this.log.warn('recent customers not updated: busy', {
        record: this.prefix,
        address: maskEmail(email),
      });
    }
    return result.held;
  }
}
