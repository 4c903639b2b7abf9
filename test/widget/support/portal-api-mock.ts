import {http, HttpResponse, type HttpHandler} from 'msw';
import {COUNTRY_CODES, parseTaxId, REGION_REQUIRED} from '../../../common/billing-rules.js';
import type {
  AddressInput,
  BillingDetailsRequest,
  Customer,
  ErrorCode,
  FieldError,
  FieldProblem,
  Invoice,
  PaymentMethod,
  SessionInfo,
} from '../../../common/contract.js';
import {customers, customersByEmail, sessionFor} from './portal-fixtures.js';
import {carrierHandlers, resetCarrierMock} from './carrier-api-mock.js';
import {setupTestWorker} from './test-requests.js';

/**
 * A small stateful stand-in for the portal server, behind msw's service worker: enough
 * session logic (cookie-less, one session per page) for the element's flows.
 */

export interface RecordedRequest {
  method: string;
  origin: string;
  path: string;
  search: string;
  body: unknown;
  credentials: RequestCredentials;
}

/** A SetupIntent as the mocked server and the mocked Stripe emulator share it. */
export interface MockSetupIntent {
  id: string;
  clientSecret: string;
  customerId: string;
  status: 'requires_payment_method' | 'requires_action' | 'processing' | 'succeeded';
  /** The method it saves once it has succeeded. */
  paymentMethod?: PaymentMethod;
  /** Why the last attempt failed, as Stripe keeps it on the intent. */
  lastSetupError?: {type: string; code: string; message: string};
  /** The 3-D Secure source Stripe.js' challenge completes. */
  source?: string;
}

interface MockState {
  session: SessionInfo | null;
  /** Extra invoices per customer, replacing the fixture's list (for paging). */
  invoices: Record<string, Invoice[]>;
  /** The overview's latest invoices per customer, replacing the fixture's. */
  recentInvoices: Record<string, Invoice[]>;
  /** Each customer's payment methods, copied from the fixtures on first use and then changed. */
  paymentMethods: Record<string, PaymentMethod[]>;
  setupIntents: Map<string, MockSetupIntent>;
  /**
   * Whether `POST /api/payment-methods/setup-intents` names the Stripe.js stand-in as
   * `stripeJsUrl` (its sources, as the test server serves them: `standInPath`); without, the
   * element loads Stripe.js itself (unit tests stub it).
   */
  standIn: boolean;
  /** Customers whose details changed (`PUT /api/billing-details`), replacing the fixtures'. */
  customers: Record<string, Customer>;
  /** How the next `PUT /api/billing-details` goes wrong, if it should. */
  billingDetailsFailure: BillingDetailsFailure | null;
  /** An accepted save that is not in "Stripe" yet, by customer. */
  pendingSaves: Record<string, Customer>;
}

/** A way for the next `PUT /api/billing-details` to fail (once). */
export type BillingDetailsFailure =
  | {status: 422; fields: Record<string, FieldError>}
  | {status: 503}
  /**
   * Accepts the save but Stripe does not confirm it yet (`503 save_pending`): the account says
   * `billingDetailsPending` until `completePendingSave()`.
   */
  | {pending: true};

export const linkTokens: Record<string, string> = {
  'token-fahrer': 'fahrer@example.com',
  'token-zwei': 'zwei@example.com',
  'token-offen': 'offen@example.com',
  'token-firma': 'firma@example.com',
};

const state: MockState = {
  session: null,
  invoices: {},
  recentInvoices: {},
  paymentMethods: {},
  setupIntents: new Map(),
  standIn: true,
  customers: {},
  billingDetailsFailure: null,
  pendingSaves: {},
};
let taxIdCount = 0;
let setupIntentCount = 0;

/** Every request of the current test that reached the mocked API, in order. */
export const requests: RecordedRequest[] = [];

function apiError(status: number, code: ErrorCode, headers?: Record<string, string>) {
  return HttpResponse.json({error: {code, message: code}}, {status, headers});
}

