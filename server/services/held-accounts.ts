import type Stripe from 'stripe';
import type {AccountAccess, FleetDriver} from '../../common/contract.js';
import type {Logger} from '../logger.js';
import type {Store} from '../store/store.js';
import {
  driverOf,
  namesCarrier,
  ROW,
  ROW_EXPAND,
  rowOf,
  SEARCH_EXPAND,
  type AccountRow,
} from './account-rows.js';
import {carrierSearchQuery} from './carrier-grants.js';
import type {CustomerCache} from './customer-cache.js';
import {maskEmail, normalizeEmail} from './email-address.js';
import {SEARCH_LAG_SECONDS, type RecentGrants} from './recent-grants.js';
import type {SessionClaims} from './session-tokens.js';

/** An account a session holds, and how. */
export interface HeldAccount {
  customerId: string;
  access: AccountAccess;
}

/** Stripe's largest search page. */
const PAGE = 100;
/** Search pages read at most for one carrier (10 000 drivers); beyond, a warning. */
const MAX_PAGES = 100;
/** Rows missing from the cache that are retrieved one by one; more, and the search runs again. */
const RETRIEVE_AT_MOST = 3;

const LIST_PREFIX = 'carrier-accounts:';
/**
 * How long a carrier's search result (its customer IDs) is kept at least. It only proposes:
 * grants made in the portal are found through `RecentGrants` at once, ended ones are dropped by
 * each customer's row; only a grant written in the Stripe Dashboard waits for it. Longer than
 * the row cache because nearly every address has none, and Stripe limits search requests.
 */
const LIST_MIN_SECONDS = 600;
const MARK_PREFIX = 'grants-changed:';

const isCustomerId = (id: string) => /^cus_[A-Za-z0-9]+$/.test(id);

/**
 * The accounts a session holds: the customers it owns (in its JWT, from the login) and the
 * customers whose metadata names its address as a carrier (docs/carrier-access.md).
 *
 * Carrier-held customers are found through Stripe's customer search plus the grants of the last
 * hour (`RecentGrants`: the index lags). Search only proposes; what decides is the customer's
 * row in the `CustomerCache`, which our writes and Stripe's `customer.updated` events invalidate
 * store-wide, so an ended grant stops at the carrier's next request on every instance.
 *
 * A search answer may be older than a change it crosses (and its index lags); its rows are only
 * cached for customers whose grants did not change within the lag window: every grant change
 * leaves a mark (`grantsChanged`), written *before* the cache's new generation. A row of a marked
 * customer is retrieved instead, which Stripe answers consistently.
 */
export class HeldAccounts {
  constructor(
    private readonly stripe: Stripe,
    private readonly store: Store,
    private readonly cache: CustomerCache,
    private readonly recent: RecentGrants,
    private readonly log: Logger,
  ) {}

