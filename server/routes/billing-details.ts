import {Router} from 'express';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {validateBillingDetails} from '../services/billing-details.js';
import type {BillingDetailsSaves} from '../services/billing-details-save.js';

/** „Rechnung und Versand": one PUT for the whole change, always the session's active customer. */
export function billingDetailsRoutes(deps: {
  saves: BillingDetailsSaves;
  cookie: SessionCookie;
}): Router {
  const router = Router();
  router.put('/billing-details', deps.cookie.required(), async (req, res) => {
    const details = validateBillingDetails(req.body);
    res.json(await deps.saves.save(sessionOf(res).activeCustomerId, details));
  });
  return router;
}