async function record(request: Request) {
  const url = new URL(request.url);
  let body: unknown = undefined;
  const text = await request.clone().text();
  if (text) {
    body = request.headers.get('Content-Type')?.startsWith('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(text))
      : JSON.parse(text);
  }
  requests.push({
    method: request.method,
    origin: url.origin,
    path: url.pathname,
    search: url.search,
    body,
    credentials: request.credentials,
  });
}

function activeCustomer() {
  return state.session ? customers[state.session.activeCustomerId] : undefined;
}

/** The customer's details as the server has them now. */
export function customerNow(customerId: string): Customer {
  return state.customers[customerId] ?? customers[customerId].account.customer;
}

const requestKeys = ['name', 'phone', 'address', 'shipping', 'taxId', 'reference'];
const addressKeys = ['line1', 'line2', 'postalCode', 'city', 'state', 'country'];

/**
 * The field error the server would send for `problem`. Its message is only the code: the element
 * must not read it (the server's are English for developers).
 */
export function fieldError(problem: FieldProblem): FieldError {
  return {...problem, message: problem.code};
}

/** A few of the server's checks, with its field error codes and dotted paths. */
function billingDetailsProblems(body: Record<string, unknown>): Record<string, FieldError> {
  const fields: Record<string, FieldError> = {};
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  for (const key of Object.keys(body)) {
    if (!requestKeys.includes(key)) fields[key] = fieldError({code: 'unknown_field'});
  }
  if (!text(body.name)) fields.name = fieldError({code: 'required'});
  const checkAddress = (prefix: string, address: Record<string, unknown> | undefined) => {
    if (!address) {
      fields[prefix] = fieldError({code: 'required'});
      return;
    }
    for (const key of Object.keys(address)) {
      if (!addressKeys.includes(key))
        fields[`${prefix}.${key}`] = fieldError({code: 'unknown_field'});
    }
    for (const key of ['line1', 'postalCode', 'city']) {
      if (!text(address[key])) fields[`${prefix}.${key}`] = fieldError({code: 'required'});
    }
    const country = text(address.country);
    if (!COUNTRY_CODES.includes(country)) {
      fields[`${prefix}.country`] = fieldError({code: 'country'});
    }
    if (country === 'DE' && text(address.postalCode) && !/^\d{5}$/.test(text(address.postalCode))) {
      fields[`${prefix}.postalCode`] = fieldError({code: 'postal_code', params: {country: 'DE'}});
    }
    if (REGION_REQUIRED.has(country) && !text(address.state)) {
      fields[`${prefix}.state`] = fieldError({code: 'region', params: {country}});
    }
  };
  const address = body.address as Record<string, unknown> | undefined;
  checkAddress('address', address);
  const shipping = body.shipping as Record<string, unknown> | null | undefined;
  if (shipping) {
    if (!text(shipping.name)) fields['shipping.name'] = fieldError({code: 'required'});
    checkAddress('shipping.address', shipping.address as Record<string, unknown> | undefined);
  }
  const taxId = body.taxId as {value?: string} | null | undefined;
  if (taxId) {
    const country = text(address?.country);
    const parsed = parseTaxId(taxId.value ?? '', {country});
    if ('problem' in parsed) fields['taxId.value'] = fieldError(parsed.problem);
  }
  return fields;
}

function toAddress(address: AddressInput) {
  return {
    line1: address.line1,
    line2: address.line2 ?? null,
    postalCode: address.postalCode,
    city: address.city,
    state: address.state ?? null,
    country: address.country,
  };
}

/** The customer with `body`'s details, as a save would leave it (not saved yet). */
function withBillingDetails(customerId: string, body: BillingDetailsRequest): Customer {
  const current = customerNow(customerId);
  const parsed = body.taxId ? parseTaxId(body.taxId.value, {country: body.address.country}) : null;
  const wanted = parsed && !('problem' in parsed) ? parsed : null;
  const kept = current.taxIds.filter(
    (taxId) => wanted && taxId.type === wanted.type && taxId.value === wanted.value,
  );
  const taxIds =
    kept.length || !wanted
      ? kept
      : [
          {
            id: `txi_mock${++taxIdCount}`,
            type: wanted.type,
            value: wanted.value,
            verification: {status: 'pending' as const, verifiedName: null},
          },
        ];
  return {
    ...current,
    name: body.name.trim(),
    phone: body.phone ?? null,
    address: toAddress(body.address),
    shipping: body.shipping
      ? {
          name: body.shipping.name,
          phone: body.shipping.phone ?? null,
          address: toAddress(body.shipping.address),
        }
      : null,
    taxIds,
    // Omitted: unchanged; null or blank: removed (api.md).
    reference: body.reference === undefined ? current.reference : body.reference?.trim() || null,
  };
}

/** The customer's payment methods as the server has them now, default first. */
export function paymentMethodsOf(customerId: string): PaymentMethod[] {
  state.paymentMethods[customerId] ??= structuredClone(customers[customerId].paymentMethods);
  return state.paymentMethods[customerId];
}

function makeDefault(customerId: string, paymentMethodId: string): PaymentMethod {
  const methods = paymentMethodsOf(customerId).map((method) => ({
    ...method,
    isDefault: method.id === paymentMethodId,
  }));
  methods.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  state.paymentMethods[customerId] = methods;
  return methods[0];
}

/** Test cards of the emulator (and of Stripe): what confirming with each number does. */
const testCards: Record<string, 'succeed' | 'decline' | 'authenticate'> = {
  '4242424242424242': 'succeed',
  '4000000000000002': 'decline',
  '4000002500003155': 'authenticate',
};

function stripeError(status: number, error: Record<string, string>) {
  return HttpResponse.json({error}, {status});
}

/** What Stripe answers Stripe.js (publishable key) about a SetupIntent. */
function stripeView(
  setupIntent: MockSetupIntent,
  nextAction: Record<string, unknown> | null = null,
) {
  return {
    id: setupIntent.id,
    object: 'setup_intent',
    client_secret: setupIntent.clientSecret,
    status: setupIntent.status,
    next_action: nextAction,
    last_setup_error: setupIntent.lastSetupError ?? null,
    payment_method: setupIntent.paymentMethod?.id ?? null,
  };
}

const handlers: HttpHandler[] = [
  http.all('*/api/*', async ({request}) => {
    await record(request);
    // Fall through to the specific handler.
    return undefined;
  }),
  http.post('*/api/auth/email-link', async ({request}) => {
    const {email} = (await request.json()) as {email: string};
    if (!/^[^@\s,"]+@[^@\s,"]+\.[a-z]{2,}$/i.test(email)) {
      return apiError(400, 'invalid_email');
    }
    return HttpResponse.json({status: 'sent'}, {status: 202});
  }),
  http.post('*/api/auth/session', async ({request}) => {
    const {token} = (await request.json()) as {token: string};
    if (token === 'token-expired') return apiError(401, 'link_expired');
    if (token === 'token-used') return apiError(401, 'link_used');
    const email = linkTokens[token];
    if (!email) return apiError(401, 'link_invalid');
    state.session = sessionFor(email);
    return HttpResponse.json(state.session);
  }),
  http.get('*/api/session', () =>
    state.session ? HttpResponse.json(state.session) : apiError(401, 'not_authenticated'),
  ),
  http.post('*/api/session/account', async ({request}) => {
    if (!state.session) return apiError(401, 'not_authenticated');
    const {customerId} = (await request.json()) as {customerId: string};
    if (!state.session.accounts.some((account) => account.customerId === customerId)) {
      return apiError(403, 'forbidden');
    }
    state.session = {...state.session, activeCustomerId: customerId};
    return HttpResponse.json(state.session);
  }),
  http.delete('*/api/session', () => {
    state.session = null;
    return new HttpResponse(null, {status: 204});
  }),
  http.get('*/api/account', () => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const methods = paymentMethodsOf(customer.account.customer.id);
    return HttpResponse.json({
      ...customer.account,
      recentInvoices:
        state.recentInvoices[customer.account.customer.id] ?? customer.account.recentInvoices,
      customer: customerNow(customer.account.customer.id),
      defaultPaymentMethod: methods.find((method) => method.isDefault) ?? null,
      ...(state.pendingSaves[customer.account.customer.id] ? {billingDetailsPending: true} : {}),
    });
  }),
  http.put('*/api/billing-details', async ({request}) => {
    const fixture = activeCustomer();
    if (!fixture) return apiError(401, 'not_authenticated');
    const failure = state.billingDetailsFailure;
    state.billingDetailsFailure = null;
    if (failure && 'status' in failure) {
      return failure.status === 422
        ? HttpResponse.json(
            {error: {code: 'validation_failed', message: 'invalid', fields: failure.fields}},
            {status: 422},
          )
        : apiError(503, 'stripe_unavailable');
    }
    const body = (await request.json()) as BillingDetailsRequest;
    const fields = billingDetailsProblems(body as unknown as Record<string, unknown>);
    if (Object.keys(fields).length) {
      return HttpResponse.json(
        {error: {code: 'validation_failed', message: 'invalid', fields}},
        {status: 422},
      );
    }
    const updated = withBillingDetails(fixture.account.customer.id, body);
    if (failure && 'pending' in failure) {
      state.pendingSaves[updated.id] = updated;
      return apiError(503, 'save_pending', {'Retry-After': '1'});
    }
    state.customers[updated.id] = updated;
    return HttpResponse.json({customer: updated});
  }),
  http.get('*/api/payment-methods', () => {
    const customer = activeCustomer();
    return customer
      ? HttpResponse.json({paymentMethods: paymentMethodsOf(customer.account.customer.id)})
      : apiError(401, 'not_authenticated');
  }),
  http.post('*/api/payment-methods/setup-intents', ({request}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const setupIntent = createSetupIntent(customer.account.customer.id);
    return HttpResponse.json(
      {
        clientSecret: setupIntent.clientSecret,
        publishableKey: mockPublishableKey,
        stripeJsUrl: state.standIn ? new URL(standInPath, request.url).href : null,
      },
      {status: 201},
    );
  }),
  http.post('*/api/payment-methods/setup-intents/complete', async ({request}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const customerId = customer.account.customer.id;
    const {setupIntentId} = (await request.json()) as {setupIntentId: string};
    const setupIntent = state.setupIntents.get(setupIntentId);
    if (!setupIntent || setupIntent.customerId !== customerId) return apiError(404, 'not_found');
    if (setupIntent.status !== 'succeeded' || !setupIntent.paymentMethod) {
      return apiError(409, 'setup_incomplete');
    }
    const methods = paymentMethodsOf(customerId);
    if (!methods.some((method) => method.id === setupIntent.paymentMethod!.id)) {
      methods.push(setupIntent.paymentMethod);
    }
    return HttpResponse.json({
      paymentMethod: makeDefault(customerId, setupIntent.paymentMethod.id),
    });
  }),
  http.post('*/api/payment-methods/:id/default', ({params}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const customerId = customer.account.customer.id;
    if (!paymentMethodsOf(customerId).some((method) => method.id === params.id)) {
      return apiError(404, 'not_found');
    }
    return HttpResponse.json({paymentMethod: makeDefault(customerId, String(params.id))});
  }),
  http.delete('*/api/payment-methods/:id', ({params}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const customerId = customer.account.customer.id;
    const methods = paymentMethodsOf(customerId);
    const method = methods.find((candidate) => candidate.id === params.id);
    if (!method) return apiError(404, 'not_found');
    const running =
      customer.account.subscription && customer.account.subscription.status !== 'canceled';
    if (method.isDefault && running) return apiError(409, 'default_payment_method');
    state.paymentMethods[customerId] = methods.filter((candidate) => candidate !== method);
    return new HttpResponse(null, {status: 204});
  }),
  // The Stripe emulator, as the Stripe.js stand-in reaches it (Stripe.js' wire format): it
  // calls `v1/` beside the folder it was loaded from, as it calls the emulator that serves it.
  http.post('*/demo/v1/setup_intents/:id/confirm', async ({request, params}) => {
    await record(request);
    const form = new URLSearchParams(await request.text());
    const setupIntent = state.setupIntents.get(String(params.id));
    if (!setupIntent || form.get('client_secret') !== setupIntent.clientSecret) {
      return stripeError(400, {type: 'invalid_request_error', code: 'resource_missing'});
    }
    if (form.get('key') !== mockPublishableKey) {
      return stripeError(401, {type: 'invalid_request_error', code: 'api_key_required'});
    }
    const type = form.get('payment_method_data[type]');
    if (type === 'paypal') {
      setupIntent.paymentMethod = paypalMethod(setupIntent.id);
      setupIntent.status = 'requires_action';
      // A same-document URL, so that following it keeps the test page.
      const approval = new URL(location.href);
      approval.hash = 'mock-paypal-approval';
      return HttpResponse.json(
        stripeView(setupIntent, {
          type: 'redirect_to_url',
          redirect_to_url: {url: approval.href, return_url: form.get('return_url')},
        }),
      );
    }
    const number = form.get('payment_method_data[card][number]') ?? '';
    const outcome = testCards[number];
    if (!outcome) {
      return stripeError(402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: 'payment_method_data[card][number]',
      });
    }
    if (outcome === 'decline') {
      setupIntent.status = 'requires_payment_method';
      return stripeError(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      });
    }
    setupIntent.paymentMethod = {
      id: `pm_card_${setupIntent.id}`,
      type: 'card',
      card: {
        brand: 'visa',
        last4: number.slice(-4),
        expMonth: Number(form.get('payment_method_data[card][exp_month]')),
        expYear: Number(form.get('payment_method_data[card][exp_year]')),
      },
      isDefault: false,
    };
    if (outcome === 'authenticate') {
      setupIntent.status = 'requires_action';
      setupIntent.source = `src_${setupIntent.id}`;
      return HttpResponse.json(
        stripeView(setupIntent, {
          type: 'use_stripe_sdk',
          use_stripe_sdk: {
            type: 'stripe_3ds2_fingerprint',
            three_d_secure_2_source: setupIntent.source,
          },
        }),
      );
    }
    setupIntent.status = 'succeeded';
    return HttpResponse.json(stripeView(setupIntent));
  }),
  http.get('*/demo/v1/setup_intents/:id', async ({request, params}) => {
    await record(request);
    const query = new URL(request.url).searchParams;
    const setupIntent = state.setupIntents.get(String(params.id));
    if (!setupIntent || query.get('client_secret') !== setupIntent.clientSecret) {
      return stripeError(400, {type: 'invalid_request_error', code: 'resource_missing'});
    }
    return HttpResponse.json(stripeView(setupIntent));
  }),
  http.post('*/demo/v1/3ds2/challenge_complete', async ({request}) => {
    await record(request);
    const form = new URLSearchParams(await request.text());
    const setupIntent = [...state.setupIntents.values()].find(
      (candidate) => candidate.source && candidate.source === form.get('source'),
    );
    if (!setupIntent) {
      return stripeError(404, {type: 'invalid_request_error', code: 'resource_missing'});
    }
    if (form.get('outcome') === 'authenticated') {
      setupIntent.status = 'succeeded';
    } else {
      setupIntent.status = 'requires_payment_method';
      setupIntent.lastSetupError = {
        type: 'invalid_request_error',
        code: 'setup_intent_authentication_failure',
        message: 'The latest attempt to set up the payment method has failed.',
      };
    }
    return HttpResponse.json({id: setupIntent.source, object: 'three_d_secure_2_challenge'});
  }),
  http.get('*/api/invoices', ({request}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const after = url.searchParams.get('startingAfter');
    const all = state.invoices[customer.account.customer.id] ?? customer.invoices;
    const start = after ? all.findIndex((invoice) => invoice.id === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    return HttpResponse.json({invoices: page, hasMore: start + limit < all.length});
  }),
  http.get('*/api/invoices/export', ({request}) => {
    if (!activeCustomer()) return apiError(401, 'not_authenticated');
    const year = new URL(request.url).searchParams.get('year') ?? '';
    if (!/^\d{4}$/.test(year)) return apiError(400, 'invalid_request');
    return download(zipBytes, 'application/zip', `CONROO-Rechnungen-${year}.zip`);
  }),
  http.get('*/api/invoices/:id/pdf', ({params}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const all = state.invoices[customer.account.customer.id] ?? customer.invoices;
    const invoice = all.find(({id}) => id === params.id);
    if (!invoice) return apiError(404, 'not_found');
    return download(pdfBytes, 'application/pdf', `CONROO-Rechnung-${invoice.number}.pdf`);
  }),
  http.get('*/api/invoices/:id/e-invoice', ({params, request}) => {
    const customer = activeCustomer();
    if (!customer) return apiError(401, 'not_authenticated');
    const all = state.invoices[customer.account.customer.id] ?? customer.invoices;
    const invoice = all.find(({id}) => id === params.id);
    if (!invoice) return apiError(404, 'not_found');
    const format = new URL(request.url).searchParams.get('format');
    if (format !== 'xrechnung' && format !== 'zugferd') return apiError(400, 'invalid_request');
    if (invoice.status === 'draft') return apiError(409, 'e_invoice_unavailable');
    const name = `CONROO-Rechnung-${invoice.number}`;
    return format === 'xrechnung'
      ? download(xmlBytes, 'application/xml', `${name}.xml`)
      : download(pdfBytes, 'application/pdf', `${name}.pdf`);
  }),
  ...carrierHandlers({
    session: () => state.session,
    setSession: (session) => {
      state.session = session;
    },
    customerNow,
    paymentMethodsOf,
    invoicesOf: (customerId) => state.invoices[customerId] ?? customers[customerId].invoices,
    billingProblems: (body) => billingDetailsProblems(body as unknown as Record<string, unknown>),
    saveBillingDetails: (customerId, body) => {
      state.customers[customerId] = withBillingDetails(customerId, body);
    },
    zip: (filename) => download(zipBytes, 'application/zip', filename),
  }),
];

