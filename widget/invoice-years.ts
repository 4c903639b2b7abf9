import type {Invoice} from '../server/contract.js';

// Which years „Rechnungen" offers for the accounting export. The server files an invoice under
// the year of its date in German time, so a New Year's Eve invoice lands in the right year.

const accountingTimeZone = 'Europe/Berlin';

/** The year an invoice dated `unixSeconds` belongs to in the accounts (German time). */
export function accountingYear(unixSeconds: number): number {
  return Number(
    new Intl.DateTimeFormat('en', {timeZone: accountingTimeZone, year: 'numeric'}).format(
      unixSeconds * 1000,
    ),
  );
}

export interface ExportYears {
  /** Newest first: every year of the given invoices, and the current year. */
  years: number[];
  /** The previous year when it has invoices (the usual annual export), else the current one. */
  preferred: number;
}

export function exportYears(invoices: readonly Pick<Invoice, 'created'>[], now = Date.now()) {
  const current = accountingYear(Math.floor(now / 1000));
  const withInvoices = new Set(invoices.map((invoice) => accountingYear(invoice.created)));
  const years = [...new Set([current, ...withInvoices])].sort((a, b) => b - a);
  const preferred = withInvoices.has(current - 1) ? current - 1 : current;
  return {years, preferred} satisfies ExportYears;
}
