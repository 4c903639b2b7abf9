/**
 * E-invoices of a customer's invoices (`GET /api/invoices/:id/e-invoice`, and the XMLs in the
 * year exports): reads what the mapping needs from Stripe — the invoice, its tax rates, how it
 * was paid, and for ZUGFeRD Stripe's own PDF — and has `generator.ts` write the document.
 */
import type Stripe from 'stripe';
import type {EInvoiceSettings} from '../../config.js';
import {ApiError} from '../../errors.js';
import type {Logger} from '../../logger.js';
import type {BillingService} from '../billing.js';
import type {Download} from '../invoice-documents.js';
import {generateXRechnung, generateZugferd, type EInvoiceFormatName} from './generator.js';
import {eInvoiceData, type PaymentFacts} from './mapping.js';
import {eInvoiceXmlName} from './names.js';
import {EInvoiceUnavailable, taxCaseOf, taxRateIdsOf} from './tax-case.js';

/** The largest Stripe PDF taken in (Stripe's invoice PDFs are some 30–100 kB). */
const MAX_PDF_BYTES = 20 * 1024 * 1024;

const NETWORKS: Record<string, string> = {
  visa: 'VISA',
  mastercard: 'MasterCard',
  amex: 'American Express',
  american_express: 'American Express',
};

const idOf = (value: string | {id: string}): string =>
  typeof value === 'string' ? value : value.id;

export class EInvoices {
  /** Tax rates by id: Stripe never changes a rate's percentage, so they are kept. */
  readonly #rates = new Map<string, Promise<number>>();

  constructor(
    private readonly stripe: Stripe,
    private readonly billing: BillingService,
    /** Stripe's PDF of an invoice, fetched as the PDF route fetches it (`InvoiceDocuments`). */
    private readonly openPdf: (
      invoice: Stripe.Invoice,
      signal?: AbortSignal,
    ) => Promise<AsyncIterable<Uint8Array>>,
    private readonly settings: EInvoiceSettings,
    private readonly log: Logger,
  ) {}

  /** The e-invoice of the customer's invoice in `format`, as a download; `404` if not theirs. */
  async download(
    customerId: string,
    invoiceId: string,
    format: EInvoiceFormatName,
    signal?: AbortSignal,
  ): Promise<Download> {
    const invoice = await this.billing.invoiceOf(customerId, invoiceId, {includeDrafts: true});
    const data = await this.#unavailableAs409(() => this.#data(invoice));
    if (format === 'xrechnung') {
      const xml = await this.#unavailableAs409(() => generateXRechnung(data, this.log));
      return {
        filename: eInvoiceXmlName(invoice),
        contentType: 'application/xml; charset=utf-8',
        body: once(new TextEncoder().encode(xml)),
      };
    }
    const pdf = await collect(await this.openPdf(invoice, signal), MAX_PDF_BYTES);
    const zugferd = await this.#unavailableAs409(() => generateZugferd(data, pdf, this.log));
    return {
      filename: eInvoiceXmlName(invoice).replace(/\.xml$/, '.pdf'),
      contentType: 'application/pdf',
      body: once(zugferd),
    };
  }

  /**
   * The XRechnung of an invoice already known to be the customer's (the year exports); `null`
   * when there is none (not finalized, void, or a case the portal does not issue).
   */
  async xrechnungOf(invoice: Stripe.Invoice): Promise<Uint8Array | null> {
    try {
      const xml = await generateXRechnung(await this.#data(invoice), this.log);
      return new TextEncoder().encode(xml);
    } catch (error) {
      if (!(error instanceof EInvoiceUnavailable)) throw error;
      this.log.warn('no e-invoice for an exported invoice', {
        invoiceId: invoice.id,
        reason: error.message,
      });
      return null;
    }
  }

  async #data(invoice: Stripe.Invoice) {
    if (invoice.status === 'draft' || !invoice.number) {
      throw new EInvoiceUnavailable('The invoice is not finalized yet');
    }
    if (invoice.status === 'void') throw new EInvoiceUnavailable('The invoice is void');
    // One after the other: each export holds one Stripe request per slot (FLEET_CONCURRENCY).
    const rates = await this.#ratesOf(invoice);
    const payment = await this.#paymentOf(invoice);
    const {taxCase, lineTaxes} = taxCaseOf(invoice, rates, this.settings);
    return eInvoiceData({invoice, taxCase, lineTaxes, payment, seller: this.settings.seller});
  }

  async #ratesOf(invoice: Stripe.Invoice): Promise<Map<string, number>> {
    const rates = new Map<string, number>();
    for (const id of taxRateIdsOf(invoice)) {
      let rate = this.#rates.get(id);
      if (!rate) {
        rate = this.stripe.taxRates.retrieve(id).then((r) => r.percentage);
        this.#rates.set(id, rate);
        // A failed look-up is asked again next time.
        rate.catch(() => this.#rates.delete(id));
      }
      rates.set(id, await rate);
    }
    return rates;
  }

  /**
   * How the invoice was paid: the payment method of its paid payment's PaymentIntent
   * (https://docs.stripe.com/api/invoice-payment/list); `null` while nothing is paid.
   */
  async #paymentOf(invoice: Stripe.Invoice): Promise<PaymentFacts | null> {
    if (invoice.amount_paid <= 0) return null;
    const payments = await this.stripe.invoicePayments.list({
      invoice: invoice.id,
      status: 'paid',
      limit: 10,
      expand: ['data.payment.payment_intent.payment_method'],
    });
    for (const payment of payments.data) {
      const intent = payment.payment.payment_intent;
      const method = typeof intent === 'object' ? intent.payment_method : null;
      if (!method || typeof method === 'string') continue;
      if (method.type === 'card' && method.card) {
        return {
          kind: 'card',
          last4: method.card.last4,
          network: NETWORKS[method.card.brand] ?? method.card.brand.toUpperCase(),
        };
      }
      if (method.type === 'paypal') return {kind: 'paypal'};
      return {kind: 'other'};
    }
    this.log.warn('paid invoice without a readable payment', {invoiceId: idOf(invoice)});
    return {kind: 'other'};
  }

  async #unavailableAs409<T>(make: () => T | Promise<T>): Promise<T> {
    try {
      return await make();
    } catch (error) {
      if (error instanceof EInvoiceUnavailable) {
        throw new ApiError(409, 'e_invoice_unavailable', error.message);
      }
      throw error;
    }
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The whole of `chunks`, refusing more than `max` bytes. */
async function collect(chunks: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > max) throw new Error(`Stripe's PDF is larger than ${max} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
