import type {HeldAccounts} from './held-accounts.js';
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
 * supplies it — owned accounts plus those whose grants name the session's address, each
 * checked as it is now (security.md: an ended access stops at the next request).
 */
export interface FleetAccess {
  /** Whether the session holds `customerId` now; `false` for any ID it does not (a `404`). */
  holds(session: SessionClaims, customerId: string): Promise<boolean>;
  /** Every account the session holds now, each one `holds` would answer `true` for. */
  members(session: SessionClaims): Promise<FleetMember[]>;
}

/**
 * The fleet of a session as carrier access sees it: owned accounts and the carrier-held ones,
 * each checked against the customer as it is now (`HeldAccounts`).
 */
export function heldAccountsFleetAccess(accounts: HeldAccounts): FleetAccess {
  return {
    holds: async (session, customerId) => (await accounts.access(session, customerId)) !== null,
    members: async (session) =>
      (await accounts.drivers(session)).map(({customerId, name}) => ({customerId, name})),
  };
}
