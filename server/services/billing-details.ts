import validator from 'validator';
import {z} from 'zod';
import {
  COUNTRY_CODES,
  FIELD_MAX,
  parseTaxId,
  PHONE_PATTERN,
  REGION_REQUIRED,
  TAX_ID_TYPES,
} from '../../common/billing-rules.js';
import {MAX_REFERENCE_LENGTH, type BillingDetailsRequest} from '../../common/contract.js';
import {fieldCheck, parse} from '../http/validate.js';

// validator.js knows the postal code formats of about 70 countries; others get a length check.
const POSTAL_LOCALES: ReadonlySet<string> = new Set(validator.isPostalCodeLocales);
const COUNTRIES = new Set(COUNTRY_CODES);

// Control characters (line breaks, bells …) would end up on invoices, PDFs and the CSV.
const NO_CONTROL = /^[^\p{Cc}]*$/u;
// `min(1)` and `max` answer `required` and `too_long` {max} (see `parse`); the other checks
// name their field error code themselves.
const noControl = fieldCheck({code: 'control_characters'}, 'no control characters');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'required')
    .max(max, `at most ${max} characters`)
    .refine((v) => NO_CONTROL.test(v), noControl);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .refine((v) => NO_CONTROL.test(v), noControl)
    .nullish()
    .transform((v) => v || null);
// „Ihre Referenz": omitted stays omitted (unchanged); `null` or blank becomes `null` (removed).
const reference = z
  .string()
  .trim()
  .max(MAX_REFERENCE_LENGTH, `at most ${MAX_REFERENCE_LENGTH} characters`)
  .refine((v) => NO_CONTROL.test(v), noControl)
  .nullable()
  .transform((v) => v || null)
  .optional();
const phone = z
  .string()
  .trim()
  .max(FIELD_MAX.phone, `at most ${FIELD_MAX.phone} characters`)
  .refine(
    (v) => PHONE_PATTERN.test(v),
    fieldCheck({code: 'phone'}, 'digits, spaces and + ( ) / - only'),
  )
  .nullish()
  .transform((v) => v || null);

const Address = z
  .strictObject({
    line1: text(FIELD_MAX.line1),
    line2: optionalText(FIELD_MAX.line2),
    postalCode: text(FIELD_MAX.postalCode),
    city: text(FIELD_MAX.city),
    state: optionalText(FIELD_MAX.state),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .refine(
        (c) => COUNTRIES.has(c),
        fieldCheck({code: 'country'}, 'not an ISO 3166-1 alpha-2 country'),
      ),
  })
  .superRefine((address, ctx) => {
    if (
      POSTAL_LOCALES.has(address.country) &&
      !validator.isPostalCode(address.postalCode, address.country as validator.PostalCodeLocale)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['postalCode'],
        ...fieldCheck(
          {code: 'postal_code', params: {country: address.country}},
          `not a postal code of ${address.country}`,
        ),
      });
    }
    if (REGION_REQUIRED.has(address.country) && !address.state) {
      ctx.addIssue({
        code: 'custom',
        path: ['state'],
        ...fieldCheck(
          {code: 'region', params: {country: address.country}},
          `required for ${address.country}`,
        ),
      });
    }
  });

/** `PUT /api/billing-details`: every field of the contract, nothing else. */
export const BillingDetailsBody = z
  .strictObject({
    name: text(FIELD_MAX.name),
    phone,
    address: Address,
    shipping: z.strictObject({name: text(FIELD_MAX.name), phone, address: Address}).nullable(),
    taxId: z
      .strictObject({
        type: z.enum(TAX_ID_TYPES).optional(),
        value: text(FIELD_MAX.taxId),
      })
      .nullable(),
    reference,
  })
  .transform((body, ctx) => {
    if (!body.taxId) return {...body, taxId: null};
    const parsed = parseTaxId(body.taxId.value, {
      type: body.taxId.type,
      country: body.address.country,
    });
    if ('problem' in parsed) {
      const {problem} = parsed;
      ctx.addIssue({
        code: 'custom',
        path: ['taxId', 'value'],
        ...fieldCheck(
          problem,
          problem.code === 'tax_id_wrong_type'
            ? `not a ${body.taxId.type} number`
            : `not a tax ID Stripe accepts${problem.params.example ? ` (e.g. ${problem.params.example})` : ''}`,
        ),
      });
      return z.NEVER;
    }
    return {...body, taxId: parsed};
  });

export type ValidBillingDetails = z.output<typeof BillingDetailsBody>;

// What the schema accepts is the contract's request, both ways: a required field added to one
// and not the other fails to compile.
type BodyInput = z.input<typeof BillingDetailsBody>;
true satisfies [BodyInput, BillingDetailsRequest] extends [BillingDetailsRequest, BodyInput]
  ? true
  : never;

/** Raises 422 validation_failed with a field error code per bad field (dotted paths). */
export function validateBillingDetails(input: unknown): ValidBillingDetails {
  return parse(BillingDetailsBody, input, {
    status: 422,
    code: 'validation_failed',
    message: 'Some fields are not valid',
  });
}
