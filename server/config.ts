import {isIP} from 'node:net';

/**
 * Configuration, parsed once at start from the environment. Production and demo differ only
 * here: demo mode points STRIPE_API_BASE and POSTMARK_API_BASE at the emulators in `demo/`.
 */
export interface Config {
  stripe: {
    secretKey: string;
    publishableKey: string;
    /**
     * `STRIPE_API_BASE`: another Stripe API origin (an emulator, an egress proxy); `null` for
     * api.stripe.com. It only points the SDK elsewhere: nothing else follows from it.
     */
    apiBase: URL | null;
    /**
     * `STRIPE_JS_URL`: a Stripe.js stand-in the element loads instead of Stripe.js (the demo's
     * emulator serves one); `null`, the default, for Stripe.js itself through
     * `@stripe/stripe-js`. The element loads it only from its own `api-base` origin.
     */
    stripeJsUrl: URL | null;
    /**
     * `STRIPE_PDF_HOSTS` (comma-separated, default `*.stripe.com`): the hosts an invoice PDF may
     * come from, checked on Stripe's link and on every redirect hop after it. `*.stripe.com`
     * matches any sub-domain (`pay.stripe.com`, `files.stripe.com`) but not `stripe.com`
     * itself, which serves no files. ASCII names (punycode for others), without a port.
     */
    pdfHosts: string[];
    /**
     * `STRIPE_WEBHOOK_SECRET` (`whsec_...`, the signing secret of the webhook endpoint
     * `/api/stripe/webhook`). Optional: without it the endpoint answers 404 and changes made
     * in Stripe itself reach the dashboard when the cache's TTL ends.
     */
    webhookSecret: string | null;
  };
  postmark: {
    serverToken: string;
    /** Another Postmark API origin (the demo's stand-in); `null` for api.postmarkapp.com. */
    apiBase: URL | null;
    messageStream: string;
  };
  mailFrom: string;
  session: {
    /** The signing secret first, then older ones still accepted while a rotation runs. */
    secrets: string[];
    idleTimeoutSeconds: number;
    absoluteTimeoutSeconds: number;
    cookieName: string;
  };
  portalUrl: URL;
  allowedOrigins: string[];
  magicLinkTtlSeconds: number;
  /**
   * `CACHE_TTL_SECONDS` (default 60, at most 3600, 0 turns the cache off): how long what the
   * dashboard reads of a customer is kept, unless a write or a webhook invalidates it first.
   */
  cacheTtlSeconds: number;
  /**
   * `HOST` (default `127.0.0.1`, as for `npm start`): the IP address the server listens on;
   * `0.0.0.0` or `::` for every interface. Loopback unless told otherwise, because an instance
   * that clients reach around its load balancer gets plain HTTP and X-Forwarded-For headers that
   * TRUST_PROXY would believe; in a container, where the load balancer comes in over the
   * container's own interface, set `0.0.0.0`. An address, not a name: `localhost` may resolve to
   * `::1` alone.
   */
  host: string;
  port: number;
  /**
   * `REDIS_URL` (`redis://[:password@]host:port[/db]`, `rediss://` for TLS): where link tokens,
   * revoked sessions, rate limits and the cache live when several instances run; `null` keeps
   * them in this process's memory. `REDIS_PREFIX` (default `conroo:`) starts every key;
   * `REDIS_TIMEOUT_MS` (default 1000) is how long one command may take before the request that
   * needs it answers `503 service_unavailable`.
   */
  redis: {url: string; prefix: string; timeoutMs: number} | null;
  /**
   * Limits of the login links. The defaults are the security model's; raise them only for a
   * load test (`RATE_LIMIT_LINKS_PER_IP_15MIN`, `RATE_LIMIT_LINKS_PER_ADDRESS_15MIN`,
   * `RATE_LIMIT_LINKS_PER_ADDRESS_DAY`, `RATE_LIMIT_FAILED_EXCHANGES_PER_IP_15MIN`).
   */
  rateLimits: RateLimits;
  /**
   * `STRIPE_TIMEOUT_MS` (default 20000): one Stripe request's timeout; the SDK retries twice
   * (`STRIPE_MAX_NETWORK_RETRIES`, default 2) with idempotency keys on every POST.
   */
  stripeTimeoutMs: number;
  stripeMaxNetworkRetries: number;
  /**
   * `MAIL_RETRY_DELAYS_MS` (default `500,2000,5000`): a login mail Postmark refuses with a
   * temporary error (5xx, 429, no answer) is sent again after each of these delays in turn.
   */
  mailRetryDelaysMs: number[];
  /**
   * `SHUTDOWN_DRAIN_MS` (default 5000): how long after SIGTERM the listener still accepts
   * connections, every answer closing its own, so that the load balancer sees `/readyz` answer
   * 503 and stops sending here before connections are refused.
   */
  shutdownDrainMs: number;
  /**
   * `SHUTDOWN_TIMEOUT_MS` (default 25000): how long after SIGTERM, the drain included, requests
   * still running are cut (exit 1); below the orchestrator's own grace period (Kubernetes: 30 s).
   */
  shutdownTimeoutMs: number;
  /**
   * `SAVE_LEASE_MS` (default 6000): one billing-details save per customer at a time, across
   * instances, by a lease its holder renews every third of this; an instance that dies mid-save
   * frees it within this time, and the next save or dashboard load completes its save.
   */
  saveLeaseMs: number;
  /**
   * `SAVE_SWEEP_SECONDS` (default 30, 0 turns it off): how often each instance completes the
   * billing-details saves that Stripe did not confirm and nobody is at.
   */
  saveSweepSeconds: number;
  /** `LOG_LEVEL` (default `info`): `debug`, `info`, `warn`, `error` or `silent`. */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Express `trust proxy`: hops or subnets whose X-Forwarded-For is believed; `false` for none. */
  trustProxy: string | number | false;
}

