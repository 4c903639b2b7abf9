/**
 * Configuration, parsed once at start from the environment. Production and demo differ only
 * here: demo mode points STRIPE_API_BASE and POSTMARK_API_BASE at the emulators in `demo/`.
 */
export interface Config {
  stripe: {
    secretKey: string;
    publishableKey: string;
    /** Another Stripe API origin (an emulator); `null` for api.stripe.com. */
    apiBase: URL | null;
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
  port: number;
  /** Express `trust proxy`: hops or subnets whose X-Forwarded-For is believed; `false` for none. */
  trustProxy: string | number | false;
}

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
  const postmarkApiBase = url('POSTMARK_API_BASE', false);

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

  const port = Number(get('PORT') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT is not a port');

  const trustRaw = get('TRUST_PROXY');
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
    port,
    trustProxy,
  };
}
