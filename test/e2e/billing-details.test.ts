import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {pdfText} from '../server/pdf-text.js';
import {loginByMail, navigate, renew, shows, useDemo} from './flows.js';

/**
 * Issue 4 as a driver does it: the account becomes a company account (legal name, VAT ID,
 * separate shipping address), and the next invoice — started with /dev/renew — is issued to it.
 */
describe('„Rechnung und Versand" → „Informationen aktualisieren"', () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  useDemo({port: 0}, async (started) => {
    ({demo, browser} = started);
    page = await (await browser.newContext({locale: 'de-DE'})).newPage();
    await loginByMail(page, demo, 'fahrer@example.com');
  });

  const section = () => page.locator('conroo-billing-shipping');
  const api = async (path: string) => {
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    return fetch(`${demo.url}${path}`, {headers: {cookie}});
  };

  it('shows a field error and keeps what was typed when the VAT ID is wrong', async () => {
    await navigate(page, 'Rechnung und Versand');
    await section().getByRole('button', {name: 'Informationen aktualisieren'}).click();
    await page.locator('#field-name').fill('Spedition Nordlicht GmbH & Co. KG');
    await page.locator('#field-taxId-value').fill('DE 123');
    await section().getByRole('button', {name: 'Speichern'}).click();
    await page.locator('#field-taxId-value-error').waitFor();
    assert.equal(await page.locator('#field-taxId-value').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await page.locator('#field-name').inputValue(),
      'Spedition Nordlicht GmbH & Co. KG',
    );
  });

  it('shows its own text for the server’s postal_code refusal (a format the browser does not check)', async () => {
    await page.locator('#field-taxId-value').fill('');
    await page.locator('#field-address-line1').fill('10 Downing Street');
    await page.locator('#field-address-city').fill('London');
    await page.locator('#field-address-country').selectOption('GB');
    await page.locator('#field-address-postalCode').fill('ABC 123');
    await section().getByRole('button', {name: 'Speichern'}).click();
    await shows(
      page.locator('#field-address-postalCode-error'),
      'Das ist keine Postleitzahl aus Vereinigtes Königreich.',
    );
  });

  it('previews the next invoice and saves the company with VAT ID and shipping address', async () => {
    await page.locator('#field-address-line1').fill('Am Kaiserkai 10');
    await page.locator('#field-address-postalCode').fill('20457');
    await page.locator('#field-address-city').fill('Hamburg');
    await page.locator('#field-address-country').selectOption('DE');
    await page.locator('#field-taxId-value').fill('de 987 654 321');
    await page.locator('#shipping-same').uncheck();
    await page.locator('#field-shipping-name').fill('Spedition Nordlicht – Lager');
    await page.locator('#field-shipping-address-line1').fill('Containerweg 3');
    await page.locator('#field-shipping-address-postalCode').fill('27568');
    await page.locator('#field-shipping-address-city').fill('Bremerhaven');

    const preview = page.locator('[data-preview="invoice-block"]');
    await shows(preview, 'Spedition Nordlicht GmbH & Co. KG');
    await shows(preview, 'DE987654321');
    await shows(preview, /20457 Hamburg/);
    await shows(section(), /Ihre nächste Rechnung am \d{2}\.\d{2}\.\d{4} wird ausgestellt an/);

    await section().getByRole('button', {name: 'Speichern'}).click();
    await shows(section(), 'Ihre Rechnungsdaten wurden gespeichert.');
    await shows(section(), /Bremerhaven/);
    await shows(section(), 'DE987654321');

    await navigate(page, 'Übersicht');
    const overview = page.locator('conroo-overview');
    await shows(overview, 'Spedition Nordlicht GmbH & Co. KG');
    await shows(overview, 'DE987654321');
  });

  it('issues the next invoice to the company when the billing period starts', async () => {
    const [invoice] = await renew(demo, 'fahrer@example.com');

    await navigate(page, 'Rechnungen');
    const invoices = page.locator('conroo-invoices');
    await shows(invoices, invoice.number);
    await shows(invoices, 'Spedition Nordlicht GmbH & Co. KG');

    const pdf = await api(`/api/invoices/${invoice.id}/pdf`);
    assert.equal(pdf.status, 200);
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer()));
    assert.match(text, /Spedition Nordlicht GmbH & Co\. KG/);
    assert.match(text, /Am Kaiserkai 10/);
    assert.match(text, /20457 Hamburg/);
    assert.match(text, /DE987654321/);
  });
});

describe('a session that expires while editing billing details', () => {
  let demo: Demo;
  let browser: Browser;
  useDemo({port: 0}, (started) => ({demo, browser} = started));

  it('keeps the draft and restores it after logging in again from the mail', async () => {
    const context = await browser.newContext({locale: 'de-DE'});
    const page = await context.newPage();
    await loginByMail(page, demo, 'paypal@example.com');
    await navigate(page, 'Rechnung und Versand');
    const section = page.locator('conroo-billing-shipping');
    await section.getByRole('button', {name: 'Informationen aktualisieren'}).click();
    await page.locator('#field-name').fill('Transporte Hoffmann GmbH');

    // The session ends server-side (as after 30 idle minutes) while the form is open.
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await fetch(`${demo.url}/api/session`, {method: 'DELETE', headers: {cookie}});
    await section.getByRole('button', {name: 'Speichern'}).click();
    await shows(page, /Ihre Sitzung ist abgelaufen/);

    // Logging in again from the mail opens a new tab, as a mail client does.
    const tab = await context.newPage();
    await loginByMail(tab, demo, 'paypal@example.com');
    await shows(tab, 'Ihr Entwurf wurde wiederhergestellt – bitte prüfen und speichern.');
    assert.equal(await tab.locator('#field-name').inputValue(), 'Transporte Hoffmann GmbH');
    await tab.locator('conroo-billing-shipping').getByRole('button', {name: 'Speichern'}).click();
    await shows(tab, 'Ihre Rechnungsdaten wurden gespeichert.');
    await context.close();
  });
});
