import {Router} from 'express';
import {closeSignal, sendDownload} from '../http/download.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {parse} from '../http/validate.js';
import type {Logger} from '../logger.js';
import type {FleetAccess} from '../services/fleet-access.js';
import {FleetInvoiceExport} from '../services/fleet-invoice-export.js';
import type {InvoiceDocuments} from '../services/invoice-documents.js';
import {exportQuery} from './invoices.js';

/** „Rechnungen" of a fleet: every account the session holds, a year's invoices as one ZIP. */
export function fleetInvoiceRoutes(deps: {
  documents: InvoiceDocuments;
  access: FleetAccess;
  cookie: SessionCookie;
  log: Logger;
  now: () => number;
  /** `FLEET_CONCURRENCY`: Stripe requests of one export at a time. */
  concurrency: number;
}): Router {
  const {access, cookie, log, now} = deps;
  const exports = new FleetInvoiceExport(deps.documents, {concurrency: deps.concurrency, now});
  const router = Router();

  router.get('/fleet/invoices/export', cookie.required(), async (req, res) => {
    const {year} = parse(exportQuery(now()), req.query);
    const session = sessionOf(res);
    const members = await access.members(session);
    const holds = (customerId: string) => access.holds(session, customerId);
    await sendDownload(res, exports.yearExport(members, year, holds, closeSignal(res)), log);
  });

  return router;
}
