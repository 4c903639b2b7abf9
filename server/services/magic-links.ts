import {createHash, randomBytes} from 'node:crypto';
import {RateLimiterRes, type RateLimiterAbstract} from 'rate-limiter-flexible';
import {withRetries, type Mailer} from '../adapters/mailer.js';
import {DEFAULT_RATE_LIMITS, type Config, type RateLimits} from '../config.js';
import {ApiError} from '../errors.js';
import type {Logger} from '../logger.js';
import {mailLocale, renderLoginLinkMail, type MailLocale} from '../mail/login-link-mail.js';
import type {Store} from '../store/store.js';
import type {BackgroundTasks} from './background.js';
import type {BillingService} from './billing.js';
import {maskEmail, normalizeEmail} from './email-address.js';
import type {HeldAccounts} from './held-accounts.js';
import type {RecentOwners} from './recent-owners.js';

export const TOKEN_FRAGMENT = 'conroo-portal-token';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Magic links: proves ownership of an address that bought a Gate Pass, or that a Gate Pass
 * owner gave carrier access to.
 */
export class MagicLinkService {
  readonly #mailer: Mailer;

  constructor(
    private readonly deps: {
      config: Config;
      store: Store;
      billing: BillingService;
      accounts: HeldAccounts;
      owners: RecentOwners;
      mailer: Mailer;
      background: BackgroundTasks;
      log: Logger;
      now?: () => number;
    },
  ) {
    // Postmark stumbling is retried with backoff; the answer has gone out already.
    this.#mailer = withRetries(deps.mailer, {
      delaysMs: deps.config.mailRetryDelaysMs ?? [],
      onRetry: (error, attempt, delayMs) =>
        deps.log.warn('login mail failed, retrying', {
          attempt,
          delayMs,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
  }

  get #limits(): RateLimits {
    return this.deps.config.rateLimits ?? DEFAULT_RATE_LIMITS;
  }

  #now() {
    return this.deps.now?.() ?? Math.floor(Date.now() / 1000);
  }

