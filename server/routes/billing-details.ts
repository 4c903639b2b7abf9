import {Router} from 'express';
import {ApiError} from '../errors.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {type BillingDetailsService, validateBillingDetails} from '../services/billing-details.js';
import type {Store} from '../store/store.js';

/** Long enough for the Stripe calls of one save, short enough to outlive a crashed instance. */
const SAVE_LOCK_SECONDS = 60;

/** „Rechnung und Versand": one PUT for the whole change, always the session's active customer. */
export function billingDetailsRoutes(deps: {
  billingDetails: BillingDetailsService;
  cookie: SessionCookie;
  store: Store;
}): Router {
  const router = Router();
  router.put('/billing-details', deps.cookie.required(), async (req, res) => {
    const details = validateBillingDetails(req.body);
    const customerId = sessionOf(res).activeCustomerId;
    // One save per customer at a time, across instances: two saves interleaving their tax-ID
    // steps (create new, remove old) could leave two tax IDs or none.
    const lock = `lock:billing-details:${customerId}`;
    if (!(await deps.store.cacheSet(lock, '1', SAVE_LOCK_SECONDS, {onlyIfAbsent: true}))) {
      throw new ApiError(409, 'save_in_progress', 'Another save of these details is running');
    }
    try {
      res.json(await deps.billingDetails.update(customerId, details));
    } finally {
      await deps.store.cacheDeleteKey(lock);
    }
  });
  return router;
}
