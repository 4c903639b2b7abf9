import {msg, str} from '@lit/localize';
// The one module of server/ the element runs: the same formats are checked on both sides.
import {
  COUNTRY_CODES,
  FIELD_MAX,
  parseTaxId,
  PHONE_PATTERN,
  REGION_REQUIRED,
  taxIdExample,
  type ParsedTaxId,
} from '../../common/billing-rules.js';
import type {
  AccountResponse,
  Address,
  AddressInput,
  BillingDetailsRequest,
  Customer,
} from '../../common/contract.js';
import {addressLines, countryName, sameAddress} from '../format.js';

// „Informationen aktualisieren" without the DOM: the form's values, their checks, the request
// they become and the invoice block they will print. Field paths are the server's dotted paths,
// so that a `422` lands on the same field as a check in the browser.

export interface AddressValues {
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  state: string;
}

/** Everything the form holds, as typed (also what a draft stores). */
export interface BillingFormValues {
  name: string;
  phone: string;
  address: AddressValues;
  /** „Lieferadresse wie Rechnungsadresse": no separate shipping address. */
  shippingSameAsBilling: boolean;
  shipping: {name: string; phone: string; address: AddressValues};
  taxId: string;
}

const addressKeys = ['line1', 'line2', 'postalCode', 'city', 'country', 'state'] as const;
type AddressKey = (typeof addressKeys)[number];

export type FieldPath =
  | 'name'
  | 'phone'
  | `address.${AddressKey}`
  | 'shipping.name'
  | 'shipping.phone'
  | `shipping.address.${AddressKey}`
  | 'taxId.value';

/** Every field in the order the form shows it (the first invalid one gets focus). */
export const fieldPaths: readonly FieldPath[] = [
  'name',
  ...addressKeys.map((key) => `address.${key}` as const),
  'phone',
  'shipping.name',
  ...addressKeys.map((key) => `shipping.address.${key}` as const),
  'shipping.phone',
  'taxId.value',
];

/** The country a new address starts with. */
export const defaultCountry = 'DE';

export type FieldProblem =
  | {kind: 'required'}
  | {kind: 'too_long'; max: number}
  | {kind: 'postal_code'; country: string}
  | {kind: 'phone'}
  | {kind: 'region'; country: string}
  | {kind: 'country'}
  | {kind: 'tax_id'; example: string | null}
  | {kind: 'tax_id_wrong_type'}
  | {kind: 'tax_id_refused'}
  | {kind: 'rejected'};

export type FieldProblems = Partial<Record<FieldPath, FieldProblem>>;

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

function emptyAddress(): AddressValues {
  return {line1: '', line2: '', postalCode: '', city: '', country: defaultCountry, state: ''};
}

function addressValues(address: Address | null | undefined): AddressValues {
  if (!address) {
    return emptyAddress();
  }
  return {
    line1: address.line1 ?? '',
    line2: address.line2 ?? '',
    postalCode: address.postalCode ?? '',
    city: address.city ?? '',
    country: address.country?.toUpperCase() || defaultCountry,
    state: address.state ?? '',
  };
}

/**
 * The form as it opens for `customer`. A shipping address that only repeats the billing one
 * (as the read-only view says: „Wie Rechnungsadresse") opens as the ticked checkbox too.
 */
export function valuesFromCustomer(customer: Customer): BillingFormValues {
  const shipping = customer.shipping;
  const repeatsBilling =
    !shipping?.address ||
    (sameAddress(shipping.address, customer.address) &&
      (!shipping.name || shipping.name === customer.name) &&
      (!shipping.phone || shipping.phone === customer.phone));
  return {
    name: customer.name ?? '',
    phone: customer.phone ?? '',
    address: addressValues(customer.address),
    shippingSameAsBilling: repeatsBilling,
    shipping: {
      name: repeatsBilling ? '' : (shipping?.name ?? ''),
      phone: repeatsBilling ? '' : (shipping?.phone ?? ''),
      address: repeatsBilling ? emptyAddress() : addressValues(shipping?.address),
    },
    taxId: customer.taxIds[0]?.value ?? '',
  };
}

export function getField(values: BillingFormValues, path: FieldPath): string {
  if (path === 'taxId.value') {
    return values.taxId;
  }
  const parts = path.split('.');
  if (parts[0] === 'shipping') {
    return parts[1] === 'address'
      ? values.shipping.address[parts[2] as AddressKey]
      : values.shipping[parts[1] as 'name' | 'phone'];
  }
  return parts[0] === 'address'
    ? values.address[parts[1] as AddressKey]
    : values[parts[0] as 'name' | 'phone'];
}

