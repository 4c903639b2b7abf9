import {isIP} from 'node:net';
import {z} from 'zod';
import {COUNTRY_CODES, PHONE_PATTERN} from '../common/billing-rules.js';

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
   * The Stripe request budget of all instances together (`adapters/stripe-budget.ts`):
   * `STRIPE_MAX_REQUESTS_PER_SECOND` (default 25, Stripe's sandbox limit) requests in any one
   * second, shared through Redis when `REDIS_URL` is set; `STRIPE_BUDGET_MAX_WAIT_MS` (default
   * 2000) is how long a request's Stripe call waits in line for it before the request answers
   * `503 service_unavailable` with `Retry-After`. Stripe's limit is per account and the shop
   * uses the same account: give the portal a share of it, not all.
   */
  stripeBudget: {maxRequestsPerSecond: number; maxWaitMs: number};
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
  /**
   * `FLEET_CONCURRENCY` (default 4, 1 to 16): how many drivers one fleet request (the bulk
   * billing-details save, the fleet's invoice export) works on at once, each with its own Stripe
   * requests; Stripe's rate limit is per account, so this keeps one carrier's request from using
   * it up.
   */
  fleetConcurrency: number;
  /**
   * E-invoices (XRechnung, ZUGFeRD): CONROO's legal data as the seller (`E_INVOICE_SELLER_*`) and
   * the tax adviser's choice for businesses outside the EU (`E_INVOICE_NON_EU_TAX_CATEGORY`).
   * The defaults are the demo's made-up company: set every `E_INVOICE_SELLER_*` before going live.
   */
  eInvoice: EInvoiceSettings;
  /** `LOG_LEVEL` (default `info`): `debug`, `info`, `warn`, `error` or `silent`. */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Express `trust proxy`: hops or subnets whose X-Forwarded-For is believed; `false` for none. */
  trustProxy: string | number | false;
}

/** The seller of every e-invoice (EN 16931 BG-4): CONROO itself. */
export interface EInvoiceSeller {
  /** `E_INVOICE_SELLER_NAME`: the legal name (BT-27). */
  name: string;
  /** `E_INVOICE_SELLER_STREET`, `_POSTAL_CODE`, `_CITY`, `_COUNTRY` (BT-35, 38, 37, 40). */
  street: string;
  postalCode: string;
  city: string;
  country: string;
  /** `E_INVOICE_SELLER_VAT_ID`: the USt-IdNr. (BT-31), e.g. `DE123456789`. */
  vatId: string;
  /**
   * `E_INVOICE_SELLER_TAX_NUMBER`: the Steuernummer (BT-32). The only tax identifier of the seller
   * on an invoice of category `O`, which must not carry a VAT ID (BR-O-02).
   */
  taxNumber: string;
  /** `E_INVOICE_SELLER_REGISTRATION`: the commercial register entry (BT-30), e.g. `HRB 12345`. */
  registration: string | null;
  /** `E_INVOICE_SELLER_EMAIL`: the electronic address (BT-34) and the contact's mail (BT-43). */
  email: string;
  /** `E_INVOICE_SELLER_CONTACT`, `E_INVOICE_SELLER_PHONE`: who answers questions (BT-41, 42). */
  contactName: string;
  phone: string;
}

export interface EInvoiceSettings {
  seller: EInvoiceSeller;
  /**
   * `E_INVOICE_NON_EU_TAX_CATEGORY` (`O`, the default, or `AE`): the VAT category of an invoice to
   * a business outside the EU that Stripe charged no VAT. `O` („nicht im Inland steuerbar", the
   * place of supply is abroad; no VAT ID of either party on the invoice, the seller's
   * Steuernummer instead) or `AE` (reverse charge, both VAT IDs). The rules accept both; which
   * one is right is CONROO's tax adviser's call.
   */
  nonEuTaxCategory: 'O' | 'AE';
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

// Each setting's schema says what is wrong in words that follow the variable's name: a
// problem reads `<NAME> <message>` (`PORT is not a port`), see `readEnvironment`.

/** One environment variable: trimmed, and blank counts as unset. */
export const setting = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() || undefined : value), schema);

const required = () => z.string({error: 'is missing'});

/** The entries of a comma-separated list, blank ones dropped. */
const entries = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
const list = (fallback: string) => z.string().default(fallback).transform(entries);

export const wholeNumber = (
  fallback: number,
  min: number,
  max: number,
  error = `is not a whole number from ${min} to ${max}`,
) =>
  setting(
    z.coerce.number({error}).int({error}).min(min, {error}).max(max, {error}).default(fallback),
  );

const isHttpUrl = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};
const httpUrl = z
  .string()
  .refine(isHttpUrl, {error: (issue) => `is not an http(s) URL: ${String(issue.input)}`})
  .transform((value) => new URL(value));
