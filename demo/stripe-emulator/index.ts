/**
 * A stateful Stripe emulator speaking Stripe's wire format for the endpoints the portal uses,
 * and those its Stripe smoke (`scripts/smoke-stripe.ts`) uses as the Dashboard would: products,
 * prices, subscriptions, test clocks. The portal server reaches it through the official SDK:
 * `new Stripe(key, {host: '127.0.0.1', port, protocol: 'http'})`.
 */
import type {AddressInfo} from 'node:net';
import {createServer, type Server} from 'node:http';
import {z} from 'zod';
import {readEnvironment} from '../../server/config.js';
import {
  emulatorLatencySetting,
  emulatorRateLimitSetting,
  emulatorSearchLagSetting,
} from '../settings.js';
import {createStripeEmulatorApp, type StripeEmulatorAppOptions} from './app.js';
import type {RateLimitStats} from './rate-limit.js';
import {seedDemoData} from './seed.js';
import {WebhookSender, type WebhookEndpoint, type WebhookStats} from './webhooks.js';
import {
  checkSearchLagMs,
  createEmulatorState,
  type EmulatorState,
  type EmulatorStateOptions,
  type FaultRule,
  type HoldRule,
  type InjectedFault,
} from './state.js';

export {renewSubscriptions} from './billing.js';
export {GERMAN_VAT_PERCENT, GERMAN_VAT_RATE_ID, germanVat} from './objects.js';

export {createStripeEmulatorApp, type StripeEmulatorAppOptions} from './app.js';
export {EMULATED_STRIPE_HOSTS, stripeHostsTransport} from './stripe-hosts.js';
export {
  eventsForChange,
  stripeSignature,
  WebhookSender,
  type WebhookEndpoint,
  type WebhookStats,
} from './webhooks.js';
export {
  createEmulatorState,
  DEFAULT_TAX_ID_VERIFICATION_DELAY_MS,
  EmulatorState,
  type EmulatorStateOptions,
  type FaultKind,
  type FaultRule,
  type InjectedFault,
  type SetupIntentRedirect,
  type TracedRequest,
} from './state.js';
export {testCardNumbers, type TestCardNumber} from './cards.js';
export {MAX_EXPAND_LEVELS} from './expand.js';
export {MAX_SEARCH_CLAUSES} from './search.js';
export {MAX_SEARCH_LAG_MS} from './search-index.js';
export {type RateLimitStats} from './rate-limit.js';
export {
  GATE_PASS_MONTHLY_PRICE_ID,
  GATE_PASS_PRODUCT_ID,
  GATE_PASS_YEARLY_PRICE_ID,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  seedDemoData,
  type SeedSummary,
} from './seed.js';
export {
  LARGE_FLEET_SIZE,
  largeFleetCustomerId,
  SEEDED_CARRIERS,
  SPEDITION_DRIVERS,
} from './seed-carriers.js';

/** `STRIPE_EMULATOR_LATENCY_MS`: milliseconds the emulator waits before each answer. */
export function emulatorLatencyMs(env: Record<string, string | undefined>): number {
  return readEnvironment(z.object({STRIPE_EMULATOR_LATENCY_MS: emulatorLatencySetting}), env)
    .STRIPE_EMULATOR_LATENCY_MS;
}

/** `STRIPE_EMULATOR_RATE_LIMIT`: operations per second before `429 rate_limit`; unset: none. */
export function emulatorRateLimit(env: Record<string, string | undefined>): number | undefined {
  return readEnvironment(z.object({STRIPE_EMULATOR_RATE_LIMIT: emulatorRateLimitSetting}), env)
    .STRIPE_EMULATOR_RATE_LIMIT;
}

/**
 * `STRIPE_EMULATOR_SEARCH_LAG_MS`: how many milliseconds customer search lags behind the
 * customers (`search-index.ts`); unset: none.
 */
export function emulatorSearchLagMs(env: Record<string, string | undefined>): number | undefined {
  return readEnvironment(z.object({STRIPE_EMULATOR_SEARCH_LAG_MS: emulatorSearchLagSetting}), env)
    .STRIPE_EMULATOR_SEARCH_LAG_MS;
}

