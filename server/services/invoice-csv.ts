import type Stripe from 'stripe';
import {ACCOUNTING_TIME_ZONE} from '../../common/accounting-year.js';
import {minorUnitDigits} from '../../common/billing-rules.js';
import {servicePeriod} from './stripe-mappers.js';

/**
 * The year's invoice list for accounting, as German Excel opens it without an import dialog:
 * UTF-8 with a byte order mark (else Excel reads it as Windows-1252), `;` between fields (the
 * list separator of a German Windows), CRLF after every record, decimal comma without
 * thousands separators, dates `dd.mm.yyyy`. Fields are quoted only where they must be
 * (RFC 4180: a `;`, `"`, CR or LF inside; `"` doubled).
 *
 * Dates and the calendar year are those of German time (ACCOUNTING_TIME_ZONE in
 * billing-rules.ts).
 */

export const INVOICE_CSV_HEADER = [
  'Rechnungsnummer',
  'Datum',
  'Zeitraum',
  'Netto',
  'Steuer',
  'Brutto',
  'Währung',
  'Status',
  'Empfänger',
  'USt-IdNr.',
] as const;

const BOM = '\uFEFF';
const CRLF = '\r\n';

const dateFormat = new Intl.DateTimeFormat('de-DE', {
  timeZone: ACCOUNTING_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** `11.05.2026` in German time. */
export const formatDate = (seconds: number): string => dateFormat.format(new Date(seconds * 1000));

/** Minor units as `125,21` (`12521` EUR), `1500` for zero-decimal currencies: no grouping, no symbol. */
export function formatAmount(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat('de-DE', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(minor / 10 ** digits);
}

/** The status in the words of the portal's German labels; „Überfällig" is open past its due date. */
export function statusLabel(
  invoice: Pick<Stripe.Invoice, 'status' | 'due_date'>,
  now: number,
): string {
  switch (invoice.status) {
    case 'paid':
      return 'Bezahlt';
    case 'open':
      return invoice.due_date && invoice.due_date < now ? 'Überfällig' : 'Offen';
    case 'void':
      return 'Storniert';
    case 'uncollectible':
      return 'Uneinbringlich';
    default:
      return 'Entwurf';
  }
}

/**
 * Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@` (or a tab or CR,
 * or their full-width forms, which some Excel versions also evaluate) is run as a formula.
 * Names and tax IDs are typed by users, so such a cell gets a leading `'` (OWASP's advice).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function defuseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting with `;` as the separator. */
export function quoteField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Net, tax and gross as Stripe computed them (tax: the sum of all tax amounts of the invoice). */
export function invoiceAmounts(invoice: Stripe.Invoice): {net: number; tax: number; gross: number} {
  const taxes = invoice.total_taxes;
  const tax = taxes
    ? taxes.reduce((sum, t) => sum + t.amount, 0)
    : invoice.total - (invoice.total_excluding_tax ?? invoice.total);
  return {net: invoice.total_excluding_tax ?? invoice.total - tax, tax, gross: invoice.total};
}

export function invoiceCsvRow(invoice: Stripe.Invoice, now: number): string[] {
  const {net, tax, gross} = invoiceAmounts(invoice);
  const period = servicePeriod(invoice);
  const currency = invoice.currency;
  return [
    defuseFormula(invoice.number ?? invoice.id ?? ''),
    formatDate(invoice.created),
    `${formatDate(period.start)} – ${formatDate(period.end)}`,
    formatAmount(net, currency),
    formatAmount(tax, currency),
    formatAmount(gross, currency),
    currency.toUpperCase(),
    statusLabel(invoice, now),
    // As issued: the billing details Stripe copied onto the invoice when finalizing it.
    defuseFormula(invoice.customer_name ?? ''),
    defuseFormula(invoice.customer_tax_ids?.[0]?.value ?? ''),
  ];
}

/** The whole file, BOM first; `invoices` in the order the rows should have. */
export function invoicesCsv(invoices: Stripe.Invoice[], now: number): string {
  return csvFile([INVOICE_CSV_HEADER, ...invoices.map((i) => invoiceCsvRow(i, now))]);
}

/** The fleet's list: the driver (the folder of the invoice's PDF) first, then as above. */
export const FLEET_INVOICE_CSV_HEADER = ['Fahrer', ...INVOICE_CSV_HEADER] as const;

/** The fleet's whole file: each driver's invoices in the order given, drivers in theirs. */
export function fleetInvoicesCsv(
  drivers: ReadonlyArray<{driver: string; invoices: Stripe.Invoice[]}>,
  now: number,
): string {
  return csvFile([
    FLEET_INVOICE_CSV_HEADER,
    ...drivers.flatMap(({driver, invoices}) =>
      invoices.map((i) => [defuseFormula(driver), ...invoiceCsvRow(i, now)]),
    ),
  ]);
}

function csvFile(records: ReadonlyArray<readonly string[]>): string {
  return BOM + records.map((fields) => fields.map(quoteField).join(';') + CRLF).join('');
}
