import type Stripe from 'stripe';
import {
  fetchStripeFileChecked,
  RefusedStripeFileHop,
  type FetchStripeFile,
} from '../adapters/stripe-files.js';
import {ApiError} from '../errors.js';
import type {Logger} from '../logger.js';
import type {BillingService} from './billing.js';
import {accountingYearRange} from '../../common/accounting-year.js';
import {Slots} from './concurrency.js';
import {eInvoiceXmlName} from './e-invoice/names.js';
import {invoicesCsv} from './invoice-csv.js';
import {idOf} from './stripe-mappers.js';
import {textEntry, zipStream, type ZipEntry} from './zip-stream.js';

/** A file for the browser to save, produced while it is sent. */
export interface Download {
  filename: string;
  contentType: string;
  /** Errors before the first chunk are ordinary error answers; later ones cut the connection. */
  body: AsyncIterable<Uint8Array>;
}

const PDF_TIMEOUT_MS = 20_000;

/** `Rechnungen-2026.csv`: the year's list in a ZIP. */
export const yearCsvName = (year: number): string => `Rechnungen-${year}.csv`;

/** `CONROO-Rechnung-CONROO-2026-0005.pdf`: the invoice number, safe in a header and a ZIP. */
export const invoicePdfName = (invoice: Stripe.Invoice): string =>
  `CONROO-Rechnung-${(invoice.number ?? invoice.id).replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;

/**
 * Invoice files of one customer: a single PDF, and a year's PDFs with a CSV list as one ZIP.
 * Stripe renders the PDFs; they pass through here in chunks and are never held whole.
 */
export class InvoiceDocuments {
  constructor(
    private readonly stripe: Stripe,
    private readonly billing: BillingService,
    private readonly options: {
      /** `STRIPE_PDF_HOSTS`: where a PDF may come from, on every redirect hop. */
      pdfHosts: readonly string[];
      fetchFile: FetchStripeFile;
      log: Logger;
      now: () => number;
      /**
       * The XRechnung of an invoice for the year exports, `null` when it has none
       * (`EInvoices.xrechnungOf`); without it the exports hold PDFs only.
       */
      xrechnungOf?: (invoice: Stripe.Invoice) => Promise<Uint8Array | null>;
    },
  ) {}

  /** The PDF of the customer's invoice, fetched fresh (Stripe's links expire); `404` if not theirs. */
  async pdf(customerId: string, invoiceId: string, signal?: AbortSignal): Promise<Download> {
    const invoice = await this.billing.invoiceOf(customerId, invoiceId);
    return {
      filename: invoicePdfName(invoice),
      contentType: 'application/pdf',
      body: await this.openPdf(invoice, signal),
    };
  }

  /**
   * Every finalized invoice the customer got in `year` (German time, see `invoice-csv.ts`):
   * their PDFs oldest first, each followed by its XRechnung, then `Rechnungen-<year>.csv`. The list is read before the first
   * byte (a failing Stripe is a clean `503`); each PDF is fetched when its turn comes and
   * deflated into the ZIP as it arrives. A year without invoices is a ZIP with only the CSV
   * header: the accountant's yearly batch gets the same kind of file for every driver.
   */
  async yearExport(customerId: string, year: number, signal?: AbortSignal): Promise<Download> {
    const invoices = await this.yearInvoices(customerId, year);
    const xmls = await this.xrechnungsOf(invoices, new Slots(XML_CONCURRENCY));
    const entries: ZipEntry[] = [
      ...invoices.flatMap((invoice, i) => [
        ...(invoice.invoice_pdf
          ? [
              {
                name: invoicePdfName(invoice),
                mtime: new Date(invoice.created * 1000),
                open: () => this.openPdf(invoice, signal),
              },
            ]
          : []),
        ...xmlEntries(invoice, xmls[i] ?? null, ''),
      ]),
      textEntry(yearCsvName(year), new Date(this.options.now() * 1000), () =>
        invoicesCsv(invoices, this.options.now()),
      ),
    ];
    return {
      filename: `CONROO-Rechnungen-${year}.zip`,
      contentType: 'application/zip',
      body: zipStream(entries),
    };
  }

  /**
   * The XRechnung of each invoice (`null` where there is none), made before the ZIP's first
   * byte so that a failing Stripe is a clean error answer; `slots` bounds the Stripe requests.
   */
  async xrechnungsOf(
    invoices: readonly Stripe.Invoice[],
    slots: Slots,
  ): Promise<Array<Uint8Array | null>> {
    const make = this.options.xrechnungOf;
    if (!make) return invoices.map(() => null);
    return Promise.all(invoices.map((invoice) => slots.run(() => make(invoice))));
  }

  /** The customer's finalized invoices of `year` (German time), oldest first. */
  async yearInvoices(customerId: string, year: number): Promise<Stripe.Invoice[]> {
    const {gte, lt} = accountingYearRange(year);
    const invoices: Stripe.Invoice[] = [];
    for await (const invoice of this.stripe.invoices.list({
      customer: customerId,
      created: {gte, lt},
      limit: 100,
    })) {
      if (invoice.status !== 'draft' && idOf(invoice.customer) === customerId) {
        invoices.push(invoice);
      }
    }
    return invoices.sort(
      (a, b) => a.created - b.created || (a.number ?? '').localeCompare(b.number ?? ''),
    );
  }

  /**
   * Starts the download of the invoice's PDF and answers once Stripe has said yes. A hop off
   * `STRIPE_PDF_HOSTS` is answered like Stripe not delivering (`503`), and logged by host.
   */
  async openPdf(invoice: Stripe.Invoice, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const source = invoice.invoice_pdf;
    if (!source) throw new ApiError(404, 'not_found', 'This invoice has no PDF yet');
    const timeout = AbortSignal.timeout(PDF_TIMEOUT_MS);
    const upstream = await fetchStripeFileChecked(source, {
      hosts: this.options.pdfHosts,
      fetchFile: this.options.fetchFile,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }).catch((error: unknown) => {
      if (error instanceof RefusedStripeFileHop) {
        this.options.log.error('invoice PDF refused', {
          invoiceId: invoice.id,
          host: error.host,
          reason: error.reason,
        });
      }
      return null;
    });
    if (!upstream?.ok || !upstream.body) {
      await upstream?.body?.cancel().catch(() => {});
      throw new ApiError(503, 'stripe_unavailable', 'The PDF cannot be fetched just now', {
        retryAfterSeconds: 5,
      });
    }
    return chunksOf(upstream.body);
  }
}

/** How many e-invoices of one export are made at once (each asks Stripe how it was paid). */
const XML_CONCURRENCY = 4;

/** The ZIP entry of an invoice's XRechnung in `folder` (`''` or `name/`), if it has one. */
export function xmlEntries(
  invoice: Stripe.Invoice,
  xml: Uint8Array | null,
  folder: string,
): ZipEntry[] {
  if (!xml) return [];
  return [
    {
      name: `${folder}${eInvoiceXmlName(invoice)}`,
      mtime: new Date(invoice.created * 1000),
      open: async () => [xml],
    },
  ];
}

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // The consumer stopped early (the browser went away): stop the download from Stripe too.
    if (!done) await reader.cancel().catch(() => {});
  }
}
