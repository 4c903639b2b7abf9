import {Router, type Response} from 'express';
import {z} from 'zod';
import type {EmailLinkResponse, SessionInfo} from '../../common/contract.js';
import {ApiError} from '../errors.js';
import {clientKey} from '../http/client-key.js';
import {sessionOf, type SessionCookie} from '../http/session.js';
import {parse} from '../http/validate.js';
import {summaryOfRow} from '../services/account-rows.js';
import type {BillingService} from '../services/billing.js';
import type {HeldAccounts} from '../services/held-accounts.js';
import type {MagicLinkService} from '../services/magic-links.js';
import type {SessionClaims, SessionTokens} from '../services/session-tokens.js';
import type {Store} from '../store/store.js';

const EmailLinkBody = z.strictObject({
  email: z.string().max(320),
  locale: z.string().max(35).optional(),
});
const ExchangeBody = z.strictObject({token: z.string().max(200)});
const SwitchBody = z.strictObject({customerId: z.string().max(255)});

/** `/api/auth/*` and `/api/session`: magic links in, a session cookie out. */
export function authRoutes(deps: {
  magicLinks: MagicLinkService;
  tokens: SessionTokens;
  cookie: SessionCookie;
  billing: BillingService;
  accounts: HeldAccounts;
  store: Store;
  now: () => number;
}): Router {
  const {magicLinks, tokens, cookie, billing, accounts, store, now} = deps;
  const router = Router();

  /**
   * The accounts the session holds now: the owned ones (JWT), then those whose owners gave its
   * address access (checked now). When the active one has gone (its access ended), the first
   * other one becomes active (a new cookie); when none is left the session answers like a
   * logged-out one, `401 not_authenticated`.
   */
  const sessionInfo = async (claims: SessionClaims, res: Response): Promise<SessionInfo> => {
    const [owned, carried] = await Promise.all([
      billing.accountSummaries(claims.customerIds),
      accounts.carrierRows(claims.email),
    ]);
    const held = [
      ...owned,
      ...carried
        .filter((row) => !claims.customerIds.includes(row.customerId))
        .map((row) => summaryOfRow(row, 'carrier')),
    ];
    if (held.length === 0) {
      throw new ApiError(401, 'not_authenticated', 'The session holds no account any more');
    }
    let current = claims;
    if (!held.some((account) => account.customerId === claims.activeCustomerId)) {
      const renewed = tokens.renew(claims, {activeCustomerId: held[0].customerId});
      cookie.set(res, renewed.token, renewed.claims);
      current = renewed.claims;
    }
    return {
      email: current.email,
      accounts: held,
      activeCustomerId: current.activeCustomerId,
      expiresAt: current.exp,
    };
  };

  const revoke = (claims: SessionClaims) =>
    store.revokeSession(claims.jti, Math.max(60, tokens.absoluteExpiry(claims) - now()));

  router.post('/auth/email-link', async (req, res) => {
    if (typeof (req.body as {email?: unknown} | undefined)?.email === 'string') {
      const body = parse(EmailLinkBody, req.body);
      await magicLinks.requestLink({email: body.email, locale: body.locale, ip: clientKey(req.ip)});
    } else {
      throw new ApiError(400, 'invalid_email', 'Send {"email": "..."}');
    }
    const answer: EmailLinkResponse = {status: 'sent'};
    res.status(202).json(answer);
  });

  router.post('/auth/session', async (req, res) => {
    const {token} = parse(ExchangeBody, req.body);
    const proven = await magicLinks.exchange({token, ip: clientKey(req.ip)});
    // A session the browser already had ends here: every login gets a fresh ID.
    const previous = await cookie.read(req);
    if (previous) await revoke(previous);
    if (proven.customerIds.length === 0 && proven.carrierIds.length === 0) {
      throw new ApiError(401, 'link_invalid', 'This login link holds no account');
    }
    const epoch = await store.sessionEpoch();
    const {token: jwt, claims} = tokens.issue(
      proven.email,
      proven.customerIds,
      epoch,
      proven.carrierIds[0],
    );
    cookie.set(res, jwt, claims);
    // The link is used and the cookie set: a Stripe hiccup now must not turn a login into an
    // error the user cannot repeat. The names follow with the next GET /api/session.
    const info = await sessionInfo(claims, res).catch((): SessionInfo => ({
      email: claims.email,
      accounts: [
        ...claims.customerIds.map((customerId) => ({customerId, access: 'owner' as const})),
        ...(claims.customerIds.includes(claims.activeCustomerId)
          ? []
          : [{customerId: claims.activeCustomerId, access: 'carrier' as const}]),
      ].map((account) => ({...account, name: null, email: null, subscriptionStatus: null})),
      activeCustomerId: claims.activeCustomerId,
      expiresAt: claims.exp,
    }));
    res.json(info);
  });

  router.get('/session', cookie.required(), async (_req, res) => {
    res.json(await sessionInfo(sessionOf(res), res));
  });

  router.post('/session/account', cookie.required(), async (req, res) => {
    const {customerId} = parse(SwitchBody, req.body);
    const claims = sessionOf(res);
    // Owned, or carrier-held with the access checked now.
    if (!(await accounts.access(claims, customerId))) {
      throw new ApiError(403, 'forbidden', 'This session does not hold that account');
    }
    const renewed = tokens.renew(claims, {activeCustomerId: customerId});
    cookie.set(res, renewed.token, renewed.claims);
    res.json(await sessionInfo(renewed.claims, res));
  });

  router.delete('/session', async (req, res) => {
    // Revoke first and clear the cookie only then: when the store (Redis) cannot record the
    // revocation the answer is 503 and the cookie stays, so that a retry revokes the session
    // instead of only forgetting it here while a copy of the cookie lives on.
    const claims = await cookie.read(req);
    if (claims) await revoke(claims);
    cookie.clear(res);
    res.status(204).end();
  });

  return router;
}
