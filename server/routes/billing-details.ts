import {Router, type RequestHandler} from 'express';
import {activeCustomerOf} from '../http/active-account.js';
import {sessionOf} from '../http/session.js';
import {validateBillingDetails} from '../services/billing-details.js';
import type {BillingDetailsSaves} from '../services/billing-details-save.js';
import type {OwnerNotices} from '../services/owner-notices.js';

/**
 * „Rechnung und Versand": one PUT for the whole change, always the session's active customer;
 * a saved change is told to the Gate Pass owner after the answer.
 */
export function billingDetailsRoutes(deps: {
  saves: BillingDetailsSaves;
  notices: OwnerNotices;
  /** `activeAccount`: a session that still holds its active customer. */
  active: RequestHandler;
}): Router {
  const router = Router();
  router.put('/billing-details', deps.active, async (req, res) => {
    const details = validateBillingDetails(req.body);
    const customerId = activeCustomerOf(res);
    const session = sessionOf(res);
    // A save answered `503 save_pending` is told when it completes (`onCompletedLater`).
    res.json(await deps.saves.save(customerId, details, session.email));
    deps.notices.changed(customerId, {kind: 'billing_details'}, session);
  });
  return router;
}
