/**
 * Customer tax IDs like Stripe checks them: the format of each type the portal uses
 * (examples from Stripe's "Customer tax IDs" table), the country it names, and how its
 * verification goes.
 *
 * Verification: `eu_vat` and `gb_vat` start `pending` and settle after the state's
 * `taxIdVerificationDelayMs` (lazily, when read). Emulator convention for test data: a value
 * whose digits end in `000` or `111111111` settles `unverified`, every other one `verified`
 * with the customer's name and address at that moment as `verified_name`/`verified_address`.
 * Types Stripe does not verify (`ch_vat`, `no_vat`, `de_stn`, ...) are `unavailable`.
 */
import type Stripe from 'stripe';
import {invalidRequest} from './errors.js';

/** `eu_vat` formats by prefix after normalisation (upper case, no spaces, dots or dashes). */
export const euVatFormats: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  // Greece: the VAT prefix is EL, not the ISO code GR.
  EL: /^EL\d{9}$/,
  ES: /^ES(?:[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE(?:\d{7}[A-Z]{1,2}|\d[A-Z+*]\d{5}[A-Z])$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(?:\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO[1-9]\d{1,9}$/,
  SE: /^SE\d{12}$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
  // Northern Ireland keeps EU VAT for goods.
  XI: /^XI(?:\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
};

const gbVat = /^GB(?:\d{9}|\d{12}|GD\d{3}|HA\d{3})$/;
const noVat = /^\d{9}MVA$/;
/** `CHE-123.456.789 MWST` (or TVA / IVA / TPV, the other languages' suffixes). */
const chVat = /^CHE-?(\d{3})\.?(\d{3})\.?(\d{3}) ?(MWST|TVA|IVA|TPV)$/;

/**
 * German Steuernummer: the Länder formats with `/` or spaces (`12/345/67890`, `181/815/08155`,
 * `013 815 08153`: 10 or 11 digits) or 10–13 digits in one (the federal 13-digit form).
 */
function isSteuernummer(value: string): boolean {
  if (/^\d{10,13}$/.test(value)) return true;
  const m = /^(\d{2,3})([/ ])(\d{3,4})\2(\d{4,5})$/.exec(value);
  if (!m) return false;
  const digits = m[1]!.length + m[3]!.length + m[4]!.length;
  return digits === 10 || digits === 11;
}

/** Types Stripe verifies against a government registry (VIES, HMRC). */
export const verifiedTaxIdTypes: readonly string[] = ['eu_vat', 'gb_vat'];

function invalidValue(type: string, param: string) {
  return invalidRequest(`Invalid value for ${type}.`, param, 'tax_id_invalid');
}

/**
 * The value as stored (normalised like Stripe shows it), or a `tax_id_invalid` error naming
 * `param`.
 */
export function normalizeTaxIdValue(type: string, raw: string, param = 'value'): string {
  const compact = raw.replace(/[\s.-]/g, '').toUpperCase();
  switch (type) {
    case 'eu_vat': {
      const format = euVatFormats[compact.slice(0, 2)];
      if (!format?.test(compact)) throw invalidValue(type, param);
      return compact;
    }
    case 'gb_vat':
      if (!gbVat.test(compact)) throw invalidValue(type, param);
      return compact;
    case 'no_vat':
      if (!noVat.test(compact)) throw invalidValue(type, param);
      return compact;
    case 'ch_vat': {
      const m = chVat.exec(raw.trim().replace(/\s+/g, ' ').toUpperCase());
      if (!m) throw invalidValue(type, param);
      return `CHE-${m[1]}.${m[2]}.${m[3]} ${m[4]}`;
    }
    case 'de_stn': {
      const value = raw.trim().replace(/\s+/g, ' ');
      if (!isSteuernummer(value)) throw invalidValue(type, param);
      return value;
    }
    default:
      return raw.trim();
  }
}

/** Country of a tax ID as Stripe derives it: from the VAT prefix (EL is Greece, XI the UK), else the type. */
export function taxIdCountry(type: string, value: string): string | null {
  if (type === 'eu_vat') {
    const prefix = value.slice(0, 2).toUpperCase();
    if (prefix === 'EL') return 'GR';
    if (prefix === 'XI') return 'GB';
    return prefix;
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
