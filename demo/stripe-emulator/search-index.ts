/**
 * Stripe's search index is eventually consistent: "Under normal operating conditions, data is
 * searchable in under 1 minute. Propagation of new or updated data could be delayed during an
 * outage" (https://docs.stripe.com/search#data-freshness). Stripe names no upper bound; the
 * portal's design (`docs/carrier-access.md`) assumes an hour, and so does the longest lag here.
 * The emulator keeps every customer's recent versions with the state's clock (`nowMs`, which
 * `clockOffset` moves), so a search with a lag matches each customer as it was that long ago:
 * one created within the lag is not found, one changed within it is found by its older state.
 *
 * Lag 0 (the default) matches the customers as they are, as the emulator always did.
 */
import type Stripe from 'stripe';

/** The longest lag the emulator models: the hour the portal's design allows for an outage. */
export const MAX_SEARCH_LAG_MS = 3_600_000;

type StoredCustomer = Stripe.Customer | Stripe.DeletedCustomer;

interface Version {
  /** The state's clock (ms) when this version was stored; `-Infinity`: indexed long ago. */
  at: number;
  customer: StoredCustomer;
}

export class CustomerSearchIndex {
  /** Each customer's versions, oldest first: those of the last hour, and the one before. */
  private readonly versions = new Map<string, Version[]>();

  /** Remembers a stored version of a customer (`EmulatorState.put`). */
  record(customer: StoredCustomer, atMs: number): void {
    let list = this.versions.get(customer.id);
    if (!list) {
      list = [];
      this.versions.set(customer.id, list);
    }
    list.push({at: atMs, customer});
    // What no lag can reach any more: all but the newest version older than the longest lag.
    const horizon = atMs - MAX_SEARCH_LAG_MS;
    let drop = 0;
    while (drop + 1 < list.length && (list[drop + 1]?.at ?? Infinity) <= horizon) drop++;
    if (drop > 0) list.splice(0, drop);
  }

  /**
   * Every customer as the index saw it at `cutoffMs`, by id: the newest version stored then or
   * before (a customer stored only later is missing). Deleted customers are left out.
   */
  asOf(cutoffMs: number): Map<string, Stripe.Customer> {
    const seen = new Map<string, Stripe.Customer>();
    for (const [id, list] of this.versions) {
      for (let i = list.length - 1; i >= 0; i--) {
        const version = list[i];
        if (version && version.at <= cutoffMs) {
          if (!version.customer.deleted) seen.set(id, version.customer);
          break;
        }
      }
    }
    return seen;
  }

  /**
   * Makes every version stored so far searchable at once, whatever the lag: for data that
   * existed long before the emulator started (the seed), and for tests that need the index
   * caught up rather than waited for.
   */
  catchUp(): void {
    for (const list of this.versions.values()) {
      const newest = list[list.length - 1];
      if (newest) list.splice(0, list.length, {at: -Infinity, customer: newest.customer});
    }
  }
}