  /** The customer's row (cached), or `null` when it does not exist (deleted, never was). */
  async row(customerId: string): Promise<AccountRow | null> {
    if (!isCustomerId(customerId)) return null;
    const view = await this.cache.open(customerId);
    return view.through<AccountRow | null>(ROW, () => this.#retrieve(customerId));
  }

  /**
   * How the session holds `customerId`, or `null` when it does not: owned (in the JWT), or
   * carrier-held (the customer's metadata names the session's address, checked now).
   */
  async access(claims: SessionClaims, customerId: string): Promise<HeldAccount | null> {
    if (claims.customerIds.includes(customerId)) return {customerId, access: 'owner'};
    return namesCarrier(await this.row(customerId), claims.email)
      ? {customerId, access: 'carrier'}
      : null;
  }

  /**
   * The rows of every customer that gave `email` access, sorted by name. Warm: store reads only.
   * Cold: the search pages (100 customers each, with what a row needs expanded).
   */
  async carrierRows(email: string): Promise<AccountRow[]> {
    const [listed, recent] = await Promise.all([this.#listed(email), this.recent.of(email)]);
    const rows = listed && (await this.#rowsOf(union(listed, recent)));
    if (rows) return carriersIn(rows, email);
    // Parallel cold requests of one carrier (session and fleet) share one search.
    const {found} = await this.cache.shared(`${LIST_PREFIX}${email}`, () => this.#search(email));
    return this.#carriersFound(found, recent, email);
  }

  /**
   * What a login link for `email` proves, in one search request (renewal day sends a thousand
   * at once): the customers whose own address it is, as Stripe sent them (`ROW_EXPAND`), and the
   * rows of those that gave it access, as `carrierRows` has them, which the search keeps for the
   * session that follows. Stripe's index lags ("under 1 minute"): a customer created since is
   * not among `owned` (the caller then lists the address, which Stripe answers consistently).
   */
  async loginLookup(email: string): Promise<{owned: Stripe.Customer[]; carried: AccountRow[]}> {
    const [{found, owned}, recent] = await Promise.all([
      this.#search(email, {orOwner: true}),
      this.recent.of(email),
    ]);
    const ownedIds = new Set(owned.map((customer) => customer.id));
    return {owned, carried: await this.#carriersFound(found, recent, email, ownedIds)};
  }

  /**
   * The rows a search `found` and the `recent` grants it may not know yet (retrieved), but for
   * the customers the address owns (`owned`).
   */
  async #carriersFound(
    found: Map<string, AccountRow | null>,
    recent: string[],
    email: string,
    owned: ReadonlySet<string> = new Set(),
  ): Promise<AccountRow[]> {
    const ids = union([...found.keys()], recent).filter((id) => !owned.has(id));
    const rows = await Promise.all(
      ids.map((id) => {
        const row = found.get(id);
        return row ? Promise.resolve(row) : this.row(id);
      }),
    );
    return carriersIn(rows, email);
  }

  /**
   * Of `customerIds`, the customers whose own address `email` is now, as Stripe has them now
   * (`ROW_EXPAND`, one retrieve each): those Stripe's webhook said became `email`'s lately
   * (`RecentOwners`), which the search may not find under it yet.
   */
  async ownedNow(customerIds: string[], email: string): Promise<Stripe.Customer[]> {
    // One that cannot be read now (Stripe busy, the budget spent) is left out of this link, not
    // the whole link out of the mail: the session it opens goes without that account, and the
    // next login finds it by the search, which knows it within a minute or so.
    const now = await Promise.all(
      customerIds.map((id) =>
        this.#ownedNowBy(id, email).catch((error: unknown) => {
          this.log.warn('recent owner not read', {
            customerId: id,
            error: error instanceof Error ? error.message : String(error),
          });
          return null;
        }),
      ),
    );
    return now.filter((customer): customer is Stripe.Customer => customer !== null);
  }

  /** The customer as Stripe has it now, while `email` is still its own address; else `null`. */
  async #ownedNowBy(customerId: string, email: string): Promise<Stripe.Customer | null> {
    const now = await this.#retrieveCustomer(customerId);
    return now && normalizeEmail(now.email) === email ? now : null;
  }

  /** Every account the session holds: the owned ones first, as in its JWT. */
  async heldBy(claims: SessionClaims): Promise<HeldAccount[]> {
    const owned = claims.customerIds.map((customerId) => ({
      customerId,
      access: 'owner' as const,
    }));
    const carried = (await this.carrierRows(claims.email))
      .filter((row) => !claims.customerIds.includes(row.customerId))
      .map((row) => ({customerId: row.customerId, access: 'carrier' as const}));
    return [...owned, ...carried];
  }

  /**
   * `GET /api/fleet`: every account the session holds, owned first. Warm: no Stripe request;
   * cold: one retrieve per owned customer and the carrier search's pages.
   */
  async drivers(claims: SessionClaims): Promise<FleetDriver[]> {
    const [owned, carried] = await Promise.all([
      Promise.all(claims.customerIds.map((id) => this.row(id))),
      this.carrierRows(claims.email),
    ]);
    return [
      ...owned.filter((row) => row !== null).map((row) => driverOf(row, 'owner')),
      ...carried
        .filter((row) => !claims.customerIds.includes(row.customerId))
        .map((row) => driverOf(row, 'carrier')),
    ];
  }

  /**
   * After any change of a customer's grants (ours, or one Stripe tells of): marks it for the lag
   * window, then forgets its cached reads. In this order, so that a search answer crossing the
   * change finds the mark whenever it could find the new generation.
   */
  async grantsChanged(customerId: string): Promise<void> {
    try {
      await this.store.recordPut(MARK_PREFIX + customerId, '1', SEARCH_LAG_SECONDS);
    } finally {
      // Also when the mark failed: the customer's own row must not outlive the change.
      await this.cache.invalidate(customerId);
    }
  }

  /** The IDs the last search found for `email`, while cached. */
  async #listed(email: string): Promise<string[] | null> {
    if (this.cache.ttlSeconds === 0) return null;
    const json = await this.store.cacheGet(LIST_PREFIX + email);
    return json ? (JSON.parse(json) as string[]) : null;
  }

  /**
   * The rows of `ids`: the cached ones, plus up to `RETRIEVE_AT_MOST` retrieved; `null` when more
   * are missing (the search then reads them all at once).
   */
  async #rowsOf(ids: string[]): Promise<Array<AccountRow | null> | null> {
    const views = await Promise.all(ids.map((id) => this.cache.open(id)));
    const cached = await Promise.all(views.map((view) => view.get<AccountRow | null>(ROW)));
    if (cached.filter((row) => row === undefined).length > RETRIEVE_AT_MOST) return null;
    return Promise.all(
      cached.map((row, i) =>
        row !== undefined
          ? Promise.resolve(row)
          : views[i].fill<AccountRow | null>(ROW, () => this.#retrieve(ids[i])),
      ),
    );
  }

  /**
   * Every customer naming `email`, page by page, in Stripe's order; each with its row, or `null`
   * for one whose grants changed lately (its row is to be retrieved). Rows are cached on the way,
   * and the IDs found are kept as `email`'s list. With `orOwner`, the same request also finds
   * the customers whose own address `email` is: those are `owned` (and in `found`, whose rows
   * are only ever used where they name `email` as a carrier).
   */
  async #search(
    email: string,
    {orOwner = false} = {},
  ): Promise<{found: Map<string, AccountRow | null>; owned: Stripe.Customer[]}> {
    const found = new Map<string, AccountRow | null>();
    const owned: Stripe.Customer[] = [];
    let page: string | undefined;
    for (let pages = 0; ; pages++) {
      if (pages === MAX_PAGES) {
        this.log.warn('carrier search stopped', {carrier: maskEmail(email), found: found.size});
        break;
      }
      const result = await this.stripe.customers.search({
        query: carrierSearchQuery(email, {orOwner}),
        limit: PAGE,
        expand: SEARCH_EXPAND,
        ...(page ? {page} : {}),
      });
      const ownedHere = orOwner ? result.data.filter((c) => normalizeEmail(c.email) === email) : [];
      owned.push(...ownedHere);
      // Owned hits stay found, without a row from this answer (the dashboard's base is kept only
      // when nothing changed within the lag, `keepFound`): one whose address turns out to have
      // changed (`#confirmedOwners`) is read again as a carrier's may be.
      const rows = await Promise.all(
        result.data.map((customer) =>
          ownedHere.includes(customer) ? Promise.resolve(null) : this.#keep(customer),
        ),
      );
      result.data.forEach((customer, i) => found.set(customer.id, rows[i]));
      if (!result.has_more || !result.next_page) break;
      page = result.next_page;
    }
    const confirmed = await this.#confirmedOwners(owned, email);
    if (this.cache.ttlSeconds > 0) {
      // The address's own customers are the JWT's, not the list's: every session load reads it.
      const ownedIds = new Set(confirmed.map((customer) => customer.id));
      const listed = [...found.keys()].filter((id) => !ownedIds.has(id));
      const ttl = Math.max(this.cache.ttlSeconds, LIST_MIN_SECONDS);
      await this.store.cacheSet(LIST_PREFIX + email, JSON.stringify(listed), ttl);
    }
    return {found, owned: confirmed.sort((a, b) => a.created - b.created)};
  }

