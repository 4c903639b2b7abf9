import {Router} from 'express';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {type BillingDetailsService, validateBillingDetails} from '../services/billing-details.js';

/** „Rechnung und Versand": one PUT for the whole change, always the session's active customer. */
export function billingDetailsRoutes(deps: {
  billingDetails: BillingDetailsService;
  cookie: SessionCookie;
}): Router {
  const router = Router();
  router.put('/billing-details', deps.cookie.required(), async (req, res) => {
    const details = validateBillingDetails(req.body);
    res.json(await deps.billingDetails.update(sessionOf(res).activeCustomerId, details));
  });
  return router;
}
