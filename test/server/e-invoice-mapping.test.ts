import assert from 'node:assert/strict';
import {before, describe, it} from 'node:test';
import {PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream} from '@cantoo/pdf-lib';
import type Stripe from 'stripe';
import {formatResult, validateInvoice} from '../../../shared/einvoice-validation/validate.mjs';
import {renderInvoicePdf} from '../../demo/stripe-emulator/invoice-pdf.js';
import {seedDemoData, SEEDED_CUSTOMER_IDS} from '../../demo/stripe-emulator/seed.js';
import {createEmulatorState, type EmulatorState} from '../../demo/stripe-emulator/state.js';
import {ConfigError, parseConfig, type Config} from '../../server/config.js';
import {silentLogger} from '../../server/logger.js';
import {generateXRechnung, generateZugferd} from '../../server/services/e-invoice/generator.js';
import {decimal, eInvoiceData, type PaymentFacts} from '../../server/services/e-invoice/mapping.js';
import {EInvoiceUnavailable, taxCaseOf} from '../../server/services/e-invoice/tax-case.js';

const required = {
  STRIPE_SECRET_KEY: 'sk_test_x',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
  POSTMARK_SERVER_TOKEN: 'token',
  MAIL_FROM: 'portal@conroo.example',
  SESSION_SECRET: 'x'.repeat(40),
  PORTAL_URL: 'https://portal.conroo.example',
  ALLOWED_ORIGINS: 'https://portal.conroo.example',
};

const card: PaymentFacts = {kind: 'card', last4: '4444', network: 'MasterCard'};

let state: EmulatorState;
before(() => {
  state = createEmulatorState();
  seedDemoData(state);
});

const rates = () => new Map([...state.taxRates.values()].map((r) => [r.id, r.percentage]));
const newestOf = (customer: string) =>
  [...state.invoices.values()]
    .filter((invoice) => invoice.customer === customer)
    .sort((a, b) => b.created - a.created)[0];

function mapped(invoice: Stripe.Invoice, config: Config, payment: PaymentFacts | null = card) {
  const {taxCase, lineTaxes} = taxCaseOf(invoice, rates(), config.eInvoice);
  return eInvoiceData({invoice, taxCase, lineTaxes, payment, seller: config.eInvoice.seller});
}

async function pdfOf(invoice: Stripe.Invoice): Promise<Uint8Array> {
  const doc = renderInvoicePdf(state, invoice);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  // It ends the document itself once written.
  await new Promise((resolve) => doc.on('end', resolve));
  return Buffer.concat(chunks);
}

describe('E_INVOICE_NON_EU_TAX_CATEGORY', () => {
  it('is O by default and refuses anything but O and AE', () => {
    assert.equal(parseConfig(required).eInvoice.nonEuTaxCategory, 'O');
    assert.equal(
      parseConfig({...required, E_INVOICE_NON_EU_TAX_CATEGORY: 'AE'}).eInvoice.nonEuTaxCategory,
      'AE',
    );
    assert.throws(
      () => parseConfig({...required, E_INVOICE_NON_EU_TAX_CATEGORY: 'Z'}),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.includes('E_INVOICE_NON_EU_TAX_CATEGORY is neither O nor AE'),
    );
  });

  it('refuses a seller VAT ID without its country prefix and a seller country that is none', () => {
    assert.throws(
      () => parseConfig({...required, E_INVOICE_SELLER_VAT_ID: '123456789'}),
      /E_INVOICE_SELLER_VAT_ID is not a VAT ID/,
    );
    assert.throws(
      () => parseConfig({...required, E_INVOICE_SELLER_COUNTRY: 'XX'}),
      /E_INVOICE_SELLER_COUNTRY is not an ISO 3166 country code/,
    );
  });

  it('AE for the Swiss carrier: reverse charge with both VAT IDs, valid XRechnung', async () => {
    const config = parseConfig({...required, E_INVOICE_NON_EU_TAX_CATEGORY: 'AE'});
    const data = mapped(newestOf(SEEDED_CUSTOMER_IDS.swissCarrier), config, {kind: 'paypal'});
    const xml = await generateXRechnung(data, silentLogger);
    const result = await validateInvoice(Buffer.from(xml));
    assert.ok(result.valid, formatResult(result, {verbose: true}));
    assert.match(xml, /<ram:CategoryCode>AE<\/ram:CategoryCode>/);
    assert.match(xml, /<ram:ID schemeID="VA">CHE-123\.456\.788 MWST<\/ram:ID>/);
    assert.match(xml, /<ram:ID schemeID="VA">DE312345678<\/ram:ID>/);
  });

  it('O for the Swiss carrier: the seller’s Steuernummer (FC) and the buyer’s UID instead', async () => {
    const data = mapped(newestOf(SEEDED_CUSTOMER_IDS.swissCarrier), parseConfig(required));
    const xml = await generateXRechnung(data, silentLogger);
    assert.match(xml, /<ram:ID schemeID="FC">02\/815\/08152<\/ram:ID>/);
    assert.match(xml, /<ram:ID>CHE-123\.456\.788<\/ram:ID>/);
    assert.doesNotMatch(xml, /schemeID="VA"/);
  });
});

