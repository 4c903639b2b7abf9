import type Stripe from 'stripe';
import type {CarrierGrant} from '../../common/contract.js';
import {ApiError, notFound} from '../errors.js';
import type {Logger} from '../logger.js';
import type {Store} from '../store/store.js';
import {endMetadata, freeSlot, grantMetadata, grantsOf} from './carrier-grants.js';
import {normalizeEmail} from './email-address.js';
import {holderNameOf} from './holder-name.js';
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
      log: Logger;
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
   * Gives `carrier` (checked by `checkGrant`) access: `422 too_many_carriers`, `422 own_address`
   * for the customer's own address. Answers the grant (`repeated` when the address had access
   * already: the route answers `409 already_granted` and mails the carrier again), and the
   * driver's name and language for the carrier's mail.
   *
   * Once Stripe holds the grant it is given, whatever happens next: the marks that make it work
   * at once (`grantsChanged`, `RecentGrants`) are written after the Stripe write and a failure
   * there is logged, not answered (the grant would otherwise look failed and its retry find
   * `already_granted` with no mail). A repeated grant writes them again, so a retry repairs them.
   */
  async give(
    claims: SessionClaims,
    held: HeldAccount,
    carrier: string,
  ): Promise<{grant: CarrierGrant; repeated: boolean; driver: string; ownerLocale: string | null}> {
    const answer = await this.#changing(
      held.customerId,
      async (customer, write) => {
        this.#requireOwner(claims, customer);
        if (carrier === normalizeEmail(customer.email)) throw ownAddress();
        const driver = holderNameOf(customer) || customer.email || customer.id;
        const ownerLocale = customer.preferred_locales?.[0] ?? null;
        const existing = grantsOf(customer.metadata).find((grant) => grant.email === carrier);
        if (existing) return {grant: existing, repeated: true, driver, ownerLocale};
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
        return {grant: {email: carrier, grantedAt}, repeated: false, driver, ownerLocale};
      },
      {marks: 'best_effort', markUnchanged: true},
    );
    await this.#bestEffort('recent grant not recorded', held.customerId, async () => {
      await this.deps.recent.add(carrier, held.customerId);
    });
    return answer;
  }

  /** Ends `email`'s access (owner only); answers whether it had any (`400 invalid_email`). */
  async end(claims: SessionClaims, held: HeldAccount, email: unknown): Promise<string | null> {
    if (held.access !== 'owner') throw ownerOnly();
    const carrier = normalizeEmail(email);
    if (!carrier) throw new ApiError(400, 'invalid_email', 'Not one plain e-mail address');
    const ended = await this.#changing(
      held.customerId,
      async (customer, write) => {
        this.#requireOwner(claims, customer);
        const change = endMetadata(customer.metadata, carrier);
        if (!change) return false;
        await write(change);
        return true;
      },
      {marks: 'required', markUnchanged: true},
    );
    // Also when there was nothing to end: a retry after a failure below must still remove it.
    await this.deps.recent.remove(carrier, held.customerId);
    return ended ? carrier : null;
  }

  /**
   * A carrier gives its access to `customerId` back (`DELETE /api/fleet/:customerId`); `404`
   * when the session holds no carrier access to it.
   */
  async giveBack(claims: SessionClaims, customerId: string): Promise<void> {
    const held = await this.deps.accounts.access(claims, customerId);
    if (held?.access !== 'carrier') throw notFound('This session holds no carrier access to it');
    await this.#changing(
      customerId,
      async (customer, write) => {
        const change = endMetadata(customer.metadata, claims.email);
        if (!change) throw notFound('This session holds no carrier access to it');
        await write(change);
      },
      // The session's cached view said „held" while Stripe says not: mark it, so it stops.
      {marks: 'required', markUnchanged: true},
    );
    await this.deps.recent.remove(claims.email, customerId);
  }

  /** The live owner test: the customer's address is still the session's. */
  #requireOwner(claims: SessionClaims, customer: Stripe.Customer): void {
    if (normalizeEmail(customer.email) !== claims.email) throw ownerOnly();
  }

  /** Runs `step`; a failure is logged (the change it follows is done and answered). */
  async #bestEffort(what: string, customerId: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.deps.log.error(what, {
        customerId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * Runs `work` on the customer as Stripe holds it now, under the customer's lease. `write`
   * updates its metadata. After a write (also a failed one: it may have happened), and with
   * `markUnchanged` after any `work`, the grants are marked changed before the answer: a
   * `required` mark fails the request when it cannot be written (ending an access must stop it
   * everywhere), a `best_effort` one is logged.
   */
  async #changing<T>(
    customerId: string,
    work: (
      customer: Stripe.Customer,
      write: (metadata: Stripe.MetadataParam) => Promise<void>,
    ) => Promise<T>,
    options: {marks: 'required' | 'best_effort'; markUnchanged: boolean},
  ): Promise<T> {
    const {stripe, store, accounts, leaseMs} = this.deps;
    const result = await withLeaseWaiting(
      store,
      customerLeaseKey(customerId),
      leaseMs,
      async (lease: HeldLease) => {
        const customer = await stripe.customers.retrieve(customerId);
        if ('deleted' in customer && customer.deleted) throw notFound('No such customer');
        let mark = options.markUnchanged;
        try {
          return await work(customer, async (metadata) => {
            lease.check();
            mark = true;
            await stripe.customers.update(customerId, {metadata});
          });
        } finally {
          if (mark && options.marks === 'required') await accounts.grantsChanged(customerId);
          if (mark && options.marks === 'best_effort') {
            await this.#bestEffort('grant change not marked', customerId, () =>
              accounts.grantsChanged(customerId),
            );
          }
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
