/**
 * Customer tax IDs like Stripe checks them: the format of each type the portal uses, the country
 * it names, and how its verification goes.
 *
 * Formats: Stripe documents one example per type ("Customer tax IDs" table), not its rules. The
 * emulator checks the portal's types against the portal's own table (`parseTaxId` in
 * `common/billing-rules.ts`, built from those examples), so the two never disagree; it stores
 * the value as that table writes it. Other types are stored as sent.
 *
 * Verification: `eu_vat` and `gb_vat` start `pending` and settle after the state's
 * `taxIdVerificationDelayMs` (lazily, when read), by Stripe's test-mode values
 * (https://docs.stripe.com/billing/customer/tax-ids#validation): a value ending in `000000000`
 * settles `verified`, `111111111` `unverified`, and `222222222` stays `pending` for good. Any
 * other value stands in for an answer of the live registry (VIES, HMRC), which a sandbox does
 * not ask: it settles `verified`. Stripe does not say what a test-mode `verified` names, so both
 * kinds of `verified` name the customer as it is at that moment (`verified_name`,
 * `verified_address`). Types Stripe does not verify (`ch_vat`, `no_vat`, `de_stn`, ...) are
 * `unavailable`.
 */
import type Stripe from 'stripe';
import {parseTaxId, TAX_ID_TYPES, type TaxIdType} from '../../common/billing-rules.js';
import {invalidRequest} from './errors.js';

/** Types Stripe verifies against a government registry (VIES, HMRC). */
export const verifiedTaxIdTypes: readonly string[] = ['eu_vat', 'gb_vat'];

const isPortalType = (type: string): type is TaxIdType =>
  (TAX_ID_TYPES as readonly string[]).includes(type);

/**
 * The value as stored (normalised like Stripe shows it), or a `tax_id_invalid` error naming
 * `param`.
 */
export function normalizeTaxIdValue(type: string, raw: string, param = 'value'): string {
  if (!isPortalType(type)) return raw.trim();
  const parsed = parseTaxId(raw, {type});
  if ('problem' in parsed) {
    throw invalidRequest(`Invalid value for ${type}.`, param, 'tax_id_invalid');
  }
  return parsed.value;
}

/** Country of a tax ID as Stripe derives it: from the VAT prefix (EL is Greece), else the type. */
export function taxIdCountry(type: string, value: string): string | null {
  if (isPortalType(type)) {
    const parsed = parseTaxId(value, {type});
    if (!('problem' in parsed)) return parsed.country;
  }
  const [country] = type.split('_');
  return country && country.length === 2 && type !== 'eu_oss_vat' ? country.toUpperCase() : null;
}

/** Stripe's test-mode values, by the last nine digits of the value. */
const testValueOutcomes: ReadonlyArray<[string, 'verified' | 'unverified' | 'pending']> = [
  ['000000000', 'verified'],
  ['111111111', 'unverified'],
  ['222222222', 'pending'],
];

/**
 * How a `pending` ID settles, given the customer as it is at that moment; `null` while it stays
 * `pending`. A customer deleted meanwhile has nothing to verify against: `unverified`.
 */
export function settledVerification(
  value: string,
  customer: Stripe.Customer | undefined,
): Stripe.TaxId.Verification | null {
  const outcome = testValueOutcomes.find(([suffix]) => value.endsWith(suffix))?.[1] ?? 'verified';
  if (outcome === 'pending') return null;
  if (outcome === 'unverified' || !customer) {
    return {status: 'unverified', verified_address: null, verified_name: null};
  }
  const a = customer.address;
  const verifiedAddress = a
    ? [a.line1, `${a.postal_code ?? ''} ${a.city ?? ''}`.trim()]
        .filter((part) => part)
        .join('\n') || null
    : null;
  return {
    status: 'verified',
    verified_address: verifiedAddress,
    verified_name: customer.name ?? null,
  };
}

export function initialVerification(type: string): Stripe.TaxId.Verification {
  return {
    status: verifiedTaxIdTypes.includes(type) ? 'pending' : 'unavailable',
    verified_address: null,
    verified_name: null,
  };
}
