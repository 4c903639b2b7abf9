import type Stripe from 'stripe';
import validator from 'validator';
import {z} from 'zod';
import {
  COUNTRY_CODES,
  FIELD_MAX,
  parseTaxId,
  PHONE_PATTERN,
  REGION_REQUIRED,
  TAX_ID_TYPES,
  taxIdExample,
} from '../billing-rules.js';
import type {
  AddressInput,
  BillingDetailsRequest,
  BillingDetailsResponse,
  NotSaved,
} from '../contract.js';
import {ApiError} from '../errors.js';
import {parse} from '../http/validate.js';
import type {CustomerCache} from './customer-cache.js';
import {toCustomer} from './stripe-mappers.js';

// validator.js knows the postal code formats of about 70 countries; others get a length check.
const POSTAL_LOCALES: ReadonlySet<string> = new Set(validator.isPostalCodeLocales);
const COUNTRIES = new Set(COUNTRY_CODES);

// Control characters (line breaks, bells …) would end up on invoices, PDFs and the CSV.
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'required')
    .max(max, `at most ${max} characters`)
    .regex(NO_CONTROL, 'no control characters');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .regex(NO_CONTROL, 'no control characters')
    .nullish()
    .transform((v) => v || null);
const phone = z
  .string()
  .trim()
  .max(FIELD_MAX.phone, `at most ${FIELD_MAX.phone} characters`)
  .regex(PHONE_PATTERN, 'digits, spaces and + ( ) / - only')
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
      .refine((c) => COUNTRIES.has(c), 'not an ISO 3166-1 alpha-2 country'),
  })
  .superRefine((address, ctx) => {
    if (
      POSTAL_LOCALES.has(address.country) &&
      !validator.isPostalCode(address.postalCode, address.country as validator.PostalCodeLocale)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['postalCode'],
        message: `not a postal code of ${address.country}`,
      });
    }
    if (REGION_REQUIRED.has(address.country) && !address.state) {
      ctx.addIssue({code: 'custom', path: ['state'], message: `required for ${address.country}`});
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
  })
  .transform((body, ctx) => {
    if (!body.taxId) return {...body, taxId: null};
    const parsed = parseTaxId(body.taxId.value, {
      type: body.taxId.type,
      country: body.address.country,
    });
    if ('problem' in parsed) {
      const example = taxIdExample(body.address.country);
      ctx.addIssue({
        code: 'custom',
        path: ['taxId', 'value'],
        message:
          parsed.problem === 'wrong_type'
            ? `not a ${body.taxId.type} number`
            : `not a tax ID Stripe accepts${example ? ` (e.g. ${example})` : ''}`,
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

/** Raises 422 validation_failed with a message per bad field (dotted paths). */
export function validateBillingDetails(input: unknown): ValidBillingDetails {
  return parse(BillingDetailsBody, input, {
    status: 422,
    code: 'validation_failed',
    message: 'Some fields are not valid',
  });
}

const toStripeAddress = (a: AddressInput): Stripe.AddressParam => ({
  line1: a.line1,
  line2: a.line2 ?? '',
  postal_code: a.postalCode,
  city: a.city,
  state: a.state ?? '',
  country: a.country,
});

const stripeMessage = (error: unknown) =>
  (error as {message?: string}).message ?? 'Stripe refused the change';

/**
 * „Rechnung und Versand" → „Informationen aktualisieren": the customer's details and its one
 * tax ID, so that the next invoice Stripe finalizes is issued to them. One request, and an
 * answer that says exactly what was saved when Stripe takes only part of it.
 */
export class BillingDetailsService {
  constructor(
    private readonly stripe: Stripe,
    /** Invalidated after every save, before the answer (also when it failed halfway). */
    private readonly cache?: CustomerCache,
  ) {}

  async update(customerId: string, details: ValidBillingDetails): Promise<BillingDetailsResponse> {
    try {
      return await this.#update(customerId, details);
    } finally {
      await this.cache?.invalidate(customerId);
    }
  }

  async #update(customerId: string, details: ValidBillingDetails): Promise<BillingDetailsResponse> {
    const current = (await this.stripe.customers.retrieve(customerId, {
      expand: ['tax_ids'],
    })) as Stripe.Customer;
    const existing = current.tax_ids?.data ?? [];
    const wanted = details.taxId;
    const kept = wanted
      ? existing.find((t) => t.type === wanted.type && t.value === wanted.value)
      : undefined;

    // The new tax ID first: it is what Stripe most often refuses, and then nothing is saved.
    let created: Stripe.TaxId | null = null;
    if (wanted && !kept) {
      try {
        created = await this.stripe.customers.createTaxId(customerId, {
          type: wanted.type,
          value: wanted.value,
        });
      } catch (error) {
        if ((error as {code?: string}).code === 'tax_id_invalid') {
          throw new ApiError(422, 'validation_failed', 'Stripe refused the tax ID', {
            fields: {'taxId.value': stripeMessage(error)},
          });
        }
        throw error;
      }
    }

    try {
      await this.stripe.customers.update(customerId, {
        name: details.name,
        phone: details.phone ?? '',
        address: toStripeAddress(details.address),
        shipping: details.shipping
          ? {
              name: details.shipping.name,
              phone: details.shipping.phone ?? '',
              address: toStripeAddress(details.shipping.address),
            }
          : '',
      });
    } catch (error) {
      // Undo the tax ID so that a failed save leaves the customer as it was.
      if (created) await this.stripe.customers.deleteTaxId(customerId, created.id).catch(() => {});
      throw error;
    }

    const notSaved: NotSaved[] = [];
    const obsolete = existing.filter((t) => t.id !== kept?.id);
    const removals = await Promise.allSettled(
      obsolete.map((t) => this.stripe.customers.deleteTaxId(customerId, t.id)),
    );
    removals.forEach((result, i) => {
      if (result.status === 'rejected') {
        notSaved.push({
          field: 'taxId',
          code: 'tax_id_not_removed',
          message: `The previous tax ID ${obsolete[i]!.value} could not be removed and is still on the account`,
        });
      }
    });

    const updated = (await this.stripe.customers.retrieve(customerId, {
      expand: ['tax_ids'],
    })) as Stripe.Customer;
    return {customer: toCustomer(updated), ...(notSaved.length ? {notSaved} : {})};
  }
}
