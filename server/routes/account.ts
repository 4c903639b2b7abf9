import {Router} from 'express';
import {sendJson} from '../http/json.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import type {BillingDetailsSaves} from '../services/billing-details-save.js';
import type {BillingService} from '../services/billing.js';

/** How long a dashboard load waits for an unfinished save to be carried forward. */
const SETTLE_WAIT_MS = 2000;

/** The dashboard's reads (invoices: `invoices.ts`): always the session's active customer, never an ID from the client. */
export function accountRoutes(deps: {
  billing: BillingService;
  saves: BillingDetailsSaves;
  cookie: SessionCookie;
}): Router {
  const {billing, saves, cookie} = deps;
  const router = Router();
  const authenticated = cookie.required();

  router.get('/account', authenticated, async (_req, res) => {
    const customerId = sessionOf(res).activeCustomerId;
    // A save accepted earlier and not yet in Stripe is carried forward first, so the dashboard
    // shows what the driver saved; while it waits for Stripe the answer says so.
    const pending = await saves.settleWithin(customerId, SETTLE_WAIT_MS);
    const account = await billing.accountJson(customerId);
    if (pending) res.json({...JSON.parse(account), billingDetailsPending: true});
    else sendJson(res, account);
  });

  router.get('/payment-methods', authenticated, async (_req, res) => {
    sendJson(res, await billing.paymentMethodsJson(sessionOf(res).activeCustomerId));
  });

  return router;
}
