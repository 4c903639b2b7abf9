/**
 * SetupIntents as the portal server (secret key, through the SDK) and the demo payment form
 * (publishable key, like Stripe.js) use them: create, retrieve, list, cancel, confirm with
 * test card numbers or PayPal. 3-D Secure cards and PayPal answer `requires_action` with a
 * `redirect_to_url` next action pointing at the emulator's own redirect page (`redirect.ts`).
 *
 * With a publishable key only `GET /v1/setup_intents/:id` and `POST .../confirm` are
 * reachable (`app.ts` enforces that), both need the matching `client_secret`, and the
 * answer leaves out what Stripe keeps from the browser (customer, metadata, ...).
 * A confirmation never changes any default payment method: the portal server does that.
 */
import {Router, type Request, type Response} from 'express';
import type Stripe from 'stripe';
import {
  cardForNumber,
  cardForToken,
  declineFields,
  outcomeForCard,
  paymentMethodFromToken,
  type SetupOutcome,
} from './cards.js';
import {docUrl, invalidRequest, resourceMissing, StripeApiError} from './errors.js';
import {expand, expandParam} from './expand.js';
import {createdFilter, paginate} from './lists.js';
import {
  address,
  buildCardPaymentMethod,
  buildPaypalPaymentMethod,
  buildSetupIntent,
} from './objects.js';
import {
  allowOnly,
  applyMetadata,
  optBoolean,
  optHashParam,
  optString,
  params,
  requiredString,
  type Params,
} from './params.js';
import type {EmulatorState, SetupIntentRedirect} from './state.js';

/** Payment method types enabled in the emulated account's Dashboard. */
export const ENABLED_PAYMENT_METHOD_TYPES = ['card', 'paypal'] as const;

export interface SetupIntentRouteOptions {
  /** Public base URL of the emulator app; see `EmulatorState.publicBaseUrl`. */
  publicBaseUrl?: string;
}

/** `res.locals.stripeKeyKind`, set by the app's authentication. */
export type KeyKind = 'secret' | 'publishable';

function keyKind(res: Response): KeyKind {
  return res.locals.stripeKeyKind === 'publishable' ? 'publishable' : 'secret';
}

/** Fields of a SetupIntent Stripe answers to a publishable key. */
const publicFields = [
  'id',
  'object',
  'allowed_payment_method_types',
  'automatic_payment_methods',
  'cancellation_reason',
  'client_secret',
  'created',
  'description',
  'last_setup_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_configuration_details',
  'payment_method_types',
  'status',
  'usage',
] as const;

export function publicView(si: Stripe.SetupIntent): Partial<Stripe.SetupIntent> {
  const out: Record<string, unknown> = {};
  for (const key of publicFields) out[key] = si[key];
  return out;
}

/** Parameters of this request without Stripe.js' transport parameters (`key`, `_stripe_version`). */
function input(req: Request): Params {
  const raw = params(req.method === 'GET' ? req.query : req.body);
  const {key: _key, _stripe_version: _version, ...rest} = raw;
  return rest;
}

/** Stripe's `?setup_intent=...&setup_intent_client_secret=...&redirect_status=...` on the return URL. */
export function returnUrlWithResult(
  si: Stripe.SetupIntent,
  returnUrl: string,
  redirectStatus: 'succeeded' | 'failed',
): string {
  const url = new URL(returnUrl);
  url.searchParams.set('setup_intent', si.id);
  url.searchParams.set('setup_intent_client_secret', si.client_secret ?? '');
  url.searchParams.set('redirect_status', redirectStatus);
  return url.toString();
}

