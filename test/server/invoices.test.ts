import assert from 'node:assert/strict';
import {get} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {unzipSync} from 'fflate';
import {formatResult, validateInvoice} from '../../../shared/einvoice-validation/validate.mjs';
import Stripe from 'stripe';
import {
  startStripeEmulator,
  stripeHostsTransport,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import type {FetchStripeFile} from '../../server/adapters/stripe-files.js';
import {createStripeClient} from '../../server/adapters/stripe.js';
import {accountingYearRange} from '../../common/accounting-year.js';
import {defuseFormula, formatAmount, quoteField} from '../../server/services/invoice-csv.js';
import {
  type Client,
  companyDetails,
  download,
  isPdf,
  login,
  startPortal,
  startPortalWithStripe,
  type Portal,
} from './harness.js';
import {servicePeriod} from '../../server/services/stripe-mappers.js';
import {pdfText} from './pdf-text.js';
import {useEmulator} from './stripe-emulator-client.js';

const DAY = 86_400;
const CSV_HEADER =
  'Rechnungsnummer;Datum;Zeitraum;Netto;Steuer;Brutto;Währung;Status;Empfänger;USt-IdNr.';
const BOM = '\uFEFF';

const berlinDate = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const berlin = (seconds: number) => berlinDate.format(new Date(seconds * 1000));
const berlinYear = (seconds: number) => Number(berlin(seconds).slice(-4));
const euro = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');
const GERMAN_STATUS: Record<string, string> = {
  paid: 'Bezahlt',
  open: 'Offen',
  void: 'Storniert',
  uncollectible: 'Uneinbringlich',
};

const company = companyDetails;

/** The response head as the wire had it (fetch hides how the body was framed). */
function rawHead(client: Client, path: string): Promise<Record<string, string | string[]>> {
  return new Promise((resolve, reject) => {
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    get(new URL(path, client.baseUrl), {headers: {cookie}}, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers as Record<string, string | string[]>));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** All invoices of the session's active customer as Stripe has them, newest first. */
async function stripeInvoices(stripe: Stripe, client: Client): Promise<Stripe.Invoice[]> {
  const customer = (await client.get('/api/session')).body.activeCustomerId as string;
  const all = await stripe.invoices.list({customer, limit: 100}).autoPagingToArray({limit: 1000});
  return all.filter((i) => i.status !== 'draft');
}

/** The CSV row the export must write for `invoice`, computed here from Stripe's data. */
function expectedRow(invoice: Stripe.Invoice, now: number): string {
  const period = invoice.lines.data[0].period;
  const tax = (invoice.total_taxes ?? []).reduce((sum, t) => sum + t.amount, 0);
  const overdue = invoice.status === 'open' && invoice.due_date && invoice.due_date < now;
  return [
    invoice.number,
    berlin(invoice.created),
    `${berlin(period.start)} – ${berlin(period.end)}`,
    euro(invoice.total_excluding_tax!),
    euro(tax),
    euro(invoice.total),
    'EUR',
    overdue ? 'Überfällig' : GERMAN_STATUS[invoice.status!],
    invoice.customer_name ?? '',
    invoice.customer_tax_ids?.[0]?.value ?? '',
  ].join(';');
}

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'PK\x03\x04', 'a ZIP');
  return unzipSync(bytes);
}

describe('GET /api/invoices/:id/pdf', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('streams the invoice as a PDF attachment named after its number, rendered from Stripe', async () => {
    const client = await login(portal, 'firma@example.com');
    const [newest] = (await client.get('/api/invoices')).body.invoices;
    const pdf = await download(client, `/api/invoices/${newest.id}/pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(
      pdf.headers.get('content-disposition'),
      `attachment; filename="CONROO-Rechnung-${newest.number}.pdf"`,
    );
    assert.equal(pdf.headers.get('cache-control'), 'private, no-store');
    assert.ok(isPdf(pdf.bytes), 'starts with %PDF-');
    const text = pdfText(pdf.bytes);
    for (const expected of [
      `Rechnung ${newest.number}`,
      'CONROO GmbH',
      'USt-IdNr.: DE312345678',
      'Hafenlogistik Nord GmbH',
      'Am Sandtorkai 50',
      'USt-IdNr.: DE123456789',
      'Gate Pass – 12 Monate',
      `${berlin(newest.periodStart)} – ${berlin(newest.periodEnd)}`,
      'Nettobetrag',
      '125,21 €',
      'Umsatzsteuer 19 %',
      '23,79 €',
      '149,00 €',
      'Bezahlt am',
    ]) {
      assert.ok(text.includes(expected), `the PDF shows ${expected}`);
    }
  });

  it('streams it: chunked, without Content-Length', async () => {
    const client = await login(portal, 'paypal@example.com');
    const [invoice] = (await client.get('/api/invoices')).body.invoices;
    const head = await rawHead(client, `/api/invoices/${invoice.id}/pdf`);
    assert.equal(head['transfer-encoding'], 'chunked');
    assert.equal(head['content-length'], undefined);
  });

  it("answers another customer's invoice exactly like a missing one (404)", async () => {
    const owner = await login(portal, 'paypal@example.com');
    const theirs = (await owner.get('/api/invoices')).body.invoices[0].id;
    const client = await login(portal, 'fahrer@example.com');
    const pdf = await client.get(`/api/invoices/${theirs}/pdf`);
    assert.equal(pdf.status, 404);
    assert.equal(pdf.body.error.code, 'not_found');
    const missing = await client.get('/api/invoices/in_doesnotexist/pdf');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, pdf.body);
    const malformed = await client.get('/api/invoices/..%2F..%2Fv1%2Fcustomers/pdf');
    assert.deepEqual(malformed.body, pdf.body);
  });

  it('lets the element on an allowed origin read the file name and Retry-After', async () => {
    const client = await login(portal, 'paypal@example.com');
    const [invoice] = (await client.get('/api/invoices')).body.invoices;
    const pdf = await client.get(`/api/invoices/${invoice.id}/pdf`, {origin: portal.url});
    assert.equal(pdf.headers.get('access-control-allow-origin'), portal.url);
    assert.match(pdf.headers.get('access-control-expose-headers') ?? '', /Content-Disposition/);
  });

  it('wants a session', async () => {
    const anonymous = portal.client();
    assert.equal((await anonymous.get('/api/invoices/in_demo0001/pdf')).status, 401);
  });

  it('shows the open renewal of offen@ as open with its due date', async () => {
    const client = await login(portal, 'offen@example.com');
    const open = (await client.get('/api/invoices')).body.invoices.find(
      (i: {status: string}) => i.status === 'open',
    );
    const text = pdfText((await download(client, `/api/invoices/${open.id}/pdf`)).bytes);
    assert.ok(text.includes('Offen: Bitte zahlen Sie 149,00 €'), text);
    assert.ok(text.includes(berlin(open.dueDate)));
  });
});

describe('invoice PDFs follow the billing details at finalization', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('keeps the old name on issued invoices and prints the new one after POST /dev/renew', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const [issued] = (await client.get('/api/invoices')).body.invoices;
    assert.equal(
      (await client.request('PUT', '/api/billing-details', {body: company})).status,
      200,
    );

    const old = pdfText((await download(client, `/api/invoices/${issued.id}/pdf`)).bytes);
    assert.ok(old.includes('Jan Kowalski'), 'the issued invoice keeps its recipient');
    assert.ok(old.includes('Lindenstraße 5'));
    assert.ok(!old.includes(company.name), 'not the current name');

    const renewed = await client.post('/dev/renew', {email: 'fahrer@example.com'});
    assert.equal(renewed.status, 200);
    const [renewal] = renewed.body.invoices;
    const [newest] = (await client.get('/api/invoices')).body.invoices;
    assert.equal(newest.id, renewal.id);
    const pdf = await download(client, `/api/invoices/${renewal.id}/pdf`);
    assert.equal(pdf.status, 200);
    assert.ok(isPdf(pdf.bytes));
    const text = pdfText(pdf.bytes);
    assert.ok(text.includes(`Rechnung ${renewal.number}`));
    assert.ok(text.includes(company.name), 'issued to the company');
    assert.ok(text.includes('Am Kaiserkai 10'));
    assert.ok(text.includes('USt-IdNr.: DE987654321'));
    assert.ok(!text.includes('Jan Kowalski'));
    assert.ok(text.includes('Bezahlt am'));
  });
});

// https://docs.stripe.com/api/invoices/object#invoice_object-period_end: an invoice's own period
// "looks back one period for a subscription invoice. Use the line item period to get the service
// period for each price."
describe('a renewal invoice shows its service period, not the period Stripe looks back on', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => {
    ({portal, stripe} = await startPortalWithStripe());
  });
  after(() => portal.close());

  it('in the list, the overview and the accounting CSV', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const [renewal] = (await client.post('/dev/renew', {email: 'fahrer@example.com'})).body
      .invoices as Stripe.Invoice[];
    const invoice = await stripe.invoices.retrieve(renewal.id);
    const service = invoice.lines.data[0].period;
    assert.notEqual(invoice.period_start, service.start, 'Stripe’s own period looks back');
    assert.equal(invoice.period_end, service.start);

    const [listed] = (await client.get('/api/invoices')).body.invoices;
    assert.equal(listed.id, invoice.id);
    assert.deepEqual([listed.periodStart, listed.periodEnd], [service.start, service.end]);
    const [recent] = (await client.get('/api/account')).body.recentInvoices;
    assert.deepEqual([recent.periodStart, recent.periodEnd], [service.start, service.end]);

    const year = berlinYear(invoice.created);
    const files = unzip((await download(client, `/api/invoices/export?year=${year}`)).bytes);
    const rows = Buffer.from(files[`Rechnungen-${year}.csv`]).toString('utf8').split('\r\n');
    const row = rows.find((r) => r.startsWith(`${invoice.number};`));
    assert.equal(row?.split(';')[2], `${berlin(service.start)} – ${berlin(service.end)}`);
  });

  it('takes the Gate Pass line’s period, else the first line’s, else the creation date', () => {
    const line = (start: number, end: number, item: boolean) =>
      ({
        period: {start, end},
        parent: item ? {subscription_item_details: {subscription: 'sub_1'}} : null,
      }) as unknown as Stripe.InvoiceLineItem;
    const invoice = (lines: Stripe.InvoiceLineItem[]) =>
      ({
        created: 5_000,
        period_start: 1,
        period_end: 2,
        lines: {data: lines},
      }) as unknown as Stripe.Invoice;
    assert.deepEqual(servicePeriod(invoice([line(10, 20, false), line(30, 40, true)])), {
      start: 30,
      end: 40,
    });
    assert.deepEqual(servicePeriod(invoice([line(10, 20, false)])), {start: 10, end: 20});
    assert.deepEqual(servicePeriod(invoice([])), {start: 5_000, end: 5_000});
  });
});

describe('GET /api/invoices', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('answers the contract fields only, with Stripe status and the name issued to', async () => {
    const client = await login(portal, 'offen@example.com');
    const {body} = await client.get('/api/invoices');
    const allowed = new Set([
      'id',
      'number',
      'status',
      'total',
      'currency',
      'created',
      'periodStart',
      'periodEnd',
      'dueDate',
      'customerName',
      'payUrl',
    ]);
    for (const invoice of body.invoices) {
      for (const key of Object.keys(invoice)) assert.ok(allowed.has(key), `unexpected ${key}`);
      assert.equal(invoice.customerName, 'Uwe Petersen');
    }
    assert.deepEqual(
      body.invoices.map((i: {status: string}) => i.status),
      ['open', 'paid'],
    );
    assert.match(body.invoices[0].payUrl, /^https:\/\/invoice\.stripe\.com\//);
    assert.equal(body.invoices[1].payUrl, undefined, 'paid: nothing to pay');
    assert.equal(body.hasMore, false);
  });

  it('pages with limit and startingAfter: hasMore until the last page', async () => {
    const client = await login(portal, 'viele@example.com');
    const all = (await client.get('/api/invoices?limit=100')).body;
    assert.equal(all.hasMore, false);
    const first = (await client.get('/api/invoices?limit=4')).body;
    assert.equal(first.hasMore, true);
    assert.deepEqual(first.invoices, all.invoices.slice(0, 4));
    const second = (await client.get(`/api/invoices?limit=4&startingAfter=${first.invoices[3].id}`))
      .body;
    assert.deepEqual(second.invoices, all.invoices.slice(4, 8));
  });
});

describe('GET /api/invoices/export', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('zips the PDFs and XRechnungen of the year and a CSV for German Excel', async () => {
    const client = await login(portal, 'firma@example.com');
    const invoices = await stripeInvoices(stripe, client);
    const year = berlinYear(invoices[0].created);
    const ofYear = invoices.filter((i) => berlinYear(i.created) === year).reverse();
    assert.equal(ofYear.length, 1, 'the seed has one invoice of this year for firma@');

    const zip = await download(client, `/api/invoices/export?year=${year}`);
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    assert.equal(
      zip.headers.get('content-disposition'),
      `attachment; filename="CONROO-Rechnungen-${year}.zip"`,
    );
    assert.equal(zip.headers.get('cache-control'), 'private, no-store');
    const files = unzip(zip.bytes);
    assert.deepEqual(Object.keys(files), [
      ...ofYear.flatMap((i) => [
        `CONROO-Rechnung-${i.number}.pdf`,
        `CONROO-Rechnung-${i.number}.xml`,
      ]),
      `Rechnungen-${year}.csv`,
    ]);
    for (const invoice of ofYear) {
      const pdf = files[`CONROO-Rechnung-${invoice.number}.pdf`];
      assert.ok(isPdf(pdf));
      assert.ok(pdfText(pdf).includes(`Rechnung ${invoice.number}`));
      const xml = await validateInvoice(files[`CONROO-Rechnung-${invoice.number}.xml`]);
      assert.ok(xml.valid, formatResult(xml));
      assert.equal(xml.profile, 'XRechnung-3.0');
    }

    const csv = Buffer.from(files[`Rechnungen-${year}.csv`]).toString('utf8');
    const invoice = ofYear[0];
    const period = invoice.lines.data[0].period;
    assert.equal(
      csv,
      `${BOM}${CSV_HEADER}\r\n` +
        `${invoice.number};${berlin(invoice.created)};${berlin(period.start)} – ${berlin(period.end)};` +
        '125,21;23,79;149,00;EUR;Bezahlt;Hafenlogistik Nord GmbH;DE123456789\r\n',
    );
    assert.deepEqual(
      [...files[`Rechnungen-${year}.csv`].subarray(0, 3)],
      [0xef, 0xbb, 0xbf],
      'UTF-8 BOM',
    );
  });

  it('takes only the invoices of that calendar year (German time), oldest first', async () => {
    const client = await login(portal, 'viele@example.com');
    const invoices = await stripeInvoices(stripe, client);
    const years = [...new Set(invoices.map((i) => berlinYear(i.created)))].sort();
    assert.ok(years.length >= 2, 'the seed spans two years for viele@');
    const now = Math.floor(Date.now() / 1000);
    const seen: string[] = [];
    for (const year of years) {
      const ofYear = invoices.filter((i) => berlinYear(i.created) === year).reverse();
      const files = unzip((await download(client, `/api/invoices/export?year=${year}`)).bytes);
      const pdfs = Object.keys(files).filter((name) => name.endsWith('.pdf'));
      assert.deepEqual(
        pdfs,
        ofYear.map((i) => `CONROO-Rechnung-${i.number}.pdf`),
      );
      for (const name of pdfs) assert.ok(isPdf(files[name]), name);
      const csv = Buffer.from(files[`Rechnungen-${year}.csv`]).toString('utf8');
      assert.equal(
        csv,
        `${BOM}${[CSV_HEADER, ...ofYear.map((i) => expectedRow(i, now))].join('\r\n')}\r\n`,
      );
      seen.push(...pdfs);
    }
    assert.equal(seen.length, invoices.length, 'every invoice in exactly one year');
    assert.equal(new Set(seen).size, seen.length);
  });

  it('streams the ZIP: chunked, without Content-Length', async () => {
    const client = await login(portal, 'viele@example.com');
    const year = berlinYear(Math.floor(Date.now() / 1000));
    const head = await rawHead(client, `/api/invoices/export?year=${year}`);
    assert.equal(head['content-type'], 'application/zip');
    assert.equal(head['transfer-encoding'], 'chunked');
    assert.equal(head['content-length'], undefined);
  });

  it('answers a year without invoices with a ZIP holding just the CSV header', async () => {
    const client = await login(portal, 'ohne-abo@example.com');
    const zip = await download(client, '/api/invoices/export?year=2021');
    assert.equal(zip.status, 200);
    const files = unzip(zip.bytes);
    assert.deepEqual(Object.keys(files), ['Rechnungen-2021.csv']);
    assert.equal(Buffer.from(files['Rechnungen-2021.csv']).toString(), `${BOM}${CSV_HEADER}\r\n`);
  });

  it('exports the active account only (zwei@ holds two)', async () => {
    const client = await login(portal, 'zwei@example.com');
    const session = (await client.get('/api/session')).body;
    const invoices = await stripeInvoices(stripe, client);
    const mine = new Set(invoices.map((i) => `CONROO-Rechnung-${i.number}.pdf`));
    const other = session.accounts.find(
      (a: {customerId: string}) => a.customerId !== session.activeCustomerId,
    );
    const theirs = await stripe.invoices.list({customer: other.customerId});
    assert.ok(theirs.data.length > 0);
    for (const year of new Set(theirs.data.map((i) => berlinYear(i.created)))) {
      const files = unzip((await download(client, `/api/invoices/export?year=${year}`)).bytes);
      for (const name of Object.keys(files)) {
        if (name.endsWith('.pdf')) assert.ok(mine.has(name), `${name} is the active account's`);
      }
      const csv = Buffer.from(files[`Rechnungen-${year}.csv`]).toString();
      for (const invoice of theirs.data) assert.ok(!csv.includes(invoice.number!));
    }
  });

  it('refuses a year that is not four digits from 2000 to next year', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const next = berlinYear(Math.floor(Date.now() / 1000)) + 1;
    for (const query of [
      '',
      '?year=',
      '?year=abc',
      '?year=26',
      '?year=1999',
      `?year=${next + 1}`,
      '?year=02026',
      '?year=2026.0',
      '?year=2026&year=2025',
      '?year=2026&customer=cus_demoFirma',
    ]) {
      const answer = await client.get(`/api/invoices/export${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.code, 'invalid_request', query);
    }
    assert.equal((await client.get(`/api/invoices/export?year=${next}`)).status, 200);
    assert.equal((await client.get('/api/invoices/export?year=2000')).status, 200);
  });

  it('wants a session', async () => {
    assert.equal((await portal.client().get('/api/invoices/export?year=2026')).status, 401);
  });

  it("defuses formulas in a user's name and quotes it RFC 4180 style", async () => {
    const client = await login(portal, 'paypal@example.com');
    const name = '=HYPERLINK("https://evil.example";"Gutschrift")';
    const put = await client.request('PUT', '/api/billing-details', {
      body: {...company, name, taxId: null},
    });
    assert.equal(put.status, 200);
    const renewed = await client.post('/dev/renew', {email: 'paypal@example.com'});
    const [renewal] = renewed.body.invoices;
    const invoice = await stripe.invoices.retrieve(renewal.id);
    const year = berlinYear(invoice.created);
    const files = unzip((await download(client, `/api/invoices/export?year=${year}`)).bytes);
    const rows = Buffer.from(files[`Rechnungen-${year}.csv`]).toString().split('\r\n');
    const row = rows.find((r) => r.startsWith(`${renewal.number};`));
    assert.ok(row, 'the renewal is listed');
    assert.ok(
      row.endsWith(';"\'=HYPERLINK(""https://evil.example"";""Gutschrift"")";'),
      `guarded and quoted: ${row}`,
    );
  });
});

describe('GET /api/invoices/export with a clock past the due date', () => {
  let portal: Portal;
  const later = () => Math.floor(Date.now() / 1000) + 30 * DAY;
  before(async () => {
    portal = await startPortal({now: later});
  });
  after(() => portal.close());

  it('lists an open invoice past its due date as „Überfällig"', async () => {
    const client = await login(portal, 'offen@example.com');
    const open = (await client.get('/api/invoices')).body.invoices.find(
      (i: {status: string}) => i.status === 'open',
    );
    assert.ok(open.dueDate < later());
    const year = berlinYear(open.created);
    const files = unzip((await download(client, `/api/invoices/export?year=${year}`)).bytes);
    const csv = Buffer.from(files[`Rechnungen-${year}.csv`]).toString();
    assert.match(
      csv,
      new RegExp(`\\r\\n${open.number};[^\\r]*;149,00;EUR;Überfällig;Uwe Petersen;\\r\\n`),
    );
  });
});

describe('invoice downloads when Stripe fails', () => {
  let emulator: StripeEmulator;
  let portal: Portal;
  before(async () => {
    emulator = await startStripeEmulator();
    portal = await startPortal({env: {STRIPE_API_BASE: emulator.url}});
  });
  after(async () => {
    await portal.close();
    await emulator.close();
  });

  const revokePdfLink = (invoiceId: string) =>
    emulator.state.invoicePdfTokens.set(invoiceId, 'x'.repeat(40));

  it('answers 503 stripe_unavailable with Retry-After when the PDF cannot be fetched', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const [invoice] = (await client.get('/api/invoices')).body.invoices;
    revokePdfLink(invoice.id);
    const pdf = await client.get(`/api/invoices/${invoice.id}/pdf`);
    assert.equal(pdf.status, 503);
    assert.equal(pdf.body.error.code, 'stripe_unavailable');
    assert.equal(pdf.headers.get('retry-after'), '5');
  });

  it('answers 503 before the first byte when Stripe cannot list the invoices', async () => {
    const client = await login(portal, 'paypal@example.com');
    emulator.failNext(3, 500); // the first try and the SDK's two retries
    const zip = await client.get('/api/invoices/export?year=2026');
    assert.equal(zip.status, 503);
    assert.equal(zip.body.error.code, 'stripe_unavailable');
    assert.ok(zip.headers.get('retry-after'));
  });

  it('cuts the ZIP off rather than leave out an invoice whose PDF fails midway', async () => {
    const client = await login(portal, 'viele@example.com');
    const customer = (await client.get('/api/session')).body.activeCustomerId;
    const stripe = createStripeClient(portal.config);
    const all = await stripe.invoices.list({customer, limit: 100});
    // The year with the most of the 14 monthly invoices: at least five.
    const byYear = new Map<number, Stripe.Invoice[]>();
    for (const invoice of all.data.reverse()) {
      const of = berlinYear(invoice.created);
      byYear.set(of, [...(byYear.get(of) ?? []), invoice]);
    }
    const [year, ofYear] = [...byYear].sort((a, b) => b[1].length - a[1].length)[0];
    assert.ok(ofYear.length >= 2);
    revokePdfLink(ofYear[1].id);
    await assert.rejects(client.get(`/api/invoices/export?year=${year}`));
    revokePdfLink(ofYear[0].id);
    const first = await client.get(`/api/invoices/export?year=${year}`);
    assert.equal(first.status, 503, 'the first PDF fails before any byte: a clean error');
  });
});

describe('Stripe emulator: invoice PDFs', () => {
  let emulator: StripeEmulator;
  let stripeHosts: FetchStripeFile;
  useEmulator({}, (started) => {
    emulator = started.emulator;
    stripeHosts = stripeHostsTransport(emulator.url);
  });

  const invoiceOf = (customer: string) =>
    [...emulator.state.invoices.values()].find((i) => i.customer === customer)!;
  const get = (url: string) => stripeHosts(new URL(url), {redirect: 'manual'});
  /** Stripe's PDF link, then the file link it redirects to. */
  async function fileLink(invoice: Stripe.Invoice): Promise<string> {
    const answer = await get(invoice.invoice_pdf!);
    assert.equal(answer.status, 302);
    return answer.headers.get('location')!;
  }

  it("redirects Stripe's pay.stripe.com link to a files.stripe.com link, without an API key", async () => {
    const location = await fileLink(invoiceOf('cus_demoFirma'));
    assert.match(location, /^https:\/\/files\.stripe\.com\/links\/[\w-]{43}$/);
  });

  it('serves the PDF at the file link', async () => {
    const invoice = invoiceOf('cus_demoFirma');
    const answer = await get(await fileLink(invoice));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/pdf');
    const bytes = new Uint8Array(await answer.arrayBuffer());
    assert.ok(isPdf(bytes));
    assert.ok(pdfText(bytes).includes(`Rechnung ${invoice.number}`));
  });

  it('answers 404 for a wrong token or account, at either host', async () => {
    const invoice = invoiceOf('cus_demoFirma');
    const link = invoice.invoice_pdf!;
    const file = await fileLink(invoice);
    for (const wrong of [
      link.replace(/test_\w{40}/, `test_${'A'.repeat(40)}`),
      link.replace(/test_(\w{40})/, '$1'),
      link.replace('acct_demo', 'acct_other'),
      file.replace(/[\w-]{43}$/, 'A'.repeat(43)),
      file.slice(0, -1),
    ]) {
      assert.equal((await get(wrong)).status, 404, wrong);
    }
  });

  it('fails like an unreachable host for every host but the two it serves', async () => {
    const link = new URL(invoiceOf('cus_demoFirma').invoice_pdf!);
    for (const other of ['https://evil.example/x.pdf', 'https://api.stripe.com/v1/invoices']) {
      await assert.rejects(get(other), TypeError);
    }
    link.protocol = 'http:';
    await assert.rejects(get(link.href), TypeError);
  });

  it('serves the same links where the demo mounts it (/dev/stripe)', async () => {
    const portal = await startPortal();
    try {
      const invoice = [...portal.emulator!.state.invoices.values()].find(
        (i) => i.customer === 'cus_demoFirma',
      )!;
      const mounted = stripeHostsTransport(`${portal.url}/dev/stripe`);
      const redirect = await mounted(new URL(invoice.invoice_pdf!), {redirect: 'manual'});
      assert.equal(redirect.status, 302);
      const pdf = await mounted(new URL(redirect.headers.get('location')!), {redirect: 'manual'});
      assert.equal(pdf.status, 200);
      assert.ok(isPdf(new Uint8Array(await pdf.arrayBuffer())));
    } finally {
      await portal.close();
    }
  });

  it('writes names beyond the fonts’ WinAnsi in Latin letters', async () => {
    const invoice = invoiceOf('cus_demoZweiA');
    assert.equal(invoice.customer_name, 'Mehmet Yılmaz');
    const answer = await get(await fileLink(invoice));
    const text = pdfText(new Uint8Array(await answer.arrayBuffer()));
    assert.ok(text.includes('Mehmet Yilmaz'), text);
  });
});

describe('invoice CSV format', () => {
  it('guards cells that a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+1', '+49 40', '-2', '@SUM(A1)', '\tx', '＝1']) {
      assert.equal(defuseFormula(cell), `'${cell}`);
    }
    for (const cell of ['Müller-Lüdenscheidt GmbH', 'DE123456789', '']) {
      assert.equal(defuseFormula(cell), cell);
    }
  });

  it('quotes only fields with a separator, quote or line break', () => {
    assert.equal(quoteField('Nord GmbH'), 'Nord GmbH');
    assert.equal(quoteField('A; B'), '"A; B"');
    assert.equal(quoteField('Der "Laster"'), '"Der ""Laster"""');
    assert.equal(quoteField('a\nb'), '"a\nb"');
  });

  it('writes amounts with a decimal comma and no grouping', () => {
    assert.equal(formatAmount(12521, 'eur'), '125,21');
    assert.equal(formatAmount(123456789, 'eur'), '1234567,89');
    assert.equal(formatAmount(5, 'eur'), '0,05');
    assert.equal(formatAmount(1500, 'jpy'), '1500');
  });

  it("reads amounts in Stripe's minor units, also where Intl counts differently", () => {
    // Stripe sends HUF and ISK in hundredths although Intl gives them no decimals.
    assert.equal(formatAmount(10000, 'huf'), '100,00');
    assert.equal(formatAmount(10000, 'isk'), '100,00');
    assert.equal(formatAmount(12340, 'kwd'), '12,340');
  });

  it('counts the year in German time', () => {
    const {gte, lt} = accountingYearRange(2026);
    assert.equal(new Date(gte * 1000).toISOString(), '2025-12-31T23:00:00.000Z');
    assert.equal(new Date(lt * 1000).toISOString(), '2026-12-31T23:00:00.000Z');
  });
});
