import {
  COUNTRY_CODES,
  FIELD_MAX,
  parseTaxId,
  PHONE_PATTERN,
  type ParsedTaxId,
} from '../../common/billing-rules.js';
import {MAX_REFERENCE_LENGTH, type FieldProblem} from '../../common/contract.js';
import {
  needsRegion,
  type AddressValues,
  type BillingFormValues,
  type FieldPath,
  type FieldProblems,
} from './billing-form-values.js';

// The checks of the browser, the same as the server's where the browser can know them, and
// answered in the same field error codes (common/contract.ts), so that one text per code
// serves both.

/**
 * Postal code formats of the countries most addresses here are in (validator.js' patterns).
 * The server knows about 70 countries; for the rest its answer lands on the field.
 */
const postalCodePatterns: Record<string, RegExp> = {
  DE: /^\d{5}$/,
  AT: /^\d{4}$/,
  CH: /^\d{4}$/,
  BE: /^\d{4}$/,
  DK: /^\d{4}$/,
  LU: /^\d{4}$/,
  NL: /^\d{4}\s?[a-z]{2}$/i,
  PL: /^\d{2}-\d{3}$/,
  FR: /^\d{2}\s?\d{3}$/,
  IT: /^\d{5}$/,
  CZ: /^\d{3}\s?\d{2}$/,
};

/** The tax ID as typed, read with the billing country: Stripe's form of it, or the problem. */
export function readTaxId(values: BillingFormValues): ParsedTaxId | FieldProblem | null {
  const typed = values.taxId.trim();
  if (!typed) {
    return null;
  }
  if (typed.length > FIELD_MAX.taxId) {
    return {code: 'too_long', params: {max: FIELD_MAX.taxId}};
  }
  const parsed = parseTaxId(typed, {country: values.address.country});
  return 'problem' in parsed ? parsed.problem : parsed;
}

export function isProblem(value: ParsedTaxId | FieldProblem | null): value is FieldProblem {
  return value !== null && 'code' in value;
}

function checkText(
  problems: FieldProblems,
  path: FieldPath,
  value: string,
  {required = false, max}: {required?: boolean; max: number},
) {
  const trimmed = value.trim();
  if (required && !trimmed) {
    problems[path] = {code: 'required'};
  } else if (trimmed.length > max) {
    problems[path] = {code: 'too_long', params: {max}};
  }
}

function checkAddress(
  problems: FieldProblems,
  prefix: 'address' | 'shipping.address',
  a: AddressValues,
) {
  checkText(problems, `${prefix}.line1`, a.line1, {required: true, max: FIELD_MAX.line1});
  checkText(problems, `${prefix}.line2`, a.line2, {max: FIELD_MAX.line2});
  checkText(problems, `${prefix}.postalCode`, a.postalCode, {
    required: true,
    max: FIELD_MAX.postalCode,
  });
  const pattern = postalCodePatterns[a.country];
  if (!problems[`${prefix}.postalCode`] && pattern && !pattern.test(a.postalCode.trim())) {
    problems[`${prefix}.postalCode`] = {code: 'postal_code', params: {country: a.country}};
  }
  checkText(problems, `${prefix}.city`, a.city, {required: true, max: FIELD_MAX.city});
  if (!COUNTRY_CODES.includes(a.country)) {
    problems[`${prefix}.country`] = {code: 'country'};
  }
  if (needsRegion(a.country)) {
    checkText(problems, `${prefix}.state`, a.state, {max: FIELD_MAX.state});
    if (!a.state.trim()) {
      problems[`${prefix}.state`] = {code: 'region', params: {country: a.country}};
    }
  }
}

function checkPhone(problems: FieldProblems, path: FieldPath, phone: string) {
  checkText(problems, path, phone, {max: FIELD_MAX.phone});
  if (!problems[path] && !PHONE_PATTERN.test(phone.trim())) {
    problems[path] = {code: 'phone'};
  }
}

/** The checks of the browser, the same as the server's where the browser can know them. */
export function validate(values: BillingFormValues): FieldProblems {
  const problems: FieldProblems = {};
  checkText(problems, 'name', values.name, {required: true, max: FIELD_MAX.name});
  checkAddress(problems, 'address', values.address);
  checkPhone(problems, 'phone', values.phone);
  if (!values.shippingSameAsBilling) {
    checkText(problems, 'shipping.name', values.shipping.name, {
      required: true,
      max: FIELD_MAX.name,
    });
    checkAddress(problems, 'shipping.address', values.shipping.address);
    checkPhone(problems, 'shipping.phone', values.shipping.phone);
  }
  const taxId = readTaxId(values);
  if (isProblem(taxId)) {
    problems['taxId.value'] = taxId;
  }
  checkText(problems, 'reference', values.reference, {max: MAX_REFERENCE_LENGTH});
  return problems;
}
