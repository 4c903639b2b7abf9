import {Router} from 'express';
import {z} from 'zod';
import {closeSignal, sendDownload} from '../http/download.js';
import {sendJson} from '../http/json.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {parse} from '../http/validate.js';
import type {Logger} from '../logger.js';
import type {BillingService} from '../services/billing.js';
import {accountingYearOf} from '../../common/accounting-year.js';
import type {InvoiceDocuments} from '../services/invoice-documents.js';

const InvoicesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  startingAfter: z.string().max(255).optional(),
});

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

/** „Rechnungen": the list, one PDF, a year's ZIP; always of the session's active customer. */
export function invoiceRoutes(deps: {
  billing: BillingService;
  documents: InvoiceDocuments;
  cookie: SessionCookie;
  log: Logger;
  now: () => number;
}): Router {
  const {billing, documents, cookie, log, now} = deps;
  const router = Router();
  const authenticated = cookie.required();

  router.get('/invoices', authenticated, async (req, res) => {
    const query = parse(InvoicesQuery, req.query);
    sendJson(res, await billing.invoicesJson(sessionOf(res).activeCustomerId, query));
  });

  router.get('/invoices/export', authenticated, async (req, res) => {
    const {year} = parse(exportQuery(now()), req.query);
    const zip = await documents.yearExport(sessionOf(res).activeCustomerId, year, closeSignal(res));
    await sendDownload(res, zip, log);
  });

  router.get('/invoices/:id/pdf', authenticated, async (req, res) => {
    const customerId = sessionOf(res).activeCustomerId;
    const pdf = await documents.pdf(customerId, String(req.params.id), closeSignal(res));
    await sendDownload(res, pdf, log);
  });

  return router;
}