const optionalHttpUrl = setting(httpUrl.nullable().default(null));

/** `host`, or `*.domain`: a wildcard needs a domain under it, `*.com` would let any site in. */
const isHostPattern = (host: string) =>
  host.startsWith('*.')
    ? HOST_NAME.test(host.slice(2)) && host.includes('.', 2)
    : HOST_NAME.test(host);

const isOrigin = (value: string) => {
  try {
    const origin = new URL(value).origin;
    return origin !== 'null' && origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
};

const SECRET_BYTES = 32;
const longEnough = (secret: string) => Buffer.byteLength(secret) >= SECRET_BYTES;

const isRedisUrl = (value: string) => {
  try {
    return /^rediss?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

const delay = 'is not a list of up to 10 delays in ms, e.g. 500,2000,5000';
const delayList = z
  .array(
    z.coerce
      .number<string>({error: delay})
      .int({error: delay})
      .min(0, {error: delay})
      .max(600_000, {error: delay}),
  )
  .max(10, {error: delay});

/** Free text of at most `max` characters, `fallback` when unset. */
const text = (fallback: string, max: number) =>
  setting(
    z
      .string()
      .max(max, {error: `is longer than ${max} characters`})
      .default(fallback),
  );

const rateLimit = (fallback: number) => wholeNumber(fallback, 1, 10_000_000);

/**
 * The whole environment the server reads, one entry per variable (README, "Settings"); anything
 * else in the environment is ignored. Parsed it is the `Config` (`parseConfig`). The demo reads
 * some of the same variables for itself with these entries (`demo/settings.ts`).
 */
export const environmentSettings = {
  STRIPE_SECRET_KEY: setting(required()),
  STRIPE_PUBLISHABLE_KEY: setting(required()),
  STRIPE_API_BASE: optionalHttpUrl,
  STRIPE_JS_URL: optionalHttpUrl,
  STRIPE_PDF_HOSTS: setting(
    list('*.stripe.com').pipe(
      z
        .array(
          z
            .string()
            .refine((host) => isHostPattern(host.toLowerCase()), {
              error: (issue) =>
                `holds something that is not a host name or *.domain: ${String(issue.input)}`,
            })
            .transform((host) => host.toLowerCase()),
        )
        .min(1, {error: 'names no host'}),
    ),
  ),
  STRIPE_WEBHOOK_SECRET: setting(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=_-]{8,}$/, {
        error: "is not a webhook signing secret ('whsec_...')",
      })
      .nullable()
      .default(null),
  ),
  STRIPE_TIMEOUT_MS: wholeNumber(20_000, 50, 120_000),
  STRIPE_MAX_NETWORK_RETRIES: wholeNumber(2, 0, 5),
  STRIPE_MAX_REQUESTS_PER_SECOND: wholeNumber(25, 1, 10_000),
  STRIPE_BUDGET_MAX_WAIT_MS: wholeNumber(2000, 0, 30_000),
  POSTMARK_SERVER_TOKEN: setting(required()),
  POSTMARK_API_BASE: optionalHttpUrl,
  POSTMARK_MESSAGE_STREAM: setting(z.string().default('outbound')),
  MAIL_FROM: setting(required().includes('@', {error: 'is not an e-mail address'})),
  MAIL_RETRY_DELAYS_MS: setting(list('500,2000,5000').pipe(delayList)),
  SESSION_SECRET: setting(
    required().refine(longEnough, {
      error: `must be at least ${SECRET_BYTES} random bytes (e.g. \`openssl rand -hex 32\`)`,
    }),
  ),
  SESSION_SECRET_PREVIOUS: setting(
    list('').pipe(
      z.array(
        z.string().refine(longEnough, {
          error: `holds a secret shorter than ${SECRET_BYTES} bytes`,
        }),
      ),
    ),
  ),
  PORTAL_URL: setting(required().pipe(httpUrl)),
  ALLOWED_ORIGINS: setting(
    required()
      .transform(entries)
      .pipe(
        z.array(
          z
            .string()
            .refine(isOrigin, {
              error: (issue) => `holds something that is not an origin: ${String(issue.input)}`,
            })
            .transform((value) => new URL(value).origin),
        ),
      ),
  ),
  MAGIC_LINK_TTL: setting(
    z
      .string()
      .default('24h')
      .transform(parseDuration)
      .pipe(
        z
          .number({error: 'is not a duration of at least 60s'})
          .min(60, {error: 'is not a duration of at least 60s'}),
      ),
  ),
  CACHE_TTL_SECONDS: wholeNumber(60, 0, 3600, 'is not a whole number of seconds from 0 to 3600'),
  HOST: setting(
    z
      .string()
      .default('127.0.0.1')
      .refine((host) => isIP(host) !== 0, {
        error: (issue) =>
          `is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::): ${String(issue.input)}`,
      }),
  ),
  PORT: wholeNumber(8080, 0, 65_535, 'is not a port'),
  TRUST_PROXY: setting(
    z
      .string()
      .refine((value) => value !== 'true', {
        error:
          'must not be true, which would believe any X-Forwarded-For; give the number of proxy hops (e.g. 1) or their subnets',
      })
      .optional()
      .transform((value): string | number | false =>
        value === undefined || value === 'false'
          ? false
          : /^\d+$/.test(value)
            ? Number(value)
            : value,
      ),
  ),
  // Never echoed: it may hold a password.
  REDIS_URL: setting(
    z
      .string()
      .refine(isRedisUrl, {error: 'is not a redis:// or rediss:// URL'})
      .nullable()
      .default(null),
  ),
  // As given, untrimmed: an empty prefix is a prefix.
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{0,64}$/, {
      error: 'may hold only letters, digits and : _ . - (at most 64)',
    })
    .default('conroo:'),
  REDIS_TIMEOUT_MS: wholeNumber(1000, 50, 60_000),
  RATE_LIMIT_LINKS_PER_IP_15MIN: rateLimit(DEFAULT_RATE_LIMITS.linksPerIp15Min),
  RATE_LIMIT_LINKS_PER_ADDRESS_15MIN: rateLimit(DEFAULT_RATE_LIMITS.linksPerAddress15Min),
  RATE_LIMIT_LINKS_PER_ADDRESS_DAY: rateLimit(DEFAULT_RATE_LIMITS.linksPerAddressDay),
  RATE_LIMIT_FAILED_EXCHANGES_PER_IP_15MIN: rateLimit(
    DEFAULT_RATE_LIMITS.failedExchangesPerIp15Min,
  ),
  SHUTDOWN_DRAIN_MS: wholeNumber(5_000, 0, 600_000),
  SHUTDOWN_TIMEOUT_MS: wholeNumber(25_000, 0, 600_000),
  SAVE_LEASE_MS: wholeNumber(6000, 300, 120_000),
  SAVE_SWEEP_SECONDS: wholeNumber(30, 0, 86_400),
  FLEET_CONCURRENCY: wholeNumber(4, 1, 16),
  E_INVOICE_SELLER_NAME: text('CONROO GmbH', 200),
  E_INVOICE_SELLER_STREET: text('Überseeallee 10', 200),
  E_INVOICE_SELLER_POSTAL_CODE: text('20457', 20),
  E_INVOICE_SELLER_CITY: text('Hamburg', 100),
  E_INVOICE_SELLER_COUNTRY: setting(
    z
      .string()
      .default('DE')
      .transform((value) => value.toUpperCase())
      .refine((value) => COUNTRY_CODES.includes(value), {
        error: 'is not an ISO 3166 country code (e.g. DE)',
      }),
  ),
  E_INVOICE_SELLER_VAT_ID: setting(
    z
      .string()
      .default('DE312345678')
      .transform((value) => value.toUpperCase().replace(/[\s.-]/g, ''))
      .refine((value) => /^[A-Z]{2}[A-Z0-9+*]{2,13}$/.test(value), {
        error: 'is not a VAT ID with its country prefix (e.g. DE123456789)',
      }),
  ),
  E_INVOICE_SELLER_TAX_NUMBER: text('02/815/08152', 30),
  E_INVOICE_SELLER_REGISTRATION: setting(
    z
      .string()
      .max(100, {error: 'is longer than 100 characters'})
      .nullable()
      .default('Amtsgericht Hamburg, HRB 171234'),
  ),
  E_INVOICE_SELLER_EMAIL: setting(
    z.email({error: 'is not an e-mail address'}).default('rechnungen@conroo.example'),
  ),
  E_INVOICE_SELLER_CONTACT: text('CONROO Kundenservice', 100),
  E_INVOICE_SELLER_PHONE: setting(
    z
      .string()
      .default('+49 40 12345670')
      .refine((value) => PHONE_PATTERN.test(value) && /\d/.test(value), {
        error: 'is not a phone number',
      }),
  ),
  E_INVOICE_NON_EU_TAX_CATEGORY: setting(
    z.enum(['O', 'AE'], {error: 'is neither O nor AE'}).default('O'),
  ),
  LOG_LEVEL: setting(
    z.enum(LOG_LEVELS, {error: `is not one of ${LOG_LEVELS.join(', ')}`}).default('info'),
  ),
};

