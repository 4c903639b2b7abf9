import type {ParsedTaxId} from '../../common/billing-rules.js';
import {
  FIELD_ERROR_CODES,
  type AccountResponse,
  type Address,
  type AddressInput,
  type BillingDetailsRequest,
  type Customer,
  type FieldError,
  type FieldProblem,
} from '../../common/contract.js';
import {addressLines, sameAddress} from '../format.js';
import {isProblem, readTaxId} from './billing-details-checks.js';
import {
  defaultCountry,
  fieldPaths,
  needsRegion,
  type AddressValues,
  type BillingFormValues,
  type FieldPath,
  type FieldProblems,
} from './billing-form-values.js';

// „Informationen aktualisieren" without the DOM: the form's values as they open, the request
// they become, the invoice block they will print and the server's field errors on its fields.
// The values and paths are in billing-form-values.ts, the browser's checks in
// billing-details-checks.ts, the texts of field errors in field-error-text.ts.

export type {AddressValues, BillingFormValues, FieldPath, FieldProblems};

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
    reference: customer.reference ?? '',
  };
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
    reference: orNull(values.reference),
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
export function serverProblems(fields: Record<string, FieldError>): {
  problems: FieldProblems;
  unknown: string[];
} {
  const problems: FieldProblems = {};
  const unknown: string[] = [];
  for (const [rawPath, error] of Object.entries(fields)) {
    const path = rawPath === 'taxId' || rawPath === 'taxId.type' ? 'taxId.value' : rawPath;
    if (!fieldPaths.includes(path as FieldPath)) {
      unknown.push(rawPath);
      continue;
    }
    problems[path as FieldPath] = problemFromServer(error);
  }
  return {problems, unknown};
}

const knownCodes: ReadonlySet<string> = new Set(FIELD_ERROR_CODES);

/**
 * The code and params of a server's field error; its `message` is for developers and is
 * dropped. A code this element does not know (a newer server's) is kept as `rejected`.
 */
function problemFromServer(error: FieldError): FieldProblem {
  if (!knownCodes.has(error.code)) return {code: 'rejected'};
  const {message: _forDevelopers, ...problem} = error;
  return problem;
}
