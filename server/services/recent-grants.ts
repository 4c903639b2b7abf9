import type {Logger} from '../logger.js';
import type {Store} from '../store/store.js';
import {RecentCustomers} from './recent-customers.js';

export {SEARCH_LAG_SECONDS} from './recent-customers.js';

/**
 * The customers that gave a carrier address access within the last `SEARCH_LAG_SECONDS`, so
 * that the carrier finds a fresh grant at once although the search index does not know it yet.
 */
// A note that stays busy is only logged: the search index names the customer within a minute
// or so, and the grant itself is saved on the customer already.
export class RecentGrants extends RecentCustomers {
  constructor(store: Store, now: () => number, log: Logger) {
    super(store, now, log, 'recent-grants:');
  }
}
