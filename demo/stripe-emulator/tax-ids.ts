/**
 * Customer tax IDs like Stripe checks them: the format of each type the portal uses, the country
 * it names, and how its verification goes.
 *
 * Formats: Stripe documents one example per type ("Customer tax IDs" table), not its rules. The
 * emulator checks the portal's types against the portal's own table (`parseTaxId` in
 * `server/billing-rules.ts`, built from those examples), so the two never disagree; it stores
 * the value as that table writes it. Other types are stored as sent.
 *
 * Verification: `eu_vat` and `gb_vat` start `pending` and settle after the state's
 * `taxIdVerificationDelayMs` (lazily, when read). Emulator convention for test data: a value
 * whose digits end in `000` or `111111111` settles `unverified`, every other one `verified`
 * with the customer's name and address at that moment as `verified_name`/`verified_address`.
 * Types Stripe does not verify (`ch_vat`, `no_vat`, `de_stn`, ...) are `unavailable`.
 */
import type Stripe from 'stripe';
import {parseTaxId, TAX_ID_TYPES, type TaxIdType} from '../../server/billing-rules.js';
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

/** Emulator convention: digits ending in `000` or `111111111` fail verification. */
export function failsVerification(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  return digits.endsWith('000') || digits.endsWith('111111111');
}

/** How the registry answers a `pending` ID, given the customer as it is when it settles. */
export function settledVerification(
  value: string,
  customer: Stripe.Customer | undefined,
): Stripe.TaxId.Verification {
  if (failsVerification(value) || !customer) {
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
