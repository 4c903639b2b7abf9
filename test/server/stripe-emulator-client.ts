/**
 * The real `stripe` SDK against a Stripe emulator, configured the way the portal server
 * configures it, an emulator for a suite's tests, and the checks the emulator tests make on
 * its answers.
 */
import assert from 'node:assert/strict';
import {after, before} from 'node:test';
import Stripe from 'stripe';
import {
  startStripeEmulator,
  type StartStripeEmulatorOptions,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {STRIPE_API_VERSION} from '../../server/adapters/stripe.js';

/** An SDK client for the emulator on `port`; no retries unless a test asks for them. */
export function emulatorStripe(
  port: number,
  {
    key = 'sk_test_emulator',
    maxNetworkRetries = 0,
  }: {key?: string; maxNetworkRetries?: number} = {},
): Stripe {
  return new Stripe(key, {
    apiVersion: STRIPE_API_VERSION,
    host: '127.0.0.1',
    port,
    protocol: 'http',
    maxNetworkRetries,
  });
}

/**
 * Starts a Stripe emulator (`options` as for `startStripeEmulator`) and an SDK client for it
 * before the suite's tests, hands both to `ready` (which keeps them and may create more in the
 * emulator), and closes the emulator after.
 */
export function useEmulator(
  options: StartStripeEmulatorOptions,
  ready: (started: {emulator: StripeEmulator; stripe: Stripe}) => unknown,
) {
  let emulator: StripeEmulator | undefined;
  before(async () => {
    emulator = await startStripeEmulator(options);
    await ready({emulator, stripe: emulatorStripe(emulator.port)});
  });
  after(() => emulator?.close());
}

/** A price of the Gate Pass `product`, in euro cents with VAT included, renewed every `interval`. */
export function createGatePassPrice(
  stripe: Stripe,
  product: string,
  interval: 'year' | 'month',
  unitAmount: number,
): Promise<Stripe.Price> {
  return stripe.prices.create({
    product,
    unit_amount: unitAmount,
    currency: 'eur',
    recurring: {interval},
    tax_behavior: 'inclusive',
  });
}

/** Awaits `promise`, asserts it rejects with a `type`, and returns that error. */
export async function rejects<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

/** The id of an expandable Stripe field, whether it came expanded or not. */
export {idOf} from '../../server/services/stripe-mappers.js';
