import {http, HttpResponse, type HttpHandler} from 'msw';
import {
  MAX_CARRIERS,
  type BillingDetailsRequest,
  type CarrierGrant,
  type Customer,
  type ErrorCode,
  type FieldError,
  type FleetBillingResult,
  type FleetDriver,
  type Invoice,
  type PaymentMethod,
  type SessionInfo,
} from '../../../common/contract.js';
import {carrierGrants, customers} from './portal-fixtures.js';

/**
 * The carrier-access half of the mocked portal server („Spedition" and „Fahrer"): grants per
 * Gate Pass, the fleet of the session's accounts, the bulk save of billing details and the
 * fleet's yearly export. It shares the session and the customers' details with
 * portal-api-mock.ts, which hands it what it needs (`CarrierMockAccess`).
 */

export interface CarrierMockAccess {
  session(): SessionInfo | null;
  setSession(session: SessionInfo): void;
  customerNow(customerId: string): Customer;
  paymentMethodsOf(customerId: string): PaymentMethod[];
  invoicesOf(customerId: string): Invoice[];
  /** The server's field errors for `PUT /api/billing-details` (empty: valid). */
  billingProblems(body: BillingDetailsRequest): Record<string, FieldError>;
  saveBillingDetails(customerId: string, body: BillingDetailsRequest): void;
  zip(filename: string): Response;
}

/** How one driver's bulk save goes wrong (by customer ID), instead of saving. */
export type BulkRowFailure = NonNullable<FleetBillingResult['error']>;

const grants = new Map<string, CarrierGrant[]>();
const bulkFailures = new Map<string, BulkRowFailure>();
let bulkGate: {ids: Set<string>; released: Promise<void>} | null = null;

function apiError(status: number, code: ErrorCode) {
  return HttpResponse.json({error: {code, message: code}}, {status});
}

/** The carriers of a Gate Pass as the server has them now. */
export function grantsOf(customerId: string): CarrierGrant[] {
  if (!grants.has(customerId)) {
    grants.set(customerId, structuredClone(carrierGrants[customerId] ?? []));
  }
  return grants.get(customerId)!;
}

/** Makes the bulk save of `customerId` fail with `error` (until the mock is reset). */
export function failBulkSaveOf(customerId: string, error: BulkRowFailure) {
  bulkFailures.set(customerId, error);
}

/** Every driver's bulk save works again. */
export function clearBulkFailures() {
  bulkFailures.clear();
}

/**
 * Holds every bulk request that names one of `customerIds` until the returned function is
 * called: the rows of other requests show their results meanwhile.
 */
export function holdBulkRequestsFor(customerIds: string[]): () => void {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  bulkGate = {ids: new Set(customerIds), released};
  return release;
}

export function resetCarrierMock() {
  grants.clear();
  bulkFailures.clear();
  bulkGate = null;
}

function fleetDriver(access: CarrierMockAccess, summary: SessionInfo['accounts'][number]) {
  const customer = access.customerNow(summary.customerId);
  const subscription = customers[summary.customerId].account.subscription;
  const methods = access.paymentMethodsOf(summary.customerId);
  return {
    customerId: summary.customerId,
    name: customer.name,
    email: customer.email,
    access: summary.access,
    subscription: subscription && {
      status: subscription.status,
      currentPeriodEnd: subscription.currentPeriodEnd,
      amount: subscription.amount,
      currency: subscription.currency,
    },
    defaultPaymentMethod: methods.find((method) => method.isDefault) ?? null,
    billingName: customer.name,
    taxIds: customer.taxIds,
    openInvoice: access.invoicesOf(summary.customerId).some((invoice) => invoice.status === 'open'),
  } satisfies FleetDriver;
}

