import type {
  BillingDetailsRequest,
  FleetBillingDetailsRequest,
  FleetBillingDetailsResponse,
  FleetResponse,
} from '../../common/contract.js';
import type {PortalApiClient} from './portal-api-client.js';

// The fleet overview („Fahrer") of the API (`../shared/design/api.md`, „Carrier access"): every
// account the session holds, at once.

/** Every driver (account) the session holds, with what the fleet overview shows of each. */
export function getFleet(api: PortalApiClient, signal?: AbortSignal) {
  return api.request<FleetResponse>('/api/fleet', {signal, needsSession: true});
}

/** The same billing details for several drivers; one result per driver. */
export function saveFleetBillingDetails(
  api: PortalApiClient,
  customerIds: string[],
  details: BillingDetailsRequest,
  signal?: AbortSignal,
) {
  return api.request<FleetBillingDetailsResponse>('/api/fleet/billing-details', {
    method: 'PUT',
    body: {customerIds, details} satisfies FleetBillingDetailsRequest,
    signal,
    needsSession: true,
  });
}

/** Where a year's invoices of every driver are downloaded as one ZIP; for links. */
export function fleetInvoiceExportUrl(api: PortalApiClient, year: number): string {
  return `${api.baseUrl}/api/fleet/invoices/export?${new URLSearchParams({year: String(year)})}`;
}
