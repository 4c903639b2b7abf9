import {Router} from 'express';
import {sendJson} from '../http/json.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import type {BillingService} from '../services/billing.js';

/** The dashboard's reads (invoices: `invoices.ts`): always the session's active customer, never an ID from the client. */
export function accountRoutes(deps: {billing: BillingService; cookie: SessionCookie}): Router {
  const {billing, cookie} = deps;
  const router = Router();
  const authenticated = cookie.required();

  router.get('/account', authenticated, async (_req, res) => {
    sendJson(res, await billing.accountJson(sessionOf(res).activeCustomerId));
  });

  router.get('/payment-methods', authenticated, async (_req, res) => {
    sendJson(res, await billing.paymentMethodsJson(sessionOf(res).activeCustomerId));
  });

  return router;
}