describe('the tax case', () => {
  const config = () => parseConfig(required);
  const variant = (patch: Partial<Stripe.Invoice>) =>
    ({...structuredClone(newestOf(SEEDED_CUSTOMER_IDS.polishCarrier)), ...patch}) as Stripe.Invoice;

  it('refuses reverse charge without the buyer’s VAT ID of its country', () => {
    assert.throws(
      () => taxCaseOf(variant({customer_tax_ids: []}), rates(), config().eInvoice),
      (error: unknown) =>
        error instanceof EInvoiceUnavailable && /VAT ID of PL/.test(error.message),
    );
  });

  it('refuses no VAT to a business in another EU country without reverse charge', () => {
    const invoice = variant({customer_tax_exempt: 'none'});
    for (const tax of invoice.lines.data[0].taxes ?? []) tax.taxability_reason = 'not_collecting';
    assert.throws(() => taxCaseOf(invoice, rates(), config().eInvoice), EInvoiceUnavailable);
  });

  it('refuses an invoice without the buyer’s country', () => {
    assert.throws(
      () => taxCaseOf(variant({customer_address: null}), rates(), config().eInvoice),
      /no country/,
    );
  });

  it('maps the same invoice to the same input, from the invoice alone', () => {
    const invoice = newestOf(SEEDED_CUSTOMER_IDS.company);
    const before = structuredClone(invoice);
    assert.deepEqual(mapped(invoice, config()), mapped(structuredClone(invoice), config()));
    assert.deepEqual(invoice, before, 'the invoice is not changed');
  });
});

describe('amounts', () => {
  it('are Stripe’s minor units as exact decimals of the currency', () => {
    assert.equal(decimal(12521, 'eur'), '125.21');
    assert.equal(decimal(5, 'eur'), '0.05');
    assert.equal(decimal(0, 'eur'), '0.00');
    assert.equal(decimal(-2379, 'eur'), '-23.79');
    assert.equal(decimal(1500, 'jpy'), '1500');
    assert.equal(decimal(1234, 'kwd'), '1.234');
  });
});

describe('the ZUGFeRD PDF', () => {
  it('says the same in its information dictionary and its XMP, and passes the kit', async () => {
    const invoice = newestOf(SEEDED_CUSTOMER_IDS.company);
    const data = mapped(invoice, parseConfig(required));
    const pdf = await generateZugferd(data, await pdfOf(invoice), silentLogger);
    const result = await validateInvoice(pdf);
    assert.ok(result.valid, formatResult(result, {verbose: true}));

    const doc = await PDFDocument.load(pdf, {updateMetadata: false});
    const stream = doc.catalog.lookup(PDFName.of('Metadata'));
    assert.ok(stream instanceof PDFRawStream);
    const xmp = Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
    const xmpValue = (tag: string) =>
      new RegExp(`<${tag}>(?:<rdf:\\w+>)?(?:<rdf:li[^>]*>)?([^<]*)<`).exec(xmp)?.[1];
    const unescape = (s: string | undefined) =>
      s
        ?.replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');

    assert.equal(doc.getTitle(), `Rechnung ${invoice.number}`);
    assert.equal(unescape(xmpValue('dc:title')), doc.getTitle());
    assert.equal(unescape(xmpValue('dc:creator')), doc.getAuthor());
    assert.equal(unescape(xmpValue('dc:description')), doc.getSubject());
    assert.equal(unescape(xmpValue('pdf:Keywords')), doc.getKeywords());
    assert.equal(unescape(xmpValue('xmp:CreatorTool')), doc.getCreator());
    assert.equal(unescape(xmpValue('pdf:Producer')), doc.getProducer());
    assert.match(doc.getProducer() ?? '', /^@e-invoice-eu\/core 2\.3\.4/);
    assert.equal(
      xmpValue('xmp:CreateDate'),
      doc.getCreationDate()?.toISOString().replace('.000', ''),
    );
    assert.equal(
      xmpValue('xmp:ModifyDate'),
      doc.getModificationDate()?.toISOString().replace('.000', ''),
    );
    assert.equal(xmpValue('pdfaid:part'), '3');
    assert.equal(xmpValue('fx:DocumentFileName'), 'factur-x.xml');
    assert.equal(xmpValue('fx:ConformanceLevel'), 'EN 16931');

    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    for (const key of ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer']) {
      assert.ok(info.get(PDFName.of(key)), `Info /${key}`);
    }
  });
});
