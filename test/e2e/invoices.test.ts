import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {describe, it} from 'node:test';
import {unzipSync} from 'fflate';
import type {Browser, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {formatResult, validateInvoice} from '../../../shared/einvoice-validation/validate.mjs';
import {pdfText} from '../server/pdf-text.js';
import {loginByMail, navigate, renew, shows, useDemo} from './flows.js';

const XRECHNUNG = /^XRechnung-3\.0$/;
const FACTUR_X = /EN ?16931/i;

/**
 * „Rechnungen" as an accountant uses it: PDFs, e-invoices, a year's ZIP, and the invoice of a
 * renewal.
 */
describe('„Rechnungen"', () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  useDemo({port: 0}, async (started) => {
    ({demo, browser} = started);
    page = await (await browser.newContext({locale: 'de-DE', acceptDownloads: true})).newPage();
    await loginByMail(page, demo, 'firma@example.com');
    await navigate(page, 'Rechnungen');
  });

  const section = () => page.locator('conroo-invoices');

  it('downloads an invoice as CONROO-Rechnung-<number>.pdf', async () => {
    const first = section()
      .getByRole('link', {name: /^Rechnung (CONROO-\d{4}-\d{4}) als PDF herunterladen$/})
      .first();
    const number = /CONROO-\d{4}-\d{4}/.exec((await first.getAttribute('aria-label'))!)![0];
    const [download] = await Promise.all([page.waitForEvent('download'), first.click()]);
    assert.equal(download.suggestedFilename(), `CONROO-Rechnung-${number}.pdf`);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
    assert.match(pdfText(bytes), new RegExp(number));
    assert.match(pdfText(bytes), /Hafenlogistik Nord GmbH/);
  });

  it('downloads both e-invoices of an invoice, and the official rules find them VALID', async () => {
    const row = section().locator('tbody tr').first();
    const number = (await row.getAttribute('data-number'))!;
    const files = [
      {name: `Rechnung ${number} als E-Rechnung (XRechnung) herunterladen`, profile: XRECHNUNG},
      {
        name: `Rechnung ${number} als PDF mit E-Rechnung (ZUGFeRD) herunterladen`,
        profile: FACTUR_X,
      },
    ];
    const [xrechnung, zugferd] = files;
    for (const {name, profile} of files) {
      const link = row.getByRole('link', {name, exact: true});
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const bytes = await readFile(await download.path());
      assert.equal(
        download.suggestedFilename(),
        `CONROO-Rechnung-${number}.${name === xrechnung.name ? 'xml' : 'pdf'}`,
      );
      if (name === zugferd.name) assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
      const result = await validateInvoice(bytes, {name: download.suggestedFilename()});
      assert.ok(result.valid, formatResult(result, {verbose: true}));
      assert.match(result.profile ?? '', profile);
      assert.match(bytes.toString('latin1'), new RegExp(number));
    }
  });

  it("downloads a year's invoices as a ZIP with the PDFs and a CSV for German Excel", async () => {
    const year = await section().getByLabel('Jahr', {exact: true}).inputValue();
    const link = section().getByRole('link', {name: `Rechnungen ${year} herunterladen`});
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `CONROO-Rechnungen-${year}.zip`);
    const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
    const names = Object.keys(entries);
    const csv = Buffer.from(entries[`Rechnungen-${year}.csv`]);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    assert.equal(
      lines[0],
      'Rechnungsnummer;Datum;Zeitraum;Netto;Steuer;Brutto;Währung;Status;Empfänger;USt-IdNr.',
    );
    const rows = lines.slice(1).filter(Boolean);
    assert.equal(names.filter((n) => n.endsWith('.pdf')).length, rows.length);
    for (const row of rows) {
      const [number, , , net, tax, gross, currency, status, name, vat] = row.split(';');
      assert.ok(names.includes(`CONROO-Rechnung-${number}.pdf`));
      assert.ok(names.includes(`CONROO-Rechnung-${number}.xml`), `the XRechnung of ${number}`);
      assert.match(gross, /^\d+,\d{2}$/);
      assert.equal(
        Math.round(Number(net.replace(',', '.')) * 100) +
          Math.round(Number(tax.replace(',', '.')) * 100),
        Math.round(Number(gross.replace(',', '.')) * 100),
      );
      assert.equal(currency, 'EUR');
      assert.equal(status, 'Bezahlt');
      assert.equal(name, 'Hafenlogistik Nord GmbH');
      assert.equal(vat, 'DE123456789');
    }
    for (const name of names.filter((n) => n.endsWith('.pdf'))) {
      assert.equal(Buffer.from(entries[name].subarray(0, 4)).toString(), '%PDF');
    }
  });

  it('shows the invoice of the next billing period, addressed to what „Rechnung und Versand" holds, with „Ihre Referenz" in its e-invoice', async () => {
    await navigate(page, 'Rechnung und Versand');
    const billing = page.locator('conroo-billing-shipping');
    await billing.getByRole('button', {name: 'Informationen aktualisieren'}).click();
    await page.locator('#field-name').fill('Hafenlogistik Nord GmbH & Co. KG');
    await billing.getByLabel(/Ihre Referenz/).fill('Auftrag 2027/Ä&<7>');
    await billing.getByRole('button', {name: 'Speichern'}).click();
    await shows(billing, 'Ihre Rechnungsdaten wurden gespeichert.');

    const [invoice] = await renew(demo, 'firma@example.com');
    await navigate(page, 'Rechnungen');
    const row = section().locator('tr', {hasText: invoice.number});
    await shows(row, 'Hafenlogistik Nord GmbH & Co. KG');
    await shows(row, 'Bezahlt');
    // Its XRechnung carries „Ihre Referenz" as the buyer reference (BT-10), and is valid.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', {name: /als E-Rechnung \(XRechnung\) herunterladen$/}).click(),
    ]);
    const xml = await readFile(await download.path());
    assert.match(
      xml.toString('utf8'),
      /<ram:BuyerReference>Auftrag 2027\/Ä&amp;&lt;7&gt;<\/ram:BuyerReference>/,
    );
    const result = await validateInvoice(xml, {name: download.suggestedFilename()});
    assert.ok(result.valid, formatResult(result, {verbose: true}));
    // Issued invoices keep the name they were issued to.
    const older = section().locator('tbody tr', {hasNotText: invoice.number}).first();
    await older.getByText('Hafenlogistik Nord GmbH', {exact: true}).waitFor({timeout: 5000});
  });
});

describe('an open invoice', () => {
  let demo: Demo;
  let browser: Browser;
  useDemo({port: 0}, (started) => ({demo, browser} = started));

  it('shows a banner on the overview and a Stripe pay link', async () => {
    const page = await (await browser.newContext({locale: 'de-DE'})).newPage();
    await loginByMail(page, demo, 'offen@example.com');
    await shows(page.locator('conroo-overview'), /offen/i);
    const pay = page
      .locator('conroo-overview')
      .getByRole('link', {name: /bezahlen/i})
      .first();
    assert.match((await pay.getAttribute('href'))!, /^https:\/\/invoice\.stripe\.com\//);
  });
});
