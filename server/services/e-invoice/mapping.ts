/**
 * Stripe's finalized invoice → `@e-invoice-eu/core`'s UBL-shaped input (EN 16931 business terms;
 * docs/e-invoices.md has the table BT → Stripe field). Everything comes from the invoice itself,
 * which Stripe never changes once finalized (the buyer from its `customer_*` snapshot, never the
 * customer as it is now), so the same invoice always maps to the same input.
 */
import type {Invoice as EInvoiceData} from '@e-invoice-eu/core';
import type Stripe from 'stripe';
import {ACCOUNTING_TIME_ZONE} from '../../../common/accounting-year.js';
import {minorUnitDigits} from '../../../common/billing-rules.js';
import type {EInvoiceSeller} from '../../config.js';
import {referenceOf} from '../stripe-mappers.js';
import {EInvoiceUnavailable, type LineTax, type TaxCase} from './tax-case.js';

type UblInvoice = EInvoiceData['ubl:Invoice'];
type CurrencyCode = UblInvoice['cbc:DocumentCurrencyCode'];
type Line = UblInvoice['cac:InvoiceLine'][number];
type TaxSubtotal = UblInvoice['cac:TaxTotal'][0]['cac:TaxSubtotal'] extends
  Array<infer T> | undefined
  ? T
  : never;
type PaymentMeans = NonNullable<UblInvoice['cac:PaymentMeans']>[number];
type CountryCode =
  UblInvoice['cac:AccountingCustomerParty']['cac:Party']['cac:PostalAddress']['cac:Country']['cbc:IdentificationCode'];

/** How the invoice was paid, read from its payment (`invoice-payments.ts`). */
export type PaymentFacts =
  {kind: 'card'; last4: string; network: string} | {kind: 'paypal'} | {kind: 'other'};

/** What the mapping needs besides the invoice. */
export interface MappingInput {
  invoice: Stripe.Invoice;
  taxCase: TaxCase;
  lineTaxes: LineTax[];
  /** `null` for an invoice that is not paid yet. */
  payment: PaymentFacts | null;
  seller: EInvoiceSeller;
}

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ACCOUNTING_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Unix seconds → `2026-03-01`, the day in Germany. */
export const isoDate = (seconds: number): string => dateFormat.format(new Date(seconds * 1000));