export const environmentSchema = z
  .object(environmentSettings)
  // The timeout counts from SIGTERM: a drain as long would cut every request it let in.
  .refine((env) => env.SHUTDOWN_DRAIN_MS === 0 || env.SHUTDOWN_DRAIN_MS < env.SHUTDOWN_TIMEOUT_MS, {
    error: 'is not shorter than SHUTDOWN_TIMEOUT_MS, which includes it',
    path: ['SHUTDOWN_DRAIN_MS'],
    when: (payload) => !hasProblem(payload.issues, 'SHUTDOWN_DRAIN_MS', 'SHUTDOWN_TIMEOUT_MS'),
  })
  .transform((env): Config => ({
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY,
      publishableKey: env.STRIPE_PUBLISHABLE_KEY,
      apiBase: env.STRIPE_API_BASE,
      stripeJsUrl: env.STRIPE_JS_URL,
      pdfHosts: env.STRIPE_PDF_HOSTS,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    },
    postmark: {
      serverToken: env.POSTMARK_SERVER_TOKEN,
      apiBase: env.POSTMARK_API_BASE,
      messageStream: env.POSTMARK_MESSAGE_STREAM,
    },
    mailFrom: env.MAIL_FROM,
    session: {
      secrets: [env.SESSION_SECRET, ...env.SESSION_SECRET_PREVIOUS],
      idleTimeoutSeconds: 30 * 60,
      absoluteTimeoutSeconds: 8 * 3600,
      cookieName: '__Host-conroo_session',
    },
    portalUrl: env.PORTAL_URL,
    allowedOrigins: env.ALLOWED_ORIGINS,
    magicLinkTtlSeconds: env.MAGIC_LINK_TTL,
    cacheTtlSeconds: env.CACHE_TTL_SECONDS,
    host: env.HOST,
    port: env.PORT,
    redis: env.REDIS_URL
      ? {url: env.REDIS_URL, prefix: env.REDIS_PREFIX, timeoutMs: env.REDIS_TIMEOUT_MS}
      : null,
    rateLimits: {
      linksPerIp15Min: env.RATE_LIMIT_LINKS_PER_IP_15MIN,
      linksPerAddress15Min: env.RATE_LIMIT_LINKS_PER_ADDRESS_15MIN,
      linksPerAddressDay: env.RATE_LIMIT_LINKS_PER_ADDRESS_DAY,
      failedExchangesPerIp15Min: env.RATE_LIMIT_FAILED_EXCHANGES_PER_IP_15MIN,
    },
    stripeTimeoutMs: env.STRIPE_TIMEOUT_MS,
    stripeMaxNetworkRetries: env.STRIPE_MAX_NETWORK_RETRIES,
    stripeBudget: {
      maxRequestsPerSecond: env.STRIPE_MAX_REQUESTS_PER_SECOND,
      maxWaitMs: env.STRIPE_BUDGET_MAX_WAIT_MS,
    },
    mailRetryDelaysMs: env.MAIL_RETRY_DELAYS_MS,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    saveLeaseMs: env.SAVE_LEASE_MS,
    saveSweepSeconds: env.SAVE_SWEEP_SECONDS,
    fleetConcurrency: env.FLEET_CONCURRENCY,
    eInvoice: {
      seller: {
        name: env.E_INVOICE_SELLER_NAME,
        street: env.E_INVOICE_SELLER_STREET,
        postalCode: env.E_INVOICE_SELLER_POSTAL_CODE,
        city: env.E_INVOICE_SELLER_CITY,
        country: env.E_INVOICE_SELLER_COUNTRY,
        vatId: env.E_INVOICE_SELLER_VAT_ID,
        taxNumber: env.E_INVOICE_SELLER_TAX_NUMBER,
        registration: env.E_INVOICE_SELLER_REGISTRATION,
        email: env.E_INVOICE_SELLER_EMAIL,
        contactName: env.E_INVOICE_SELLER_CONTACT,
        phone: env.E_INVOICE_SELLER_PHONE,
      },
      nonEuTaxCategory: env.E_INVOICE_NON_EU_TAX_CATEGORY,
    },
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
  }));

function hasProblem(issues: readonly z.core.$ZodRawIssue[], ...names: string[]): boolean {
  return issues.some((issue) => names.includes(String(issue.path?.[0])));
}

/**
 * `env` read by `schema` (an object schema over environment variables whose messages follow
 * the variable's name), or a `ConfigError` with every problem at once: `<NAME> <message>`, in
 * the order of the schema, each once.
 */
export function readEnvironment<T>(
  schema: z.ZodType<T>,
  env: Record<string, string | undefined>,
): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  throw new ConfigError([...new Set(problems)]);
}

/** Reads every setting and fails with the names of all that are missing or wrong at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  return readEnvironment(environmentSchema, env);
}
