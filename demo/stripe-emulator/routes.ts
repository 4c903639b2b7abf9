/**
 * The Stripe endpoints the portal uses, in Stripe's wire format. Handlers read qs-parsed
 * params (query for GET/DELETE, form body for POST), change the state, and answer the
 * stored object with `expand[]` applied.
 */
import {Router, type Request, type Response} from 'express';
import type Stripe from 'stripe';
import {cardForToken, declineFields, outcomeForCard, paymentMethodFromToken} from './cards.js';
import {invalidRequest, resourceMissing, StripeApiError} from './errors.js';
import {expand, expandParam} from './expand.js';
import {createdFilter, paginate, parseLimit} from './lists.js';
import {
  addInterval,
  buildCustomer,
  buildInvoice,
  buildTaxId,
  clockOf,
  subscriptionPeriod,
  type Interval,
} from './objects.js';
import {
  allowOnly,
  applyMetadata,
  optAddress,
  optBoolean,
  optCustomFields,
  optHashParam,
  optShipping,
  optString,
  params,
  requiredString,
  type Params,
} from './params.js';
import {renewSubscriptions, startSubscription} from './billing.js';
import {deleteCustomer} from './customers.js';
import {
  comparePositions,
  decodeSearchPage,
  encodeSearchPage,
  parseCustomerQuery,
  type SearchPosition,
} from './search.js';
import {MAX_SEARCH_LAG_MS} from './search-index.js';
import type {EmulatorState, FaultKind} from './state.js';
import {initialVerification, normalizeTaxIdValue} from './tax-ids.js';

const listParams = ['limit', 'starting_after', 'ending_before'] as const;

const subscriptionStatuses = [
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'trialing',
  'paused',
  'all',
  'ended',
] as const;

const invoiceStatuses = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

/** Parameters of this request: the query string for GET/DELETE, the form body otherwise. */
function input(req: Request): Params {
  return params(req.method === 'GET' || req.method === 'DELETE' ? req.query : req.body);
}

function pathId(req: Request, name = 'id'): string {
  return String(req.params[name]);
}