/** A copy of `values` with one field changed (values are replaced, never mutated). */
export function setField(
  values: BillingFormValues,
  path: FieldPath,
  value: string,
): BillingFormValues {
  if (path === 'taxId.value') {
    return {...values, taxId: value};
  }
  const parts = path.split('.');
  if (parts[0] === 'shipping') {
    const shipping = values.shipping;
    return {
      ...values,
      shipping:
        parts[1] === 'address'
          ? {...shipping, address: {...shipping.address, [parts[2]!]: value}}
          : {...shipping, [parts[1]!]: value},
    };
  }
  return parts[0] === 'address'
    ? {...values, address: {...values.address, [parts[1]!]: value}}
    : {...values, [parts[0]!]: value};
}

/** Whether the country's addresses need a state or province (shown only then). */
export function needsRegion(country: string): boolean {
  return REGION_REQUIRED.has(country);
}

/** The tax ID as typed, read with the billing country: Stripe's form of it, or the problem. */
export function readTaxId(values: BillingFormValues): ParsedTaxId | FieldProblem | null {
  const typed = values.taxId.trim();
  if (!typed) {
    return null;
  }
  if (typed.length > FIELD_MAX.taxId) {
    return {kind: 'too_long', max: FIELD_MAX.taxId};
  }
  const parsed = parseTaxId(typed, {country: values.address.country});
  if ('problem' in parsed) {
    return parsed.problem === 'wrong_type'
      ? {kind: 'tax_id_wrong_type'}
      : {kind: 'tax_id', example: taxIdExample(values.address.country)};
  }
  return parsed;
}

function isProblem(value: ParsedTaxId | FieldProblem | null): value is FieldProblem {
  return value !== null && 'kind' in value;
}

function checkText(
  problems: FieldProblems,
  path: FieldPath,
  value: string,
  {required = false, max}: {required?: boolean; max: number},
) {
  const trimmed = value.trim();
  if (required && !trimmed) {
    problems[path] = {kind: 'required'};
  } else if (trimmed.length > max) {
    problems[path] = {kind: 'too_long', max};
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
    problems[`${prefix}.postalCode`] = {kind: 'postal_code', country: a.country};
  }
  checkText(problems, `${prefix}.city`, a.city, {required: true, max: FIELD_MAX.city});
  if (!COUNTRY_CODES.includes(a.country)) {
    problems[`${prefix}.country`] = {kind: 'country'};
  }
  if (needsRegion(a.country)) {
    checkText(problems, `${prefix}.state`, a.state, {max: FIELD_MAX.state});
    if (!a.state.trim()) {
      problems[`${prefix}.state`] = {kind: 'region', country: a.country};
    }
  }
}

