import {REGION_REQUIRED} from '../../common/billing-rules.js';
import type {FieldProblem} from '../../common/contract.js';

// The vocabulary of „Informationen aktualisieren": the form's values and the paths of its
// fields. Field paths are the server's dotted paths, so that a `422` lands on the same field as a
// check in the browser.

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
  /** „Ihre Referenz": an order number or Leitweg-ID printed on every invoice. */
  reference: string;
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
  | 'taxId.value'
  | 'reference';

/** Every field in the order the form shows it (the first invalid one gets focus). */
export const fieldPaths: readonly FieldPath[] = [
  'name',
  ...addressKeys.map((key) => `address.${key}` as const),
  'phone',
  'shipping.name',
  ...addressKeys.map((key) => `shipping.address.${key}` as const),
  'shipping.phone',
  'taxId.value',
  'reference',
];

/** What is wrong with each field: the contract's field error codes, from the browser's checks or the server. */
export type FieldProblems = Partial<Record<FieldPath, FieldProblem>>;

/** The country a new address starts with. */
export const defaultCountry = 'DE';

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
    : values[parts[0] as 'name' | 'phone' | 'reference'];
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
          ? {...shipping, address: {...shipping.address, [parts[2]]: value}}
          : {...shipping, [parts[1]]: value},
    };
  }
  return parts[0] === 'address'
    ? {...values, address: {...values.address, [parts[1]]: value}}
    : {...values, [parts[0]]: value};
}

/** Whether the country's addresses need a state or province (shown only then). */
export function needsRegion(country: string): boolean {
  return REGION_REQUIRED.has(country);
}

/** The id of a field's control: `field-` and its dotted path with dashes, e.g. `field-address-city`. */
export function fieldId(path: FieldPath): string {
  return `field-${path.replace(/\./g, '-')}`;
}
