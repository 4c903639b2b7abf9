import {Router, type RequestHandler} from 'express';
import {z} from 'zod';
import type {CarrierAccessResponse, FleetResponse} from '../../common/contract.js';
import {ApiError} from '../errors.js';
import {activeAccountOf} from '../http/active-account.js';
import {clientKey} from '../http/client-key.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {parse} from '../http/validate.js';
import type {CarrierAccessService} from '../services/carrier-access.js';
import type {CarrierGrantMails} from '../services/carrier-grant-mails.js';
import type {HeldAccounts} from '../services/held-accounts.js';
import type {OwnerNotices} from '../services/owner-notices.js';

const GrantBody = z.strictObject({
  email: z.unknown(),
  /** The language of the carrier's mail (the element's); else the owner's, else German. */
  locale: z.string().max(35).optional(),
});

/**
 * „Spedition": the owner's side (`/api/carrier-access`, on the active customer) and the
 * carrier's (`/api/fleet`: every account the session holds; giving one back). Every change is
 * told to the Gate Pass owner after the answer.
 */
export function carrierAccessRoutes(deps: {
  carrierAccess: CarrierAccessService;
  accounts: HeldAccounts;
  grantMails: CarrierGrantMails;
  notices: OwnerNotices;
  cookie: SessionCookie;
  /** `activeAccount`: a session that still holds its active customer. */
  active: RequestHandler;
}): Router {
  const {carrierAccess, accounts, grantMails, notices, cookie, active} = deps;
  const router = Router();

  router.get('/carrier-access', active, async (_req, res) => {
    const answer: CarrierAccessResponse = {
      carriers: await carrierAccess.list(sessionOf(res), activeAccountOf(res)),
    };
    res.json(answer);
  });

  router.post('/carrier-access', active, async (req, res) => {
    if (typeof (req.body as {email?: unknown} | undefined)?.email !== 'string') {
      throw new ApiError(400, 'invalid_email', 'Send {"email": "..."}');
    }
    const body = parse(GrantBody, req.body);
    const claims = sessionOf(res);
    const held = activeAccountOf(res);
    const carrier = carrierAccess.checkGrant(claims, held, body.email);
    // Before anything is granted: over the IP's limit, nothing happens (429).
    await grantMails.limitIp(clientKey(req.ip));
    const {grant, repeated, driver, ownerLocale} = await carrierAccess.give(claims, held, carrier);
    const mail = () =>
      grantMails.send({
        carrier,
        driver,
        customerId: held.customerId,
        locale: body.locale ?? ownerLocale ?? undefined,
      });
    if (repeated) {
      // Mailed again: an earlier answer may have been lost before its mail went out. The IP
      // and address limits hold as for the first; nothing changed, so no notice.
      mail();
      throw new ApiError(409, 'already_granted', 'This address has access already');
    }
    res.status(201).json(grant);
    mail();
    notices.changed(held.customerId, {kind: 'access_given', carrier}, claims);
  });

  router.delete('/carrier-access/:email', active, async (req, res) => {
    const claims = sessionOf(res);
    const held = activeAccountOf(res);
    const ended = await carrierAccess.end(claims, held, String(req.params.email));
    // Ending an access that is not there (any more) is done already: 204 all the same.
    res.status(204).end();
    if (ended) notices.changed(held.customerId, {kind: 'access_ended', carrier: ended}, claims);
  });

  router.get('/fleet', cookie.required(), async (_req, res) => {
    const drivers = await accounts.drivers(sessionOf(res));
    if (drivers.length === 0) {
      throw new ApiError(401, 'not_authenticated', 'The session holds no account any more');
    }
    const answer: FleetResponse = {drivers};
    res.json(answer);
  });

  router.delete('/fleet/:customerId', cookie.required(), async (req, res) => {
    const claims = sessionOf(res);
    const customerId = String(req.params.customerId);
    await carrierAccess.giveBack(claims, customerId);
    res.status(204).end();
    notices.changed(customerId, {kind: 'access_given_back', carrier: claims.email}, claims);
  });

  return router;
}
