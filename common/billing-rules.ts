/**
 * The rules of „Rechnung und Versand" that the server and the element share: the countries a
 * billing address may name, where a region is required, and Stripe's formats for the tax IDs
 * the portal accepts: EU VAT numbers of every member state
 * (Greece as EL), GB, CH and NO VAT numbers and the German Steuernummer. Pure data and functions
 * without Node or DOM dependencies: the server validates with it, and the element imports this
 * one module too, so that both check against the same table (Stripe's documented examples).
 */

import type {FieldProblem} from './contract.js';

/** ISO 3166-1 alpha-2, all officially assigned codes. */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
  'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
  'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
  'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
  'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
  'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
  'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
  'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** Countries whose addresses Stripe (and the post) need a state or province for. */
export const REGION_REQUIRED: ReadonlySet<string> = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'IN']);

/** The tax-ID types the portal accepts (Stripe's names). */
export const TAX_ID_TYPES = ['eu_vat', 'gb_vat', 'ch_vat', 'no_vat', 'de_stn'] as const;
export type TaxIdType = (typeof TAX_ID_TYPES)[number];

/** Stripe's length limits of the billing fields, checked by the server and the form alike. */
export const FIELD_MAX = {
  name: 150,
  line1: 200,
  line2: 200,
  postalCode: 20,
  city: 100,
  state: 100,
  phone: 20,
  taxId: 40,
} as const;

/** What a phone number may hold: digits, spaces and + ( ) / -. */
export const PHONE_PATTERN = /^\+?[0-9 ()/-]*$/;

interface Format {
  type: TaxIdType;
  /** ISO 3166-1 alpha-2 country the number belongs to. */
  country: string;
  /** The prefix Stripe expects in front of the digits. */
  prefix: string;
  pattern: RegExp;
  example: string;
}

/** EU member states: [country, VAT prefix, pattern after the prefix, Stripe's example]. */
const EU: Array<[string, string, RegExp, string]> = [
  ['AT', 'ATU', /^\d{8}$/, 'ATU12345678'],
  ['BE', 'BE', /^[01]\d{9}$/, 'BE0123456789'],
  ['BG', 'BG', /^\d{9,10}$/, 'BG0123456789'],
  ['HR', 'HR', /^\d{11}$/, 'HR12345678912'],
  ['CY', 'CY', /^\d{8}[A-Z]$/, 'CY12345678Z'],
  ['CZ', 'CZ', /^\d{8,10}$/, 'CZ1234567890'],
  ['DK', 'DK', /^\d{8}$/, 'DK12345678'],
  ['EE', 'EE', /^\d{9}$/, 'EE123456789'],
  ['FI', 'FI', /^\d{8}$/, 'FI12345678'],
  ['FR', 'FR', /^[A-HJ-NP-Z0-9]{2}\d{9}$/, 'FRAB123456789'],
  ['DE', 'DE', /^\d{9}$/, 'DE123456789'],
  ['GR', 'EL', /^\d{9}$/, 'EL123456789'],
  ['HU', 'HU', /^\d{8}$/, 'HU12345678'],
  ['IE', 'IE', /^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/, 'IE1234567AB'],
  ['IT', 'IT', /^\d{11}$/, 'IT12345678912'],
  ['LV', 'LV', /^\d{11}$/, 'LV12345678912'],
  ['LT', 'LT', /^(\d{9}|\d{12})$/, 'LT123456789123'],
  ['LU', 'LU', /^\d{8}$/, 'LU12345678'],
  ['MT', 'MT', /^\d{8}$/, 'MT12345678'],
  ['NL', 'NL', /^\d{9}B\d{2}$/, 'NL123456789B12'],
  ['PL', 'PL', /^\d{10}$/, 'PL1234567890'],
  ['PT', 'PT', /^\d{9}$/, 'PT123456789'],
  ['RO', 'RO', /^\d{2,10}$/, 'RO1234567891'],
  ['SK', 'SK', /^\d{10}$/, 'SK1234567891'],
  ['SI', 'SI', /^\d{8}$/, 'SI12345678'],
  ['ES', 'ES', /^[A-Z0-9]\d{7}[A-Z0-9]$/, 'ESA1234567Z'],
  ['SE', 'SE', /^\d{12}$/, 'SE123456789123'],
];

