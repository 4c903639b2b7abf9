import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {unzipSync} from 'fflate';
import type Stripe from 'stripe';
import type {TracedRequest} from '../../demo/stripe-emulator/index.js';
import {driverFolders} from '../../server/services/fleet-invoice-export.js';
import {SEEDED_EMAILS} from '../../demo/stripe-emulator/index.js';
import {carrierAddress, grant, loginAs, loginWithNewestMail} from './carrier-harness.js';
import {createFleet, mostAtOnce} from './fleet-harness.js';
import {download, isPdf, login, startPortalWithStripe, type Portal} from './harness.js';
import {pdfText} from './pdf-text.js';
import {formatResult, validateInvoice} from '../../../shared/einvoice-validation/validate.mjs';

const CSV_HEADER =
  'Fahrer;Rechnungsnummer;Datum;Zeitraum;Netto;Steuer;Brutto;Währung;Status;Empfänger;USt-IdNr.';
const BOM = '\uFEFF';

const berlinYear = (seconds: number) =>
  Number(
    new Intl.DateTimeFormat('de-DE', {timeZone: 'Europe/Berlin', year: 'numeric'}).format(
      new Date(seconds * 1000),
    ),
  );
const thisYear = () => berlinYear(Math.floor(Date.now() / 1000));
const suffix = (customerId: string) => customerId.slice(-6);

/** The customer's finalized invoices of `year`, oldest first (of one second: by number). */
async function invoicesOf(stripe: Stripe, customer: string, year: number) {
  const all = await stripe.invoices.list({customer, limit: 100});
  return all.data
    .filter((i) => i.status !== 'draft' && berlinYear(i.created) === year)
    .sort((a, b) => a.created - b.created || a.number!.localeCompare(b.number!));
}