export interface RateLimits {
  /** Link requests per IP in 15 minutes; over it `429`. */
  linksPerIp15Min: number;
  /** Links per normalized address in 15 minutes; over it nothing is sent (still `202`). */
  linksPerAddress15Min: number;
  linksPerAddressDay: number;
  /** Failed exchanges (wrong, used, expired tokens) per IP in 15 minutes; over it `429`. */
  failedExchangesPerIp15Min: number;
}

/** The security model's limits (`/work/shared/design/security.md`). */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  linksPerIp15Min: 50,
  linksPerAddress15Min: 3,
  linksPerAddressDay: 10,
  failedExchangesPerIp15Min: 20,
};

const RATE_LIMIT_SETTINGS: Record<keyof RateLimits, string> = {
  linksPerIp15Min: 'RATE_LIMIT_LINKS_PER_IP_15MIN',
  linksPerAddress15Min: 'RATE_LIMIT_LINKS_PER_ADDRESS_15MIN',
  linksPerAddressDay: 'RATE_LIMIT_LINKS_PER_ADDRESS_DAY',
  failedExchangesPerIp15Min: 'RATE_LIMIT_FAILED_EXCHANGES_PER_IP_15MIN',
};

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const REQUIRED_SETTINGS = [
  'STRIPE_SECRET_KEY',
  'STRIPE_PUBLISHABLE_KEY',
  'POSTMARK_SERVER_TOKEN',
  'MAIL_FROM',
  'SESSION_SECRET',
  'PORTAL_URL',
  'ALLOWED_ORIGINS',
] as const;

/** A DNS name of letters, digits and inner hyphens (or an IPv4 address): no port, no path. */
const HOST_NAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const DURATION = /^(\d+)\s*(s|m|h|d)?$/;
const UNIT_SECONDS = {s: 1, m: 60, h: 3600, d: 86400} as const;

