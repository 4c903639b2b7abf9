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

export const TOKEN_FRAGMENT = 'conroo-portal-token';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Magic links: proves ownership of an address that bought a Gate Pass. */
export class MagicLinkService {
  readonly #mailer: Mailer;

  constructor(
    private readonly deps: {
      config: Config;
      store: Store;
      billing: BillingService;
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
    await this.#consume(this.#limiter('link-ip', this.#limits.linksPerIp15Min, 900), input.ip);
    const locale = mailLocale(typeof input.locale === 'string' ? input.locale : undefined);
    this.deps.background.run(() => this.#sendLink(email, locale));
  }

  async #sendLink(email: string, locale: MailLocale): Promise<void> {
    const {store, billing, config, log} = this.deps;
    const limits = this.#limits;
    try {
      await this.#limiter('link-address', limits.linksPerAddress15Min, 900).consume(email);
      await this.#limiter('link-address-day', limits.linksPerAddressDay, 86400).consume(email);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        log.warn('login link not sent: address over its limit', {email: maskEmail(email)});
        return;
      }
      throw error;
    }
    const customers = await billing.findCustomersByEmail(email);
    if (customers.length === 0) {
      log.info('login link not sent: no customer', {email: maskEmail(email)});
      return;
    }
    const token = randomBytes(32).toString('base64url');
    const ttl = config.magicLinkTtlSeconds;
    // The single-use record first: if the store cannot keep it (Redis down), this throws and no
    // mail goes out, so no link ever exists without the state that makes it single-use.
    await store.putLink(
      {
        tokenHash: hashToken(token),
        email,
        customerIds: customers.map((c) => c.id),
        expiresAt: this.#now() + ttl,
      },
      // Kept a while past expiry so that a late click hears "expired", not "invalid".
      ttl + 86400,
    );
    const link = new URL(config.portalUrl);
    link.hash = `${TOKEN_FRAGMENT}=${token}`;
    const mail = renderLoginLinkMail({
      link: link.toString(),
      locale,
      validSeconds: ttl,
    });
    try {
      await this.#mailer.send({to: customers[0].email, ...mail});
    } catch (error) {
      // Same answer as always for the person asking (202 went out before); they can ask again.
      log.error('login mail not sent', {
        email: maskEmail(email),
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    log.info('login link sent', {email: maskEmail(email), accounts: customers.length});
  }

  /** Exchanges a link's token once; returns who it proves. */
  async exchange(input: {
    token: unknown;
    ip: string;
  }): Promise<{email: string; customerIds: string[]}> {
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
    return {email: taken.record.email, customerIds: taken.record.customerIds};
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
