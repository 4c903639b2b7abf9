import {randomUUID} from 'node:crypto';
import type Stripe from 'stripe';
import type {AddressInput, BillingDetailsResponse} from '../../common/contract.js';
import {patiently} from '../adapters/stripe-budget.js';
import {ApiError, notFound} from '../errors.js';
import {toApiError} from '../http/errors.js';
import type {Logger} from '../logger.js';
import type {Store} from '../store/store.js';
import type {ValidBillingDetails} from './billing-details.js';
import type {BackgroundTasks} from './background.js';
import type {CustomerCache} from './customer-cache.js';
import {keepHolderName} from './holder-name.js';
import {customerLeaseKey as leaseKey, withLease, type HeldLease} from './lease.js';
import {REFERENCE_FIELD_NAME, toCustomer} from './stripe-mappers.js';

/**
 * A save the server has accepted: the intended result, recorded before the first Stripe write
 * and removed once Stripe holds exactly that. Any instance that meets it carries it forward;
 * nothing of it is ever undone by guessing — only a save Stripe refused is taken back, and only
 * what that save itself created.
 */
interface SaveJournal {
  saveId: string;
  details: ValidBillingDetails;
  /** The customer's tax IDs when the save was accepted: any other one is the save's own. */
  priorTaxIds: string[];
  acceptedAt: number;
  /** Who made the save (the session's address), for the owner's notice when it completes later. */
  by?: string;
  /** Stripe refused the save after its tax ID was created: only that tax ID goes again. */
  takingBack?: boolean;
}

const JOURNAL_PREFIX = 'billing-details-save:';
/** Long enough to outlast a Stripe outage; a save this old is completed or dropped by then. */
const JOURNAL_TTL_SECONDS = 7 * 86_400;

/** Stripe said no to this request for good: it was not applied, asking again changes nothing. */
class Refused extends Error {
  constructor(
    readonly answer: ApiError,
    readonly customerMissing = false,
  ) {
    super(answer.message);
    this.name = 'Refused';
  }
}

/** Stripe answered with the customer, deleted. */
class CustomerGone extends Error {
  constructor() {
    super('The customer was deleted');
    this.name = 'CustomerGone';
  }
}

/** How a failed Stripe call ended: refused for good, the customer gone, or unknown (retry). */
function outcomeOf(error: unknown): 'refused' | 'missing' | 'unknown' {
  const e = error as {type?: string; statusCode?: number};
  if (e instanceof CustomerGone) return 'missing';
  if (e.type === 'StripeInvalidRequestError') return e.statusCode === 404 ? 'missing' : 'refused';
  if (e.type === 'StripeCardError') return 'refused';
  // Connection, timeout, 5xx, 429, idempotency conflicts, a lost lease, an unreachable store:
  // the write may or may not have happened, and the journal will tell the next attempt.
  return 'unknown';
}

/** `address[postal_code]` → `address.postalCode`, the contract's field path of a Stripe param. */
export function fieldOfStripeParam(param: string | undefined): string | null {
  if (!param) return null;
  // The save writes only „Ihre Referenz" among the custom fields (a fifth field, too long …).
  if (/^invoice_settings\[custom_fields\]/.test(param)) return 'reference';
  const path = param
    .replace(/\[(\w+)\]/g, '.$1')
    .replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return /^(name|phone|address\.\w+|shipping\.(name|phone|address\.\w+))$/.test(path) ? path : null;
}

const stripeMessage = (error: unknown) =>
  (error as {message?: string}).message ?? 'Stripe refused the change';

const blank = (value: string | null | undefined) => value || null;

function sameAddress(stripe: Stripe.Address | null | undefined, wanted: AddressInput): boolean {
  return (
    !!stripe &&
    blank(stripe.line1) === wanted.line1 &&
    blank(stripe.line2) === blank(wanted.line2) &&
    blank(stripe.postal_code) === wanted.postalCode &&
    blank(stripe.city) === wanted.city &&
    blank(stripe.state) === blank(wanted.state) &&
    stripe.country === wanted.country
  );
}

type CustomField = Stripe.Customer.InvoiceSettings.CustomField;

/**
 * The customer's invoice custom fields with „Ihre Referenz" set to `reference` (`null`:
 * removed), every other field kept in its place: Stripe replaces the whole list on an update
 * (docs.stripe.com/api/customers/update#update_customer-invoice_settings-custom_fields).
 */