/** `90`, `90s`, `15m`, `24h`, `1d` → seconds. */
export function parseDuration(value: string): number | null {
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  const unit = (match[2] ?? 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}

/** Reads every setting and fails with the names of all that are missing or wrong at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const get = (name: string) => env[name]?.trim() || undefined;
  for (const name of REQUIRED_SETTINGS) {
    if (!get(name)) problems.push(`${name} is missing`);
  }

  const url = (name: string, required: boolean): URL | null => {
    const raw = get(name);
    if (!raw) return null;
    try {
      const parsed = new URL(raw);
      if (!/^https?:$/.test(parsed.protocol)) throw new Error();
      return parsed;
    } catch {
      if (required || raw) problems.push(`${name} is not an http(s) URL: ${raw}`);
      return null;
    }
  };
  const portalUrl = url('PORTAL_URL', true);
  const stripeApiBase = url('STRIPE_API_BASE', false);
  const stripeJsUrl = url('STRIPE_JS_URL', false);
  const postmarkApiBase = url('POSTMARK_API_BASE', false);

  const pdfHosts: string[] = [];
  for (const raw of (get('STRIPE_PDF_HOSTS') ?? '*.stripe.com').split(',').map((s) => s.trim())) {
    if (!raw) continue;
    const host = raw.toLowerCase();
    // A wildcard needs a domain under it: `*.com` would let any site serve "invoices".
    if (
      host.startsWith('*.')
        ? HOST_NAME.test(host.slice(2)) && host.includes('.', 2)
        : HOST_NAME.test(host)
    ) {
      pdfHosts.push(host);
    } else {
      problems.push(`STRIPE_PDF_HOSTS holds something that is not a host name or *.domain: ${raw}`);
    }
  }
  if (!pdfHosts.length) problems.push('STRIPE_PDF_HOSTS names no host');

  const allowedOrigins: string[] = [];
  for (const raw of (get('ALLOWED_ORIGINS') ?? '').split(',').map((s) => s.trim())) {
    if (!raw) continue;
    try {
      const origin = new URL(raw).origin;
      if (origin === 'null' || origin !== raw.replace(/\/$/, '')) throw new Error();
      allowedOrigins.push(origin);
    } catch {
      problems.push(`ALLOWED_ORIGINS holds something that is not an origin: ${raw}`);
    }
  }

  const secrets = [get('SESSION_SECRET'), ...(get('SESSION_SECRET_PREVIOUS') ?? '').split(',')]
    .map((s) => s?.trim())
    .filter((s): s is string => Boolean(s));
  if (secrets.some((s) => Buffer.byteLength(s) < 32)) {
    problems.push('SESSION_SECRET must be at least 32 random bytes (e.g. `openssl rand -hex 32`)');
  }

  const ttl = parseDuration(get('MAGIC_LINK_TTL') ?? '24h');
  if (ttl === null || ttl < 60) problems.push('MAGIC_LINK_TTL is not a duration of at least 60s');

  const cacheTtl = Number(get('CACHE_TTL_SECONDS') ?? 60);
  if (!Number.isInteger(cacheTtl) || cacheTtl < 0 || cacheTtl > 3600) {
    problems.push('CACHE_TTL_SECONDS is not a whole number of seconds from 0 to 3600');
  }

  const webhookSecret = get('STRIPE_WEBHOOK_SECRET') ?? null;
  if (webhookSecret && !/^whsec_[A-Za-z0-9+/=_-]{8,}$/.test(webhookSecret)) {
    problems.push("STRIPE_WEBHOOK_SECRET is not a webhook signing secret ('whsec_...')");
  }

  const host = get('HOST') ?? '127.0.0.1';
  if (!isIP(host))
    problems.push(`HOST is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::): ${host}`);
  const port = Number(get('PORT') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT is not a port');

  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} is not a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };

  let redis: Config['redis'] = null;
  const redisUrl = get('REDIS_URL');
  if (redisUrl) {
    let ok = false;
    try {
      ok = /^rediss?:$/.test(new URL(redisUrl).protocol);
    } catch {
      // Not a URL at all: reported as not a redis:// URL below.
    }
    // Never echoed: it may hold a password.
    if (!ok) problems.push('REDIS_URL is not a redis:// or rediss:// URL');
    const prefix = env.REDIS_PREFIX ?? 'conroo:';
    if (!/^[A-Za-z0-9:_.-]{0,64}$/.test(prefix)) {
      problems.push('REDIS_PREFIX may hold only letters, digits and : _ . - (at most 64)');
    }
    redis = {url: redisUrl, prefix, timeoutMs: whole('REDIS_TIMEOUT_MS', 1000, 50, 60_000)};
  }

  const rateLimits = {...DEFAULT_RATE_LIMITS};
  for (const key of Object.keys(RATE_LIMIT_SETTINGS) as Array<keyof RateLimits>) {
    rateLimits[key] = whole(RATE_LIMIT_SETTINGS[key], DEFAULT_RATE_LIMITS[key], 1, 10_000_000);
  }

  const stripeTimeoutMs = whole('STRIPE_TIMEOUT_MS', 20_000, 50, 120_000);
  const stripeMaxNetworkRetries = whole('STRIPE_MAX_NETWORK_RETRIES', 2, 0, 5);

  const mailRetryDelaysMs = (get('MAIL_RETRY_DELAYS_MS') ?? '500,2000,5000')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (
    mailRetryDelaysMs.length > 10 ||
    mailRetryDelaysMs.some((n) => !Number.isInteger(n) || n < 0 || n > 600_000)
  ) {
    problems.push(
      'MAIL_RETRY_DELAYS_MS is not a list of up to 10 delays in ms, e.g. 500,2000,5000',
    );
  }

  const shutdownTimeoutMs = whole('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000);
  const saveLeaseMs = whole('SAVE_LEASE_MS', 6000, 300, 120_000);
  const saveSweepSeconds = whole('SAVE_SWEEP_SECONDS', 30, 0, 86_400);
  const shutdownDrainMs = whole('SHUTDOWN_DRAIN_MS', 5_000, 0, 600_000);
  // The timeout counts from SIGTERM: a drain as long would cut every request it let in.
  if (shutdownDrainMs > 0 && shutdownDrainMs >= shutdownTimeoutMs) {
    problems.push('SHUTDOWN_DRAIN_MS is not shorter than SHUTDOWN_TIMEOUT_MS, which includes it');
  }

  const logLevel = (get('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL is not one of ${LOG_LEVELS.join(', ')}`);

  const trustRaw = get('TRUST_PROXY');
  if (trustRaw === 'true') {
    problems.push(
      'TRUST_PROXY=true would believe any X-Forwarded-For; give the number of proxy hops (e.g. 1) or their subnets',
    );
  }
  const trustProxy =
    trustRaw === undefined || trustRaw === 'false'
      ? false
      : /^\d+$/.test(trustRaw)
        ? Number(trustRaw)
        : trustRaw;

  const mailFrom = get('MAIL_FROM');
  if (mailFrom && !mailFrom.includes('@')) problems.push('MAIL_FROM is not an e-mail address');

  if (problems.length) throw new ConfigError(problems);
  return {
    stripe: {
      secretKey: get('STRIPE_SECRET_KEY')!,
      publishableKey: get('STRIPE_PUBLISHABLE_KEY')!,
      apiBase: stripeApiBase,
      stripeJsUrl,
      pdfHosts,
      webhookSecret,
    },
    postmark: {
      serverToken: get('POSTMARK_SERVER_TOKEN')!,
      apiBase: postmarkApiBase,
      messageStream: get('POSTMARK_MESSAGE_STREAM') ?? 'outbound',
    },
    mailFrom: mailFrom!,
    session: {
      secrets,
      idleTimeoutSeconds: 30 * 60,
      absoluteTimeoutSeconds: 8 * 3600,
      cookieName: '__Host-conroo_session',
    },
    portalUrl: portalUrl!,
    allowedOrigins,
    magicLinkTtlSeconds: ttl!,
    cacheTtlSeconds: cacheTtl,
    host,
    port,
    redis,
    rateLimits,
    stripeTimeoutMs,
    stripeMaxNetworkRetries,
    mailRetryDelaysMs,
    shutdownDrainMs,
    shutdownTimeoutMs,
    saveLeaseMs,
    saveSweepSeconds,
    logLevel,
    trustProxy,
  };
}
