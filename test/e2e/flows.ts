import type {Locator, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';

/** Waits until the element (shadow DOM included) shows the text; fails after 5 s. */
export const shows = (within: Locator | Page, text: string | RegExp) =>
  within.getByText(text).first().waitFor({timeout: 5000});

/** Clicks an entry of the sidebar. */
export const navigate = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('button', {name, exact: true}).click();

/** Asks for a link on the page, as a driver does. */
export async function askForLink(page: Page, email: string) {
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByRole('button', {name: 'Link anfordern'}).click();
  await page.getByRole('heading', {name: 'Prüfen Sie Ihr Postfach'}).waitFor();
}

/** Logs in on `path` by asking for a link and following the mail's link in this browser. */
export async function loginByMail(page: Page, demo: Demo, email: string, path = '/kundenportal') {
  await page.goto(`${demo.url}${path}`);
  if (path === '/') await page.locator('.support-button').click();
  await askForLink(page, email);
  await demo.app.drain();
  const mail = (await demo.outbox.messages()).find((m) => m.to === email)!;
  const link = new URL(mail.link!);
  link.pathname = path;
  await page.goto(link.toString());
  // The dashboard, whichever section it opens with.
  await page.getByRole('button', {name: 'Abmelden'}).waitFor();
}

/** Starts the next billing period of `email`'s Gate Pass (the demo's /dev/renew); its invoices. */
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
