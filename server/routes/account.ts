import {Router, type RequestHandler} from 'express';
import {activeCustomerOf} from '../http/active-account.js';
import {sendJson} from '../http/json.js';
import type {BillingDetailsSaves} from '../services/billing-details-save.js';
import type {BillingService} from '../services/billing.js';

/** How long a dashboard load waits for an unfinished save to be carried forward. */
const SETTLE_WAIT_MS = 2000;

/** The dashboard's reads (invoices: `invoices.ts`): always the session's active customer, never an ID from the client. */
export function accountRoutes(deps: {
  billing: BillingService;
  saves: BillingDetailsSaves;
  /** `activeAccount`: a session that still holds its active customer. */
  active: RequestHandler;
}): Router {
  const {billing, saves, active} = deps;
  const router = Router();

  router.get('/account', active, async (_req, res) => {
    const customerId = activeCustomerOf(res);
    // A save accepted earlier and not yet in Stripe is carried forward first, so the dashboard
    // shows what the driver saved; while it waits for Stripe the answer says so.
    const pending = await saves.settleWithin(customerId, SETTLE_WAIT_MS);
    const account = await billing.accountJson(customerId);
    if (pending) res.json({...JSON.parse(account), billingDetailsPending: true});
    else sendJson(res, account);
  });

  router.get('/payment-methods', active, async (_req, res) => {
    sendJson(res, await billing.paymentMethodsJson(activeCustomerOf(res)));
  });

  return router;
}
