import {Router} from 'express';
import {z} from 'zod';
import {ApiError} from '../errors.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {parse} from '../http/validate.js';
import type {BillingService} from '../services/billing.js';
import {isStripeHostedUrl} from '../services/stripe-mappers.js';

const InvoicesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  startingAfter: z.string().max(255).optional(),
});

/** The dashboard's reads: always the session's active customer, never an ID from the client. */
export function accountRoutes(deps: {
  billing: BillingService;
  cookie: SessionCookie;
  /** Where invoice PDFs may be fetched from besides Stripe's own hosts (an emulator). */
  extraPdfOrigins: ReadonlySet<string>;
}): Router {
  const {billing, cookie, extraPdfOrigins} = deps;
  const router = Router();
  const authenticated = cookie.required();

  router.get('/account', authenticated, async (_req, res) => {
    res.json(await billing.account(sessionOf(res).activeCustomerId));
  });

  router.get('/payment-methods', authenticated, async (_req, res) => {
    res.json(await billing.paymentMethods(sessionOf(res).activeCustomerId));
  });

  router.get('/invoices', authenticated, async (req, res) => {
    const query = parse(InvoicesQuery, req.query);
    res.json(await billing.invoices(sessionOf(res).activeCustomerId, query));
  });

  router.get('/invoices/:id/pdf', authenticated, async (req, res) => {
    const invoice = await billing.invoiceOf(sessionOf(res).activeCustomerId, String(req.params.id));
    const source = invoice.invoice_pdf;
    const allowed =
      source && (isStripeHostedUrl(source) || extraPdfOrigins.has(new URL(source).origin));
    if (!allowed) throw new ApiError(404, 'not_found', 'This invoice has no PDF yet');
    const upstream = await fetch(source, {redirect: 'follow', signal: AbortSignal.timeout(20_000)});
    if (!upstream.ok || !upstream.body) {
      throw new ApiError(503, 'stripe_unavailable', 'The PDF cannot be fetched just now', {
        retryAfterSeconds: 5,
      });
    }
    const name = `CONROO-Rechnung-${(invoice.number ?? invoice.id!).replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'private, no-store',
    });
    const reader = upstream.body.getReader();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  });

  return router;
}
