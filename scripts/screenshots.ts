/**
 * `npm run screenshots`: every view of the portal at 360 px and 1280 px, as a driver sees it
 * through the demo server, into docs/screenshots/. Look at them after every UI change.
 */
import {mkdir} from 'node:fs/promises';
import type {Page} from 'playwright-core';
import {startDemo} from '../demo/boot.js';
import {launchChromium} from '../test/e2e/browser.js';

const OUT = 'docs/screenshots';
const WIDTHS = [360, 1280] as const;
const LANGS = (process.env.SCREENSHOT_LANGS ?? 'de,en').split(',');

let demo = await startDemo({port: 0});
const browser = await launchChromium();
await mkdir(OUT, {recursive: true});
/** The whole page; a modal dialog as the screen shows it (`fullPage: false`). */
const shot = async (page: Page, name: string, fullPage = true) => {
  await page.waitForTimeout(250);
  await page.screenshot({path: `${OUT}/${name}.png`, fullPage});
  console.log(`${OUT}/${name}.png`);
};

const LABELS = {
  de: {
    request: 'Link anfordern',
    addMethod: 'Zahlungsmethode hinzufügen',
    updateInfo: 'Informationen aktualisieren',
    checkMail: 'Prüfen Sie Ihr Postfach',
    overview: 'Übersicht',
    sections: {
      'payment-methods': 'Zahlungsmethoden',
      'billing-shipping': 'Rechnung und Versand',
      invoices: 'Rechnungen',
      'carrier-access': 'Spedition',
    },
    fleet: 'Ihre Fahrer',
    carrierHeading: 'Zugriff für Ihre Spedition',
  },
  en: {
    request: 'Request link',
    addMethod: 'Add payment method',
    updateInfo: 'Update information',
    checkMail: 'Check your inbox',
    overview: 'Overview',
    sections: {
      'payment-methods': 'Payment methods',
      'billing-shipping': 'Billing and shipping',
      invoices: 'Invoices',
      'carrier-access': 'Carrier',
    },
    fleet: 'Your drivers',
    carrierHeading: 'Access for your carrier',
  },
} as const;

try {
  for (const lang of LANGS as Array<keyof typeof LABELS>) {
    const t = LABELS[lang];
    for (const width of WIDTHS) {
      // A fresh demo each time: the same address may ask for only three links in 15 minutes.
      await demo.close();
      demo = await startDemo({port: 0});
      const context = await browser.newContext({
        locale: lang === 'de' ? 'de-DE' : 'en-GB',
        viewport: {width, height: width < 600 ? 780 : 900},
      });
      const page = await context.newPage();
      const suffix = `${lang}-${width}`;
      const query = lang === 'en' ? '?lang=en' : '';
      await page.goto(`${demo.url}/kundenportal${query}`);
      await page.locator('conroo-billing-portal input[type=email]').first().waitFor();
      await shot(page, `login-${suffix}`);
      await page
        .locator('conroo-billing-portal input[type=email]')
        .first()
        .fill('firma@example.com');
      await page.getByRole('button', {name: t.request, exact: true}).first().click();
      await page.getByRole('heading', {name: t.checkMail}).waitFor();
      await shot(page, `check-mail-${suffix}`);
      await demo.app.drain();
      await page.goto(`${demo.url}/dev/outbox`);
      await shot(page, `outbox-${suffix}`);
      const [mail] = await demo.outbox.messages();
      const link = new URL(mail.link!);
      if (query) link.search = query;
      await page.goto(link.toString());
      await page.getByRole('heading', {name: t.overview}).waitFor();
      await page.locator('conroo-overview').getByText('Hafenlogistik').first().waitFor();
      await shot(page, `dashboard-${suffix}`);
      for (const [id, label] of Object.entries(t.sections)) {
        await page.getByRole('navigation').getByRole('button', {name: label, exact: true}).click();
        const heading = id === 'carrier-access' ? t.carrierHeading : label;
        await page.getByRole('heading', {name: heading, exact: true}).waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, `${id}-${suffix}`);
        // The forms behind the section's main action.
        if (id === 'payment-methods') {
          await page.getByRole('button', {name: t.addMethod, exact: true}).click();
          await page.locator('#card-number').waitFor();
          await shot(page, `add-payment-method-${suffix}`);
        }
        if (id === 'billing-shipping') {
          await page.getByRole('button', {name: t.updateInfo, exact: true}).click();
          await page.locator('#field-name').waitFor();
          await shot(page, `billing-form-${suffix}`);
        }
      }
      await context.close();
    }
  }
  // A carrier's „Ihre Fahrer": spedition@ with six drivers (cards in the demo page's column;
  // the table needs 56rem of room).
  for (const lang of LANGS as Array<keyof typeof LABELS>) {
    for (const width of WIDTHS) {
      await demo.close();
      demo = await startDemo({port: 0});
      const context = await browser.newContext({
        locale: lang === 'de' ? 'de-DE' : 'en-GB',
        viewport: {width, height: width < 600 ? 780 : 900},
      });
      const page = await context.newPage();
      const query = lang === 'en' ? '?lang=en' : '';
      await page.goto(`${demo.url}/kundenportal${query}`);
      await page
        .locator('conroo-billing-portal input[type=email]')
        .first()
        .fill('spedition@example.com');
      await page.getByRole('button', {name: LABELS[lang].request, exact: true}).first().click();
      await page.getByRole('heading', {name: LABELS[lang].checkMail}).waitFor();
      await demo.app.drain();
      const [mail] = await demo.outbox.messages();
      const link = new URL(mail.link!);
      if (query) link.search = query;
      await page.goto(link.toString());
      await page.getByRole('heading', {name: LABELS[lang].fleet}).waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, `fleet-${lang}-${width}`);
      await context.close();
    }
  }
  // The dialog from the yellow support button, on the CONROO start page.
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({
        locale: lang === 'de' ? 'de-DE' : 'en-GB',
        viewport: {width, height: width < 600 ? 780 : 900},
      });
      const page = await context.newPage();
      await page.goto(`${demo.url}/${lang === 'en' ? '?lang=en' : ''}`);
      await page.locator('.support-button').click();
      await page.locator('conroo-billing-portal input[type=email]').first().waitFor();
      await shot(page, `dialog-${lang}-${width}`, false);
      await context.close();
    }
  }
  // The design page: the default element and a restyled one on a dark page.
  for (const width of WIDTHS) {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width, height: width < 600 ? 780 : 900},
    });
    const page = await context.newPage();
    await page.goto(`${demo.url}/design`);
    await page.locator('conroo-billing-portal.restyled input[type=email]').waitFor();
    await shot(page, `design-de-${width}`);
    await context.close();
  }
} finally {
  await browser.close();
  await demo.close();
}
