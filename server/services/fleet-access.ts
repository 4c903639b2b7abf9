import type {BillingService} from './billing.js';
import {Slots} from './concurrency.js';
import type {SessionClaims} from './session-tokens.js';

/** A driver of the session's fleet, as the invoice export names its folder. */
export interface FleetMember {
  customerId: string;
  /** The customer's name at Stripe (`null`: none given). */
  name: string | null;
}

/**
 * Which accounts a session may act on through the fleet operations (`PUT
 * /api/fleet/billing-details`, `GET /api/fleet/invoices/export`). The carrier-access core
 * supplies the real one — owned accounts plus those whose grants name the session's address,
 * each checked as it is now (security.md: an ended access stops at the next request);
 * `ownedAccountsAccess` is the part that needs no grants.
 */
export interface FleetAccess {
  /** Whether the session holds `customerId` now; `false` for any ID it does not (a `404`). */
  holds(session: SessionClaims, customerId: string): Promise<boolean>;
  /** Every account the session holds now, each one `holds` would answer `true` for. */
  members(session: SessionClaims): Promise<FleetMember[]>;
}

/**
 * The accounts of the session's own address (the JWT's `cus` claim): a driver with two Gate
 * Passes, or a carrier's own accounts. Names come through the per-customer cache, read for
 * `concurrency` accounts at a time (`FLEET_CONCURRENCY`).
 */
export function ownedAccountsAccess(
  billing: BillingService,
  options: {concurrency: number},
): FleetAccess {
  return {
    holds: async (session, customerId) => session.customerIds.includes(customerId),
    members: async (session) => {
      const slots = new Slots(options.concurrency);
      const summaries = await Promise.all(
        session.customerIds.map((id) => slots.run(() => billing.accountSummaries([id]))),
      );
      return summaries.flat().map(({customerId, name}) => ({customerId, name}));
    },
  };
}
