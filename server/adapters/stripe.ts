import Stripe from 'stripe';
import type {Config} from '../config.js';

/** The API version this code was written against; pinned where the client is made. */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** The official SDK; `STRIPE_API_BASE` points it at an emulator (demo mode, tests). */
export function createStripeClient(config: Config): Stripe {
  const base = config.stripe.apiBase;
  return new Stripe(config.stripe.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: {name: 'conroo-billing-portal'},
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const),
        }
      : {}),
  });
}
