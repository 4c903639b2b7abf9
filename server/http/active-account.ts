import type {NextFunction, Request, RequestHandler, Response} from 'express';
import {ApiError, notFound} from '../errors.js';
import type {HeldAccount, HeldAccounts} from '../services/held-accounts.js';
import {sessionOf, type SessionCookie} from './session.js';

declare module 'express-serve-static-core' {
  interface Locals {
    /** The session's active account, checked for this request (`activeAccount`). */
    account?: HeldAccount;
  }
}

/**
 * Guards a route that acts on the session's active customer: a session (401 otherwise), and the
 * session still holds the customer — owned, or carrier-held with the customer's metadata naming
 * the session's address now (`HeldAccounts.access`, through the store-wide cache). An ended
 * carrier access is `404`, as if the customer did not exist, from the next request on.
 */
export function activeAccount(cookie: SessionCookie, accounts: HeldAccounts): RequestHandler {
  const required = cookie.required();
  return (req: Request, res: Response, next: NextFunction) => {
    const check = async (error?: unknown) => {
      if (error) return next(error);
      const claims = sessionOf(res);
      const held = await accounts.access(claims, claims.activeCustomerId);
      if (!held) return next(notFound('This session does not hold that account'));
      res.locals.account = held;
      next();
    };
    Promise.resolve(required(req, res, (error?: unknown) => void check(error).catch(next))).catch(
      next,
    );
  };
}

/** The active account `activeAccount` checked. */
export const activeAccountOf = (res: Response): HeldAccount => {
  const account = res.locals.account;
  if (!account) throw new ApiError(401, 'not_authenticated', 'Log in first');
  return account;
};

/** The active customer's ID, checked by `activeAccount`. */
export const activeCustomerOf = (res: Response): string => activeAccountOf(res).customerId;
