import {Router, type RequestHandler} from 'express';
import {z} from 'zod';
import {closeSignal, sendDownload} from '../http/download.js';
import {sendJson} from '../http/json.js';
import {activeCustomerOf} from '../http/active-account.js';
import {parse} from '../http/validate.js';
import type {Logger} from '../logger.js';
import type {BillingService} from '../services/billing.js';
import {accountingYearOf} from '../../common/accounting-year.js';
import type {InvoiceDocuments} from '../services/invoice-documents.js';
import type {EInvoices} from '../services/e-invoice/e-invoices.js';

const InvoicesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  startingAfter: z.string().max(255).optional(),
});

const EInvoiceQuery = z.strictObject({format: z.enum(['xrechnung', 'zugferd'])});

/** From 2000 (before any CONROO invoice) to next year (German time), as four digits. */
export const exportQuery = (now: number) => {
  const latest = accountingYearOf(now) + 1;
  return z.strictObject({
    year: z
      .string()
      .regex(/^\d{4}$/, 'A four-digit year')
      .transform(Number)
      .refine((year) => year >= 2000 && year <= latest, `A year from 2000 to ${latest}`),
  });
};

/**
 * „Rechnungen": the list, one PDF, one e-invoice, a year's ZIP; always of the session's active
 * customer.
 */
export function invoiceRoutes(deps: {
  billing: BillingService;
  documents: InvoiceDocuments;
  eInvoices: EInvoices;
  /** `activeAccount`: a session that still holds its active customer. */
  active: RequestHandler;
  log: Logger;
  now: () => number;
}): Router {
  const {billing, documents, eInvoices, active, log, now} = deps;
  const router = Router();

  router.get('/invoices', active, async (req, res) => {
    const query = parse(InvoicesQuery, req.query);
    sendJson(res, await billing.invoicesJson(activeCustomerOf(res), query));
  });

  router.get('/invoices/export', active, async (req, res) => {
    const {year} = parse(exportQuery(now()), req.query);
    const zip = await documents.yearExport(activeCustomerOf(res), year, closeSignal(res));
    await sendDownload(res, zip, log);
  });

  router.get('/invoices/:id/pdf', active, async (req, res) => {
    const customerId = activeCustomerOf(res);
    const pdf = await documents.pdf(customerId, String(req.params.id), closeSignal(res));
    await sendDownload(res, pdf, log);
  });

  // XRechnung (CII XML) or ZUGFeRD (Stripe's PDF with the XML inside); `409` without one.
  router.get('/invoices/:id/e-invoice', active, async (req, res) => {
    const {format} = parse(EInvoiceQuery, req.query);
    const customerId = activeCustomerOf(res);
    const file = await eInvoices.download(
      customerId,
      String(req.params.id),
      format,
      closeSignal(res),
    );
    await sendDownload(res, file, log);
  });

  return router;
}
