import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {after, before, describe, it} from 'node:test';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {serveDemoPages, startDemo, type Demo, type DemoPages} from '../../demo/boot.js';
import {launchChromium, recordWire} from './browser.js';
import {addCard, loginByMail, navigate, shows, useDemo} from './flows.js';

const originOf = (url: string) => new URL(url).origin;
const SESSION_COOKIE = '__Host-conroo_session';

/**
 * Issue 6, "Embeds anywhere": the page on one origin, the API on another origin of the same
 * site — as CONROO runs it, www.conroo.com and billing.conroo.com — here
 * `www.conroo.localhost` and `billing.conroo.localhost`, through the demo's cross-origin mode.
 */
describe('the element on www., the API on billing. of the same site', () => {
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  useDemo({port: 0, pages: {}}, async (started) => {
    ({demo, browser} = started);
    context = await browser.newContext({locale: 'de-DE', acceptDownloads: true});
    page = await context.newPage();
  });

  it('logs in by the mail link, which opens the page origin; the session cookie stays with the API', async () => {
    const pageOrigin = originOf(demo.pagesUrl);
    assert.notEqual(pageOrigin, originOf(demo.url));
    const exchange = page.waitForResponse(
      (r) => r.url() === `${demo.url}/api/auth/session` && r.request().method() === 'POST',
    );
    const mail = await loginByMail(page, demo, 'fahrer@example.com');
    assert.equal(originOf(mail.link!), pageOrigin, 'the mail links the page, not the API');
    assert.equal(originOf(page.url()), pageOrigin);
    await page.getByRole('heading', {name: 'Übersicht'}).waitFor();
    await shows(page.locator('conroo-overview'), /4242/);

    // CORS: the page's origin echoed, with credentials, and caches told that it varies.
    const answer = await exchange;
    const headers = await answer.allHeaders();
    assert.equal(await answer.request().headerValue('origin'), pageOrigin);
    assert.equal(headers['access-control-allow-origin'], pageOrigin);
    assert.equal(headers['access-control-allow-credentials'], 'true');
    assert.match(headers.vary ?? '', /\bOrigin\b/i);

    // The cookie: `__Host-` (so no Domain: only billing. ever gets it), HttpOnly, Secure, Lax.
    const setCookie = headers['set-cookie'] ?? '';
    assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=[^;]+`));
    for (const attribute of [/;\s*HttpOnly/i, /;\s*Secure/i, /;\s*SameSite=Lax/i, /;\s*Path=\//]) {
      assert.match(setCookie, attribute);
    }
    assert.doesNotMatch(setCookie, /;\s*Domain=/i);
    assert.deepEqual(
      (await context.cookies()).map(({name, domain, httpOnly, secure, sameSite}) => ({
        name,
        domain,
        httpOnly,
        secure,
        sameSite,
      })),
      [
        {
          name: SESSION_COOKIE,
          domain: new URL(demo.url).hostname,
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
        },
      ],
    );
    assert.deepEqual(await context.cookies(demo.pagesUrl), [], 'no cookie on the page origin');
    assert.equal(await page.evaluate(() => document.cookie), '', 'the page cannot read it');
  });

  it('saves „Rechnung und Versand" with a preflighted PUT from the page origin', async () => {
    await navigate(page, 'Rechnung und Versand');
    const section = page.locator('conroo-billing-shipping');
    await section.getByRole('button', {name: 'Informationen aktualisieren'}).click();
    await page.locator('#field-name').fill('Spedition Nordlicht GmbH');
    const saved = page.waitForResponse(
      (r) => r.url() === `${demo.url}/api/billing-details` && r.request().method() === 'PUT',
    );
    await section.getByRole('button', {name: 'Speichern'}).click();
    await shows(section, 'Ihre Rechnungsdaten wurden gespeichert.');
    await shows(section, 'Spedition Nordlicht GmbH');
    const answer = await saved;
    assert.equal(answer.status(), 200);
    assert.equal(await answer.headerValue('access-control-allow-origin'), originOf(demo.pagesUrl));
  });

  it("adds a card with 3-D Secure and PayPal through the Stripe.js stand-in of the API's origin", async () => {
    await navigate(page, 'Zahlungsmethoden');
    await addCard(page, '4000002500003155');
    // Like Stripe.js from js.stripe.com: the script comes from the API's origin, not the page's.
    const scripts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLScriptElement>('script[src*="stripe"]')].map((s) => s.src),
    );
    assert.deepEqual(scripts, [`${demo.url}/dev/stripe/js/stripe.js`]);
    const challenge = page.getByRole('dialog', {name: '3-D Secure-Bestätigung (Demo)'});
    await challenge.getByRole('button', {name: 'Authentifizierung abschließen'}).click();
    const section = page.locator('conroo-payment-methods');
    await shows(section, /ist jetzt Standard/);
    await shows(section, /3155/);

    await section.getByRole('button', {name: 'Zahlungsmethode hinzufügen'}).click();
    await page.getByRole('tab', {name: 'PayPal'}).click();
    await section.getByRole('button', {name: 'Speichern'}).click();
    await page.getByRole('heading', {name: /PayPal/}).waitFor();
    // Like PayPal's page: the approval is the API origin's /dev/stripe, not the page's.
    assert.equal(originOf(page.url()), originOf(demo.url));
    await page.getByRole('button', {name: /Bestätigen/}).click();
    await shows(section, /ist jetzt Standard/);
    assert.equal(originOf(page.url()), originOf(demo.pagesUrl), 'back on the page');
    await shows(section, /PayPal/);
  });

  it('downloads an invoice PDF from the API origin', async () => {
    await navigate(page, 'Rechnungen');
    const link = page
      .locator('conroo-invoices')
      .getByRole('link', {name: /^Rechnung (CONROO-\d{4}-\d{4}) als PDF herunterladen$/})
      .first();
    const number = /CONROO-\d{4}-\d{4}/.exec((await link.getAttribute('aria-label'))!)![0];
    assert.equal(originOf((await link.getAttribute('href'))!), originOf(demo.url));
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `CONROO-Rechnung-${number}.pdf`);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
  });

  it('„Abmelden" ends the session: the cookie is gone and a reload shows the login form', async () => {
    await page.getByRole('button', {name: 'Abmelden'}).click();
    await page.getByLabel('E-Mail-Adresse').waitFor();
    assert.deepEqual(await context.cookies(), []);
    await page.reload();
    await page.getByLabel('E-Mail-Adresse').waitFor();
  });
});

/**
 * Copies of the demo page with the same `api-base` on origins that ALLOWED_ORIGINS does not
 * name, in the browser of a driver who is logged in on the real one.
 */
describe('a copy of the page on an origin that is not allowed', () => {
  let demo: Demo;
  let otherSite: DemoPages;
  let sibling: DemoPages;
  let browser: Browser;
  let context: BrowserContext;
  let driver: Page;
  before(async () => {
    demo = await startDemo({port: 0, pages: {}});
    otherSite = await serveDemoPages({apiBase: demo.url, hostname: 'evil.localhost'});
    // Same site as the portal (say, a forgotten sub-domain): SameSite=Lax lets the cookie go.
    sibling = await serveDemoPages({apiBase: demo.url, hostname: 'shop.conroo.localhost'});
    browser = await launchChromium();
    context = await browser.newContext({locale: 'de-DE'});
    driver = await context.newPage();
    await loginByMail(driver, demo, 'fahrer@example.com');
  });
  after(async () => {
    await browser?.close();
    await otherSite?.close();
    await sibling?.close();
    await demo?.close();
  });

  /**
   * Opens the copy at `url` and, from it, reads the session and asks for a SetupIntent (a
   * write) — as JSON like the element, and as a simple request that needs no preflight. What
   * the page got, and what went over the wire. With `cookie`, every request of the copy carries
   * that Cookie header, whatever the browser's cookie rules say.
   */
  async function fromCopyAt(url: string, cookie?: string) {
    const copy = await context.newPage();
    const wire = await recordWire(copy);
    if (cookie) await copy.setExtraHTTPHeaders({cookie});
    await copy.goto(`${url}/kundenportal`);
    // The copied element cannot read the session: to it the server is unreachable.
    await shows(copy, 'Keine Verbindung zum Server');
    assert.equal(await copy.getByRole('button', {name: 'Abmelden'}).count(), 0);
    const write = `${demo.url}/api/payment-methods/setup-intents`;
    const requests: Record<string, [string, RequestInit]> = {
      read: [`${demo.url}/api/session`, {credentials: 'include'}],
      json: [
        write,
        {
          method: 'POST',
          credentials: 'include',
          headers: {'content-type': 'application/json'},
          body: '{}',
        },
      ],
      simple: [
        write,
        {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          headers: {'content-type': 'text/plain'},
          body: '{}',
        },
      ],
    };
    // In the page, one after the other: its answer's status, or the error's name.
    const seen: Record<string, string> = {};
    for (const [name, [target, init]] of Object.entries(requests)) {
      seen[name] = await copy.evaluate(
        ([target, init]) =>
          fetch(target, init).then(
            (r) => `answered ${r.status}`,
            (e: Error) => e.name,
          ),
        [target, init] as const,
      );
    }
    const read = await wire.answered('GET', `${demo.url}/api/session`);
    const written = await wire.answered('POST', write);
    const writesAnswered = wire
      .exchanges()
      .filter((e) => e.method === 'POST' && e.url === write && e.status !== undefined);
    await copy.close();
    return {seen, read, written, writesAnswered};
  }

  /** The driver's own page still has the session: nothing was taken or ended. */
  async function driverStillLoggedIn() {
    await driver.reload();
    await driver.getByRole('heading', {name: 'Übersicht'}).waitFor();
  }

  it('another origin of the same site gets the cookie, yet cannot read the session and its write is refused with 403', async () => {
    const {seen, read, written, writesAnswered} = await fromCopyAt(sibling.url);
    // The page gets nothing: CORS stops the read and the JSON write, and the simple write's
    // answer is not the page's to see (Cross-Origin-Resource-Policy).
    assert.deepEqual(seen, {read: 'TypeError', json: 'TypeError', simple: 'TypeError'});
    assert.match(read.requestHeaders.cookie ?? '', new RegExp(`${SESSION_COOKIE}=`));
    assert.equal(read.requestHeaders['sec-fetch-site'], 'same-site');
    // The server answered with the session, but without Access-Control-Allow-Origin.
    assert.equal(read.status, 200);
    assert.equal(read.responseHeaders['access-control-allow-origin'], undefined);
    // The JSON write never left the browser (its preflight was not allowed); the simple one
    // carried the cookie and was refused for its Origin.
    assert.equal(writesAnswered.length, 1);
    assert.equal(written.requestHeaders['content-type'], 'text/plain');
    assert.match(written.requestHeaders.cookie ?? '', new RegExp(`${SESSION_COOKIE}=`));
    assert.equal(written.requestHeaders.origin, originOf(sibling.url));
    assert.equal(written.status, 403);
    await driverStillLoggedIn();
  });

  it('another site cannot read the session, and its write is refused with 403 even with the cookie', async () => {
    // The browser keeps the cookie off another site's requests (SameSite=Lax; Chromium also
    // blocks third-party cookies). To show the server's own defences, the copy's requests carry
    // it anyway, as a browser without either rule would send it.
    const session = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
    const {seen, read, written, writesAnswered} = await fromCopyAt(
      otherSite.url,
      `${session.name}=${session.value}`,
    );

    assert.deepEqual(seen, {read: 'TypeError', json: 'TypeError', simple: 'TypeError'});
    assert.match(read.requestHeaders.cookie ?? '', new RegExp(`${SESSION_COOKIE}=`));
    assert.equal(read.requestHeaders['sec-fetch-site'], 'cross-site');
    // The server answered with the session, but without Access-Control-Allow-Origin.
    assert.equal(read.status, 200);
    assert.equal(read.responseHeaders['access-control-allow-origin'], undefined);
    assert.equal(writesAnswered.length, 1);
    assert.match(written.requestHeaders.cookie ?? '', new RegExp(`${SESSION_COOKIE}=`));
    assert.equal(written.requestHeaders['sec-fetch-site'], 'cross-site');
    assert.equal(written.status, 403);
    await driverStillLoggedIn();
  });
});
