/**
 * Reading form-encoded Stripe parameters as qs parsed them: every scalar is a string, an
 * empty string means "unset" (the SDK sends `null` and `''` that way), nested hashes are
 * objects. Unknown parameters are refused like Stripe does, which catches typos in callers.
 */
import type Stripe from 'stripe';
import {invalidRequest} from './errors.js';
import {address} from './objects.js';

export type Params = Record<string, unknown>;

export function params(raw: unknown): Params {
  return typeof raw === 'object' && raw !== null ? (raw as Params) : {};
}

/** Refuses parameters outside `allowed` (plus `expand`), naming the first, like Stripe. */
export function allowOnly(p: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(p)) {
    if (key !== 'expand' && !allowed.includes(key)) {
      throw invalidRequest(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
    }
  }
}

/** `undefined` when absent, `null` when sent empty (unset), else the string. */
export function optString(p: Params, name: string, param = name): string | null | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(v)}`, param);
  return v;
}

export function requiredString(p: Params, name: string, param = name): string {
  const v = optString(p, name, param);
  if (v === undefined || v === null)
    throw invalidRequest(`Missing required param: ${param}.`, param);
  return v;
}

export function optBoolean(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${typeof v === 'string' ? v : JSON.stringify(v)}`, name);
}

function optHash(p: Params, name: string, param: string): Params | null | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidRequest(`Invalid object`, param);
  }
  return v as Params;
}

const addressKeys = ['line1', 'line2', 'postal_code', 'city', 'state', 'country'] as const;

/** An address hash; like Stripe, the hash sent replaces the stored address as a whole. */
export function optAddress(
  p: Params,
  name: string,
  param = name,
): Stripe.Address | null | undefined {
  const h = optHash(p, name, param);
  if (h === undefined || h === null) return h;
  allowOnly(h, addressKeys);
  const out: Partial<Stripe.Address> = {};
  for (const key of addressKeys) {
    const v = optString(h, key, `${param}[${key}]`);
    if (v !== undefined) out[key] = v;
  }
  if (out.country && !/^[A-Za-z]{2}$/.test(out.country)) {
    throw invalidRequest(
      `Country '${out.country}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'. A full list of country codes is available at https://stripe.com/docs/api#country_codes`,
      `${param}[country]`,
    );
  }
  return address({...out, country: out.country?.toUpperCase() ?? null});
}

export function optShipping(
  p: Params,
  name = 'shipping',
): Stripe.Customer.Shipping | null | undefined {
  const h = optHash(p, name, name);
  if (h === undefined || h === null) return h;
  allowOnly(h, ['name', 'phone', 'address']);
  const shippingAddress = optAddress(h, 'address', `${name}[address]`);
  if (!shippingAddress)
    throw invalidRequest(`Missing required param: ${name}[address].`, `${name}[address]`);
  return {
    address: shippingAddress,
    name: requiredString(h, 'name', `${name}[name]`),
    phone: optString(h, 'phone', `${name}[phone]`) ?? null,
  };
}

/** Metadata update semantics: `metadata=` clears all, `metadata[k]=` deletes one key. */
export function applyMetadata(existing: Stripe.Metadata, p: Params): Stripe.Metadata {
  const h = optHash(p, 'metadata', 'metadata');
  if (h === undefined) return existing;
  if (h === null) return {};
  const out = {...existing};
  for (const [k, v] of Object.entries(h)) {
    if (v === '') delete out[k];
    else if (typeof v === 'string') out[k] = v;
    else throw invalidRequest(`Invalid string: ${JSON.stringify(v)}`, `metadata[${k}]`);
  }
  return out;
}

export function optHashParam(p: Params, name: string): Params | null | undefined {
  return optHash(p, name, name);
}

/** Stripe's limits of invoice custom fields (docs.stripe.com/api/customers/update). */
export const CUSTOM_FIELDS_MAX = {count: 4, name: 40, value: 140} as const;

/**
 * `invoice_settings[custom_fields]` of a customer create or update
 * (https://docs.stripe.com/api/customers/update#update_customer-invoice_settings-custom_fields):
 * "The list of up to 4 default custom fields to be displayed on invoices for this customer.
 * When updating, pass an empty string to remove previously-defined fields." Each needs a `name`
 * ("up to 40 characters") and a `value` ("up to 140 characters"). The list sent replaces the
 * stored one as a whole. `undefined` when absent, `null` when sent empty (none).
 */
export function optCustomFields(
  settings: Params,
): Stripe.Customer.InvoiceSettings.CustomField[] | null | undefined {
  const raw = settings.custom_fields;
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  const param = 'invoice_settings[custom_fields]';
  if (typeof raw !== 'object' || raw === null) throw invalidRequest('Invalid array', param);
  const entries = Object.values(raw);
  if (entries.length > CUSTOM_FIELDS_MAX.count) {
    throw invalidRequest(
      `Invalid array: must have at most ${CUSTOM_FIELDS_MAX.count} elements, got ${entries.length}.`,
      param,
    );
  }
  return entries.map((entry, i) => {
    const field = params(entry);
    allowOnly(field, ['name', 'value']);
    const name = requiredString(field, 'name', `${param}[${i}][name]`);
    const value = requiredString(field, 'value', `${param}[${i}][value]`);
    for (const [key, text] of [
      ['name', name],
      ['value', value],
    ] as const) {
      if (text.length > CUSTOM_FIELDS_MAX[key]) {
        throw invalidRequest(
          `Invalid string: ${text.slice(0, 20)}...; must be at most ${CUSTOM_FIELDS_MAX[key]} characters`,
          `${param}[${i}][${key}]`,
        );
      }
    }
    return {name, value};
  });
}
