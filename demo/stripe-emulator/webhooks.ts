/**
 * Webhooks like Stripe sends them: every change of the state (through the API, the redirect
 * pages, a renewal) becomes the matching event(s), which are POSTed to one endpoint, signed
 * with its secret (`Stripe-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">`), one
 * after the other in the order they happened, without holding up the API's answers.
 */
import {createHmac} from 'node:crypto';
import type Stripe from 'stripe';
import {STRIPE_API_VERSION} from '../../server/adapters/stripe.js';
import type {EmulatorState, StoredObject} from './state.js';

/** The API version the emulator speaks: the one the portal pins. */
export const API_VERSION = STRIPE_API_VERSION;

export interface WebhookEndpoint {
  url: string;
  /** `whsec_...` */
  secret: string;
}

interface Change {
  type: string;
  object: StoredObject;
  previousAttributes?: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const asJson = (value: unknown) => value as Json;

/** Top-level fields of `before` that differ in `after`, with their old values. */
function previousAttributes(before: StoredObject, after: StoredObject): Json {
  const old = asJson(before);
  const now = asJson(after);
  const changed: Json = {};
  for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (JSON.stringify(old[key]) !== JSON.stringify(now[key])) changed[key] = old[key] ?? null;
  }
  return changed;
}

const customerIdOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : v && typeof v === 'object' ? ((v as {id?: string}).id ?? null) : null;

/** The events Stripe sends for a change of one object; none for objects it has no events of. */
export function eventsForChange(
  before: StoredObject | undefined,
  after: StoredObject | undefined,
): Change[] {
  if (!after) {
    return before?.object === 'tax_id' ? [{type: 'customer.tax_id.deleted', object: before}] : [];
  }
  const changed = before ? previousAttributes(before, after) : {};
  if (before && Object.keys(changed).length === 0) return [];
  const updated = (type: string): Change[] => [{type, object: after, previousAttributes: changed}];

  switch (after.object) {
    case 'customer': {
      if ('deleted' in after && after.deleted) {
        return before && !('deleted' in before && before.deleted)
          ? [{type: 'customer.deleted', object: before}]
          : [];
      }
      return before ? updated('customer.updated') : [{type: 'customer.created', object: after}];
    }
    case 'tax_id':
      return before
        ? updated('customer.tax_id.updated')
        : [{type: 'customer.tax_id.created', object: after}];
    case 'payment_method': {
      const pm = after;
      const was = before ? customerIdOf((before as Stripe.PaymentMethod).customer) : null;
      const is = customerIdOf(pm.customer);
      if (was !== is) {
        return is
          ? [{type: 'payment_method.attached', object: after}]
          : updated('payment_method.detached');
      }
      return is ? updated('payment_method.updated') : [];
    }
    case 'subscription': {
      const sub = after;
      if (!before) return [{type: 'customer.subscription.created', object: after}];
      if (sub.status === 'canceled' && (before as Stripe.Subscription).status !== 'canceled') {
        return [{type: 'customer.subscription.deleted', object: after}];
      }
      return updated('customer.subscription.updated');
    }
    case 'invoice': {
      const invoice = after;
      const was = before ? (before as Stripe.Invoice).status : null;
      const events: Change[] = [];
      if (!before) events.push({type: 'invoice.created', object: after});
      if ((was === null || was === 'draft') && invoice.status !== 'draft') {
        events.push({type: 'invoice.finalized', object: after});
      }
      if (invoice.status === 'paid' && was !== 'paid') {
        events.push({type: 'invoice.paid', object: after});
        events.push({type: 'invoice.payment_succeeded', object: after});
      } else if (
        invoice.status === 'open' &&
        invoice.attempt_count > 0 &&
        (!before || (before as Stripe.Invoice).attempt_count !== invoice.attempt_count)
      ) {
        events.push({type: 'invoice.payment_failed', object: after});
      }
      if (before && events.length === 0) return updated('invoice.updated');
      return events;
    }
    case 'setup_intent': {
      // https://docs.stripe.com/api/events/types: setup_failed "when a SetupIntent has failed the
      // attempt to setup a payment method", requires_action "when a SetupIntent is in
      // requires_action state". A declined confirmation leaves the status as it was
      // (requires_payment_method), so a new last_setup_error is what tells the failure.
      const si = after;
      if (!before) return [{type: 'setup_intent.created', object: after}];
      const was = (before as Stripe.SetupIntent).status;
      const entered = (status: Stripe.SetupIntent.Status) => si.status === status && was !== status;
      if (entered('succeeded')) return [{type: 'setup_intent.succeeded', object: after}];
      if (entered('canceled')) return [{type: 'setup_intent.canceled', object: after}];
      if (si.status === 'requires_action' && (was !== si.status || 'next_action' in changed)) {
        return [{type: 'setup_intent.requires_action', object: after}];
      }
      if (
        si.status === 'requires_payment_method' &&
        si.last_setup_error &&
        'last_setup_error' in changed
      ) {
        return [{type: 'setup_intent.setup_failed', object: after}];
      }
      return [];
    }
    default:
      return [];
  }
}