  /** A search hit's row, cached; `null` when its grants changed lately (see the class comment). */
  async #keep(customer: Stripe.Customer): Promise<AccountRow | null> {
    // The generation first, then the mark: a change after this open writes its mark first.
    const view = await this.cache.open(customer.id);
    if (await this.store.recordGet(MARK_PREFIX + customer.id)) return null;
    return view.through(ROW, async () => rowOf(customer));
  }

  async #retrieve(customerId: string): Promise<AccountRow | null> {
    const customer = await this.#retrieveCustomer(customerId);
    return customer && rowOf(customer);
  }

  /** The customer as Stripe has it now (`ROW_EXPAND`), `null` when deleted or never was. */
  async #retrieveCustomer(customerId: string): Promise<Stripe.Customer | null> {
    const customer = await this.stripe.customers
      .retrieve(customerId, {expand: ROW_EXPAND})
      .catch((error: unknown) => {
        if ((error as {statusCode?: number}).statusCode === 404) return null;
        throw error;
      });
    return !customer || ('deleted' in customer && customer.deleted) ? null : customer;
  }

  /**
   * The customers a search found owned by `email`, as far as Stripe says so now: one whose grants
   * or e-mail changed within the lag window (marked, see the class comment) may be in the answer
   * as it was, so it is read again (a retrieve is consistent) and kept only while the address is
   * still its own. A login link proves ownership for a whole session, so a former address must not
   * get one from a lagging index.
   */
  async #confirmedOwners(found: Stripe.Customer[], email: string): Promise<Stripe.Customer[]> {
    const confirmed = await Promise.all(
      found.map(async (customer) => {
        if (!(await this.store.recordGet(MARK_PREFIX + customer.id))) return customer;
        return this.#ownedNowBy(customer.id, email);
      }),
    );
    return confirmed.filter((customer): customer is Stripe.Customer => customer !== null);
  }
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** The rows that name `email` as a carrier, sorted by name. */
function carriersIn(rows: Array<AccountRow | null>, email: string): AccountRow[] {
  return rows
    .filter((row): row is AccountRow => namesCarrier(row, email))
    .sort(
      (a, b) =>
        (a.name ?? '').localeCompare(b.name ?? '', 'de') ||
        a.customerId.localeCompare(b.customerId),
    );
}
