import type {PaymentMethod} from '../../common/contract.js';
import type {Mailer} from '../adapters/mailer.js';
import type {Logger} from '../logger.js';
import {mailLocale} from '../mail/mail-translations.js';
import {renderOwnerNoticeMail, type NoticeWhat} from '../mail/owner-notice-mail.js';
import type {Store} from '../store/store.js';
import type {BackgroundTasks} from './background.js';
import {maskEmail} from './email-address.js';
import type {HeldAccounts} from './held-accounts.js';

/** A change of a Gate Pass made in the portal, as its owner's notice tells it. */
export type OwnerChange =
  | {
      kind: 'payment_method_added' | 'payment_method_removed' | 'payment_method_default';
      paymentMethod: PaymentMethod;
    }
  | {kind: 'billing_details'}
  | {kind: 'access_given' | 'access_ended' | 'access_given_back'; carrier: string};

/** Whom a notice goes to, and in which language; whose Gate Pass it names. */
export interface NoticeOwner {
  email: string | null;
  locale: string | null;
  holderName: string | null;
}

export interface NoticeOptions {
  /** A key of the change (a SetupIntent ID) whose repeats are no news: mailed once. */
  once?: string;
  /** When it was made, if not now (a save completed later tells when it was accepted). */
  at?: number;
  /** The owner as read before the change (`ownerOf`); `null`: the customer is gone. */
  owner?: NoticeOwner | null;
}

/** How long a change named by `once` is remembered, so that a repeated request mails once. */
const ONCE_SECONDS = 86_400;

/** „Visa •••• 4242", „PayPal (a@b.de)": brand names and digits, in no language. */
export function describeMethod(method: PaymentMethod): string {
  if (method.card) {
    const brand = method.card.brand.charAt(0).toUpperCase() + method.card.brand.slice(1);
    return `${brand} •••• ${method.card.last4}`;
  }
  if (method.type === 'paypal')
    return method.paypal?.email ? `PayPal (${method.paypal.email})` : 'PayPal';
  return method.type;
}

/**
 * Tells a Gate Pass owner of every change made in the portal (security.md, „Carrier access"):
 * what changed, by whom (the session's address), when. In the customer's `preferred_locales[0]`,
 * else German; sent after the answer through the mailer with its retries, never failing the
 * request. Any service that changes a customer calls `changed` once the change succeeded.
 */
export class OwnerNotices {
  constructor(
    private readonly deps: {
      accounts: HeldAccounts;
      store: Store;
      /** With retries (`withRetries`). */
      mailer: Mailer;
      background: BackgroundTasks;
      log: Logger;
      now: () => number;
      portalUrl: string;
    },
  ) {}

  /**
   * Who is told of a change of `customerId` and how: the owner's address, language and name,
   * as the customer is now (cached when it is). Read it *before* a change when the change would
   * make the cache forget the customer (a billing-details save), so that the notice needs no
   * Stripe request of its own (`NoticeOptions.owner`).
   */
  async ownerOf(customerId: string): Promise<NoticeOwner | null> {
    const row = await this.deps.accounts.row(customerId);
    return row && {email: row.email, locale: row.locale, holderName: row.holderName};
  }

  /**
   * After a successful change of `customerId` by the session `by`: the owner's notice goes out
   * in the background (`NoticeOptions`: repeats that are no news, when, whom).
   */
  changed(
    customerId: string,
    change: OwnerChange,
    by: {email: string},
    options: NoticeOptions = {},
  ): void {
    const at = options.at ?? this.deps.now();
    this.deps.background.run(() => this.#send(customerId, change, by.email, at, options));
  }

  async #send(
    customerId: string,
    change: OwnerChange,
    by: string,
    at: number,
    {once, owner}: NoticeOptions,
  ) {
    const {store, mailer, log} = this.deps;
    try {
      if (
        once &&
        !(await store.cacheSet(`owner-notice:${once}`, '1', ONCE_SECONDS, {onlyIfAbsent: true}))
      ) {
        return;
      }
      // Unless given: the change invalidated the customer's cache, this reads Stripe's state.
      const row = owner !== undefined ? owner : await this.ownerOf(customerId);
      if (!row?.email) {
        log.warn('owner notice not sent: no address', {customerId});
        return;
      }
      const mail = renderOwnerNoticeMail({
        what: whatOf(change),
        account: row.holderName || customerId,
        by,
        at,
        portalUrl: this.deps.portalUrl,
        locale: mailLocale(row.locale ?? undefined),
      });
      await mailer.send({to: row.email, ...mail});
      log.info('owner notice sent', {customerId, change: change.kind, to: maskEmail(row.email)});
    } catch (error) {
      log.error('owner notice not sent', {
        customerId,
        change: change.kind,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function whatOf(change: OwnerChange): NoticeWhat {
  return 'paymentMethod' in change
    ? {kind: change.kind, method: describeMethod(change.paymentMethod)}
    : change;
}
