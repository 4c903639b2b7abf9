import type Stripe from 'stripe';

/** `CONROO-Rechnung-CONROO-2026-0005.xml`: like the PDF's name (`invoicePdfName`). */
export const eInvoiceXmlName = (invoice: Stripe.Invoice): string =>
  `CONROO-Rechnung-${(invoice.number ?? invoice.id).replace(/[^A-Za-z0-9-]/g, '_')}.xml`;