/** The EU's member states (ISO 3166-1 alpha-2; Greece is GR, its VAT prefix EL). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set(EU.map(([country]) => country));

const FORMATS: Format[] = [
  ...EU.map(([country, prefix, pattern, example]) => ({
    type: 'eu_vat' as const,
    country,
    prefix,
    pattern,
    example,
  })),
  {
    type: 'gb_vat',
    country: 'GB',
    prefix: 'GB',
    pattern: /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
    example: 'GB123456789',
  },
  {
    type: 'ch_vat',
    country: 'CH',
    prefix: 'CHE',
    pattern: /^\d{9}(MWST|TVA|IVA)$/,
    example: 'CHE-123.456.789 MWST',
  },
  {type: 'no_vat', country: 'NO', prefix: '', pattern: /^\d{9}MVA$/, example: '123456789MVA'},
  // Steuernummer: 10 to 13 digits, in the Länder's slash notation or without.
  {type: 'de_stn', country: 'DE', prefix: '', pattern: /^\d{10,13}$/, example: '1234567890'},
];

export interface ParsedTaxId {
  type: TaxIdType;
  country: string;
  /** As Stripe stores it, e.g. `DE123456789`, `CHE-123.456.789 MWST`, `12/345/67890`. */
  value: string;
}

/** Why a tax ID was not read: the contract's field error, as both sides report it. */
export type TaxIdProblem = Extract<FieldProblem, {code: 'tax_id' | 'tax_id_wrong_type'}>;

const compact = (value: string) => value.toUpperCase().replace(/[\s.\-/]/g, '');

function canonical(format: Format, digits: string, raw: string): string {
  switch (format.type) {
    case 'ch_vat': {
      const [, n, suffix] = /^(\d{9})(MWST|TVA|IVA)$/.exec(digits)!;
      return `CHE-${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)} ${suffix}`;
    }
    case 'no_vat':
      return digits;
    case 'de_stn':
      // Keep the slashes a driver copied from the tax office's letter; Stripe accepts both.
      return /^[\d/ ]+$/.test(raw.trim()) ? raw.trim().replace(/\s+/g, '') : digits;
    default:
      return `${format.prefix}${digits}`;
  }
}

/**
 * Reads a tax ID as a user types it (spaces, dots, dashes, lower case), infers its type from
 * the prefix or else from the billing country, and checks it against Stripe's format. A number
 * that fails says why as a field error code (`tax_id` with Stripe's example for the country, or
 * `tax_id_wrong_type`).
 */
export function parseTaxId(
  input: string,
  options: {type?: TaxIdType; country?: string | null} = {},
): ParsedTaxId | {problem: TaxIdProblem} {
  const value = compact(input);
  const candidates = FORMATS.filter((f) => !options.type || f.type === options.type);
  for (const format of candidates) {
    const prefix = format.prefix;
    // With its prefix (DE123…, EL123…, CHE123…), or, for the billing country, without it.
    const rest =
      prefix && value.startsWith(prefix)
        ? value.slice(prefix.length)
        : !prefix || format.country === options.country?.toUpperCase()
          ? value.replace(format.type === 'no_vat' ? /^NO/ : /^$/, '')
          : null;
    if (rest === null || !format.pattern.test(rest)) continue;
    if (format.type === 'de_stn' && options.country && options.country.toUpperCase() !== 'DE')
      continue;
    return {type: format.type, country: format.country, value: canonical(format, rest, input)};
  }
  if (options.type && !('problem' in parseTaxId(input, {country: options.country}))) {
    return {problem: {code: 'tax_id_wrong_type'}};
  }
  return {problem: {code: 'tax_id', params: {example: taxIdExample(options.country)}}};
}

/** Stripe's example for a country, for hints and field errors. */
export function taxIdExample(country: string | null | undefined): string | null {
  return (
    FORMATS.find((f) => f.country === country?.toUpperCase() && f.type !== 'de_stn')?.example ??
    null
  );
}

// Stripe's minor units (docs.stripe.com/currencies): zero-decimal currencies count whole units,
// three-decimal ones thousandths, all others (also ISK, HUF, TWD, which Stripe represents with
// two decimals although Intl gives them none) hundredths.
const ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '),
);
const THREE_DECIMAL = new Set('bhd jod kwd omr tnd'.split(' '));

/** How many decimals a Stripe amount in `currency` has: `12521` EUR is 125.21. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toLowerCase();
  return ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
}
