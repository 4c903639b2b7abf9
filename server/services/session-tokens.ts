import {createHash, createSecretKey, randomUUID, type KeyObject} from 'node:crypto';
import jwt from 'jsonwebtoken';
import type {Config} from '../config.js';

const ISSUER = 'conroo-billing-portal';
const AUDIENCE = 'conroo-billing-portal';

/** What the session cookie's JWT carries. Customer IDs come from here, never from the client. */
export interface SessionClaims {
  /** The e-mail address the link was sent to (normalized). */
  email: string;
  /**
   * The customers the address owned at login (their e-mail is the session's). Empty for a
   * carrier without a Gate Pass of its own: carrier-held customers are never in the JWT (300 IDs
   * would not fit a cookie, and an ended access must stop at the next request anyway).
   */
  customerIds: string[];
  /** An owned or a carrier-held customer; every request checks the session still holds it. */
  activeCustomerId: string;
  /** Unique per login: revoked on logout, fresh on every login (no fixation). */
  jti: string;
  /** The store's session epoch at login: a store that lost its revocations has another one. */
  epoch: string;
  /** When the user logged in (Unix seconds): the absolute timeout counts from here. */
  authTime: number;
  /** Idle expiry (Unix seconds), slid forward while the user is active. */
  exp: number;
}

interface JwtPayload {
  sub: string;
  cus: string[];
  act: string;
  auth_time: number;
  jti: string;
  ep: string;
  exp: number;
}

/** How many verified tokens are remembered (a few MB at most). */
const VERIFIED_TOKENS_KEPT = 10_000;

const keyId = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 16);

/** Signs and verifies session JWTs: HS256 pinned, iss/aud checked, `kid` for secret rotation. */
export class SessionTokens {
  // Key objects, made once: given a string, jsonwebtoken first tries it as a PEM public key
  // and catches the failure, on every call (the largest cost of a warm request).
  readonly #secrets: Map<string, KeyObject>;
  readonly #current: {kid: string; secret: KeyObject};
  /** Tokens that passed `verify`, with their claims; the oldest are forgotten first. */
  readonly #verified = new Map<string, SessionClaims>();

  constructor(
    private readonly config: Config['session'],
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    const key = (secret: string) => createSecretKey(Buffer.from(secret, 'utf8'));
    this.#secrets = new Map(config.secrets.map((s) => [keyId(s), key(s)]));
    this.#current = {kid: keyId(config.secrets[0]), secret: key(config.secrets[0])};
  }

  /**
   * A new session for a login in the store's current `epoch`: a fresh `jti`. The active account
   * is the first owned one, else `active` (a carrier-held one).
   */
  issue(
    email: string,
    customerIds: string[],
    epoch: string,
    active?: string,
  ): {token: string; claims: SessionClaims} {
    const authTime = this.now();
    const activeCustomerId = customerIds[0] ?? active;
    if (!activeCustomerId) throw new Error('A session needs an account');
    return this.sign({
      email,
      customerIds,
      activeCustomerId,
      jti: randomUUID(),
      epoch,
      authTime,
      exp: 0,
    });
  }

  /** The same session with a new idle expiry (and possibly another active account). */
  renew(claims: SessionClaims, changes: Partial<Pick<SessionClaims, 'activeCustomerId'>> = {}) {
    return this.sign({...claims, ...changes});
  }

  /** Whether a renewal is worth a new cookie (at most once a minute per session). */
  isStale(claims: SessionClaims): boolean {
    return this.#idleExpiry(claims.authTime) - claims.exp >= 60;
  }

  /** The claims of a valid token, or `null` for anything else (bad signature, `alg: none`, expired…). */
  verify(token: string): SessionClaims | null {
    // A token verified before is checked only against the clock again: nothing else about it
    // can change (revocation is the store's, checked by the caller on every request).
    const known = this.#verified.get(token);
    if (known) {
      if (this.now() < known.exp && this.now() < this.absoluteExpiry(known)) return known;
      this.#verified.delete(token);
      return null;
    }
    const claims = this.#verify(token);
    if (claims) {
      this.#verified.set(token, claims);
      if (this.#verified.size > VERIFIED_TOKENS_KEPT) {
        this.#verified.delete(this.#verified.keys().next().value!);
      }
    }
    return claims;
  }

  #verify(token: string): SessionClaims | null {
    const decoded = jwt.decode(token, {complete: true});
    const kid = decoded && typeof decoded === 'object' ? decoded.header.kid : undefined;
    const secret = kid ? this.#secrets.get(kid) : undefined;
    if (!secret) return null;
    try {
      const payload = jwt.verify(token, secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: this.now(),
      }) as JwtPayload;
      const valid =
        typeof payload.sub === 'string' &&
        Array.isArray(payload.cus) &&
        payload.cus.every((id) => typeof id === 'string') &&
        typeof payload.act === 'string' &&
        payload.act.length > 0 &&
        typeof payload.jti === 'string' &&
        typeof payload.ep === 'string' &&
        typeof payload.auth_time === 'number' &&
        this.now() < payload.auth_time + this.config.absoluteTimeoutSeconds;
      if (!valid) return null;
      return {
        email: payload.sub,
        customerIds: payload.cus,
        activeCustomerId: payload.act,
        jti: payload.jti,
        epoch: payload.ep,
        authTime: payload.auth_time,
        exp: payload.exp,
      };
    } catch {
      return null;
    }
  }

  /** The latest moment a session may live to (Unix seconds). */
  absoluteExpiry(claims: Pick<SessionClaims, 'authTime'>): number {
    return claims.authTime + this.config.absoluteTimeoutSeconds;
  }

  #idleExpiry(authTime: number): number {
    return Math.min(
      this.now() + this.config.idleTimeoutSeconds,
      authTime + this.config.absoluteTimeoutSeconds,
    );
  }

  private sign(claims: SessionClaims): {token: string; claims: SessionClaims} {
    const exp = this.#idleExpiry(claims.authTime);
    const payload: JwtPayload = {
      sub: claims.email,
      cus: claims.customerIds,
      act: claims.activeCustomerId,
      auth_time: claims.authTime,
      jti: claims.jti,
      ep: claims.epoch,
      exp,
    };
    const token = jwt.sign(payload, this.#current.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      keyid: this.#current.kid,
      noTimestamp: false,
    });
    return {token, claims: {...claims, exp}};
  }
}