function withReference(
  fields: readonly CustomField[] | null | undefined,
  reference: string | null,
): CustomField[] {
  const out: CustomField[] = [];
  let placed = false;
  for (const {name, value} of fields ?? []) {
    if (name !== REFERENCE_FIELD_NAME) out.push({name, value});
    else if (reference !== null && !placed) out.push({name, value: reference});
    placed ||= name === REFERENCE_FIELD_NAME;
  }
  if (reference !== null && !placed) out.push({name: REFERENCE_FIELD_NAME, value: reference});
  return out;
}

/**
 * The update's part for „Ihre Referenz": nothing when it is omitted (the custom fields stay as
 * they are), else the whole list; an empty one is sent as `''`, which removes all.
 */
function referenceParams(
  customer: Stripe.Customer,
  reference: string | null | undefined,
): Pick<Stripe.CustomerUpdateParams, 'invoice_settings'> {
  if (reference === undefined) return {};
  const fields = withReference(customer.invoice_settings?.custom_fields, reference);
  return {invoice_settings: {custom_fields: fields.length > 0 ? fields : ''}};
}

/** Whether the customer's custom fields hold exactly the wanted reference (`undefined`: any). */
function holdsReference(customer: Stripe.Customer, reference: string | null | undefined): boolean {
  if (reference === undefined) return true;
  const held = (customer.invoice_settings?.custom_fields ?? []).filter(
    (field) => field.name === REFERENCE_FIELD_NAME,
  );
  return reference === null ? held.length === 0 : held.length === 1 && held[0].value === reference;
}

/** Whether Stripe holds the details already (a save carried forward after its update). */
function holdsDetails(customer: Stripe.Customer, details: ValidBillingDetails): boolean {
  const shipping = customer.shipping;
  return (
    holdsReference(customer, details.reference) &&
    customer.name === details.name &&
    blank(customer.phone) === blank(details.phone) &&
    sameAddress(customer.address, details.address) &&
    (details.shipping
      ? !!shipping &&
        shipping.name === details.shipping.name &&
        blank(shipping.phone) === blank(details.shipping.phone) &&
        sameAddress(shipping.address, details.shipping.address)
      : !shipping)
  );
}

const withMetadata = (metadata: Stripe.MetadataParam | undefined) => (metadata ? {metadata} : {});

const toStripeAddress = (a: AddressInput): Stripe.AddressParam => ({
  line1: a.line1,
  line2: a.line2 ?? '',
  postal_code: a.postalCode,
  city: a.city,
  state: a.state ?? '',
  country: a.country,
});

const taxIdList = (taxIds: Stripe.TaxId[]): Stripe.ApiList<Stripe.TaxId> => ({
  object: 'list',
  data: taxIds,
  has_more: false,
  url: '',
});

/**
 * „Rechnung und Versand" → „Informationen aktualisieren", so that the next invoice Stripe
 * finalizes is issued to the company: the customer's name, phone, address, shipping, „Ihre
 * Referenz" (an invoice custom field, in the same update) and its one tax ID. Stripe has no transactions; so every save is recorded (a journal in the store) before
 * its first write, each write carries an idempotency key made of the save's ID and the step,
 * and whoever meets an unfinished save — the next save, the next dashboard load, the sweep —
 * carries it to the intended state. One save per customer at a time, across instances, by a
 * lease its holder renews: a dead holder's lease is free again within `leaseMs`.
 */
export class BillingDetailsSaves {
  constructor(
    private readonly stripe: Stripe,
    private readonly store: Store,
    private readonly options: {
      leaseMs: number;
      log: Logger;
      now: () => number;
      /** Forgotten after every save, also a failed one: what Stripe holds may have changed. */
      cache?: CustomerCache;
      /** Tracks the runs a dashboard load does not wait for, so that shutdown can. */
      background?: BackgroundTasks;
      /**
       * A save answered `503 save_pending` (or left by a dead instance) was completed later by
       * the next save, load or sweep: the owner's notice, with who made it and when it was
       * accepted. A save completed within its request is told by its route.
       */
      onCompletedLater?: (customerId: string, by: string, acceptedAt: number) => void;
    },
  ) {}

  #sweeping = false;
  #stopped = false;