/** Enough of a PDF and a ZIP to tell them apart (their magic numbers). */
export const pdfBytes = new TextEncoder().encode('%PDF-1.7\n%mock invoice\n%%EOF\n');
export const xmlBytes = new TextEncoder().encode(
  '<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice/>',
);
export const zipBytes = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

function download(bytes: Uint8Array, contentType: string, filename: string) {
  return new HttpResponse(bytes.slice().buffer, {
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${filename}"`,
    },
  });
}

/** The mock, answering only the current test's requests (test-requests.ts). */
export const worker = setupTestWorker(...handlers);

let started: Promise<unknown> | undefined;

/** Starts the service worker once per test page. */
export function startMockApi() {
  started ??= worker.start({
    serviceWorker: {url: '/test/widget/mockServiceWorker.js', options: {scope: '/'}},
    quiet: true,
    onUnhandledRequest(request, print) {
      if (new URL(request.url).pathname.startsWith('/api/')) {
        print.error();
      }
    },
  });
  return started;
}

/** Back to a logged-out server with the fixture data and no recorded requests. */
export function resetMockApi() {
  worker.resetHandlers();
  state.session = null;
  state.invoices = {};
  state.recentInvoices = {};
  state.paymentMethods = {};
  state.setupIntents.clear();
  state.standIn = true;
  state.customers = {};
  state.billingDetailsFailure = null;
  state.pendingSaves = {};
  resetCarrierMock();
  requests.length = 0;
}

