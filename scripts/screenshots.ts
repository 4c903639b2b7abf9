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

/** Chooses a section; in a narrow portal the sections are behind „Menü", which opens first. */
const chooseSection = async (page: Page, label: string) => {
  const nav = page.getByRole('navigation');
  const entry = nav.getByRole('button', {name: label, exact: true});
  const menu = nav.getByRole('button', {expanded: false});
  await entry.or(menu).first().waitFor();
  if (!(await entry.isVisible())) await menu.click();
  await entry.click();
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
        await chooseSection(page, label);
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
  // A driver on a phone (360 × 740): the mail's link opened in a new tab, then each section
  // from „Menü"; the viewport as the driver sees it, where the portal has scrolled itself.
  {
    await demo.close();
    demo = await startDemo({port: 0});
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 360, height: 740},
      isMobile: true,
      hasTouch: true,
    });
    const asking = await context.newPage();
    await asking.goto(`${demo.url}/kundenportal`);
    await asking
      .locator('conroo-billing-portal input[type=email]')
      .first()
      .fill('firma@example.com');
    await asking.getByRole('button', {name: LABELS.de.request, exact: true}).first().click();
    await asking.getByRole('heading', {name: LABELS.de.checkMail}).waitFor();
    await demo.app.drain();
    const [mail] = await demo.outbox.messages({to: 'firma@example.com'});
    await asking.close();
    const page = await context.newPage();
    /** Until the page has stopped scrolling (the portal scrolls smoothly). */
    const scrolled = () =>
      page.waitForFunction(
        () =>
          new Promise((resolve) => {
            const before = window.scrollY;
            requestAnimationFrame(() =>
              requestAnimationFrame(() => resolve(window.scrollY === before)),
            );
          }),
      );
    await page.goto(mail.link!);
    await page.locator('conroo-overview [data-next-renewal]').waitFor();
    await scrolled();
    await shot(page, 'phone-de-360-overview', false);
    const nav = page.getByRole('navigation');
    await nav.getByRole('button', {expanded: false}).click();
    await nav.getByRole('button', {name: LABELS.de.overview, exact: true}).waitFor();
    await shot(page, 'phone-de-360-menu', false);
    await nav.getByRole('button', {expanded: true}).click();
    const firstCards = {
      'payment-methods': 'conroo-payment-methods [part~="item"]',
      'billing-shipping': 'conroo-billing-shipping [part~="card"]',
      invoices: 'conroo-invoices tbody tr',
    } as const;
    for (const [id, card] of Object.entries(firstCards)) {
      const label = LABELS.de.sections[id as keyof typeof firstCards];
      await chooseSection(page, label);
      await page.getByRole('heading', {name: label, exact: true}).waitFor();
      await page.locator(card).first().waitFor();
      await scrolled();
      await shot(page, `phone-de-360-${id}`, false);
    }
    await context.close();
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