export function createSetupIntentRoutes(
  state: EmulatorState,
  opts: SetupIntentRouteOptions = {},
): Router {
  const router = Router();

  const view = (res: Response, si: Stripe.SetupIntent): unknown =>
    keyKind(res) === 'publishable' ? publicView(si) : si;

  const send = (req: Request, res: Response, si: Stripe.SetupIntent): void => {
    const expanded = expand(state, si, expandParam(input(req).expand));
    res.json(view(res, expanded));
  };

  const setupIntentOr404 = (id: string): Stripe.SetupIntent => {
    const si = state.setupIntents.get(id);
    if (!si) throw resourceMissing(id, 'intent');
    return si;
  };

  /** The client secret must match when given, and must be given with a publishable key. */
  const checkClientSecret = (res: Response, si: Stripe.SetupIntent, p: Params): void => {
    const secret = optString(p, 'client_secret');
    if (!secret) {
      if (keyKind(res) === 'secret') return;
      throw invalidRequest('Missing required param: client_secret.', 'client_secret');
    }
    if (secret !== si.client_secret) {
      throw invalidRequest(
        'The client_secret provided does not match any associated SetupIntent on this account. Ensure the publishable key used belongs to the same account that created the SetupIntent.',
        'client_secret',
        'setup_intent_invalid_parameter',
      );
    }
  };

  const unexpectedState = (si: Stripe.SetupIntent, message: string): StripeApiError =>
    new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'setup_intent_unexpected_state',
      message,
      setup_intent: si,
    });

  // ---- Create, retrieve, list, cancel (secret key) -------------------------------------

  const paymentMethodTypesFor = (p: Params): {types: string[]; allowed: string[] | null} => {
    const raw = p.allowed_payment_method_types;
    if (raw === undefined || raw === '')
      return {types: [...ENABLED_PAYMENT_METHOD_TYPES], allowed: null};
    const allowed = (typeof raw === 'object' && raw !== null ? Object.values(raw) : [raw]).map(
      (v) => String(v),
    );
    const types = allowed.filter((t) =>
      (ENABLED_PAYMENT_METHOD_TYPES as readonly string[]).includes(t),
    );
    if (types.length === 0) {
      throw invalidRequest(
        `None of the allowed_payment_method_types (${allowed.join(', ')}) is enabled for this account. Enabled in the emulator: ${ENABLED_PAYMENT_METHOD_TYPES.join(', ')}.`,
        'allowed_payment_method_types',
        'payment_method_unactivated',
      );
    }
    return {types, allowed};
  };

  router.post('/v1/setup_intents', (req, res) => {
    const p = input(req);
    if (p.payment_method_types !== undefined) {
      throw invalidRequest(
        'Received unknown parameter: payment_method_types. Since API version 2026-09-30.endive, use automatic_payment_methods or allowed_payment_method_types instead.',
        'payment_method_types',
        'parameter_unknown',
      );
    }
    allowOnly(p, [
      'allowed_payment_method_types',
      'automatic_payment_methods',
      'confirm',
      'customer',
      'description',
      'metadata',
      'payment_method',
      'payment_method_data',
      'payment_method_options',
      'return_url',
      'usage',
    ]);
    const customerId = optString(p, 'customer');
    if (customerId && !state.liveCustomer(customerId)) {
      throw resourceMissing(customerId, 'customer', 400);
    }
    const usage = optString(p, 'usage') ?? 'off_session';
    if (usage !== 'off_session' && usage !== 'on_session') {
      throw invalidRequest(
        `Invalid usage: must be one of off_session or on_session`,
        'usage',
        'parameter_invalid_empty',
      );
    }
    const automatic = optHashParam(p, 'automatic_payment_methods');
    if (automatic) {
      allowOnly(automatic, ['enabled', 'allow_redirects']);
      if (
        optBoolean(automatic, 'enabled') === false &&
        p.allowed_payment_method_types === undefined
      ) {
        throw invalidRequest(
          'You must either enable automatic_payment_methods or pass allowed_payment_method_types.',
          'automatic_payment_methods[enabled]',
        );
      }
    }
    const {types, allowed} = paymentMethodTypesFor(p);
    const si = buildSetupIntent(state, {
      customer: customerId ?? null,
      usage,
      paymentMethodTypes: types,
      allowedPaymentMethodTypes: allowed,
      automaticPaymentMethods: !automatic || optBoolean(automatic, 'enabled') !== false,
      description: optString(p, 'description') ?? null,
      metadata: applyMetadata({}, p),
      created: state.nowFor(customerId),
    });
    if (optBoolean(p, 'confirm')) {
      send(req, res, confirm(req, res, si, p));
      return;
    }
    if (p.payment_method !== undefined && p.payment_method !== '') {
      const pm = resolvePaymentMethod(requiredString(p, 'payment_method'), si);
      send(req, res, state.put({...si, payment_method: pm.id, status: 'requires_confirmation'}));
      return;
    }
    send(req, res, si);
  });

  router.get('/v1/setup_intents', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'customer',
      'payment_method',
      'created',
      'attach_to_self',
      'limit',
      'starting_after',
      'ending_before',
    ]);
    const customer = optString(p, 'customer');
    const pm = optString(p, 'payment_method');
    const created = createdFilter(p.created);
    const items = [...state.setupIntents.values()].filter(
      (si) =>
        (!customer || si.customer === customer) &&
        (!pm || si.payment_method === pm) &&
        created(si.created),
    );
    const list = paginate(state, items, p, '/v1/setup_intents', (id) => state.setupIntents.get(id));
    res.json(expand(state, list, expandParam(p.expand)));
  });

  router.get('/v1/setup_intents/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, ['client_secret']);
    const si = setupIntentOr404(String(req.params.id));
    checkClientSecret(res, si, p);
    send(req, res, si);
  });

  router.post('/v1/setup_intents/:id/cancel', (req, res) => {
    const p = input(req);
    allowOnly(p, ['cancellation_reason']);
    const si = setupIntentOr404(String(req.params.id));
    const reason = optString(p, 'cancellation_reason') ?? null;
    if (reason && !['abandoned', 'duplicate', 'requested_by_customer'].includes(reason)) {
      throw invalidRequest(
        'Invalid cancellation_reason: must be one of abandoned, duplicate, or requested_by_customer',
        'cancellation_reason',
      );
    }
    if (
      !['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(si.status)
    ) {
      throw unexpectedState(
        si,
        `You cannot cancel this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action.`,
      );
    }
    send(
      req,
      res,
      state.put({
        ...si,
        status: 'canceled',
        cancellation_reason: reason,
        next_action: null,
      }),
    );
  });

  // ---- Confirm (secret or publishable key) --------------------------------------------

  router.post('/v1/setup_intents/:id/confirm', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'client_secret',
      'mandate_data',
      'payment_method',
      'payment_method_data',
      'payment_method_options',
      'return_url',
      'use_stripe_sdk',
    ]);
    const si = setupIntentOr404(String(req.params.id));
    checkClientSecret(res, si, p);
    send(req, res, confirm(req, res, si, p));
  });

  /** A PaymentMethod by id or test token (`pm_card_visa`), usable by this SetupIntent. */
  const resolvePaymentMethod = (id: string, si: Stripe.SetupIntent): Stripe.PaymentMethod => {
    const card = cardForToken(id);
    if (card) return paymentMethodFromToken(state, card);
    const pm = state.paymentMethods.get(id);
    if (!pm) throw resourceMissing(id, 'payment_method', 400);
    if (state.consumedPaymentMethods.has(pm.id) || (pm.customer && pm.customer !== si.customer)) {
      throw invalidRequest(
        'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
        'payment_method',
        'payment_method_unexpected_state',
      );
    }
    return pm;
  };

  const cardFromData = (data: Params, billing: Stripe.PaymentMethod.BillingDetails | null) => {
    const card = optHashParam(data, 'card');
    const param = (n: string) => `payment_method_data[card][${n}]`;
    if (!card) throw invalidRequest(`Missing required param: ${param('number')}.`, param('number'));
    allowOnly(card, ['number', 'exp_month', 'exp_year', 'cvc', 'networks']);
    const number = requiredString(card, 'number', param('number')).replace(/[\s-]/g, '');
    const found = cardForNumber(number);
    if (!found) {
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: param('number'),
      });
    }
    const month = requiredString(card, 'exp_month', param('exp_month'));
    const yearRaw = requiredString(card, 'exp_year', param('exp_year'));
    const expMonth = /^\d{1,2}$/.test(month) ? Number(month) : NaN;
    if (!(expMonth >= 1 && expMonth <= 12)) {
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'invalid_expiry_month',
        message: "Your card's expiration month is invalid.",
        param: param('exp_month'),
      });
    }
    const now = new Date(state.now() * 1000);
    let expYear = /^\d{2}$|^\d{4}$/.test(yearRaw) ? Number(yearRaw) : NaN;
    if (expYear < 100) expYear += 2000;
    if (!(expYear >= 1900 && expYear <= now.getUTCFullYear() + 50)) {
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'invalid_expiry_year',
        message: "Your card's expiration year is invalid.",
        param: param('exp_year'),
      });
    }
    const cvc = optString(card, 'cvc', param('cvc'));
    if (cvc && !(found.brand === 'amex' ? /^\d{4}$/ : /^\d{3}$/).test(cvc)) {
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'invalid_cvc',
        message: "Your card's security code is invalid.",
        param: param('cvc'),
      });
    }
    const expired =
      expYear < now.getUTCFullYear() ||
      (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1);
    const outcome: SetupOutcome = expired
      ? {kind: 'decline', code: 'expired_card', declineCode: 'expired_card', param: 'exp_month'}
      : found.outcome;
    const pm = buildCardPaymentMethod(state, {
      customer: null,
      card: found,
      expMonth,
      expYear,
      billingName: billing?.name ?? null,
      billingEmail: billing?.email ?? null,
      created: state.now(),
    });
    const checked = pm.card
      ? {...pm.card, checks: {...pm.card.checks!, cvc_check: cvc ? 'pass' : null}}
      : pm.card;
    const stored = state.put({
      ...pm,
      billing_details: billing ? {...pm.billing_details, ...billing} : pm.billing_details,
      card: checked,
    });
    return {pm: stored, outcome};
  };

  const billingFromData = (data: Params): Stripe.PaymentMethod.BillingDetails | null => {
    const details = optHashParam(data, 'billing_details');
    if (!details) return null;
    allowOnly(details, ['address', 'email', 'name', 'phone']);
    const addr = optHashParam(details, 'address');
    return {
      address: addr ? address(addr) : address({country: 'DE'}),
      email: optString(details, 'email', 'payment_method_data[billing_details][email]') ?? null,
      name: optString(details, 'name', 'payment_method_data[billing_details][name]') ?? null,
      phone: optString(details, 'phone', 'payment_method_data[billing_details][phone]') ?? null,
      tax_id: null,
    };
  };

  const paypalFor = (
    si: Stripe.SetupIntent,
    billing: Stripe.PaymentMethod.BillingDetails | null,
  ): Stripe.PaymentMethod => {
    const customer = typeof si.customer === 'string' ? state.liveCustomer(si.customer) : undefined;
    const email = billing?.email ?? customer?.email ?? 'paypal-demo@example.com';
    return buildPaypalPaymentMethod(state, {
      customer: null,
      payerEmail: email,
      payerId: state.newToken(13).toUpperCase(),
      billingName: billing?.name ?? customer?.name ?? null,
      created: state.now(),
    });
  };

  const redirectBase = (req: Request): string => {
    const base =
      opts.publicBaseUrl ??
      state.publicBaseUrl ??
      // Behind the demo server's /dev/stripe proxy the browser's host and path prefix win.
      `${req.protocol}://${req.get('x-forwarded-host') || req.get('host') || 'localhost'}${req.get('x-forwarded-prefix') ?? ''}${req.baseUrl}`;
    return base.replace(/\/+$/, '');
  };

  /** Runs a confirmation; answers the updated SetupIntent or throws Stripe's error (with the intent). */
  const confirm = (
    req: Request,
    res: Response,
    si: Stripe.SetupIntent,
    p: Params,
  ): Stripe.SetupIntent => {
    if (si.status === 'succeeded') {
      throw unexpectedState(
        si,
        'You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed.',
      );
    }
    if (si.status === 'canceled' || si.status === 'processing') {
      throw unexpectedState(
        si,
        `You cannot confirm this SetupIntent because it has a status of ${si.status}.`,
      );
    }
    const returnUrl = optString(p, 'return_url') ?? undefined;
    if (returnUrl !== undefined) {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(returnUrl).protocol);
      } catch {
        ok = false;
      }
      if (!ok) throw invalidRequest('Not a valid URL', 'return_url', 'url_invalid');
    }
    const pmId = optString(p, 'payment_method');
    const data = optHashParam(p, 'payment_method_data');
    if (pmId && data) {
      throw invalidRequest(
        'You may only specify one of these parameters: payment_method, payment_method_data.',
        'payment_method_data',
        'parameters_exclusive',
      );
    }

    let pm: Stripe.PaymentMethod;
    let outcome: SetupOutcome | {kind: 'paypal'};
    if (data) {
      allowOnly(data, [
        'type',
        'card',
        'paypal',
        'billing_details',
        'allow_redisplay',
        'metadata',
        'payment_user_agent',
        'time_on_page',
        'referrer',
        'client_attribution_metadata',
        'guid',
        'muid',
        'sid',
      ]);
      const type = requiredString(data, 'type', 'payment_method_data[type]');
      checkTypeAllowed(si, type, 'payment_method_data[type]');
      const billing = billingFromData(data);
      if (type === 'card') {
        ({pm, outcome} = cardFromData(data, billing));
      } else {
        pm = paypalFor(si, billing);
        outcome = {kind: 'paypal'};
      }
    } else if (pmId) {
      pm = resolvePaymentMethod(pmId, si);
      checkTypeAllowed(si, pm.type, 'payment_method');
      outcome =
        pm.type === 'paypal'
          ? {kind: 'paypal'}
          : pm.card
            ? outcomeForCard(pm.card.brand, pm.card.last4)
            : {kind: 'succeed'};
    } else if (
      typeof si.payment_method === 'string' &&
      state.paymentMethods.get(si.payment_method)
    ) {
      pm = state.paymentMethods.get(si.payment_method)!;
      outcome =
        pm.type === 'paypal'
          ? {kind: 'paypal'}
          : pm.card
            ? outcomeForCard(pm.card.brand, pm.card.last4)
            : {kind: 'succeed'};
    } else {
      throw unexpectedState(
        si,
        "You cannot confirm this SetupIntent because it's missing a payment method. You can either update the SetupIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      );
    }

    state.setupIntentRedirects.delete(si.id);
    if (outcome.kind === 'succeed') return succeed(si, pm);
    if (outcome.kind === 'decline') {
      const decline = declineFields(outcome);
      const failed = state.put({
        ...si,
        status: 'requires_payment_method',
        payment_method: null,
        next_action: null,
        last_setup_error: {...decline, doc_url: docUrl(decline.code), payment_method: pm},
      });
      throw new StripeApiError(402, {
        ...decline,
        payment_method: pm,
        setup_intent: view(res, failed),
      });
    }
    // 3-D Secure through Stripe.js (`use_stripe_sdk`): its modal runs the challenge in the page
    // and completes it with the source (`POST /v1/3ds2/challenge_complete`).
    if (outcome.kind === 'authenticate' && optBoolean(p, 'use_stripe_sdk') === true) {
      const source = `src_${state.newToken(24)}`;
      state.setupIntentRedirects.set(si.id, {kind: 'three_d_secure', returnUrl: null, source});
      return state.put({
        ...si,
        status: 'requires_action',
        payment_method: pm.id,
        last_setup_error: null,
        next_action: {
          type: 'use_stripe_sdk',
          use_stripe_sdk: {
            type: 'stripe_3ds2_fingerprint',
            three_d_secure_2_source: source,
            directory_server_name: pm.card?.brand ?? 'visa',
            merchant: 'acct_emulator',
          },
        },
      });
    }
    // 3-D Secure without Stripe.js, or PayPal: the browser goes to the emulator's redirect page
    // and comes back.
    if (returnUrl === undefined) {
      throw invalidRequest(
        'A return_url must be specified because this SetupIntent requires a redirect to authenticate the payment method (3-D Secure or PayPal).',
        'return_url',
        'setup_intent_invalid_parameter',
      );
    }
    const redirect: SetupIntentRedirect = {
      kind: outcome.kind === 'paypal' ? 'paypal' : 'three_d_secure',
      returnUrl,
    };
    state.setupIntentRedirects.set(si.id, redirect);
    const url = new URL(`${redirectBase(req)}/redirect/${encodeURIComponent(si.id)}`);
    url.searchParams.set('client_secret', si.client_secret ?? '');
    return state.put({
      ...si,
      status: 'requires_action',
      payment_method: pm.id,
      last_setup_error: null,
      next_action: {
        type: 'redirect_to_url',
        redirect_to_url: {url: url.toString(), return_url: returnUrl},
      },
    });
  };

  const checkTypeAllowed = (si: Stripe.SetupIntent, type: string, param: string): void => {
    if (!si.payment_method_types.includes(type)) {
      throw invalidRequest(
        `The PaymentMethod provided (${type}) is not allowed for this SetupIntent. Please attach a PaymentMethod of one of the following types: ${si.payment_method_types.join(', ')}.`,
        param,
        'setup_intent_invalid_parameter',
      );
    }
  };

  /** Attaches the method to the intent's customer and marks the intent succeeded. */
  const succeed = (si: Stripe.SetupIntent, pm: Stripe.PaymentMethod): Stripe.SetupIntent =>
    succeedOrHold(state, {...si, payment_method: pm.id}, pm);

  // ---- Stripe.js' 3-D Secure challenge (publishable key) -----------------------------------

  /**
   * Stripe.js completes the challenge of its modal here, with the source of the
   * `use_stripe_sdk` next action. `outcome` stands in for what the issuer's test page decides
   * (Stripe's test page offers „Complete" and „Fail"). Answers once; the SetupIntent then says
   * how it ended, which Stripe.js reads with `retrieveSetupIntent`.
   */
  router.post('/v1/3ds2/challenge_complete', (req, res) => {
    const p = input(req);
    allowOnly(p, ['source', 'outcome']);
    const source = requiredString(p, 'source');
    const outcome = requiredString(p, 'outcome');
    if (outcome !== 'authenticated' && outcome !== 'failed') {
      throw invalidRequest('Invalid outcome: must be one of authenticated, failed', 'outcome');
    }
    const waiting = [...state.setupIntentRedirects].find(([, r]) => r.source === source);
    const si = waiting && state.setupIntents.get(waiting[0]);
    if (!si || si.status !== 'requires_action') throw resourceMissing(source, 'source');
    const after = completeRedirect(state, si, outcome === 'authenticated');
    res.json({
      id: source,
      object: 'three_d_secure_2_challenge',
      state: after.status === 'requires_payment_method' ? 'failed' : 'succeeded',
    });
  });

  return router;
}