/** The server completes the accepted save of `customerId`: "Stripe" holds it now. */
export function completePendingSave(customerId: string) {
  const saved = state.pendingSaves[customerId];
  if (!saved) throw new Error(`No pending save of ${customerId}`);
  state.customers[customerId] = saved;
  delete state.pendingSaves[customerId];
}

/** The server takes the accepted save of `customerId` back: "Stripe" refused it on the way. */
export function refusePendingSave(customerId: string) {
  if (!state.pendingSaves[customerId]) throw new Error(`No pending save of ${customerId}`);
  delete state.pendingSaves[customerId];
}

/** Makes the next `PUT /api/billing-details` fail in the given way. */
export function failNextBillingDetailsUpdate(failure: BillingDetailsFailure) {
  state.billingDetailsFailure = failure;
}

/** Changes a customer's details on the server's side (e.g. a tax ID's verification). */
export function changeCustomer(customerId: string, change: Partial<Customer>) {
  state.customers[customerId] = {...customerNow(customerId), ...change};
}

function createSetupIntent(customerId: string): MockSetupIntent {
  setupIntentCount += 1;
  const id = `seti_mock${setupIntentCount}`;
  const setupIntent: MockSetupIntent = {
    id,
    clientSecret: `${id}_secret_mock${setupIntentCount}`,
    customerId,
    status: 'requires_payment_method',
  };
  state.setupIntents.set(id, setupIntent);
  return setupIntent;
}

