import type Stripe from 'stripe';
import type {Store} from '../store/store.js';
import {normalizeEmail} from './email-address.js';
import {SEARCH_LAG_SECONDS} from './recent-grants.js';

const PREFIX = 'recent-owner:';

/**
 * Addresses that became a customer's own within the search index's lag, as Stripe's webhook
 * tells (`customer.created`, or `customer.updated` with the e-mail changed): a login look-up for
 * one of them lists the address too, which Stripe answers consistently, so that a second Gate
 * Pass bought a moment ago is in the link although the search only finds the first. A store
 * record per address, shared by every instance.
 */
export class RecentOwners {
  constructor(private readonly store: Store) {}

  /** Notes the address of the event's customer when the event made it the customer's own. */
  async told(event: Stripe.Event): Promise<void> {
    const previous = (event.data.previous_attributes ?? {}) as Record<string, unknown>;
    const madeOwner =
      event.type === 'customer.created' ||
      (event.type === 'customer.updated' && 'email' in previous);
    if (!madeOwner) return;
    const email = normalizeEmail(event.data.object.email);
    if (email) await this.store.recordPut(PREFIX + email, '1', SEARCH_LAG_SECONDS);
  }

  /** Whether `email` (normalized) became a customer's own within the lag window. */
  async has(email: string): Promise<boolean> {
    return (await this.store.recordGet(PREFIX + email)) !== undefined;
  }
}