/**
 * The end of a successful setup: the method is attached to the customer and the intent
 * `succeeded` — unless the emulator was told to hold setups in `processing`.
 */
function succeedOrHold(
  state: EmulatorState,
  si: Stripe.SetupIntent,
  method?: Stripe.PaymentMethod,
): Stripe.SetupIntent {
  const pm =
    method ??
    (typeof si.payment_method === 'string'
      ? state.paymentMethods.get(si.payment_method)
      : undefined);
  if (state.holdSetupsInProcessing > 0) {
    state.holdSetupsInProcessing -= 1;
    if (pm) state.put(pm);
    return state.put({...si, status: 'processing', next_action: null, last_setup_error: null});
  }
  if (pm && typeof si.customer === 'string') state.put({...pm, customer: si.customer});
  return state.put({...si, status: 'succeeded', next_action: null, last_setup_error: null});
}

/** Lets every SetupIntent held in `processing` succeed, as the bank's answer would. */
export function settleProcessingSetupIntents(state: EmulatorState): Stripe.SetupIntent[] {
  return [...state.setupIntents.values()]
    .filter((si) => si.status === 'processing')
    .map((si) => succeedOrHold(state, si));
}

/**
 * Ends a redirect (approve or cancel on the redirect page). Returns the intent afterwards;
 * an intent no longer waiting is returned unchanged, so a repeated POST is harmless.
 */
export function completeRedirect(
  state: EmulatorState,
  si: Stripe.SetupIntent,
  approve: boolean,
): Stripe.SetupIntent {
  const redirect = state.setupIntentRedirects.get(si.id);
  if (si.status !== 'requires_action' || !redirect) return si;
  const pm =
    typeof si.payment_method === 'string' ? state.paymentMethods.get(si.payment_method) : undefined;
  if (approve && pm) return succeedOrHold(state, si);
  const error: Stripe.SetupIntent.LastSetupError =
    redirect.kind === 'paypal'
      ? {
          code: 'setup_intent_authentication_failure',
          doc_url: docUrl('setup_intent_authentication_failure'),
          message:
            'The customer did not approve the PayPal billing agreement (cancelled on the PayPal page). Please try again or choose a different payment method.',
          type: 'invalid_request_error',
        }
      : {
          code: 'setup_intent_authentication_failure',
          doc_url: docUrl('setup_intent_authentication_failure'),
          message:
            'The latest attempt to set up the payment method has failed because authentication failed.',
          type: 'invalid_request_error',
        };
  if (pm) error.payment_method = pm;
  return state.put({
    ...si,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_setup_error: error,
  });
}