function paypalMethod(setupIntentId: string): PaymentMethod {
  return {
    id: `pm_paypal_${setupIntentId}`,
    type: 'paypal',
    paypal: {email: 'firma@paypal.example'},
    isDefault: false,
  };
}

/** A SetupIntent that a redirect (PayPal) has already approved, or not, at Stripe. */
export function setupIntentAfterRedirect(
  customerId: string,
  status: 'succeeded' | 'processing' | 'requires_payment_method',
): MockSetupIntent {
  const setupIntent = createSetupIntent(customerId);
  setupIntent.status = status;
  if (status !== 'requires_payment_method') {
    setupIntent.paymentMethod = paypalMethod(setupIntent.id);
  } else {
    setupIntent.lastSetupError = {
      type: 'invalid_request_error',
      code: 'setup_intent_authentication_failure',
      message: 'The customer did not approve.',
    };
  }
  return setupIntent;
}

/** The Stripe.js stand-in's sources, as the test server serves them (and transpiles). */
export const standInPath = '/demo/stripe-js/stripe.ts';

/** Where the stand-in served from `standInPath` finds "Stripe's API" (the emulator's root). */
export const stripeApiPath = '/demo/v1';

/** The publishable key the mocked server hands out. */
export const mockPublishableKey = 'pk_test_mock';

/** Makes the server name no stand-in: the element then loads Stripe.js (tests stub it). */
export function withoutStandIn() {
  state.standIn = false;
}

export function setupIntentById(id: string) {
  return state.setupIntents.get(id);
}

/** The SetupIntent created last (its id counts up across tests). */
export function lastSetupIntent(): MockSetupIntent {
  const all = [...state.setupIntents.values()];
  if (!all.length) throw new Error('No SetupIntent was created.');
  return all[all.length - 1];
}

export function signInAs(email: keyof typeof customersByEmail) {
  state.session = sessionFor(email);
}

/** Ends the session on the server's side, as an idle timeout would. */
export function expireSession() {
  state.session = null;
}

export function setInvoices(customerId: string, invoices: Invoice[]) {
  state.invoices[customerId] = invoices;
}

/** What `GET /api/account` answers as the customer's latest invoices. */
export function setRecentInvoices(customerId: string, invoices: Invoice[]) {
  state.recentInvoices[customerId] = invoices;
}

export function requestsTo(method: string, path: string) {
  return requests.filter((request) => request.method === method && request.path === path);
}

export {apiError};