export interface StripeEmulator {
  /** `http://127.0.0.1:PORT` (no `/v1`). */
  url: string;
  port: number;
  state: EmulatorState;
  /** Requests received so far, including failed and retried ones. */
  requestCount(): number;
  /** The busiest second's operations and the requests the rate limit refused. */
  rateLimitStats(): RateLimitStats;
  /** Make the next `n` requests fail with `status` (500 by default) before reaching a route. */
  failNext(n: number, status?: InjectedFault): void;
  /**
   * Per-endpoint faults: the matching requests (all, or the next `times`) answer 429/500/503,
   * time out, or lose their connection before or after doing the work. In another process:
   * `POST /v1/test_helpers/emulator/faults` (`method`, `path` as a regex, `fault`, `times`).
   */
  injectFault(rule: FaultRule): void;
  /** Removes every per-endpoint fault. */
  clearFaults(): void;
  /**
   * Makes customer search lag `ms` behind the customers from now on (0: instant; see
   * `searchLagMs`, which sets it at the start; `state.searchIndex.catchUp()` makes everything
   * stored so far searchable). In another process:
   * `POST /v1/test_helpers/emulator/search_lag` (`lag_ms`).
   */
  setSearchLag(ms: number): void;
  /**
   * Holds the requests matching `method` (any when absent) and `path` (a RegExp, or a string the
   * path starts with) — all until released, or the next `times` — before they reach a route:
   * their client is in the middle of the call for exactly as long as a test needs. In this
   * process only.
   */
  hold(rule: {method?: string; path: RegExp | string; times?: number}): EmulatorHold;
  /**
   * Sends signed webhooks of every change from now on to `endpoint` (`null`: stops). Changes
   * made before (the seed) send none.
   */
  setWebhookEndpoint(endpoint: WebhookEndpoint | null): void;
  /** Resolves when every event of the changes so far has been delivered (or given up on). */
  webhooksIdle(): Promise<void>;
  webhookStats(): WebhookStats;
  close(): Promise<void>;
}

export interface EmulatorHold {
  /** Resolves when the first matching request is being held. */
  held: Promise<void>;
  /** Lets every request held so far go on, and holds no more. */
  release(): void;
}

export interface StartStripeEmulatorOptions extends StripeEmulatorAppOptions, EmulatorStateOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Seed the demo customers (default true). */
  seed?: boolean;
  /** Where to POST signed events of every change after the seed (with `webhookSecret`). */
  webhookUrl?: string;
  /** The endpoint's signing secret, `whsec_...`. */
  webhookSecret?: string;
}

export async function startStripeEmulator(
  opts: StartStripeEmulatorOptions = {},
): Promise<StripeEmulator> {
  if (Boolean(opts.webhookUrl) !== Boolean(opts.webhookSecret)) {
    throw new Error('webhookUrl and webhookSecret go together');
  }
  const state = createEmulatorState({
    taxIdVerificationDelayMs: opts.taxIdVerificationDelayMs,
    rateLimitPerSecond: opts.rateLimitPerSecond,
    searchLagMs: opts.searchLagMs,
  });
  // In the state, so that every app serving it (the demo's /dev/stripe too) waits the same.
  state.http.latencyMs = opts.latencyMs ?? 0;
  const app = createStripeEmulatorApp(state, {publicBaseUrl: opts.publicBaseUrl});
  const webhooks = new WebhookSender(state);
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const {port} = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  if (opts.seed !== false) seedDemoData(state);
  if (opts.webhookUrl && opts.webhookSecret) {
    webhooks.configure({url: opts.webhookUrl, secret: opts.webhookSecret});
  }
  return {
    url,
    port,
    state,
    requestCount: () => state.http.requests,
    rateLimitStats: () => state.http.rateLimit.stats(),
    failNext: (n, status = 500) => {
      for (let i = 0; i < n; i++) state.http.pendingFaults.push(status);
    },
    injectFault: (rule) => {
      state.http.faultRules.push({...rule});
    },
    clearFaults: () => {
      state.http.faultRules.length = 0;
    },
    setSearchLag: (ms) => {
      state.searchLagMs = checkSearchLagMs(ms);
    },
    hold: (rule) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const entry: HoldRule = {
        ...rule,
        wait: () => {
          holding();
          return released;
        },
      };
      state.http.holds.push(entry);
      return {
        held,
        release: () => {
          const index = state.http.holds.indexOf(entry);
          if (index >= 0) state.http.holds.splice(index, 1);
          release();
        },
      };
    },
    setWebhookEndpoint: (endpoint) => webhooks.configure(endpoint),
    webhooksIdle: () => webhooks.idle(),
    webhookStats: () => ({...webhooks.stats}),
    close: () =>
      new Promise((resolve, reject) => {
        webhooks.configure(null);
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
