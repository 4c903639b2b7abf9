import type Stripe from 'stripe';
import type {CarrierGrant} from '../../common/contract.js';
import {ApiError, notFound} from '../errors.js';
import type {Store} from '../store/store.js';
import {endMetadata, freeSlot, grantMetadata, grantsOf} from './carrier-grants.js';
import {normalizeEmail} from './email-address.js';
import type {HeldAccount, HeldAccounts} from './held-accounts.js';
import {customerLeaseKey, withLeaseWaiting, type HeldLease} from './lease.js';
import type {RecentGrants} from './recent-grants.js';
import type {SessionClaims} from './session-tokens.js';

const ownerOnly = () =>
  new ApiError(403, 'owner_only', 'Only the owner of this Gate Pass may change who has access');
const ownAddress = () =>
  new ApiError(422, 'own_address', 'This is the address of the Gate Pass owner');

/**
 * „Spedition": a Gate Pass owner gives carriers access to the Gate Pass, ends it, and a carrier
 * gives an access back. Grants live in the customer's metadata (`carrier-grants.ts`); every
 * change reads the customer fresh from Stripe under the customer's lease (the one billing-details
 * saves take), so two grants never pick the same slot, and then marks the customer's grants
 * changed (`HeldAccounts.grantsChanged`), which every instance sees at the next request.
 */
export class CarrierAccessService {
  constructor(
    private readonly deps: {
      stripe: Stripe;
      store: Store;
      accounts: HeldAccounts;
      recent: RecentGrants;
      leaseMs: number;
      now: () => number;
    },
  ) {}

  /** The active customer's grants: all of them for the owner, a carrier's own for a carrier. */
  async list(claims: SessionClaims, held: HeldAccount): Promise<CarrierGrant[]> {
    const carriers = (await this.deps.accounts.row(held.customerId))?.carriers ?? [];
    return held.access === 'owner'
      ? carriers
      : carriers.filter((grant) => grant.email === claims.email);
  }

  /**
   * What `give` refuses without asking Stripe: a carrier's session (`403 owner_only`), no plain
   * address (`400 invalid_email`), the session's own address (`422 own_address`). Answers the
   * normalized carrier address.
   */
  checkGrant(claims: SessionClaims, held: HeldAccount, email: unknown): string {
    if (held.access !== 'owner') throw ownerOnly();
    const carrier = normalizeEmail(email);
    if (!carrier) throw new ApiError(400, 'invalid_email', 'Not one plain e-mail address');
    if (carrier === claims.email) throw ownAddress();
    return carrier;
  }

  /**
   * Gives `carrier` (checked by `checkGrant`) access: `409 already_granted`, `422
   * too_many_carriers`, `422 own_address` for the customer's own address. Answers the grant,
   * and the driver's name and language for the carrier's mail.
   */
  async give(
    claims: SessionClaims,
    held: HeldAccount,
    carrier: string,
  ): Promise<{grant: CarrierGrant; driver: string; ownerLocale: string | null}> {
    const answer = await this.#changing(held.customerId, async (customer, write) => {
      this.#requireOwner(claims, customer);
      if (carrier === normalizeEmail(customer.email)) throw ownAddress();
      if (grantsOf(customer.metadata).some((grant) => grant.email === carrier)) {
        throw new ApiError(409, 'already_granted', 'This address has access already');
      }
      const slot = freeSlot(customer.metadata);
      if (slot === null) {
        throw new ApiError(
          422,
          'too_many_carriers',
          'This Gate Pass has as many carriers as it may',
        );
      }
      const grantedAt = this.deps.now();
      await write(grantMetadata(slot, carrier, grantedAt));
      return {
        grant: {email: carrier, grantedAt},
        driver: customer.name || customer.email || customer.id,
        ownerLocale: customer.preferred_locales?.[0] ?? null,
      };
    });
    await this.deps.recent.add(carrier, held.customerId);
    return answer;
  }

  /** Ends `email`'s access (owner only); answers whether it had any (`400 invalid_email`). */
  async end(claims: SessionClaims, held: HeldAccount, email: unknown): Promise<string | null> {
    if (held.access !== 'owner') throw ownerOnly();
    const carrier = normalizeEmail(email);
    if (!carrier) throw new ApiError(400, 'invalid_email', 'Not one plain e-mail address');
    const ended = await this.#changing(held.customerId, async (customer, write) => {
      this.#requireOwner(claims, customer);
      const change = endMetadata(customer.metadata, carrier);
      if (!change) return false;
      await write(change);
      return true;
    });
    if (!ended) return null;
    await this.deps.recent.remove(carrier, held.customerId);
    return carrier;
  }

  /**
   * A carrier gives its access to `customerId` back (`DELETE /api/fleet/:customerId`); `404`
   * when the session holds no carrier access to it.
   */
  async giveBack(claims: SessionClaims, customerId: string): Promise<void> {
    const held = await this.deps.accounts.access(claims, customerId);
    if (held?.access !== 'carrier') throw notFound('This session holds no carrier access to it');
    await this.#changing(customerId, async (customer, write) => {
      const change = endMetadata(customer.metadata, claims.email);
      if (!change) throw notFound('This session holds no carrier access to it');
      await write(change);
    });
    await this.deps.recent.remove(claims.email, customerId);
  }

  /** The live owner test: the customer's address is still the session's. */
  #requireOwner(claims: SessionClaims, customer: Stripe.Customer): void {
    if (normalizeEmail(customer.email) !== claims.email) throw ownerOnly();
  }

  /**
   * Runs `work` on the customer as Stripe holds it now, under the customer's lease. `write`
   * updates its metadata; after a write (also a failed one: it may have happened) the grants
   * are marked changed before the answer.
   */
  async #changing<T>(
    customerId: string,
    work: (
      customer: Stripe.Customer,
      write: (metadata: Stripe.MetadataParam) => Promise<void>,
    ) => Promise<T>,
  ): Promise<T> {
    const {stripe, store, accounts, leaseMs} = this.deps;
    const result = await withLeaseWaiting(
      store,
      customerLeaseKey(customerId),
      leaseMs,
      async (lease: HeldLease) => {
        const customer = await stripe.customers.retrieve(customerId);
        if ('deleted' in customer && customer.deleted) throw notFound('No such customer');
        let wrote = false;
        try {
          return await work(customer, async (metadata) => {
            lease.check();
            wrote = true;
            await stripe.customers.update(customerId, {metadata});
          });
        } finally {
          if (wrote) await accounts.grantsChanged(customerId);
        }
      },
    );
    if (!result.held) {
      throw new ApiError(409, 'save_in_progress', 'Another change of this Gate Pass is running', {
        retryAfterSeconds: 2,
      });
    }
    return result.value;
  }
}