describe('GET /api/fleet/invoices/export', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('zips a folder per driver with the PDFs and XRechnungen of the year and one CSV with a driver column', async () => {
    const email = 'spedition-export@example.com';
    const ids = await createFleet(stripe, email, [
      {name: 'Jan Nowak', withInvoice: true},
      {name: 'Öztürk/Trans: "Nord"', withInvoice: true},
      {name: 'Jan Nowak', withInvoice: true},
      {name: 'Lena Ohnerechnung'},
    ]);
    const client = await login(portal, email);
    // A second invoice of the year for each Gate Pass.
    assert.equal((await client.post('/dev/renew', {email})).status, 200);
    const year = thisYear();
    const folderOf = new Map([
      [ids[0], `Jan Nowak (${suffix(ids[0])})`],
      [ids[1], `Öztürk Trans Nord (${suffix(ids[1])})`],
      [ids[2], `Jan Nowak (${suffix(ids[2])})`],
      [ids[3], `Lena Ohnerechnung (${suffix(ids[3])})`],
    ]);
    // As a German reader looks for names, „Fahrer 9" before „Fahrer 10".
    const collator = new Intl.Collator('de', {numeric: true});
    const order = [...ids].sort((a, b) => collator.compare(folderOf.get(a)!, folderOf.get(b)!));
    assert.equal(folderOf.get(order[3]), folderOf.get(ids[1]), 'Ö among the O');

    const emulator = portal.emulator!;
    const trace: TracedRequest[] = [];
    emulator.state.http.trace = trace;
    emulator.state.http.latencyMs = 20;
    let zip: Awaited<ReturnType<typeof download>>;
    try {
      zip = await download(client, `/api/fleet/invoices/export?year=${year}`);
    } finally {
      emulator.state.http.trace = null;
      emulator.state.http.latencyMs = 0;
    }
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    assert.equal(
      zip.headers.get('content-disposition'),
      `attachment; filename="CONROO-Rechnungen-Flotte-${year}.zip"`,
    );
    // From the first invoice list on: the ZIP's part (the session's accounts are read before).
    const zipPart = trace.slice(trace.findIndex((r) => r.path === '/v1/invoices'));
    assert.ok(
      mostAtOnce(zipPart) <= 4,
      `at most FLEET_CONCURRENCY at once: ${mostAtOnce(zipPart)}`,
    );

    const files = unzipSync(zip.bytes);
    const expected: string[] = [];
    const rows: string[] = [];
    for (const id of order) {
      const folder = folderOf.get(id)!;
      expected.push(`${folder}/`);
      const invoices = await invoicesOf(stripe, id, year);
      assert.equal(invoices.length, id === ids[3] ? 0 : 2, folder);
      for (const invoice of invoices) {
        const name = `${folder}/CONROO-Rechnung-${invoice.number}.pdf`;
        expected.push(name);
        assert.ok(isPdf(files[name]), name);
        assert.ok(pdfText(files[name]).includes(`Rechnung ${invoice.number}`), name);
        const xml = `${folder}/CONROO-Rechnung-${invoice.number}.xml`;
        expected.push(xml);
        const result = await validateInvoice(files[xml], {name: xml});
        assert.ok(result.valid, formatResult(result));
        rows.push(`${folder};${invoice.number};`);
      }
    }
    expected.push(`Rechnungen-${year}.csv`);
    assert.deepEqual(Object.keys(files), expected);
    assert.equal(files[`${folderOf.get(ids[3])}/`].length, 0, 'a folder without invoices');

    const csv = Buffer.from(files[`Rechnungen-${year}.csv`]).toString('utf8');
    assert.ok(csv.startsWith(`${BOM}${CSV_HEADER}\r\n`));
    const lines = csv.slice(BOM.length).split('\r\n').slice(1, -1);
    assert.equal(lines.length, rows.length);
    lines.forEach((line, i) => assert.ok(line.startsWith(rows[i]), `${line} is ${rows[i]}…`));
  });

  it('answers 503 before the first byte when Stripe cannot list the invoices', async () => {
    const email = 'spedition-liste@example.com';
    await createFleet(stripe, email, [{name: 'Ada', withInvoice: true}]);
    const client = await login(portal, email);
    portal.emulator!.injectFault({method: 'GET', path: '/v1/invoices', fault: 500});
    try {
      const answer = await client.get(`/api/fleet/invoices/export?year=${thisYear()}`);
      assert.equal(answer.status, 503);
      assert.equal(answer.body.error.code, 'stripe_unavailable');
      assert.ok(answer.headers.get('retry-after'));
    } finally {
      portal.emulator!.clearFaults();
    }
  });

  it('cuts the download off when a PDF fails after the first bytes, never a ZIP that looks whole', async () => {
    const email = 'spedition-abbruch@example.com';
    const ids = await createFleet(stripe, email, [
      {name: 'Anna Erste', withInvoice: true},
      {name: 'Zoe Letzte', withInvoice: true},
    ]);
    const client = await login(portal, email);
    const [last] = await invoicesOf(stripe, ids[1], thisYear());
    const tokens = portal.emulator!.state.invoicePdfTokens;
    const token = tokens.get(last.id)!;
    tokens.set(last.id, 'x'.repeat(40));
    try {
      await assert.rejects(client.get(`/api/fleet/invoices/export?year=${thisYear()}`));
    } finally {
      tokens.set(last.id, token);
    }
    const whole = await download(client, `/api/fleet/invoices/export?year=${thisYear()}`);
    assert.equal(whole.status, 200, 'the same export, whole once Stripe delivers');
    // Two folders, each with a PDF and its XRechnung, and the CSV.
    assert.equal(Object.keys(unzipSync(whole.bytes)).length, 2 + 2 * 2 + 1);
  });

  it('refuses a year that is not four digits from 2000 to next year, as the one-account export', async () => {
    const client = await login(portal, 'ohne-abo@example.com');
    const next = thisYear() + 1;
    for (const query of ['', '?year=abc', '?year=1999', `?year=${next + 1}`, '?year=2026&x=1']) {
      const answer = await client.get(`/api/fleet/invoices/export${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.code, 'invalid_request', query);
    }
  });

  it('exports the two accounts of zwei@ (one address, two Gate Passes)', async () => {
    const client = await login(portal, 'zwei@example.com');
    const year = thisYear();
    const files = unzipSync(
      (await download(client, `/api/fleet/invoices/export?year=${year}`)).bytes,
    );
    const folders = Object.keys(files).filter((name) => name.endsWith('/'));
    assert.deepEqual(folders, ['Mehmet Yılmaz (LKW 2) (oZweiB)/', 'Mehmet Yılmaz (oZweiA)/']);
  });

  it('wants a session', async () => {
    const answer = await portal.client().get(`/api/fleet/invoices/export?year=${thisYear()}`);
    assert.equal(answer.status, 401);
  });
});

describe('driver folders', () => {
  const folders = (...members: Array<[string, string | null]>) =>
    driverFolders(members.map(([customerId, name]) => ({customerId, name}))).map((d) => d.folder);

  it('names each by the driver and the end of the customer ID, sorted as in German', () => {
    assert.deepEqual(folders(['cus_Q1w2E3r4T5y6U7', 'Zoe'], ['cus_A1b2C3d4E5f6G7', 'Ärger']), [
      'Ärger (E5f6G7)',
      'Zoe (T5y6U7)',
    ]);
  });

  it('keeps only what every file system takes', () => {
    assert.deepEqual(
      folders(['cus_x00001', 'A/B\\C:D*E?F"G<H>I|J\n\u202EK  L'], ['cus_x00002', null]),
      ['A B C D E F G H I J K L (x00001)', 'Ohne Namen (x00002)'],
    );
    const [long] = folders(['cus_x00003', `${'Ü'.repeat(70)}😀`]);
    assert.equal(long, `${'Ü'.repeat(60)} (x00003)`);
  });

  it('keeps folders apart that would otherwise be one, also where case does not count', () => {
    const named = folders(
      ['cus_a100001', 'Nord'],
      ['cus_b100001', 'NORD'],
      ['cus_c100001', 'nord'],
    );
    assert.equal(new Set(named.map((n) => n.toLowerCase())).size, 3, named.join(', '));
    assert.ok(
      named.every((n) => /^nord \(100001\)( \d)?$/i.test(n)),
      named.join(', '),
    );
  });
});

describe('GET /api/fleet/invoices/export while an access ends', () => {
  let portal: Portal;
  // One driver at a time, so that the second one's turn comes after the first one's list.
  before(async () => ({portal} = await startPortalWithStripe({env: {FLEET_CONCURRENCY: '1'}})));
  after(() => portal.close());

  it('leaves the folder of a driver whose access ended during the download empty', async () => {
    const carrier = carrierAddress('export');
    const jan = await loginAs(portal, SEEDED_EMAILS.card);
    await grant(portal, jan, carrier);
    const sabine = await loginAs(portal, SEEDED_EMAILS.paypal);
    await grant(portal, sabine, carrier);
    for (const email of [SEEDED_EMAILS.card, SEEDED_EMAILS.paypal]) {
      assert.equal((await portal.client().post('/dev/renew', {email})).status, 200);
    }
    const spedition = await loginWithNewestMail(portal, carrier);

    // Jan's invoice list (his folder comes first) waits at Stripe while Sabine ends the access.
    const hold = portal.emulator!.hold({method: 'GET', path: '/v1/invoices', times: 1});
    const downloading = download(spedition, `/api/fleet/invoices/export?year=${thisYear()}`);
    await hold.held;
    const ended = await sabine.delete(`/api/carrier-access/${encodeURIComponent(carrier)}`);
    assert.equal(ended.status, 204);
    hold.release();
    const answer = await downloading;
    assert.equal(answer.status, 200);
    const files = unzipSync(answer.bytes);
    const inFolder = (prefix: string) =>
      Object.keys(files).filter((name) => name.startsWith(prefix) && !name.endsWith('/'));
    assert.ok(inFolder('Jan Kowalski (').length > 0, 'Jan’s invoices are there');
    assert.ok(
      Object.keys(files).some((name) => name.startsWith('Sabine Hoffmann (')),
      'Sabine’s folder, as the list had her when the download started',
    );
    assert.deepEqual(inFolder('Sabine Hoffmann ('), [], 'but none of her invoices');
    const csv = Buffer.from(files[`Rechnungen-${thisYear()}.csv`]).toString();
    assert.doesNotMatch(csv, /Sabine Hoffmann/);
  });
});