export function createStripeRoutes(state: EmulatorState): Router {
  const router = Router();

  const send = (req: Request, res: Response, value: unknown): void => {
    res.json(expand(state, value, expandParam(input(req).expand)));
  };

  const customerOr404 = (id: string, param = 'id'): Stripe.Customer => {
    const c = state.liveCustomer(id);
    if (!c) throw resourceMissing(id, param, param === 'id' ? 404 : 400);
    return c;
  };

  const paymentMethodOr404 = (id: string, param = 'id'): Stripe.PaymentMethod => {
    const pm = state.paymentMethods.get(id);
    if (!pm) throw resourceMissing(id, param, param === 'id' ? 404 : 400);
    return pm;
  };

  /** A payment method that may become a default of `customer`: it must be attached to them. */
  const attachedTo = (customerId: string, pmId: string, param: string): string => {
    const pm = state.paymentMethods.get(pmId);
    if (!pm) throw resourceMissing(pmId, param, 400);
    if (pm.customer !== customerId) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
        param,
        'resource_missing',
      );
    }
    return pmId;
  };

  /**
   * Why `pm` cannot be attached to `customerId` (`null`: a customer about to be created), if it
   * cannot. Attaching checks the card, like setting it up does: a declining test card fails.
   */
  const refuseAttaching = (pm: Stripe.PaymentMethod, customerId: string | null): void => {
    if (state.consumedPaymentMethods.has(pm.id)) {
      throw invalidRequest(
        'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.',
        undefined,
        'payment_method_unexpected_state',
      );
    }
    if (pm.customer && pm.customer !== customerId) {
      throw invalidRequest(
        'The payment method you provided has already been attached to a customer.',
        undefined,
        'payment_method_unexpected_state',
      );
    }
    const outcome = pm.card ? outcomeForCard(pm.card.brand, pm.card.last4) : undefined;
    if (outcome?.kind === 'decline') throw new StripeApiError(402, declineFields(outcome));
  };

  const attach = (pm: Stripe.PaymentMethod, customerId: string): Stripe.PaymentMethod => {
    refuseAttaching(pm, customerId);
    return state.put({...pm, customer: customerId});
  };

  /** `pm_card_visa` and kin mint a fresh card, like Stripe's test tokens; a declining one none. */
  const resolveAttachable = (id: string): Stripe.PaymentMethod => {
    const card = cardForToken(id);
    if (!card) return paymentMethodOr404(id);
    if (card.outcome.kind === 'decline') {
      throw new StripeApiError(402, declineFields(card.outcome));
    }
    return paymentMethodFromToken(state, card);
  };

  // ---- Customers ------------------------------------------------------------------------

  router.get('/v1/customers', (req, res) => {
    const p = input(req);
    allowOnly(p, ['email', 'created', 'test_clock', ...listParams]);
    const email = optString(p, 'email');
    const clock = optString(p, 'test_clock');
    const created = createdFilter(p.created);
    const all = [...state.customers.values()].filter((c): c is Stripe.Customer => !c.deleted);
    // Stripe's email filter is exact and case-sensitive (search is not). Customers on a test
    // clock are listed only by their clock: "The response will not include customers with test
    // clocks if this parameter is not set"
    // (https://docs.stripe.com/api/customers/list#list_customers-test_clock).
    const matching = all.filter(
      (c) =>
        (email ? c.email === email : true) &&
        (clock ? clockOf(c) === clock : !c.test_clock) &&
        created(c.created),
    );
    send(
      req,
      res,
      paginate(state, matching, p, '/v1/customers', (id) => state.liveCustomer(id)),
    );
  });

  /**
   * Customer search (https://docs.stripe.com/api/customers/search): the query language of
   * `search.ts`, `limit` 1–100 (default 10), `page` = the previous answer's `next_page`
   * (https://docs.stripe.com/api/pagination/search), newest first. The cursor names the last
   * customer answered, not an offset, so customers created between two pages neither repeat
   * nor push others out. `expand[]` applies to every result (`data.…`, at most four levels deep
   * like everywhere: `expand.ts`), and `expand[]=total_count` adds the count.
   *
   * With `state.searchLagMs` the query matches each customer as the lagging index saw it
   * (`search-index.ts`), and the answer holds the customer as it is now: the index finds the
   * ids, the objects are read as they are (so a caller must check what it was given).
   */
  router.get('/v1/customers/search', (req, res) => {
    const p = input(req);
    allowOnly(p, ['query', 'limit', 'page']);
    const query = requiredString(p, 'query');
    const limit = parseLimit(p.limit);
    const page = optString(p, 'page');
    const after = page ? decodeSearchPage(page) : null;
    const paths = expandParam(p.expand);
    const matches = parseCustomerQuery(query);
    const lag = state.searchLagMs;
    const live = [...state.customers.values()].filter((c): c is Stripe.Customer => !c.deleted);
    let hits: Stripe.Customer[];
    if (lag > 0) {
      const indexed = state.searchIndex.asOf(state.nowMs() - lag);
      hits = live.filter((c) => {
        const seen = indexed.get(c.id);
        return seen !== undefined && matches(seen);
      });
    } else {
      hits = live.filter(matches);
    }
    const key = (c: Stripe.Customer): SearchPosition => [c.created, state.orderOf(c.id)];
    hits.sort((a, b) => comparePositions(key(a), key(b)));
    const rest = after ? hits.filter((c) => comparePositions(key(c), after) > 0) : hits;
    const data = rest.slice(0, limit);
    const last = data[data.length - 1];
    const hasMore = rest.length > limit;
    const result = {
      object: 'search_result',
      data,
      has_more: hasMore,
      next_page: hasMore && last ? encodeSearchPage(key(last)) : null,
      url: '/v1/customers/search',
      ...(paths.includes('total_count') ? {total_count: hits.length} : {}),
    };
    res.json(
      expand(
        state,
        result,
        paths.filter((path) => path !== 'total_count'),
      ),
    );
  });

  router.post('/v1/customers', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'address',
      'description',
      'email',
      'invoice_settings',
      'metadata',
      'name',
      'payment_method',
      'phone',
      'preferred_locales',
      'shipping',
      'tax_id_data',
      'tax_exempt',
      'test_clock',
    ]);
    const clockId = optString(p, 'test_clock');
    const clock = clockId ? state.testClocks.get(clockId) : undefined;
    if (clockId && !clock) throw resourceMissing(clockId, 'test_clock', 400);
    const taxIdData = p.tax_id_data;
    const taxIdEntries =
      typeof taxIdData === 'object' && taxIdData !== null ? Object.values(taxIdData) : [];
    // Like Stripe, a bad tax ID refuses the whole request: nothing is created.
    taxIdEntries.forEach((entry, i) => {
      const e = params(entry);
      const type = requiredString(e, 'type', `tax_id_data[${i}][type]`);
      normalizeTaxIdValue(
        type,
        requiredString(e, 'value', `tax_id_data[${i}][value]`),
        `tax_id_data[${i}][value]`,
      );
    });
    const fields = {
      email: optString(p, 'email'),
      name: optString(p, 'name'),
      phone: optString(p, 'phone'),
      description: optString(p, 'description'),
      address: optAddress(p, 'address'),
      shipping: optShipping(p),
      metadata: applyMetadata({}, p),
      // A customer on a test clock is created at the clock's time.
      created: clock?.frozen_time ?? state.now(),
      testClock: clock?.id ?? null,
    };
    // Like a bad tax ID, a method that cannot be attached creates nothing.
    const pmId = optString(p, 'payment_method');
    const pm = pmId ? resolveAttachable(pmId) : undefined;
    if (pm) refuseAttaching(pm, null);
    let customer = buildCustomer(state, fields);
    if (pm) attach(pm, customer.id);
    customer = updateCustomer(customer, p, true);
    taxIdEntries.forEach((entry, i) => {
      createTaxId(customer, params(entry), `tax_id_data[${i}]`);
    });
    send(req, res, customer);
  });

  router.get('/v1/customers/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, []);
    const c = state.customers.get(pathId(req));
    if (!c) throw resourceMissing(pathId(req));
    send(req, res, c);
  });

  const updateCustomer = (
    current: Stripe.Customer,
    p: Params,
    creating = false,
  ): Stripe.Customer => {
    const next: Stripe.Customer = {...current};
    const email = optString(p, 'email');
    if (email !== undefined && !creating) next.email = email;
    const name = optString(p, 'name');
    if (name !== undefined && !creating) next.name = name;
    const phone = optString(p, 'phone');
    if (phone !== undefined && !creating) next.phone = phone;
    const description = optString(p, 'description');
    if (description !== undefined && !creating) next.description = description;
    const addr = optAddress(p, 'address');
    if (addr !== undefined && !creating) next.address = addr;
    const shipping = optShipping(p);
    if (shipping !== undefined && !creating) next.shipping = shipping;
    if (!creating) next.metadata = applyMetadata(current.metadata, p);
    const locales = p.preferred_locales;
    if (locales !== undefined) {
      next.preferred_locales =
        locales === '' ? [] : Object.values(locales as object).map((v) => String(v));
    }
    const settings = optHashParam(p, 'invoice_settings');
    if (settings) {
      allowOnly(settings, [
        'default_payment_method',
        'footer',
        'custom_fields',
        'rendering_options',
      ]);
      const pm = optString(
        settings,
        'default_payment_method',
        'invoice_settings[default_payment_method]',
      );
      const footer = optString(settings, 'footer', 'invoice_settings[footer]');
      const customFields = optCustomFields(settings);
      next.invoice_settings = {
        ...current.invoice_settings,
        ...(pm === undefined
          ? {}
          : {
              default_payment_method:
                pm === null
                  ? null
                  : attachedTo(current.id, pm, 'invoice_settings[default_payment_method]'),
            }),
        ...(footer === undefined ? {} : {footer}),
        ...(customFields === undefined ? {} : {custom_fields: customFields}),
      };
    }
    return state.put(next);
  };

  router.post('/v1/customers/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'address',
      'description',
      'email',
      'invoice_settings',
      'metadata',
      'name',
      'phone',
      'preferred_locales',
      'shipping',
      'tax_exempt',
    ]);
    send(req, res, updateCustomer(customerOr404(pathId(req)), p));
  });

  router.delete('/v1/customers/:id', (req, res) => {
    res.json(deleteCustomer(state, customerOr404(pathId(req))));
  });

  // ---- Tax IDs --------------------------------------------------------------------------

  const createTaxId = (customer: Stripe.Customer, p: Params, prefix = ''): Stripe.TaxId => {
    const name = (n: string) => (prefix ? `${prefix}[${n}]` : n);
    const type = requiredString(p, 'type', name('type'));
    const raw = requiredString(p, 'value', name('value'));
    if (!/^[a-z]{2,3}_[a-z_]+$/.test(type)) {
      throw invalidRequest(`Invalid value for type: ${type}`, name('type'));
    }
    const value = normalizeTaxIdValue(type, raw, name('value'));
    return state.addTaxId(
      buildTaxId(state, {
        customer: customer.id,
        type: type,
        value,
        verification: initialVerification(type),
        created: state.nowFor(customer.id),
      }),
    );
  };

  router.get('/v1/customers/:id/tax_ids', (req, res) => {
    const p = input(req);
    allowOnly(p, [...listParams]);
    const c = customerOr404(pathId(req));
    const ids = state.taxIdsOf(c.id);
    send(
      req,
      res,
      paginate(state, ids, p, `/v1/customers/${c.id}/tax_ids`, (id) => state.taxIds.get(id)),
    );
  });

  router.post('/v1/customers/:id/tax_ids', (req, res) => {
    const p = input(req);
    allowOnly(p, ['type', 'value']);
    send(req, res, createTaxId(customerOr404(pathId(req)), p));
  });

  const taxIdOf = (req: Request): Stripe.TaxId => {
    const c = customerOr404(pathId(req));
    const t = state.readTaxId(pathId(req, 'taxId'));
    if (!t || t.customer !== c.id) throw resourceMissing(pathId(req, 'taxId'));
    return t;
  };

  router.get('/v1/customers/:id/tax_ids/:taxId', (req, res) => {
    send(req, res, taxIdOf(req));
  });

  router.delete('/v1/customers/:id/tax_ids/:taxId', (req, res) => {
    const t = taxIdOf(req);
    state.removeTaxId(t.id);
    res.json({id: t.id, object: 'tax_id', deleted: true} satisfies Stripe.DeletedTaxId);
  });

  // ---- Payment methods ------------------------------------------------------------------

  const listPaymentMethods = (
    req: Request,
    res: Response,
    customerId: string | undefined,
    url: string,
  ) => {
    const p = input(req);
    const type = optString(p, 'type');
    const pms = [...state.paymentMethods.values()].filter(
      (pm) =>
        (customerId === undefined || pm.customer === customerId) && (!type || pm.type === type),
    );
    send(
      req,
      res,
      paginate(state, pms, p, url, (id) => state.paymentMethods.get(id)),
    );
  };

  router.get('/v1/customers/:id/payment_methods', (req, res) => {
    allowOnly(input(req), ['type', 'allow_redisplay', ...listParams]);
    const c = customerOr404(pathId(req));
    listPaymentMethods(req, res, c.id, `/v1/customers/${c.id}/payment_methods`);
  });

  router.get('/v1/customers/:id/payment_methods/:pm', (req, res) => {
    const c = customerOr404(pathId(req));
    const pm = state.paymentMethods.get(pathId(req, 'pm'));
    if (!pm || pm.customer !== c.id) throw resourceMissing(pathId(req, 'pm'));
    send(req, res, pm);
  });

  router.get('/v1/payment_methods', (req, res) => {
    const p = input(req);
    allowOnly(p, ['customer', 'type', 'allow_redisplay', ...listParams]);
    const customerId = optString(p, 'customer') ?? undefined;
    if (customerId) customerOr404(customerId, 'customer');
    listPaymentMethods(req, res, customerId, '/v1/payment_methods');
  });

  router.get('/v1/payment_methods/:id', (req, res) => {
    send(req, res, paymentMethodOr404(pathId(req)));
  });

  router.post('/v1/payment_methods/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, ['billing_details', 'metadata', 'allow_redisplay']);
    const pm = paymentMethodOr404(pathId(req));
    const details = optHashParam(p, 'billing_details');
    const next: Stripe.PaymentMethod = {...pm, metadata: applyMetadata(pm.metadata ?? {}, p)};
    if (details) {
      allowOnly(details, ['address', 'email', 'name', 'phone']);
      const addr = optAddress(details, 'address', 'billing_details[address]');
      next.billing_details = {
        ...pm.billing_details,
        ...(addr === undefined ? {} : {address: addr}),
        ...Object.fromEntries(
          (['email', 'name', 'phone'] as const)
            .map((k) => [k, optString(details, k, `billing_details[${k}]`)] as const)
            .filter(([, v]) => v !== undefined),
        ),
      };
    }
    send(req, res, state.put(next));
  });

  router.post('/v1/payment_methods/:id/attach', (req, res) => {
    const p = input(req);
    allowOnly(p, ['customer']);
    const customer = customerOr404(requiredString(p, 'customer'), 'customer');
    send(req, res, attach(resolveAttachable(pathId(req)), customer.id));
  });

  router.post('/v1/payment_methods/:id/detach', (req, res) => {
    allowOnly(input(req), []);
    const pm = paymentMethodOr404(pathId(req));
    if (!pm.customer) {
      throw invalidRequest(
        'The payment method you provided is not attached to a customer so detachment is impossible.',
        undefined,
        'payment_method_unexpected_state',
      );
    }
    const customerId = typeof pm.customer === 'string' ? pm.customer : pm.customer.id;
    const customer = state.liveCustomer(customerId);
    if (customer?.invoice_settings.default_payment_method === pm.id) {
      state.put({
        ...customer,
        invoice_settings: {...customer.invoice_settings, default_payment_method: null},
      });
    }
    for (const sub of state.subscriptions.values()) {
      if (sub.default_payment_method === pm.id) state.put({...sub, default_payment_method: null});
    }
    state.consumedPaymentMethods.add(pm.id);
    send(req, res, state.put({...pm, customer: null}));
  });

  // ---- Subscriptions --------------------------------------------------------------------

  const subscriptionOr404 = (id: string, param = 'id'): Stripe.Subscription => {
    const s = state.subscriptions.get(id);
    if (!s) throw resourceMissing(id, param, param === 'id' ? 404 : 400);
    return s;
  };

  router.get('/v1/subscriptions', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'customer',
      'price',
      'status',
      'created',
      'collection_method',
      'test_clock',
      ...listParams,
    ]);
    const customer = optString(p, 'customer');
    const clock = optString(p, 'test_clock');
    const price = optString(p, 'price');
    const status = optString(p, 'status') ?? undefined;
    if (status && !(subscriptionStatuses as readonly string[]).includes(status)) {
      throw invalidRequest(
        `Invalid status: must be one of ${subscriptionStatuses.join(', ')}`,
        'status',
      );
    }
    const created = createdFilter(p.created);
    const subs = [...state.subscriptions.values()].filter(
      (s) =>
        (!customer || s.customer === customer) &&
        // "The response will not include subscriptions with test clocks if this and the
        // customer parameter is not set"
        // (https://docs.stripe.com/api/subscriptions/list#list_subscriptions-test_clock).
        (clock ? clockOf(s) === clock : Boolean(customer) || !s.test_clock) &&
        (!price || s.items.data.some((i) => i.price.id === price)) &&
        created(s.created) &&
        (status === 'all'
          ? true
          : status === 'ended'
            ? s.status === 'canceled' || s.status === 'incomplete_expired'
            : status
              ? s.status === status
              : s.status !== 'canceled'),
    );
    send(
      req,
      res,
      paginate(state, subs, p, '/v1/subscriptions', (id) => state.subscriptions.get(id)),
    );
  });

  /**
   * One item, the Gate Pass's shape; Stripe's default `payment_behavior` only
   * (`allow_incomplete`), which charges the first invoice at once (`startSubscription`).
   */
  router.post('/v1/subscriptions', (req, res) => {
    const p = input(req);
    allowOnly(p, ['customer', 'default_payment_method', 'items', 'metadata', 'payment_behavior']);
    const customer = customerOr404(requiredString(p, 'customer'), 'customer');
    const behavior = optString(p, 'payment_behavior');
    if (behavior && behavior !== 'allow_incomplete') {
      throw invalidRequest(
        `The emulator models payment_behavior=allow_incomplete (Stripe's default) only, not ${behavior}.`,
        'payment_behavior',
      );
    }
    const items = p.items;
    if (items === undefined || items === '') {
      throw invalidRequest('Missing required param: items.', 'items');
    }
    const entries = typeof items === 'object' && items !== null ? Object.values(items) : [items];
    if (entries.length !== 1) {
      throw invalidRequest(
        'The emulator bills one item per subscription (the Gate Pass); send exactly one.',
        'items',
      );
    }
    const item = params(entries[0]);
    allowOnly(item, ['price', 'quantity']);
    const priceId = requiredString(item, 'price', 'items[0][price]');
    const price = state.prices.get(priceId);
    if (!price) throw resourceMissing(priceId, 'items[0][price]', 400);
    if (!price.active) {
      throw invalidRequest(
        'The price specified is inactive. This field only accepts active prices.',
        'items[0][price]',
      );
    }
    if (!price.recurring) {
      throw invalidRequest(
        'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
        'items[0][price]',
      );
    }
    const quantityRaw = optString(item, 'quantity', 'items[0][quantity]') ?? '1';
    const quantity = /^\d+$/.test(quantityRaw) ? Number(quantityRaw) : NaN;
    if (!(quantity >= 1)) {
      throw invalidRequest(`Invalid integer: ${quantityRaw}`, 'items[0][quantity]');
    }
    const pmId = optString(p, 'default_payment_method');
    const defaultPaymentMethod = pmId
      ? attachedTo(customer.id, pmId, 'default_payment_method')
      : null;
    if (!defaultPaymentMethod && !customer.invoice_settings.default_payment_method) {
      throw invalidRequest(
        'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.',
        undefined,
        'resource_missing',
      );
    }
    send(
      req,
      res,
      startSubscription(state, {
        customer,
        price,
        quantity,
        defaultPaymentMethod,
        metadata: applyMetadata({}, p),
      }),
    );
  });

  router.get('/v1/subscriptions/:id', (req, res) => {
    allowOnly(input(req), []);
    send(req, res, subscriptionOr404(pathId(req)));
  });

  router.post('/v1/subscriptions/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, ['default_payment_method', 'metadata', 'cancel_at_period_end', 'description']);
    const sub = subscriptionOr404(pathId(req));
    if (
      sub.status === 'canceled' &&
      Object.keys(p).some((k) => k !== 'expand' && k !== 'metadata')
    ) {
      throw invalidRequest(
        'A canceled subscription can only update its cancellation_details and metadata.',
      );
    }
    const next: Stripe.Subscription = {...sub, metadata: applyMetadata(sub.metadata, p)};
    const pm = optString(p, 'default_payment_method');
    if (pm !== undefined) {
      next.default_payment_method =
        pm === null ? null : attachedTo(sub.customer as string, pm, 'default_payment_method');
    }
    const description = optString(p, 'description');
    if (description !== undefined) next.description = description;
    const cancelAtPeriodEnd = optBoolean(p, 'cancel_at_period_end');
    if (cancelAtPeriodEnd !== undefined) {
      next.cancel_at_period_end = cancelAtPeriodEnd;
      next.cancel_at = cancelAtPeriodEnd ? subscriptionPeriod(sub).end : null;
      next.canceled_at = cancelAtPeriodEnd ? state.now() : null;
    }
    send(req, res, state.put(next));
  });

  router.delete('/v1/subscriptions/:id', (req, res) => {
    const sub = subscriptionOr404(pathId(req));
    if (sub.status === 'canceled') {
      throw invalidRequest(
        `A canceled subscription can only update its cancellation_details and metadata. Subscription: ${sub.id}`,
      );
    }
    const now = state.now();
    send(req, res, state.put({...sub, status: 'canceled', canceled_at: now, ended_at: now}));
  });

  // ---- Invoices -------------------------------------------------------------------------

  router.get('/v1/invoices', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'customer',
      'subscription',
      'status',
      'created',
      'collection_method',
      'due_date',
      'test_clock',
      ...listParams,
    ]);
    const customer = optString(p, 'customer');
    const subscription = optString(p, 'subscription');
    const status = optString(p, 'status');
    if (status && !(invoiceStatuses as readonly string[]).includes(status)) {
      throw invalidRequest(
        `Invalid status: must be one of ${invoiceStatuses.join(', ')}`,
        'status',
      );
    }
    const created = createdFilter(p.created);
    const invoices = [...state.invoices.values()].filter(
      (inv) =>
        (!customer || inv.customer === customer) &&
        (!subscription || inv.parent?.subscription_details?.subscription === subscription) &&
        (!status || inv.status === status) &&
        created(inv.created),
    );
    send(
      req,
      res,
      paginate(state, invoices, p, '/v1/invoices', (id) => state.invoices.get(id)),
    );
  });

  router.post('/v1/invoices/create_preview', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'customer',
      'subscription',
      'subscription_details',
      'automatic_tax',
      'preview_mode',
      'currency',
    ]);
    const customerId = optString(p, 'customer');
    const subscriptionId = optString(p, 'subscription');
    if (!customerId && !subscriptionId) {
      throw invalidRequest(
        'You must specify at least one of `customer`, `customer_account`, or `subscription` to preview an invoice.',
      );
    }
    let sub: Stripe.Subscription | undefined;
    if (subscriptionId) {
      sub = subscriptionOr404(subscriptionId, 'subscription');
      if (customerId && sub.customer !== customerId) {
        throw invalidRequest(
          `The subscription ${sub.id} does not belong to the customer ${customerId}.`,
          'subscription',
        );
      }
    } else {
      // Like Stripe: "the next upcoming invoice from among the customer's subscriptions", i.e.
      // of the one that renews first, out of those that will invoice again.
      const c = customerOr404(customerId as string, 'customer');
      const renewsAt = (s: Stripe.Subscription) => s.items.data[0]?.current_period_end ?? Infinity;
      sub = [...state.subscriptions.values()]
        .filter(
          (s) =>
            s.customer === c.id &&
            !['canceled', 'incomplete_expired'].includes(s.status) &&
            !s.cancel_at_period_end,
        )
        .sort(
          (a, b) =>
            renewsAt(a) - renewsAt(b) ||
            b.created - a.created ||
            state.orderOf(b.id) - state.orderOf(a.id),
        )[0];
    }
    const customer = customerOr404(
      (sub?.customer as string | undefined) ?? (customerId as string),
      'customer',
    );
    if (!sub || sub.status === 'canceled' || sub.cancel_at_period_end) {
      throw new StripeApiError(404, {
        type: 'invalid_request_error',
        code: 'invoice_upcoming_none',
        message: `No upcoming invoices for customer: ${customer.id}`,
      });
    }
    const item = sub.items.data[0];
    if (!item) throw invalidRequest(`Subscription ${sub.id} has no items.`);
    const renewal = item.current_period_end;
    const interval = (item.price.recurring?.interval ?? 'year') as Interval;
    const product = state.products.get(item.price.product as string);
    const preview = buildInvoice(state, {
      customer,
      subscription: sub,
      price: item.price,
      productName: product?.name ?? 'Subscription',
      quantity: item.quantity ?? 1,
      servicePeriod: {
        start: renewal,
        end: addInterval(renewal, interval, item.price.recurring?.interval_count ?? 1),
      },
      previousPeriod: {start: item.current_period_start, end: renewal},
      status: 'draft',
      created: renewal,
      nextPaymentAttempt: renewal,
      billingReason: 'upcoming',
      preview: true,
    });
    send(req, res, preview);
  });

  router.get('/v1/invoices/:id', (req, res) => {
    allowOnly(input(req), []);
    const inv = state.invoices.get(pathId(req));
    if (!inv) throw resourceMissing(pathId(req));
    send(req, res, inv);
  });

  // ---- Invoice payments (https://docs.stripe.com/api/invoice-payment/list) ---------------

  router.get('/v1/invoice_payments', (req, res) => {
    const p = input(req);
    allowOnly(p, ['invoice', 'status', 'payment', 'created', ...listParams]);
    const invoice = optString(p, 'invoice');
    const status = optString(p, 'status');
    if (status && !['canceled', 'open', 'paid'].includes(status)) {
      throw invalidRequest('Invalid status: must be one of canceled, open, or paid', 'status');
    }
    const created = createdFilter(p.created);
    const payments = [...state.invoicePayments.values()].filter(
      (payment) =>
        (!invoice || payment.invoice === invoice) &&
        (!status || payment.status === status) &&
        created(payment.created),
    );
    send(
      req,
      res,
      paginate(state, payments, p, '/v1/invoice_payments', (id) => state.invoicePayments.get(id)),
    );
  });

  router.get('/v1/invoice_payments/:id', (req, res) => {
    allowOnly(input(req), []);
    const payment = state.invoicePayments.get(pathId(req));
    if (!payment) throw resourceMissing(pathId(req));
    send(req, res, payment);
  });

  // ---- Tax rates ------------------------------------------------------------------------

  router.get('/v1/tax_rates/:id', (req, res) => {
    const rate = state.taxRates.get(pathId(req));
    if (!rate) throw resourceMissing(pathId(req));
    send(req, res, rate);
  });

  // ---- Emulator test helper (no Stripe counterpart) ---------------------------------------

  /**
   * `POST /v1/test_helpers/emulator/renew {email}`: `renewSubscriptions` for callers in
   * another process (`npm run emulator`); answers the renewal invoices as a list, once their
   * webhooks have been delivered (so that the portal's next dashboard load shows them).
   */
  router.post('/v1/test_helpers/emulator/renew', async (req, res) => {
    const p = input(req);
    allowOnly(p, ['email']);
    const {invoices} = renewSubscriptions(state, requiredString(p, 'email'));
    await state.webhooksIdle();
    send(req, res, {
      object: 'list',
      data: invoices,
      has_more: false,
      url: '/v1/test_helpers/emulator/renew',
    });
  });

  /**
   * `POST /v1/test_helpers/emulator/faults {path, fault, method?, times?}`: `injectFault` for
   * callers in another process; `path` is a regular expression tested against `/v1/...`,
   * `fault` one of 429, 500, 503, timeout, drop, drop-response. `DELETE` removes them all.
   */
  router.post('/v1/test_helpers/emulator/faults', (req, res) => {
    const p = input(req);
    allowOnly(p, ['path', 'fault', 'method', 'times']);
    const source = requiredString(p, 'path');
    let path: RegExp;
    try {
      path = new RegExp(source);
    } catch {
      throw invalidRequest(`Invalid regular expression: ${source}`, 'path');
    }
    const raw = requiredString(p, 'fault');
    const fault = (/^\d+$/.test(raw) ? Number(raw) : raw) as FaultKind;
    if (![429, 500, 503, 'timeout', 'drop', 'drop-response'].includes(fault)) {
      throw invalidRequest(`Unknown fault: ${raw}`, 'fault');
    }
    const timesRaw = optString(p, 'times');
    const times = timesRaw ? Number(timesRaw) : undefined;
    if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
      throw invalidRequest('times must be a positive whole number', 'times');
    }
    const method = optString(p, 'method')?.toUpperCase();
    state.http.faultRules.push({
      path,
      fault,
      ...(method ? {method} : {}),
      ...(times ? {times} : {}),
    });
    send(req, res, {
      object: 'emulator_fault',
      path: source,
      fault,
      method: method ?? null,
      times: times ?? null,
    });
  });

  /**
   * `POST /v1/test_helpers/emulator/search_lag {lag_ms}`: `setSearchLag` for callers in another
   * process; customer search lags that many milliseconds behind the customers from now on
   * (0 to 3600000; 0 makes everything searchable at once).
   */
  router.post('/v1/test_helpers/emulator/search_lag', (req, res) => {
    const p = input(req);
    allowOnly(p, ['lag_ms']);
    const raw = requiredString(p, 'lag_ms');
    const lag = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(lag <= MAX_SEARCH_LAG_MS)) {
      throw invalidRequest(
        `lag_ms must be a whole number of milliseconds from 0 to ${MAX_SEARCH_LAG_MS}`,
        'lag_ms',
      );
    }
    state.searchLagMs = lag;
    send(req, res, {object: 'emulator_search_lag', lag_ms: lag});
  });

  router.delete('/v1/test_helpers/emulator/faults', (req, res) => {
    state.http.faultRules.length = 0;
    send(req, res, {
      object: 'list',
      data: [],
      has_more: false,
      url: '/v1/test_helpers/emulator/faults',
    });
  });

  return router;
}
