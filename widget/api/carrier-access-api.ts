import type {
  CarrierAccessResponse,
  CarrierGrant,
  GrantCarrierRequest,
} from '../../common/contract.js';
import type {PortalApiClient} from './portal-api-client.js';

// Carrier access („Spedition") of the API (`../shared/design/api.md`, „Carrier access"): the
// owner's side acts on the session's active customer, the carrier's gives a Gate Pass back.

/** The carriers with access to the active Gate Pass. */
export function getCarrierAccess(api: PortalApiClient, signal?: AbortSignal) {
  return api.request<CarrierAccessResponse>('/api/carrier-access', {signal, needsSession: true});
}

/**
 * Gives a carrier access to the active Gate Pass; the server mails the carrier a login link in
 * `locale` (the element's language).
 */
export function grantCarrierAccess(
  api: PortalApiClient,
  email: string,
  locale: string,
  signal?: AbortSignal,
) {
  return api.request<CarrierGrant>('/api/carrier-access', {
    method: 'POST',
    body: {email, locale} satisfies GrantCarrierRequest,
    signal,
    needsSession: true,
  });
}

/** Ends a carrier's access to the active Gate Pass, at once for its open sessions too. */
export function endCarrierAccess(api: PortalApiClient, email: string, signal?: AbortSignal) {
  return api.request<void>(`/api/carrier-access/${encodeURIComponent(email)}`, {
    method: 'DELETE',
    signal,
    needsSession: true,
  });
}

/** The session's carrier gives its access to a driver's Gate Pass back. */
export function returnCarrierAccess(
  api: PortalApiClient,
  customerId: string,
  signal?: AbortSignal,
) {
  return api.request<void>(`/api/fleet/${encodeURIComponent(customerId)}`, {
    method: 'DELETE',
    signal,
    needsSession: true,
  });
}
