import type {CookieOptions, NextFunction, Request, RequestHandler, Response} from 'express';
import type {Config} from '../config.js';
import {ApiError} from '../errors.js';
import type {SessionClaims, SessionTokens} from '../services/session-tokens.js';
import type {Store} from '../store/store.js';

declare module 'express-serve-static-core' {
  interface Locals {
    session?: SessionClaims;
  }
}

/** Cookie handling of the session: `__Host-`, HttpOnly, Secure, SameSite=Lax, Path=/. */
export class SessionCookie {
  constructor(
    private readonly config: Config['session'],
    private readonly tokens: SessionTokens,
    private readonly store: Store,
  ) {}

  #options(expiresAt: number): CookieOptions {
    return {
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      expires: new Date(expiresAt * 1000),
    };
  }

  set(res: Response, token: string, claims: SessionClaims) {
    res.cookie(this.config.cookieName, token, this.#options(claims.exp));
    res.locals.session = claims;
  }

  clear(res: Response) {
    res.clearCookie(this.config.cookieName, {
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
    });
  }

  /**
   * The valid, unrevoked session of a request, or `null`. When the store cannot say whether
   * the session was revoked (Redis unreachable) this throws `StoreUnavailableError`, and the
   * request answers `503 service_unavailable`: it fails closed, because failing open would let
   * a cookie copied before a logout work again, and it keeps the cookie (no 401), so the
   * dashboard works again as soon as Redis is back. A store that answers but lost its data
   * (another epoch) cannot vouch for any older session either: that one is `null`, a 401.
   */
  async read(req: Request): Promise<SessionClaims | null> {
    const token: unknown = req.cookies?.[this.config.cookieName];
    if (typeof token !== 'string') return null;
    const claims = this.tokens.verify(token);
    if (!claims || (await this.store.isSessionRevoked(claims.jti, claims.epoch))) return null;
    return claims;
  }

  /** Guards a route: 401 without a session; slides the idle timeout forward while in use. */
  required(): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction) => {
      const claims = await this.read(req);
      // No Set-Cookie on a 401: an answer that overtakes a parallel login would delete the
      // fresh session cookie. An invalid cookie is harmless and expires by itself.
      if (!claims) return next(new ApiError(401, 'not_authenticated', 'Log in first'));
      res.locals.session = claims;
      if (this.tokens.isStale(claims)) {
        const renewed = this.tokens.renew(claims);
        this.set(res, renewed.token, renewed.claims);
      }
      next();
    };
  }
}

export const sessionOf = (res: Response): SessionClaims => {
  const session = res.locals.session;
  if (!session) throw new ApiError(401, 'not_authenticated', 'Log in first');
  return session;
};
