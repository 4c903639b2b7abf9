import express, {Router, type ErrorRequestHandler} from 'express';
import type Stripe from 'stripe';
import {ApiError} from '../errors.js';
import {errorHandler} from '../http/errors.js';
import type {Logger} from '../logger.js';
import type {CustomerCache} from '../services/customer-cache.js';
import type {HeldAccounts} from '../services/held-accounts.js';
import type {RecentOwners} from '../services/recent-owners.js';
import {idOf} from '../services/stripe-mappers.js';
import type {Store} from '../store/store.js';

/** Stripe's own default: a signature older than this is refused (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Stripe retries a delivery for up to three days; a repeat within them is a no-op. */
const SEEN_EVENT_SECONDS = 3 * 24 * 3600;
const BODY_LIMIT = '256kb';

/**
 * Events that change what the dashboard shows of a customer: the customer itself and its tax
 * IDs, subscriptions, discounts (`customer.*`), invoices, payment methods, and a SetupIntent
 * that has just added a method.
 */
const HANDLED =
  /^(customer\.[a-z_.]+|invoice\.(?!(upcoming|will_be_due)$)[a-z_.]+|payment_method\.(attached|detached|updated|automatically_updated)|setup_intent\.succeeded)$/;
// Not `invoice.upcoming` and `invoice.will_be_due`: reminders that "occur X number of days
// before" an invoice is created or due (https://docs.stripe.com/api/events/types), about
// nothing that changed. They go out with the renewal mails, and a customer marked changed by one
// would cost each driver who follows the mail the requests its login look-up saved
// (`BillingService.keepFound`).

export interface WebhookAnswer {
  received: true;
  /** Whether the event invalidated a customer's cache. */
  handled: boolean;
  /** A repeat of an event already received: nothing was done. */
  duplicate?: true;
}

/**
 * `POST /api/stripe/webhook`: Stripe tells the portal what changed, and the customer's cache
 * is invalidated. Server to server: no session, no CORS, no CSRF guard; the signature over
 * the raw body (`STRIPE_WEBHOOK_SECRET`, 300 s tolerance) is the authentication. Payloads are
 * never logged. Mounted before the API's JSON parser, which would consume the raw body.
 */
export function stripeWebhookRoutes(deps: {
  stripe: Stripe;
  secret: string | null;
  cache: CustomerCache;
  /** Told of a change of a customer's grants (metadata) or of its deletion. */
  accounts: HeldAccounts;
  /** Told of an address that became a customer's own. */
  owners: RecentOwners;
  store: Store;
  log: Logger;
}): Router {
  const {stripe, secret, cache, accounts, owners, store, log} = deps;
  const router = Router();

  router.post(
    '/stripe/webhook',
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      // Without a signing secret nothing can be verified: the endpoint does not exist.
      next(secret ? undefined : new ApiError(404, 'not_found', 'No such endpoint'));
    },
    express.raw({type: () => true, limit: BODY_LIMIT}),
    async (req, res) => {
      const body: unknown = req.body;
      const signature = req.get('stripe-signature');
      let event: Stripe.Event;
      try {
        if (!Buffer.isBuffer(body) || !signature) throw new Error('unsigned');
        event = stripe.webhooks.constructEvent(body, signature, secret!, WEBHOOK_TOLERANCE_SECONDS);
      } catch {
        log.warn('stripe webhook refused', {reason: 'signature'});
        throw new ApiError(400, 'invalid_request', 'No valid Stripe-Signature for this body');
      }

      const seenKey = `stripe-event:${event.id}`;
      const first = await store.cacheSet(seenKey, '1', SEEN_EVENT_SECONDS, {onlyIfAbsent: true});
      if (!first) {
        const answer: WebhookAnswer = {received: true, handled: false, duplicate: true};
        res.json(answer);
        return;
      }
      let handled = false;
      try {
        const customerId = HANDLED.test(event.type) ? customerOf(event) : null;
        if (customerId) {
          // A grant changed or ended outside the portal (the Dashboard): marked like ours.
          if (touchesGrants(event)) await accounts.grantsChanged(customerId);
          else await cache.invalidate(customerId);
          await owners.told(event);
          handled = true;
        } else if (HANDLED.test(event.type)) {
          log.warn('stripe event without a customer', {id: event.id, type: event.type});
        }
      } catch (error) {
        // Let Stripe's retry do it again.
        await store.cacheDeleteKey(seenKey).catch(() => {});
        throw error;
      }
      log.info('stripe event', {id: event.id, type: event.type, handled});
      const answer: WebhookAnswer = {received: true, handled};
      res.json(answer);
    },
  );

  const tooLarge: ErrorRequestHandler = (error, _req, _res, next) => {
    const e = error as {type?: string; status?: number};
    next(
      e.type === 'entity.too.large' || e.status === 413
        ? new ApiError(413, 'payload_too_large', `The event is larger than ${BODY_LIMIT}`)
        : error,
    );
  };
  router.use('/stripe/webhook', tooLarge, errorHandler(log));
  return router;
}

/** A customer deleted, or its metadata (where carrier grants live) or e-mail changed. */
function touchesGrants(event: Stripe.Event): boolean {
  if (event.type === 'customer.deleted') return true;
  if (event.type !== 'customer.updated') return false;
  const previous = (event.data.previous_attributes ?? {}) as Record<string, unknown>;
  return 'metadata' in previous || 'email' in previous;
}

/** The customer an event is about: the customer itself, or the object's `customer`. */
function customerOf(event: Stripe.Event): string | null {
  const object = event.data.object as {object?: string; id?: string; customer?: unknown};
  if (object.object === 'customer' && typeof object.id === 'string') return object.id;
  // A detached payment method has no customer any more; the event says which one it had.
  const previous = event.data.previous_attributes as {customer?: unknown} | undefined;
  return asId(object.customer) ?? asId(previous?.customer);
}

function asId(value: unknown): string | null {
  const id = idOf(value as string | {id: string} | null | undefined);
  return typeof id === 'string' && /^cus_[A-Za-z0-9]+$/.test(id) ? id : null;
}
