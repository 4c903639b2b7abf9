/**
 * The real `stripe` SDK against a Stripe emulator, configured the way the portal server
 * configures it, and the checks the emulator tests make on its answers.
 */
import assert from 'node:assert/strict';
import Stripe from 'stripe';
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