  /**
   * Saves `details`: answers from what Stripe's writes returned, `409 save_in_progress` while
   * another save of the customer runs, `422` when Stripe refuses (nothing changed), `503
   * stripe_unavailable` when nothing was accepted, and `503 save_pending` when the save was
   * accepted but Stripe did not confirm every step (it is completed as soon as Stripe answers).
   */
  async save(
    customerId: string,
    details: ValidBillingDetails,
    by?: string,
  ): Promise<BillingDetailsResponse> {
    const result = await withLease(
      this.store,
      leaseKey(customerId),
      this.options.leaseMs,
      async (lease) => {
        try {
          return await this.#save(customerId, details, lease, by);
        } finally {
          // Also when nothing was saved: whatever Stripe holds now is read again.
          await this.#invalidate(customerId);
        }
      },
    );
    if (!result.held) {
      throw new ApiError(409, 'save_in_progress', 'Another save of these details is running');
    }
    return result.value;
  }

  /**
   * Carries an unfinished save of the customer forward, if there is one and nobody else is at
   * it; answers whether one is still unfinished. Never throws for Stripe's sake.
   */
  async settle(customerId: string): Promise<boolean> {
    if (!(await this.#journal(customerId))) return false;
    const result = await withLease(
      this.store,
      leaseKey(customerId),
      this.options.leaseMs,
      async (lease) => {
        const journal = await this.#journal(customerId);
        if (journal) await this.#finish(customerId, journal, lease);
      },
    ).catch((error: unknown) => {
      this.options.log.warn('billing details save still pending', {
        customerId,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    return !result?.held || (await this.#journal(customerId)) !== null;
  }

  /**
   * `settle`, waiting for it at most `ms` (a dashboard load must stay quick while Stripe is
   * slow); after that the run goes on in the background and the answer is "still pending".
   */
  async settleWithin(customerId: string, ms: number): Promise<boolean> {
    const settling = this.settle(customerId);
    this.options.background?.run(() => settling);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), ms);
    });
    try {
      return await Promise.race([settling, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Every unfinished save, carried forward where possible (the background sweep). One sweep at
   * a time: a tick that comes while the last sweep still runs (Stripe slow) is skipped.
   */
  async sweep(): Promise<{pending: number}> {
    if (this.#sweeping) return {pending: 0};
    this.#sweeping = true;
    let pending = 0;
    try {
      for (const key of await this.store.recordKeys(JOURNAL_PREFIX)) {
        if (this.#stopped) break;
        try {
          if (await this.settle(key.slice(JOURNAL_PREFIX.length))) pending += 1;
        } catch (error) {
          // The store failed for this one: the next sweep tries again; the others go on.
          pending += 1;
          this.options.log.warn('billing details sweep skipped a save', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    } finally {
      this.#sweeping = false;
    }
    return {pending};
  }

  /** Shutdown: the running sweep ends after the save it is at. */
  stop(): void {
    this.#stopped = true;
  }

  async #save(
    customerId: string,
    details: ValidBillingDetails,
    lease: HeldLease,
    by: string | undefined,
  ): Promise<BillingDetailsResponse> {
    // An earlier save that did not finish goes first: its end state is the one this save starts
    // from, so that a refusal of this one leaves exactly that.
    const unfinished = await this.#journal(customerId);
    if (unfinished && !(await this.#finish(customerId, unfinished, lease))) {
      throw stripeUnavailable();
    }
    const current = await this.#retrieve(customerId).catch((error: unknown) => {
      throw outcomeOf(error) === 'missing'
        ? notFound('No such customer')
        : stripeUnavailable(error);
    });
    const journal: SaveJournal = {
      saveId: randomUUID(),
      details,
      priorTaxIds: (current.tax_ids?.data ?? []).map((t) => t.id),
      acceptedAt: this.options.now(),
      ...(by ? {by} : {}),
    };
    try {
      await this.#record(customerId, journal, lease);
    } catch (error) {
      // The store may have kept it although it did not say so: then it must not be carried out
      // later, since the answer says nothing was saved.
      await this.store
        .recordDelete(`${JOURNAL_PREFIX}${customerId}`, JSON.stringify(journal))
        .catch(() => {});
      throw error;
    }
    try {
      // Accepted: its Stripe calls wait in line for budget rather than stop halfway.
      const response = await patiently(() => this.#carryOut(customerId, journal, lease, current));
      await this.#forget(customerId, journal);
      return response;
    } catch (error) {
      if (error instanceof Refused) throw error.answer;
      this.options.log.warn('billing details save pending', {
        customerId,
        saveId: journal.saveId,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new ApiError(
        503,
        'save_pending',
        'The save was accepted; Stripe did not confirm every step yet and it is completed as soon as Stripe answers',
        {retryAfterSeconds: 5, cause: error},
      );
    }
  }

  /** Completes (or takes back) an accepted save; `false` when Stripe could not be reached. */
  async #finish(customerId: string, journal: SaveJournal, lease: HeldLease): Promise<boolean> {
    try {
      await patiently(() => this.#carryOut(customerId, journal, lease));
      await this.#forget(customerId, journal);
      this.options.log.info('billing details save completed', {
        customerId,
        saveId: journal.saveId,
      });
      if (journal.by && !journal.takingBack) {
        this.options.onCompletedLater?.(customerId, journal.by, journal.acceptedAt);
      }
      return true;
    } catch (error) {
      if (error instanceof Refused) return true;
      this.options.log.warn('billing details save still pending', {
        customerId,
        saveId: journal.saveId,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    } finally {
      await this.#invalidate(customerId);
    }
  }

  /**
   * Brings Stripe to the journal's intended state from whatever it holds now: the wanted tax ID
   * (created once, by its idempotency key), then the customer's details, then every other tax
   * ID removed. Each step is skipped when Stripe holds its result already, so running it again
   * after a crash or a lost answer only does what is missing. Throws `Refused` (with the
   * journal settled) when Stripe refuses the save, anything else when the outcome is unknown.
   */
  async #carryOut(
    customerId: string,
    journal: SaveJournal,
    lease: HeldLease,
    known?: Stripe.Customer,
  ): Promise<BillingDetailsResponse> {
    const current = known ?? (await this.#retrieveOrRefuse(customerId, journal));
    if (journal.takingBack) return this.#takeBack(customerId, journal, lease, current);
    const {details} = journal;
    // A key of this run: the SDK's retries of a step share it, while a later run (which reads
    // first and skips what Stripe holds) gets a new one, since Stripe replays even a 500 of a
    // key for 24 hours.
    const run = `${journal.saveId}:${randomUUID().slice(0, 8)}`;
    const wanted = details.taxId;
    const existing = current.tax_ids?.data ?? [];
    let taxId = wanted
      ? existing.find((t) => t.type === wanted.type && t.value === wanted.value)
      : undefined;

    if (wanted && !taxId) {
      lease.check();
      try {
        taxId = await this.stripe.customers.createTaxId(
          customerId,
          {type: wanted.type, value: wanted.value},
          {idempotencyKey: `${run}:tax-id`},
        );
      } catch (error) {
        // The first write of the save: refused here, nothing of it was applied.
        if (outcomeOf(error) !== 'unknown') {
          await this.#forget(customerId, journal);
          throw new Refused(
            outcomeOf(error) === 'missing'
              ? notFound('No such customer')
              : new ApiError(422, 'validation_failed', 'Stripe refused the tax ID', {
                  fields: {'taxId.value': {code: 'tax_id_refused', message: stripeMessage(error)}},
                }),
          );
        }
        throw error;
      }
    }

    let customer = current;
    if (!holdsDetails(current, details)) {
      lease.check();
      try {
        customer = await this.stripe.customers.update(
          customerId,
          {
            name: details.name,
            // In the same write: the holder's own name, when the invoice name changes first.
            ...withMetadata(keepHolderName(current, details.name)),
            phone: details.phone ?? '',
            address: toStripeAddress(details.address),
            shipping: details.shipping
              ? {
                  name: details.shipping.name,
                  phone: details.shipping.phone ?? '',
                  address: toStripeAddress(details.shipping.address),
                }
              : '',
            // In the same write, from the fields Stripe holds now (a run after a lost answer
            // reads them again).
            ...referenceParams(current, details.reference),
          },
          {idempotencyKey: `${run}:customer`},
        );
      } catch (error) {
        if (outcomeOf(error) === 'unknown') throw error;
        if (outcomeOf(error) === 'missing') {
          await this.#forget(customerId, journal);
          throw new Refused(notFound('No such customer'), true);
        }
        // Refused for good, so not applied: only the tax ID this save created goes again.
        const refusal = refusalOf(error);
        const takingBack = {...journal, takingBack: true};
        await this.#record(customerId, takingBack, lease);
        await this.#takeBack(customerId, takingBack, lease, {
          ...current,
          tax_ids: taxIdList(taxId && !existing.includes(taxId) ? [...existing, taxId] : existing),
        }).catch((takeBackError: unknown) => {
          if (takeBackError instanceof Refused) return;
          // The journal says what is left to take back; the sweep finishes it.
          this.options.log.warn('billing details take-back pending', {
            customerId,
            saveId: journal.saveId,
          });
        });
        throw new Refused(refusal);
      }
    }

    for (const obsolete of existing.filter((t) => t.id !== taxId?.id)) {
      lease.check();
      await this.stripe.customers.deleteTaxId(customerId, obsolete.id).catch((error: unknown) => {
        // Gone already: removed by an earlier attempt of this save.
        if (outcomeOf(error) !== 'missing') throw error;
      });
    }
    return {customer: toCustomer({...customer, tax_ids: taxIdList(taxId ? [taxId] : [])})};
  }

  /** Removes the tax IDs a refused save created, then forgets the save; throws `Refused`. */
  async #takeBack(
    customerId: string,
    journal: SaveJournal,
    lease: HeldLease,
    current: Stripe.Customer,
  ): Promise<never> {
    const created = (current.tax_ids?.data ?? []).filter(
      (t) =>
        !journal.priorTaxIds.includes(t.id) &&
        t.type === journal.details.taxId?.type &&
        t.value === journal.details.taxId?.value,
    );
    for (const taxId of created) {
      lease.check();
      await this.stripe.customers.deleteTaxId(customerId, taxId.id).catch((error: unknown) => {
        if (outcomeOf(error) !== 'missing') throw error;
      });
    }
    await this.#forget(customerId, journal);
    throw new Refused(new ApiError(422, 'validation_failed', 'Stripe refused the change'));
  }

  #retrieve(customerId: string): Promise<Stripe.Customer> {
    return this.stripe.customers.retrieve(customerId, {expand: ['tax_ids']}).then((customer) => {
      if (customer.deleted) throw new CustomerGone();
      return customer;
    });
  }

  async #retrieveOrRefuse(customerId: string, journal: SaveJournal): Promise<Stripe.Customer> {
    try {
      return await this.#retrieve(customerId);
    } catch (error) {
      if (outcomeOf(error) !== 'missing') throw error;
      // A deleted customer's save has nothing left to do.
      await this.#forget(customerId, journal);
      throw new Refused(notFound('No such customer'), true);
    }
  }

  async #journal(customerId: string): Promise<SaveJournal | null> {
    const key = `${JOURNAL_PREFIX}${customerId}`;
    const raw = await this.store.recordGet(key);
    if (!raw) return null;
    try {
      const journal = JSON.parse(raw) as SaveJournal;
      if (typeof journal.saveId === 'string' && journal.details) return journal;
    } catch {
      // Handled below, like a record of another shape.
    }
    // Nothing any run can act on (written by another release?): it must not block the customer.
    this.options.log.error('billing details journal unreadable, removed', {customerId});
    await this.store.recordDelete(key, raw);
    return null;
  }

  /** Writes the journal, only while this run holds the customer's lease. */
  async #record(customerId: string, journal: SaveJournal, lease: HeldLease): Promise<void> {
    lease.check();
    await this.store.recordPut(
      `${JOURNAL_PREFIX}${customerId}`,
      JSON.stringify(journal),
      JOURNAL_TTL_SECONDS,
    );
  }

  /**
   * Once Stripe holds the result: removes this journal, never another save's that took its
   * place. A store that fails here leaves a journal the next run finds done.
   */
  async #forget(customerId: string, journal: SaveJournal): Promise<void> {
    await this.store
      .recordDelete(`${JOURNAL_PREFIX}${customerId}`, JSON.stringify(journal))
      .catch((error: unknown) => {
        this.options.log.warn('billing details journal not removed', {
          customerId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }

  /** The dashboard reads Stripe again; a store that fails here costs freshness, not the save. */
  async #invalidate(customerId: string): Promise<void> {
    await this.options.cache?.invalidate(customerId).catch((error: unknown) => {
      this.options.log.warn('customer cache not invalidated', {
        customerId,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }
}

const stripeUnavailable = (cause?: unknown) => {
  // The portal's Stripe budget (or the store behind it) refused before anything was accepted.
  const mapped = cause === undefined ? null : toApiError(cause);
  if (mapped?.code === 'service_unavailable') {
    return new ApiError(503, mapped.code, 'The portal is busy just now; nothing was saved', {
      retryAfterSeconds: mapped.extra.retryAfterSeconds,
      cause,
    });
  }
  return new ApiError(
    503,
    'stripe_unavailable',
    'Stripe cannot be reached just now; nothing was saved',
    {
      retryAfterSeconds: 5,
      cause,
    },
  );
};

/** Stripe's refusal of the customer update as the contract's 422, at the field it names. */
function refusalOf(error: unknown): ApiError {
  const field = fieldOfStripeParam((error as {param?: string}).param);
  return new ApiError(
    422,
    'validation_failed',
    'Stripe refused the change',
    field ? {fields: {[field]: {code: 'rejected', message: stripeMessage(error)}}} : {},
  );
}
