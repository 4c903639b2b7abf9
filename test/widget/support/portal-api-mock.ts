import {http, HttpResponse, type HttpHandler} from 'msw';
import {setupWorker} from 'msw/browser';
import type {ErrorCode, Invoice, SessionInfo} from '../../../server/contract.js';
import {customers, customersByEmail, sessionFor} from './portal-fixtures.js';

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

interface MockState {
  session: SessionInfo | null;
  /** Extra invoices per customer, replacing the fixture's list (for paging). */
  invoices: Record<string, Invoice[]>;
}

export const linkTokens: Record<string, string> = {
  'token-fahrer': 'fahrer@example.com',
  'token-zwei': 'zwei@example.com',
  'token-offen': 'offen@example.com',
};

const state: MockState = {session: null, invoices: {}};

/** Every request that reached the mocked API, in order. */
export const requests: RecordedRequest[] = [];

function apiError(status: number, code: ErrorCode, headers?: Record<string, string>) {
  return HttpResponse.json({error: {code, message: code}}, {status, headers});
}

async function record(request: Request) {
  const url = new URL(request.url);
  let body: unknown = undefined;
  const text = await request.clone().text();
  if (text) {
    body = JSON.parse(text);
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
    return customer ? HttpResponse.json(customer.account) : apiError(401, 'not_authenticated');
  }),
  http.get('*/api/payment-methods', () => {
    const customer = activeCustomer();
    return customer
      ? HttpResponse.json({paymentMethods: customer.paymentMethods})
      : apiError(401, 'not_authenticated');
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
];

export const worker = setupWorker(...handlers);

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
  requests.length = 0;
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

export function requestsTo(method: string, path: string) {
  return requests.filter((request) => request.method === method && request.path === path);
}

export {apiError};
