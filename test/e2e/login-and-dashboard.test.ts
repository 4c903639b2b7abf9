import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {askForLink, navigate, shows, useDemo} from './flows.js';

/** Steps 1–5 of issue 2, as a driver does them, through `npm start`'s server in Chromium. */
describe('a driver logs in by mail link and uses the dashboard', () => {
  let demo: Demo;
  let browser: Browser;
  useDemo({port: 0}, (started) => ({demo, browser} = started));

  /** Opens the dev outbox like a person would and follows the newest mail's link. */
  async function openNewestMailLink(page: Page, expectedTo: string) {
    await page.goto(`${demo.url}/dev/outbox`);
    const newest = page.locator('article').first();
    await newest.waitFor();
    assert.match(await newest.innerText(), new RegExp(`An: ${expectedTo}`));
    await newest.getByRole('link', {name: 'Link öffnen'}).click();
  }

  it('asks for a link, opens it from the outbox in another browser and sees every section', async () => {
    const driver = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 1280, height: 900},
    });
    const page = await driver.newPage();
    await page.goto(`${demo.url}/kundenportal`);
    await askForLink(page, 'fahrer@example.com');

    // The carrier's browser: the link is not bound to the one that asked.
    const carrier = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 1280, height: 900},
    });
    const carrierPage = await carrier.newPage();
    await openNewestMailLink(carrierPage, 'fahrer@example.com');
    await carrierPage.getByRole('heading', {name: 'Übersicht'}).waitFor();
    assert.ok(
      !carrierPage.url().includes('conroo-portal-token'),
      'the token leaves the address bar',
    );

    const overview = carrierPage.locator('conroo-overview');
    for (const text of [/Gate Pass/, /Aktiv/, /Visa/, /4242/, /Jan Kowalski/, /149,00\s€/]) {
      await shows(overview, text);
    }

    await navigate(carrierPage, 'Zahlungsmethoden');
    await carrierPage.getByRole('heading', {name: 'Zahlungsmethoden', exact: true}).waitFor();
    await shows(carrierPage.locator('conroo-payment-methods'), /Standard/);

    await navigate(carrierPage, 'Rechnung und Versand');
    await carrierPage.getByRole('heading', {name: 'Rechnung und Versand', exact: true}).waitFor();
    await shows(carrierPage.locator('conroo-billing-shipping'), /Bremen/);

    await navigate(carrierPage, 'Rechnungen');
    await carrierPage.getByRole('heading', {name: 'Rechnungen', exact: true}).waitFor();
    const invoices = carrierPage.locator('conroo-invoices');
    await shows(invoices, 'Bezahlt');
    await shows(invoices, /CONROO-\d{4}-\d{4}/);

    await carrierPage.getByRole('button', {name: 'Abmelden'}).click();
    await carrierPage.getByLabel('E-Mail-Adresse').waitFor();
    await carrierPage.reload();
    await carrierPage.getByLabel('E-Mail-Adresse').waitFor();
    await driver.close();
    await carrier.close();
  });

  it('chooses and switches between the two Gate Passes of one address without a new login', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 360, height: 780},
    });
    const page = await context.newPage();
    await page.goto(`${demo.url}/kundenportal`);
    await askForLink(page, 'zwei@example.com');
    await openNewestMailLink(page, 'zwei@example.com');
    await page.getByRole('heading', {name: 'Übersicht'}).waitFor();
    const account = page.getByLabel('Konto');
    const options = await account.locator('option').allInnerTexts();
    assert.equal(options.length, 2);
    await shows(page.locator('conroo-overview'), /Mehmet Yılmaz/);
    await account.selectOption({label: options[1]});
    await page.locator('conroo-overview').getByText('LKW 2').first().waitFor();
    await page.reload();
    await page.getByRole('heading', {name: 'Übersicht'}).waitFor();
    await page.locator('conroo-overview').getByText('LKW 2').first().waitFor();
    await context.close();
  });

  it('opens the dialog from the yellow support button and logs in there', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 1280, height: 900},
    });
    const page = await context.newPage();
    await page.goto(demo.url);
    await page.locator('.support-button, #support-button, [data-support-button]').first().click();
    await askForLink(page, 'paypal@example.com');
    const [mail] = await demo.outbox.messages();
    assert.equal(mail.to, 'paypal@example.com');
    await context.close();
  });
});