/** Stripe's minor units → `125.21`, exact (no floating point). */
export function decimal(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0
    ? `${sign}${text}`
    : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** `amount / quantity` in minor units as a decimal of at most 6 places (an item's net price). */
function unitPrice(minor: number, quantity: number, currency: string): string {
  if (minor % quantity === 0) return decimal(minor / quantity, currency);
  const digits = minorUnitDigits(currency) + 4;
  const scaled = Math.round((minor * 10 ** 4) / quantity);
  const text = String(scaled).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`.replace(/0+$/, '');
}

const percentText = (percent: number): string => String(Number(percent.toFixed(4)));

/** The last day a Stripe period covers: its `end` is the first second after it. */
const lastDay = (end: number): string => isoDate(end - 1);

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined || value === '') {
    throw new EInvoiceUnavailable(`The invoice has no ${what}`);
  }
  return value;
}

function taxCategory(tax: LineTax) {
  return {
    'cbc:ID': tax.category,
    ...(tax.percent === null ? {} : {'cbc:Percent': percentText(tax.percent)}),
    'cac:TaxScheme': {'cbc:ID': 'VAT' as const},
  };
}

/** The input for `@e-invoice-eu/core`, without BT-24 (the library sets it per format). */
export function eInvoiceData(input: MappingInput): EInvoiceData {
  const {invoice, taxCase, lineTaxes, payment, seller} = input;
  if (invoice.status === 'draft' || !invoice.number) {
    throw new EInvoiceUnavailable('The invoice is not finalized');
  }
  if (invoice.status === 'void') {
    throw new EInvoiceUnavailable('The invoice is void');
  }
  const currencyCode = invoice.currency.toUpperCase() as CurrencyCode;
  const money = (minor: number) => decimal(minor, invoice.currency);
  if ((invoice.total_discount_amounts ?? []).some((d) => d.amount !== 0)) {
    throw new EInvoiceUnavailable('Discounts are not mapped to e-invoices yet');
  }
  if (invoice.amount_shipping) {
    throw new EInvoiceUnavailable('Shipping costs are not mapped to e-invoices yet');
  }

  const lines = invoice.lines.data.map((line, index) => {
    const tax = lineTaxes[index];
    const quantity = line.quantity ?? 1;
    if (!tax || quantity <= 0) throw new EInvoiceUnavailable(`Line ${line.id} cannot be mapped`);
    const net = line.amount - tax.includedTax;
    const mapped: Line = {
      'cbc:ID': String(index + 1),
      'cbc:InvoicedQuantity': String(quantity),
      'cbc:InvoicedQuantity@unitCode': 'C62',
      'cbc:LineExtensionAmount': money(net),
      'cbc:LineExtensionAmount@currencyID': currencyCode,
      'cac:InvoicePeriod': {
        'cbc:StartDate': isoDate(line.period.start),
        'cbc:EndDate': lastDay(line.period.end),
      },
      'cac:Item': {
        'cbc:Name': required(line.description, `description on line ${line.id}`),
        'cac:ClassifiedTaxCategory': taxCategory(tax),
      },
      'cac:Price': {
        'cbc:PriceAmount': unitPrice(net, quantity, invoice.currency),
        'cbc:PriceAmount@currencyID': currencyCode,
      },
    };
    return {mapped, net, tax};
  });
  if (lines.length === 0) throw new EInvoiceUnavailable('The invoice has no lines');

  // One breakdown per category and rate (BG-23), from the lines' own amounts.
  const groups = new Map<string, {tax: LineTax; taxable: number; amount: number}>();
  for (const {net, tax} of lines) {
    const key = `${tax.category}/${tax.percent ?? ''}`;
    const group = groups.get(key) ?? {tax, taxable: 0, amount: 0};
    group.taxable += net;
    group.amount += tax.taxAmount;
    groups.set(key, group);
  }
  const lineTotal = lines.reduce((sum, {net}) => sum + net, 0);
  const taxTotal = [...groups.values()].reduce((sum, {amount}) => sum + amount, 0);
  if (lineTotal + taxTotal !== invoice.total) {
    throw new EInvoiceUnavailable(
      `The lines (${lineTotal}) and their tax (${taxTotal}) do not add up to the total (${invoice.total})`,
    );
  }
  const subtotals: TaxSubtotal[] = [...groups.values()].map(({tax, taxable, amount}) => ({
    'cbc:TaxableAmount': money(taxable),
    'cbc:TaxableAmount@currencyID': currencyCode,
    'cbc:TaxAmount': money(amount),
    'cbc:TaxAmount@currencyID': currencyCode,
    'cac:TaxCategory': {
      ...taxCategory(tax),
      // XRechnung wants a rate in every breakdown (BR-DE-14), `O` one of 0 (its lines none).
      ...(tax.percent === null ? {'cbc:Percent': '0'} : {}),
      ...(taxCase.exemption && tax.category !== 'S'
        ? {
            'cbc:TaxExemptionReasonCode': taxCase.exemption.code,
            'cbc:TaxExemptionReason': taxCase.exemption.reason,
          }
        : {}),
    },
  }));

  const period = invoice.lines.data.reduce(
    (span, line) => ({
      start: Math.min(span.start, line.period.start),
      end: Math.max(span.end, line.period.end),
    }),
    {start: Infinity, end: -Infinity},
  );
  const issued =
    invoice.status_transitions?.finalized_at ?? invoice.effective_at ?? invoice.created;
  const remaining = invoice.amount_remaining;
  const prepaid = invoice.total - remaining;

  const address = required(invoice.customer_address, 'address of the buyer');
  const country = required(address.country, 'country of the buyer').toUpperCase() as CountryCode;
  const buyerReference =
    referenceOf(invoice.custom_fields) ||
    // BT-10 is mandatory in XRechnung: without the buyer's own reference, their customer number.
    required(
      typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id,
      'customer',
    );

  const data: EInvoiceData = {
    'ubl:Invoice': {
      'cbc:ID': invoice.number,
      'cbc:IssueDate': isoDate(issued),
      ...(invoice.due_date && remaining > 0 ? {'cbc:DueDate': isoDate(invoice.due_date)} : {}),
      'cbc:InvoiceTypeCode': '380',
      'cbc:DocumentCurrencyCode': currencyCode,
      'cbc:BuyerReference': buyerReference,
      'cac:InvoicePeriod': {
        'cbc:StartDate': isoDate(period.start),
        'cbc:EndDate': lastDay(period.end),
      },
      'cac:AccountingSupplierParty': {'cac:Party': sellerParty(seller, taxCase)},
      'cac:AccountingCustomerParty': {
        'cac:Party': {
          'cbc:EndpointID': required(invoice.customer_email, 'e-mail address of the buyer'),
          'cbc:EndpointID@schemeID': 'EM',
          'cac:PostalAddress': {
            ...(address.line1 ? {'cbc:StreetName': address.line1} : {}),
            ...(address.line2 ? {'cbc:AdditionalStreetName': address.line2} : {}),
            'cbc:CityName': required(address.city, 'city of the buyer'),
            'cbc:PostalZone': required(address.postal_code, 'postal code of the buyer'),
            ...(address.state ? {'cbc:CountrySubentity': address.state} : {}),
            'cac:Country': {'cbc:IdentificationCode': country},
          },
          ...(taxCase.buyerVatId
            ? {
                'cac:PartyTaxScheme': {
                  'cbc:CompanyID': taxCase.buyerVatId,
                  'cac:TaxScheme': {'cbc:ID': 'VAT'},
                },
              }
            : {}),
          'cac:PartyLegalEntity': {
            'cbc:RegistrationName': required(invoice.customer_name, 'name of the buyer'),
            ...(taxCase.buyerRegistrationId ? {'cbc:CompanyID': taxCase.buyerRegistrationId} : {}),
          },
        },
      },
      // Library workaround: its CII fails the XSD without a delivery (toolchain.md).
      'cac:Delivery': {'cbc:ActualDeliveryDate': isoDate(period.start)},
      'cac:PaymentMeans': [paymentMeans(payment, invoice)],
      'cac:PaymentTerms': {'cbc:Note': paymentNote(invoice, payment)},
      'cac:TaxTotal': [
        {
          'cbc:TaxAmount': money(taxTotal),
          'cbc:TaxAmount@currencyID': currencyCode,
          'cac:TaxSubtotal': subtotals,
        },
      ],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': money(lineTotal),
        'cbc:LineExtensionAmount@currencyID': currencyCode,
        'cbc:TaxExclusiveAmount': money(lineTotal),
        'cbc:TaxExclusiveAmount@currencyID': currencyCode,
        'cbc:TaxInclusiveAmount': money(invoice.total),
        'cbc:TaxInclusiveAmount@currencyID': currencyCode,
        ...(prepaid !== 0
          ? {
              'cbc:PrepaidAmount': money(prepaid),
              'cbc:PrepaidAmount@currencyID': currencyCode,
            }
          : {}),
        'cbc:PayableAmount': money(remaining),
        'cbc:PayableAmount@currencyID': currencyCode,
      },
      'cac:InvoiceLine': lines.map(({mapped}) => mapped) as UblInvoice['cac:InvoiceLine'],
    },
  };
  return data;
}

function sellerParty(
  seller: EInvoiceSeller,
  taxCase: TaxCase,
): UblInvoice['cac:AccountingSupplierParty']['cac:Party'] {
  return {
    'cbc:EndpointID': seller.email,
    'cbc:EndpointID@schemeID': 'EM',
    'cac:PostalAddress': {
      'cbc:StreetName': seller.street,
      'cbc:CityName': seller.city,
      'cbc:PostalZone': seller.postalCode,
      'cac:Country': {'cbc:IdentificationCode': seller.country as CountryCode},
    },
    // An array here, an object for the buyer: the library's schema wants them so (toolchain.md).
    'cac:PartyTaxScheme': taxCase.sellerVatId
      ? [{'cbc:CompanyID': seller.vatId, 'cac:TaxScheme': {'cbc:ID': 'VAT'}}]
      : [{'cbc:CompanyID': seller.taxNumber, 'cac:TaxScheme': {'cbc:ID': 'FC'}}],
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': seller.name,
      ...(seller.registration ? {'cbc:CompanyID': seller.registration} : {}),
    },
    'cac:Contact': {
      'cbc:Name': seller.contactName,
      'cbc:Telephone': seller.phone,
      'cbc:ElectronicMail': seller.email,
    },
  };
}

/** BG-16: card (54, BG-18 with the last digits and network) or PayPal (68); unpaid: 68 too. */
function paymentMeans(payment: PaymentFacts | null, invoice: Stripe.Invoice): PaymentMeans {
  const id = {'cbc:PaymentID': invoice.number ?? invoice.id};
  if (payment?.kind === 'card') {
    return {
      'cbc:PaymentMeansCode': '54',
      ...id,
      // BT-88 (the holder's name) is left out: the library writes it as `CardHolderName`,
      // which the CII schema does not know (toolchain.md).
      'cac:CardAccount': {
        'cbc:PrimaryAccountNumberID': payment.last4,
        'cbc:NetworkID': payment.network,
      },
    };
  }
  // PayPal, and an invoice still to pay on Stripe's page: an online payment service.
  return {'cbc:PaymentMeansCode': '68', ...id};
}

function paymentNote(invoice: Stripe.Invoice, payment: PaymentFacts | null): string {
  if (invoice.amount_remaining === 0) {
    const paidAt = invoice.status_transitions?.paid_at;
    const how =
      payment?.kind === 'card'
        ? ` per Karte (${payment.network} •••• ${payment.last4})`
        : payment?.kind === 'paypal'
          ? ' per PayPal'
          : '';
    return paidAt ? `Bezahlt am ${isoDate(paidAt)}${how}.` : `Bezahlt${how}.`;
  }
  return invoice.due_date
    ? `Zahlbar bis ${isoDate(invoice.due_date)} über den Zahlungslink der Rechnung.`
    : 'Wird vom hinterlegten Zahlungsmittel eingezogen.';
}