function checkPhone(problems: FieldProblems, path: FieldPath, phone: string) {
  checkText(problems, path, phone, {max: FIELD_MAX.phone});
  if (!problems[path] && !PHONE_PATTERN.test(phone.trim())) {
    problems[path] = {kind: 'phone'};
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
  return problems;
}

const orNull = (value: string) => value.trim() || null;

function addressInput(a: AddressValues): AddressInput {
  return {
    line1: a.line1.trim(),
    line2: orNull(a.line2),
    postalCode: a.postalCode.trim(),
    city: a.city.trim(),
    // A region the country does not need is not printed, so it is not kept either.
    state: needsRegion(a.country) ? orNull(a.state) : null,
    country: a.country,
  };
}

/** The body of `PUT /api/billing-details` for valid `values`. */
export function toRequest(values: BillingFormValues): BillingDetailsRequest {
  const taxId = readTaxId(values);
  return {
    name: values.name.trim(),
    phone: orNull(values.phone),
    address: addressInput(values.address),
    shipping: values.shippingSameAsBilling
      ? null
      : {
          name: values.shipping.name.trim(),
          phone: orNull(values.shipping.phone),
          address: addressInput(values.shipping.address),
        },
    taxId: taxId === null ? null : {value: isProblem(taxId) ? values.taxId.trim() : taxId.value},
  };
}

export interface InvoicePreview {
  lines: string[];
  /** Stripe's form of the tax ID; `invalid` while what is typed is no tax ID. */
  taxId: ParsedTaxId | 'invalid' | null;
}

/** The block the next invoice will print: name, address, country, tax ID. */
export function invoicePreview(values: BillingFormValues): InvoicePreview {
  const taxId = readTaxId(values);
  return {
    // The address as the request sends it, in the lines the saved details show in.
    lines: [values.name.trim(), ...addressLines(addressInput(values.address))].filter(Boolean),
    taxId: isProblem(taxId) ? 'invalid' : taxId,
  };
}

/**
 * When the next invoice will be issued: the upcoming invoice's date, else the end of the running
 * period. `null` without a Gate Pass that renews.
 */
export function nextInvoiceDate({subscription, upcomingInvoice}: AccountResponse): number | null {
  if (upcomingInvoice) {
    return upcomingInvoice.date;
  }
  if (!subscription || subscription.status === 'canceled' || subscription.cancelAtPeriodEnd) {
    return null;
  }
  return subscription.currentPeriodEnd;
}

/** The server's `422` fields on the form's fields; paths the form does not have are listed. */
export function serverProblems(fields: Record<string, string>): {
  problems: FieldProblems;
  unknown: string[];
} {
  const problems: FieldProblems = {};
  const unknown: string[] = [];
  for (const [rawPath, message] of Object.entries(fields)) {
    const path = (rawPath === 'taxId' || rawPath === 'taxId.type' ? 'taxId.value' : rawPath) as
      FieldPath | string;
    if (!fieldPaths.includes(path as FieldPath)) {
      unknown.push(rawPath);
      continue;
    }
    problems[path as FieldPath] = problemFromServer(path as FieldPath, message);
  }
  return {problems, unknown};
}

/** The server's messages are for developers; the user reads the kind of problem in words. */
function problemFromServer(path: FieldPath, message: string): FieldProblem {
  const tooLong = /at most (\d+) characters/.exec(message);
  const postal = /not a postal code of ([A-Z]{2})/.exec(message);
  const region = /required for ([A-Z]{2})/.exec(message);
  if (region) return {kind: 'region', country: region[1]!};
  if (message === 'required') return {kind: 'required'};
  if (tooLong) return {kind: 'too_long', max: Number(tooLong[1])};
  if (postal) return {kind: 'postal_code', country: postal[1]!};
  if (/digits, spaces/.test(message)) return {kind: 'phone'};
  if (/ISO 3166/.test(message)) return {kind: 'country'};
  if (path === 'taxId.value') {
    const example = /e\.g\. ([^)]+)\)/.exec(message);
    if (/^not a tax ID/.test(message)) return {kind: 'tax_id', example: example?.[1] ?? null};
    if (/^not an? \w+ number/.test(message)) return {kind: 'tax_id_wrong_type'};
    // Anything else is Stripe's own refusal (`tax_id_invalid`).
    return {kind: 'tax_id_refused'};
  }
  return {kind: 'rejected'};
}

/** A field's problem in the user's language. */
export function problemText(problem: FieldProblem): string {
  switch (problem.kind) {
    case 'required':
      return msg('Bitte füllen Sie dieses Feld aus.');
    case 'too_long':
      return msg(str`Bitte höchstens ${problem.max} Zeichen.`);
    case 'postal_code':
      return msg(str`Das ist keine Postleitzahl aus ${countryName(problem.country)}.`);
    case 'phone':
      return msg('Bitte nur Ziffern, Leerzeichen und + ( ) / - verwenden.');
    case 'region':
      return msg(str`Für Adressen in ${countryName(problem.country)} wird dieses Feld benötigt.`);
    case 'country':
      return msg('Bitte wählen Sie ein Land aus der Liste.');
    case 'tax_id':
      return problem.example
        ? msg(str`Das ist keine gültige Steuer-ID. So sieht sie aus: ${problem.example}`)
        : msg(
            'Das ist keine gültige Steuer-ID. Möglich sind USt-IdNrn. aus der EU, Großbritannien, der Schweiz und Norwegen sowie die deutsche Steuernummer.',
          );
    case 'tax_id_wrong_type':
      return msg('Diese Nummer passt nicht zur gewählten Art der Steuer-ID.');
    case 'tax_id_refused':
      return msg('Stripe hat diese Steuer-ID nicht angenommen. Bitte prüfen Sie die Nummer.');
    case 'rejected':
      return msg('Diese Angabe wurde nicht angenommen. Bitte prüfen Sie sie.');
  }
}