/** `t=...,v1=...` over `${t}.${payload}`, as Stripe signs. */
export function stripeSignature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export interface WebhookStats {
  /** Events answered with 2xx. */
  delivered: number;
  /** Events given up on after their retries. */
  failed: number;
}

const RETRY_DELAYS_MS = [50, 250];

/**
 * Sends the state's events to one endpoint. Changes are turned into events synchronously (so
 * their order is the order of the changes) and queued; one delivery at a time, retried twice
 * on a network error or a 5xx, then given up like an undelivered Stripe event.
 */
export class WebhookSender {
  readonly stats: WebhookStats = {delivered: 0, failed: 0};
  #endpoint: WebhookEndpoint | null = null;
  #queue: string[] = [];
  #running: Promise<void> | null = null;

  constructor(private readonly state: EmulatorState) {
    state.webhooksIdle = () => this.idle();
  }

  get endpoint(): WebhookEndpoint | null {
    return this.#endpoint;
  }

  /** Starts (or, with `null`, stops) sending events of the changes from now on. */
  configure(endpoint: WebhookEndpoint | null): void {
    this.#endpoint = endpoint;
    this.state.onChange = endpoint ? (before, after) => this.#record(before, after) : null;
  }

  /** Resolves once every event recorded so far has been delivered (or given up on). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #record(before: StoredObject | undefined, after: StoredObject | undefined): void {
    for (const change of eventsForChange(before, after)) {
      const event = {
        id: this.state.newId('evt'),
        object: 'event',
        api_version: API_VERSION,
        created: this.state.now(),
        data: {
          object: change.object,
          ...(change.previousAttributes ? {previous_attributes: change.previousAttributes} : {}),
        },
        livemode: false,
        pending_webhooks: 1,
        request: {id: null, idempotency_key: null},
        type: change.type,
      };
      this.#queue.push(JSON.stringify(event, null, 2));
    }
    this.#kick();
  }

  #kick(): void {
    if (this.#running || this.#queue.length === 0) return;
    this.#running = this.#drain().finally(() => {
      this.#running = null;
      // Events recorded while the last delivery was ending.
      this.#kick();
    });
  }

  async #drain(): Promise<void> {
    // After the current request has answered: the change is visible before its event arrives.
    await new Promise((resolve) => setImmediate(resolve));
    for (let payload = this.#queue.shift(); payload; payload = this.#queue.shift()) {
      if (await this.#deliver(payload)) this.stats.delivered += 1;
      else this.stats.failed += 1;
    }
  }

  async #deliver(payload: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const endpoint = this.#endpoint;
      if (!endpoint) return false;
      try {
        const answer = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            // Signed at each attempt, as Stripe does: a retry carries a fresh timestamp.
            'stripe-signature': stripeSignature(
              payload,
              endpoint.secret,
              Math.floor(Date.now() / 1000),
            ),
          },
          body: payload,
          signal: AbortSignal.timeout(10_000),
        });
        await answer.arrayBuffer().catch(() => {});
        if (answer.ok) return true;
        if (answer.status < 500) return false;
      } catch {
        // Not reachable (yet): retried like a 5xx.
      }
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) return false;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
