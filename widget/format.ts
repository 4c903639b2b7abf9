import {msg, str} from '@lit/localize';
import type {
  Address,
  AddressInput,
  Card,
  Invoice,
  InvoiceStatus,
  Subscription,
  SubscriptionStatus,
  TaxId,
  TaxIdVerificationStatus,
} from '../common/contract.js';
import {minorUnitDigits} from '../common/billing-rules.js';
import {intlLocale} from './intl.js';

// Display rules for Stripe data: money from minor units, dates from Unix seconds, status codes
// in words. Everything here runs at render time, so it follows the active locale.

export function formatMoney(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(intlLocale(), {
    style: 'currency',
    currency: currency.toUpperCase(),
  }).format(minorUnits / 10 ** digits);
}

export function formatDate(unixSeconds: number): string {
  return new Intl.DateTimeFormat(intlLocale(), {dateStyle: 'medium'}).format(unixSeconds * 1000);
}

export function formatPeriod(startSeconds: number, endSeconds: number): string {
  return new Intl.DateTimeFormat(intlLocale(), {dateStyle: 'medium'}).formatRange(
    startSeconds * 1000,
    endSeconds * 1000,
  );
}

export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([intlLocale()], {type: 'region'}).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

const countryListCache = new Map<string, Array<{code: string; name: string}>>();

/** Countries named in the active language and sorted the way that language sorts names. */
export function countriesByName(codes: readonly string[]): Array<{code: string; name: string}> {
  const locale = intlLocale();
  const key = `${locale}:${codes.length}`;
  let list = countryListCache.get(key);
  if (!list) {
    const collator = new Intl.Collator(locale);
    list = codes
      .map((code) => ({code, name: countryName(code)}))
      .sort((a, b) => collator.compare(a.name, b.name));
    countryListCache.set(key, list);
  }
  return list;
}

/** The lines of a postal address as printed on an envelope, empty parts left out. */
export function addressLines(address: Address | AddressInput | null | undefined): string[] {
  if (!address) {
    return [];
  }
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [
    address.line1,
    address.line2,
    cityLine,
    address.state,
    address.country ? countryName(address.country) : null,
  ].filter((line): line is string => Boolean(line?.trim()));
}

export function sameAddress(a: Address | null | undefined, b: Address | null | undefined): boolean {
  const keys = ['line1', 'line2', 'postalCode', 'city', 'state', 'country'] as const;
  return Boolean(a && b) && keys.every((key) => (a![key] ?? '') === (b![key] ?? ''));
}

// Brand names are proper names and stay the same in every language.
const cardBrands: Record<string, string> = {
  amex: 'American Express',
  american_express: 'American Express',
  cartes_bancaires: 'Cartes Bancaires',
  diners: 'Diners Club',
  discover: 'Discover',
  eftpos_au: 'eftpos',
  girocard: 'girocard',
  interac: 'Interac',
  jcb: 'JCB',
  link: 'Link',
  maestro: 'Maestro',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

export function cardBrandName(brand: string): string {
  return cardBrands[brand.toLowerCase()] ?? (brand && brand !== 'unknown' ? brand : msg('Karte'));
}

/** „08/28", the way the expiry is printed on the card. */
export function cardExpiry(card: Card): string {
  return `${String(card.expMonth).padStart(2, '0')}/${String(card.expYear % 100).padStart(2, '0')}`;
}

/** A card is usable until the end of its expiry month. */
export function isCardExpired(card: Card, now = new Date()): boolean {
  const year = now.getFullYear();
  const month = now.getMonth() + 1;
  return card.expYear < year || (card.expYear === year && card.expMonth < month);
}

export function subscriptionStatusLabel(status: SubscriptionStatus): string {
  switch (status) {
    case 'active':
      return msg('Aktiv');
    case 'trialing':
      return msg('Testphase');
    case 'past_due':
      return msg('Zahlung überfällig');
    case 'unpaid':
      return msg('Unbezahlt');
    case 'canceled':
      return msg('Gekündigt');
    case 'incomplete':
      return msg('Zahlung ausstehend');
    case 'incomplete_expired':
      return msg('Abgelaufen');
    case 'paused':
      return msg('Pausiert');
    default:
      return status;
  }
}

/** How often the Gate Pass renews, e.g. „jährlich" or „alle 3 Monate". */
export function billingIntervalLabel(subscription: Subscription): string {
  const count = subscription.intervalCount;
  if (count === 1) {
    switch (subscription.interval) {
      case 'day':
        return msg('täglich');
      case 'week':
        return msg('wöchentlich');
      case 'month':
        return msg('monatlich');
      case 'year':
        return msg('jährlich');
    }
  }
  switch (subscription.interval) {
    case 'day':
      return msg(str`alle ${count} Tage`);
    case 'week':
      return msg(str`alle ${count} Wochen`);
    case 'month':
      return msg(str`alle ${count} Monate`);
    default:
      return msg(str`alle ${count} Jahre`);
  }
}

export type InvoiceDisplayStatus = InvoiceStatus | 'overdue';

/** An open invoice whose due date has passed counts as overdue. */
export function invoiceDisplayStatus(invoice: Invoice, now = Date.now()): InvoiceDisplayStatus {
  if (invoice.status === 'open' && invoice.dueDate !== null && invoice.dueDate * 1000 < now) {
    return 'overdue';
  }
  return invoice.status;
}

export function invoiceStatusLabel(status: InvoiceDisplayStatus): string {
  switch (status) {
    case 'paid':
      return msg('Bezahlt');
    case 'open':
      return msg('Offen');
    case 'overdue':
      return msg('Überfällig');
    case 'void':
      return msg('Storniert');
    case 'uncollectible':
      return msg('Uneinbringlich');
    case 'draft':
      return msg('Entwurf');
    default:
      return status;
  }
}

export function taxIdTypeLabel(taxId: Pick<TaxId, 'type'>): string {
  switch (taxId.type) {
    case 'eu_vat':
    case 'gb_vat':
    case 'ch_vat':
    case 'no_vat':
      return msg('USt-IdNr.');
    case 'de_stn':
      return msg('Steuernummer');
    default:
      return msg('Steuer-ID');
  }
}

export function taxIdVerificationLabel(status: TaxIdVerificationStatus): string {
  switch (status) {
    case 'pending':
      return msg('Ausstehend');
    case 'verified':
      return msg('Verifiziert');
    case 'unverified':
      return msg('Nicht verifiziert');
    default:
      return msg('Keine Prüfung möglich');
  }
}

/**
 * Only Stripe's own pages may be linked (security.md): `https:` on stripe.com or a subdomain.
 */
export function isStripeUrl(url: string | undefined | null): url is string {
  if (!url) {
    return false;
  }
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      (parsed.hostname === 'stripe.com' || parsed.hostname.endsWith('.stripe.com')) &&
      !parsed.username &&
      !parsed.password
    );
  } catch {
    return false;
  }
}
