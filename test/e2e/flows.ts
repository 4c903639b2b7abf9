import {after, before} from 'node:test';
import type {Browser, Locator, Page} from 'playwright-core';
import {startDemo, type Demo} from '../../demo/boot.js';
import {launchChromium} from './browser.js';

/**
 * Starts a demo server (`options` as for `startDemo`) and Chromium before the suite's tests,
 * hands both to `ready` (which may set up more, e.g. a logged-in page), and closes both after.
 */
export function useDemo(
  options: Parameters<typeof startDemo>[0],
  ready: (started: {demo: Demo; browser: Browser}) => unknown,
) {
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  before(async () => {
    demo = await startDemo(options);
    browser = await launchChromium();
    await ready({demo, browser});
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });
}

/** Waits until the element (shadow DOM included) shows the text; fails after 5 s. */
export const shows = (within: Locator | Page, text: string | RegExp) =>
  within.getByText(text).first().waitFor({timeout: 5000});

/**
 * Clicks an entry of the sidebar; in a narrow portal (a phone), where the sections sit behind
 * „Menü", it opens the menu first, as a user does.
 */
export async function navigate(page: Page, name: string) {
  const nav = page.getByRole('navigation');
  const entry = nav.getByRole('button', {name, exact: true});
  const menu = nav.getByRole('button', {expanded: false});
  await entry.or(menu).first().waitFor({timeout: 5000});
  if (!(await entry.isVisible())) await menu.click();
  await entry.click();
}

/** Asks for a link on the page, as a driver does. */
export async function askForLink(page: Page, email: string) {
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByRole('button', {name: 'Link anfordern'}).click();
  await page.getByRole('heading', {name: 'Prüfen Sie Ihr Postfach'}).waitFor();
}

/**
 * Logs in on the demo page at `path` by asking for a link and following the mail's link in this
 * browser; the mail that was followed.
 */
export async function loginByMail(page: Page, demo: Demo, email: string, path = '/kundenportal') {
  await page.goto(`${demo.pagesUrl}${path}`);
  if (path === '/') await page.locator('.support-button').click();
  await askForLink(page, email);
  await demo.app.drain();
  const mail = (await demo.outbox.messages()).find((m) => m.to === email)!;
  const link = new URL(mail.link!);
  link.pathname = path;
  await page.goto(link.toString());
  // The dashboard, whichever section it opens with.
  await page.getByRole('button', {name: 'Abmelden'}).waitFor();
  return mail;
}

/**
 * Starts the next billing period of `email`'s Gate Pass (the demo's /dev/renew); its invoices.
 * From Node, so only for a demo on `localhost`: Node does not resolve `*.localhost` names.
 */
export async function renew(
  demo: Demo,
  email: string,
): Promise<Array<{id: string; number: string}>> {
  const renewed = await fetch(`${demo.url}/dev/renew`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({email}),
  });
  return ((await renewed.json()) as {invoices: Array<{id: string; number: string}>}).invoices;
}

/**
 * Opens „Zahlungsmethode hinzufügen" in „Zahlungsmethoden" and saves the demo payment form with
 * the card `number` (a valid expiry and CVC).
 */
export async function addCard(page: Page, number: string) {
  await page
    .locator('conroo-payment-methods')
    .getByRole('button', {name: 'Zahlungsmethode hinzufügen'})
    .click();
  await page.locator('#card-number').fill(number);
  await page.locator('#card-expiry').fill(`12/${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.locator('#card-cvc').fill('123');
  await page.getByRole('button', {name: 'Speichern'}).click();
}
