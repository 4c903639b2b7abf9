/**
 * A stateful Stripe emulator speaking Stripe's wire format for the endpoints the portal uses.
 * The portal server reaches it through the official SDK:
 * `new Stripe(key, {host: '127.0.0.1', port, protocol: 'http'})`.
 */
import type {AddressInfo} from 'node:net';
import {createServer, type Server} from 'node:http';
import {createStripeEmulatorApp, type StripeEmulatorAppOptions} from './app.js';
import {seedDemoData} from './seed.js';
import {
  createEmulatorState,
  type EmulatorState,
  type EmulatorStateOptions,
  type InjectedFault,
} from './state.js';

export {renewSubscriptions} from './billing.js';
export {GERMAN_VAT_PERCENT, GERMAN_VAT_RATE_ID, germanVat} from './objects.js';

export {createStripeEmulatorApp, type StripeEmulatorAppOptions} from './app.js';
export {
  createEmulatorState,
  DEFAULT_TAX_ID_VERIFICATION_DELAY_MS,
  EmulatorState,
  type EmulatorStateOptions,
  type InjectedFault,
  type SetupIntentRedirect,
} from './state.js';
export {testCardNumbers, type TestCardNumber} from './cards.js';
export {
  GATE_PASS_MONTHLY_PRICE_ID,
  GATE_PASS_PRODUCT_ID,
  GATE_PASS_YEARLY_PRICE_ID,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  seedDemoData,
  type SeedSummary,
} from './seed.js';

export interface StripeEmulator {
  /** `http://127.0.0.1:PORT` (no `/v1`). */
  url: string;
  port: number;
  state: EmulatorState;
  /** Requests received so far, including failed and retried ones. */
  requestCount(): number;
  /** Make the next `n` requests fail with `status` (500 by default) before reaching a route. */
  failNext(n: number, status?: InjectedFault): void;
  close(): Promise<void>;
}

export interface StartStripeEmulatorOptions extends StripeEmulatorAppOptions, EmulatorStateOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Seed the demo customers (default true). */
  seed?: boolean;
}

export async function startStripeEmulator(
  opts: StartStripeEmulatorOptions = {},
): Promise<StripeEmulator> {
  const state = createEmulatorState({taxIdVerificationDelayMs: opts.taxIdVerificationDelayMs});
  const app = createStripeEmulatorApp(state, {
    latencyMs: opts.latencyMs,
    publicBaseUrl: opts.publicBaseUrl,
  });
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
  // Seeded only now: the invoices' PDF links name the URL the emulator listens on.
  const url = `http://${host}:${port}`;
  state.apiBaseUrl = url;
  if (opts.seed !== false) seedDemoData(state);
  return {
    url,
    port,
    state,
    requestCount: () => state.http.requests,
    failNext: (n, status = 500) => {
      for (let i = 0; i < n; i++) state.http.pendingFaults.push(status);
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
