import type {Logger} from '../logger.js';
import type {Store} from '../store/store.js';
import {withLeaseWaiting} from './lease.js';
import {maskEmail} from './email-address.js';

/**
 * How long Stripe's search may lag behind a metadata change: "under 1 minute" normally, "up to
 * an hour" during outages (https://docs.stripe.com/search#data-freshness).
 */
export const SEARCH_LAG_SECONDS = 3600;

const PREFIX = 'recent-grants:';

interface Entry {
  customerId: string;
  /** When the access was given (the app's clock, Unix seconds). */
  at: number;
}

/**
 * The customers that gave a carrier address access within the last `SEARCH_LAG_SECONDS`, so
 * that the carrier finds a fresh grant at once although the search index does not know it yet.
 * A record in the store (shared by every instance, not evicted), one per carrier address;
 * written under a short lease so that two owners granting at once both stay in it.
 */
export class RecentGrants {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** The customer IDs granted to `email` within the lag window, newest first. */
  async of(email: string): Promise<string[]> {
    return (await this.#entries(email)).map((entry) => entry.customerId);
  }

  async add(email: string, customerId: string): Promise<void> {
    await this.#change(email, (entries) => [
      {customerId, at: this.now()},
      ...entries.filter((entry) => entry.customerId !== customerId),
    ]);
  }

  async remove(email: string, customerId: string): Promise<void> {
    await this.#change(email, (entries) =>
      entries.filter((entry) => entry.customerId !== customerId),
    );
  }

  async #entries(email: string): Promise<Entry[]> {
    const raw = await this.store.recordGet(PREFIX + email);
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

  async #change(email: string, change: (entries: Entry[]) => Entry[]): Promise<void> {
    const result = await withLeaseWaiting(this.store, `${PREFIX}${email}`, 5000, async () => {
      const entries = change(await this.#entries(email));
      if (entries.length === 0) await this.store.recordDelete(PREFIX + email);
      else await this.store.recordPut(PREFIX + email, JSON.stringify(entries), SEARCH_LAG_SECONDS);
    });
    // Not fatal: the search index names the customer within a minute or so.
    if (!result.held) {
      this.log.warn('recent grants not updated: busy', {carrier: maskEmail(email)});
    }
  }
}