  #limiter(name: string, points: number, durationSeconds: number) {
    return this.deps.store.rateLimiter({name, points, durationSeconds});
  }

  /**
   * Validates and answers at once; the look-up, limits per address and the mail happen after
   * the answer, so that no client can tell a known address from an unknown one.
   */
  async requestLink(input: {email: unknown; locale?: unknown; ip: string}): Promise<void> {
    const email = normalizeEmail(input.email);
    if (!email) throw new ApiError(400, 'invalid_email', 'Not one plain e-mail address');
    // Redis unreachable: this throws and the request answers 503; nothing is looked up or sent.
    await this.limitIp(input.ip);
    const locale = mailLocale(typeof input.locale === 'string' ? input.locale : undefined);
    this.deps.background.run(() => this.#sendLink(email, locale));
  }

  /**
   * Counts one mail asked for from `ip` (login links and grant mails share the limit); `429
   * rate_limited` over it.
   */
  async limitIp(ip: string): Promise<void> {
    await this.#consume(this.#limiter('link-ip', this.#limits.linksPerIp15Min, 900), ip);
  }

  /**
   * Counts one mail to `email` of `kind` (a login link, a grant mail); `false` when the address
   * is over its limit, which the caller keeps to itself (the answer went out already).
   */
  async withinAddressLimits(kind: 'link' | 'grant', email: string): Promise<boolean> {
    const limits = this.#limits;
    try {
      await this.#limiter(`${kind}-address`, limits.linksPerAddress15Min, 900).consume(email);
      await this.#limiter(`${kind}-address-day`, limits.linksPerAddressDay, 86400).consume(email);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.deps.log.warn(
          `${kind === 'link' ? 'login link' : 'grant mail'} not sent: address over its limit`,
          {
            email: maskEmail(email),
          },
        );
        return false;
      }
      throw error;
    }
  }

  /**
   * What a login link for `email` proves: the customers it owns, and (for the first account of
   * a carrier without its own) those that gave it access. Empty: nobody to log in as. One Stripe
   * search on the way finds both, and what it read of the owned customers is kept for the
   * session and overview that follow the link. Stripe's index lags, so two more reads, which
   * Stripe answers consistently: the address is listed when the search owns none of it or when
   * Stripe told of a customer made its own within the lag (`RecentOwners`), and each customer so
   * told that neither found (its address typed with capitals, which the list does not match) is
   * retrieved: a Gate Pass bought a moment ago.
   */
  async accountsOf(
    email: string,
  ): Promise<{owned: Array<{id: string; email: string}>; carrierIds: string[]}> {
    const askedAt = Date.now();
    const [found, toldIds] = await Promise.all([
      this.deps.accounts.loginLookup(email),
      this.deps.owners.of(email),
    ]);
    const listed =
      found.owned.length === 0 || toldIds.length > 0
        ? await this.deps.billing.findCustomersByEmail(email)
        : [];
    const seen = new Set([...listed, ...found.owned].map((c) => c.id));
    const told = await this.deps.accounts.ownedNow(
      toldIds.filter((id) => !seen.has(id)),
      email,
    );
    const read = [...listed, ...told];
    const readIds = new Set(read.map((c) => c.id));
    // The consistent copy where there is one; the search's where only it has the customer (an
    // address stored with capitals, which the list does not match).
    const searchedOnly = found.owned.filter((c) => !readIds.has(c.id));
    const owned = [...read, ...searchedOnly].sort((a, b) => a.created - b.created);
    // Only saves the session a request: a failure is no reason to keep the link from its owner.
    await Promise.all([
      this.deps.billing.keepFound(read, {askedAt, bySearch: false}),
      this.deps.billing.keepFound(searchedOnly, {askedAt, bySearch: true}),
    ]).catch((error: unknown) =>
      this.deps.log.warn('login look-up not kept for the dashboard', {
        email: maskEmail(email),
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    const ownedIds = new Set(owned.map((c) => c.id));
    return {
      owned: owned.map((c) => ({id: c.id, email: c.email ?? email})),
      carrierIds: found.carried.map((row) => row.customerId).filter((id) => !ownedIds.has(id)),
    };
  }

  /**
   * A fresh single-use link for `email`. The record first: if the store cannot keep it (Redis
   * down), this throws and no mail goes out, so no link ever exists without the state that
   * makes it single-use.
   */
  async issueLink(
    email: string,
    accounts: {customerIds: string[]; carrierIds: string[]},
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const ttl = this.deps.config.magicLinkTtlSeconds;
    await this.deps.store.putLink(
      {
        tokenHash: hashToken(token),
        email,
        customerIds: accounts.customerIds,
        carrierIds: accounts.carrierIds,
        expiresAt: this.#now() + ttl,
      },
      // Kept a while past expiry so that a late click hears "expired", not "invalid".
      ttl + 86400,
    );
    const link = new URL(this.deps.config.portalUrl);
    link.hash = `${TOKEN_FRAGMENT}=${token}`;
    return link.toString();
  }

  async #sendLink(email: string, locale: MailLocale): Promise<void> {
    const {config, log} = this.deps;
    if (!(await this.withinAddressLimits('link', email))) return;
    const {owned, carrierIds} = await this.accountsOf(email);
    if (owned.length === 0 && carrierIds.length === 0) {
      log.info('login link not sent: no customer', {email: maskEmail(email)});
      return;
    }
    const link = await this.issueLink(email, {customerIds: owned.map((c) => c.id), carrierIds});
    const mail = renderLoginLinkMail({link, locale, validSeconds: config.magicLinkTtlSeconds});
    try {
      // The address Stripe holds (a carrier's is the one its owner gave, normalized).
      await this.#mailer.send({to: owned[0]?.email ?? email, ...mail});
    } catch (error) {
      // Same answer as always for the person asking (202 went out before); they can ask again.
      log.error('login mail not sent', {
        email: maskEmail(email),
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    log.info('login link sent', {
      email: maskEmail(email),
      accounts: owned.length,
      carrierAccounts: carrierIds.length,
    });
  }

  /** Exchanges a link's token once; returns who it proves. */
  async exchange(input: {
    token: unknown;
    ip: string;
  }): Promise<{email: string; customerIds: string[]; carrierIds: string[]}> {
    const allowed = this.#limits.failedExchangesPerIp15Min;
    const limiter = this.#limiter('exchange-fail-ip', allowed, 900);
    // Count the try first and give the point back on success: a check-then-count would let a
    // parallel burst of guesses through before any of them is counted.
    await this.#consume(limiter, input.ip);
    const fail = (code: 'link_invalid' | 'link_expired' | 'link_used', message: string) =>
      new ApiError(401, code, message);
    if (typeof input.token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(input.token)) {
      throw fail('link_invalid', 'Not a login link token');
    }
    // Looked up by its SHA-256: what a timing difference could reveal is the hash, not the token,
    // so there is no secret-dependent comparison left to make constant-time.
    const tokenHash = hashToken(input.token);
    const taken = await this.deps.store.takeLink(tokenHash);
    if (taken.status === 'missing') throw fail('link_invalid', 'Unknown login link');
    if (taken.status === 'used') throw fail('link_used', 'This login link was used already');
    if (taken.record.expiresAt <= this.#now()) {
      throw fail('link_expired', 'This login link has expired');
    }
    await limiter.reward(input.ip, 1);
    const {email, customerIds, carrierIds = []} = taken.record;
    return {email, customerIds, carrierIds};
  }

  async #consume(limiter: RateLimiterAbstract, key: string) {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw this.#tooMany(error);
      throw error;
    }
  }

  #tooMany(res: RateLimiterRes) {
    return new ApiError(429, 'rate_limited', 'Too many requests from this address', {
      retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    });
  }
}
