import {accountingYearOf} from '../common/accounting-year.js';
import type {Invoice} from '../common/contract.js';

// Which years „Rechnungen" offers for the accounting export: by the rule the server files
// invoices by (the year of the invoice's date in German time, common/accounting-year.ts).

export interface ExportYears {
  /** Newest first: every year of the given invoices, and the current year. */
  years: number[];
  /** The previous year when it has invoices (the usual annual export), else the current one. */
  preferred: number;
}

export function exportYears(invoices: readonly Pick<Invoice, 'created'>[], now = Date.now()) {
  const current = accountingYearOf(Math.floor(now / 1000));
  const withInvoices = new Set(invoices.map((invoice) => accountingYearOf(invoice.created)));
  const years = [...new Set([current, ...withInvoices])].sort((a, b) => b - a);
  const preferred = withInvoices.has(current - 1) ? current - 1 : current;
  return {years, preferred} satisfies ExportYears;
}

/**
 * The years the fleet overview offers for its export of every driver's invoices (it has no
 * invoice list to read them from): the current year and the three before it, newest first; the
 * previous year preferred (the usual annual export).
 */
export function fleetExportYears(now = Date.now()): ExportYears {
  const current = accountingYearOf(Math.floor(now / 1000));
  return {years: [0, 1, 2, 3].map((back) => current - back), preferred: current - 1};
}
