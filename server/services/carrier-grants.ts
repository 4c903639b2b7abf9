import type Stripe from 'stripe';
import {MAX_CARRIERS, type CarrierGrant} from '../../common/contract.js';
import {normalizeEmail} from './email-address.js';

/**
 * Where a carrier grant lives: on the driver's Stripe customer, as metadata (docs/carrier-access.md).
 * Slot n holds `conroo_carrier_<n>` (the carrier's normalized address) and
 * `conroo_carrier_<n>_at` (Unix seconds, decimal). A slot is free when its address key is
 * absent or empty; Stripe deletes a metadata key set to `''`.
 */
export const carrierKey = (slot: number) => `conroo_carrier_${slot}`;
const grantedAtKey = (slot: number) => `conroo_carrier_${slot}_at`;

/** Slots 1 … MAX_CARRIERS. */
export const CARRIER_SLOTS: readonly number[] = Array.from({length: MAX_CARRIERS}, (_, i) => i + 1);

export interface SlottedGrant extends CarrierGrant {
  slot: number;
}

/**
 * The grants a customer's metadata holds, in slot order. A value that is not one plain address
 * (edited by hand in the Dashboard) grants nothing.
 */
export function grantsOf(metadata: Stripe.Metadata | null | undefined): SlottedGrant[] {
  const grants: SlottedGrant[] = [];
  for (const slot of CARRIER_SLOTS) {
    const email = normalizeEmail(metadata?.[carrierKey(slot)] ?? '');
    if (!email || grants.some((g) => g.email === email)) continue;
    const at = Number(metadata?.[grantedAtKey(slot)]);
    grants.push({slot, email, grantedAt: Number.isFinite(at) && at > 0 ? Math.floor(at) : 0});
  }
  return grants;
}

/** The first free slot, or `null` when all MAX_CARRIERS are taken. */
export function freeSlot(metadata: Stripe.Metadata | null | undefined): number | null {
  const taken = new Set(grantsOf(metadata).map((g) => g.slot));
  return CARRIER_SLOTS.find((slot) => !taken.has(slot)) ?? null;
}

/** The metadata update that gives `email` access in `slot`. */
export const grantMetadata = (slot: number, email: string, at: number): Stripe.MetadataParam => ({
  [carrierKey(slot)]: email,
  [grantedAtKey(slot)]: String(at),
});

/** The metadata update that ends every slot naming `email` (both keys deleted). */
export function endMetadata(
  metadata: Stripe.Metadata | null | undefined,
  email: string,
): Stripe.MetadataParam | null {
  const slots = CARRIER_SLOTS.filter(
    (slot) => normalizeEmail(metadata?.[carrierKey(slot)] ?? '') === email,
  );
  if (slots.length === 0) return null;
  return Object.fromEntries(
    slots.flatMap((slot) => [
      [carrierKey(slot), ''],
      [grantedAtKey(slot), ''],
    ]),
  );
}

/**
 * Stripe search for the customers naming `email` in any slot (an OR of one clause per slot), and
 * with `orOwner` also those whose own address it is (Stripe's `email` match ignores case). The
 * address is normalized, so it holds no quote; a backslash or quote is escaped all the same.
 */
export function carrierSearchQuery(email: string, {orOwner = false} = {}): string {
  const quoted = email.replace(/['\\]/g, '\\$&');
  return [
    ...(orOwner ? [`email:'${quoted}'`] : []),
    ...CARRIER_SLOTS.map((slot) => `metadata['${carrierKey(slot)}']:'${quoted}'`),
  ].join(' OR ');
}