/** The handlers, in front of nothing: portal-api-mock.ts lists them with its own. */
export function carrierHandlers(access: CarrierMockAccess): HttpHandler[] {
  const activeAccount = () => {
    const session = access.session();
    return session?.accounts.find((account) => account.customerId === session.activeCustomerId);
  };
  return [
    http.get('*/api/carrier-access', () => {
      const account = activeAccount();
      if (!account) return apiError(401, 'not_authenticated');
      return HttpResponse.json({carriers: grantsOf(account.customerId)});
    }),
    http.post('*/api/carrier-access', async ({request}) => {
      const account = activeAccount();
      if (!account) return apiError(401, 'not_authenticated');
      if (account.access !== 'owner') return apiError(403, 'owner_only');
      const email = String(((await request.json()) as {email?: string}).email ?? '')
        .trim()
        .toLowerCase();
      if (!/^[^@\s,"]+@[^@\s,"]+\.[a-z]{2,}$/i.test(email)) return apiError(400, 'invalid_email');
      const list = grantsOf(account.customerId);
      if (email === access.customerNow(account.customerId).email?.toLowerCase()) {
        return apiError(422, 'own_address');
      }
      if (list.some((grant) => grant.email === email)) return apiError(409, 'already_granted');
      if (list.length >= MAX_CARRIERS) return apiError(422, 'too_many_carriers');
      const grant = {email, grantedAt: Math.floor(Date.now() / 1000)};
      list.push(grant);
      return HttpResponse.json(grant, {status: 201});
    }),
    http.delete('*/api/carrier-access/:email', ({params}) => {
      const account = activeAccount();
      if (!account) return apiError(401, 'not_authenticated');
      if (account.access !== 'owner') return apiError(403, 'owner_only');
      const list = grantsOf(account.customerId);
      const index = list.findIndex((grant) => grant.email === params.email);
      if (index < 0) return apiError(404, 'not_found');
      list.splice(index, 1);
      return new HttpResponse(null, {status: 204});
    }),
    http.get('*/api/fleet', () => {
      const session = access.session();
      if (!session) return apiError(401, 'not_authenticated');
      return HttpResponse.json({
        drivers: session.accounts.map((account) => fleetDriver(access, account)),
      });
    }),
    http.put('*/api/fleet/billing-details', async ({request}) => {
      const session = access.session();
      if (!session) return apiError(401, 'not_authenticated');
      const {customerIds, details} = (await request.json()) as {
        customerIds: string[];
        details: BillingDetailsRequest;
      };
      const gate = bulkGate;
      if (gate && customerIds.some((id) => gate.ids.has(id))) {
        await gate.released;
      }
      const fields = access.billingProblems(details);
      if (Object.keys(fields).length) {
        return HttpResponse.json(
          {error: {code: 'validation_failed', message: 'invalid', fields}},
          {status: 422},
        );
      }
      const results = customerIds.map((customerId): FleetBillingResult => {
        if (!session.accounts.some((account) => account.customerId === customerId)) {
          return {customerId, status: 'failed', error: {code: 'not_found', message: 'not_found'}};
        }
        const failure = bulkFailures.get(customerId);
        if (failure) return {customerId, status: 'failed', error: failure};
        access.saveBillingDetails(customerId, details);
        return {customerId, status: 'saved'};
      });
      return HttpResponse.json({results});
    }),
    http.get('*/api/fleet/invoices/export', ({request}) => {
      if (!access.session()) return apiError(401, 'not_authenticated');
      const year = new URL(request.url).searchParams.get('year') ?? '';
      if (!/^\d{4}$/.test(year)) return apiError(400, 'invalid_request');
      return access.zip(`CONROO-Rechnungen-Fahrer-${year}.zip`);
    }),
    http.delete('*/api/fleet/:customerId', ({params}) => {
      const session = access.session();
      if (!session) return apiError(401, 'not_authenticated');
      const account = session.accounts.find(
        (candidate) => candidate.customerId === params.customerId,
      );
      if (!account || account.access !== 'carrier') return apiError(404, 'not_found');
      const list = grantsOf(account.customerId);
      grants.set(
        account.customerId,
        list.filter((grant) => grant.email !== session.email),
      );
      const accounts = session.accounts.filter((candidate) => candidate !== account);
      access.setSession({
        ...session,
        accounts,
        activeCustomerId:
          session.activeCustomerId === account.customerId
            ? (accounts[0]?.customerId ?? '')
            : session.activeCustomerId,
      });
      return new HttpResponse(null, {status: 204});
    }),
  ];
}
