import type Stripe from 'stripe';
import type {Logger} from '../logger.js';
import {ApiError} from '../errors.js';
import type {Store} from '../store/store.js';
import {normalizeEmail} from './email-address.js';
import {RecentCustomers} from './recent-customers.js';

/**
 * The customers whose own address an address became within the search index's lag, as Stripe's
 * webhook tells (`customer.created`, or `customer.updated` with the e-mail changed): a login
 * look-up reads them (a retrieve is consistent), so that a second Gate Pass bought a moment ago
 * is in the link although the search only finds the first — also when its address was typed
 * with capitals, which `customers.list` does not match. A store record per address, shared by
 * every instance.
 */
export class RecentOwners {
  readonly #noted: RecentCustomers;

  constructor(store: Store, now: () => number, log: Logger) {
    this.#noted = new RecentCustomers(store, now, log, 'recent-owner:');
  }

  /** Notes the event's customer under its address when the event made the address its own. */
  async told(event: Stripe.Event): Promise<void> {
    const previous = (event.data.previous_attributes ?? {}) as Record<string, unknown>;
    const madeOwner =
      event.type === 'customer.created' ||
      (event.type === 'customer.updated' && 'email' in previous);
    if (!madeOwner) return;
    const customer = event.data.object;
    const email = normalizeEmail(customer.email);
    // A note not made fails the webhook (503), and Stripe delivers the event again.
    if (email && !(await this.#noted.add(email, customer.id))) {
      throw new ApiError(503, 'service_unavailable', 'The recent-owner record is busy just now', {
        retryAfterSeconds: 5,
      });
    }
  }

  /**
   * The customers `email` (normalized) became the own address of within the lag window, newest
   * first. Each may have moved on since: the caller reads them again.
   */
  of(email: string): Promise<string[]> {
    return this.#noted.of(email);
  }
}
