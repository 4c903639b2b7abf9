import type {PortalApiClient} from './portal-api-client.js';

// The e-invoices of the API (`../shared/design/api.md`, `GET /api/invoices/:id/e-invoice`),
// used by „Rechnungen" only, so they load with it rather than with the login form.

/** The e-invoice formats: XRechnung (CII XML) and ZUGFeRD (Stripe's PDF with that XML inside). */
export type EInvoiceFormat = 'xrechnung' | 'zugferd';

/** Where one invoice's e-invoice is downloaded in `format`; for links. */
export function eInvoiceUrl(api: PortalApiClient, invoiceId: string, format: EInvoiceFormat) {
  return `${api.baseUrl}/api/invoices/${encodeURIComponent(invoiceId)}/e-invoice?${new URLSearchParams({format})}`;
}
