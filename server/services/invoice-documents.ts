import {Zip, ZipDeflate} from 'fflate';
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
import {invoicesCsv} from './invoice-csv.js';
import {idOf} from './stripe-mappers.js';

/** A file for the browser to save, produced while it is sent. */
export interface Download {
  filename: string;
  contentType: string;
  /** Errors before the first chunk are ordinary error answers; later ones cut the connection. */
  body: AsyncIterable<Uint8Array>;
}

interface ZipEntry {
  name: string;
  mtime: Date;
  /** Opened only when its turn comes, so that one file at a time is in flight. */
  open(): Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;
}

const PDF_TIMEOUT_MS = 20_000;

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
    },
  ) {}

  /** The PDF of the customer's invoice, fetched fresh (Stripe's links expire); `404` if not theirs. */
  async pdf(customerId: string, invoiceId: string, signal?: AbortSignal): Promise<Download> {
    const invoice = await this.billing.invoiceOf(customerId, invoiceId);
    return {
      filename: invoicePdfName(invoice),
      contentType: 'application/pdf',
      body: await this.#openPdf(invoice, signal),
    };
  }

  /**
   * Every finalized invoice the customer got in `year` (German time, see `invoice-csv.ts`):
   * their PDFs oldest first, then `Rechnungen-<year>.csv`. The list is read before the first
   * byte (a failing Stripe is a clean `503`); each PDF is fetched when its turn comes and
   * deflated into the ZIP as it arrives. A year without invoices is a ZIP with only the CSV
   * header: the accountant's yearly batch gets the same kind of file for every driver.
   */
  async yearExport(customerId: string, year: number, signal?: AbortSignal): Promise<Download> {
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
    invoices.sort(
      (a, b) => a.created - b.created || (a.number ?? '').localeCompare(b.number ?? ''),
    );
    const csv = new TextEncoder().encode(invoicesCsv(invoices, this.options.now()));
    const entries: ZipEntry[] = [
      ...invoices
        .filter((invoice) => invoice.invoice_pdf)
        .map((invoice) => ({
          name: invoicePdfName(invoice),
          mtime: new Date(invoice.created * 1000),
          open: () => this.#openPdf(invoice, signal),
        })),
      {
        name: `Rechnungen-${year}.csv`,
        mtime: new Date(this.options.now() * 1000),
        open: async () => [csv],
      },
    ];
    return {
      filename: `CONROO-Rechnungen-${year}.zip`,
      contentType: 'application/zip',
      body: zipStream(entries),
    };
  }

  /**
   * Starts the download of the invoice's PDF and answers once Stripe has said yes. A hop off
   * `STRIPE_PDF_HOSTS` is answered like Stripe not delivering (`503`), and logged by host.
   */
  async #openPdf(
    invoice: Stripe.Invoice,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<Uint8Array>> {
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

/**
 * A ZIP written with fflate's streaming `Zip` as the entries' bytes arrive, one entry after the
 * other; what it yields is sent on before the next chunk is read (the consumer pulls).
 */
export async function* zipStream(entries: Iterable<ZipEntry>): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* flush(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length) yield ready.shift()!;
  }
  try {
    for (const entry of entries) {
      // Opened before the entry is added: a PDF that cannot be had fails before its header.
      const body = await entry.open();
      const file = new ZipDeflate(entry.name, {level: 6});
      file.mtime = entry.mtime;
      zip.add(file);
      for await (const chunk of body) {
        file.push(chunk);
        yield* flush();
      }
      file.push(new Uint8Array(0), true);
      yield* flush();
    }
    zip.end();
    yield* flush();
  } catch (error) {
    zip.terminate();
    throw error;
  }
}
