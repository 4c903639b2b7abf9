import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {describe, it} from 'node:test';
import {unzipSync} from 'fflate';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {accountingYearOf} from '../../common/accounting-year.js';
import type {Demo} from '../../demo/boot.js';
import {addCard, loginByMail, navigate, renew, shows, useDemo} from './flows.js';

const CARRIER = 'buchhaltung@spedition-nord.example';

/** The three drivers who give the carrier access; none had given any before. */
const JAN = {email: 'fahrer@example.com', name: 'Jan Kowalski', customerId: 'cus_demoFahrer'};
const SABINE = {email: 'paypal@example.com', name: 'Sabine Hoffmann', customerId: 'cus_demoPaypal'};
/** No Gate Pass and no payment method yet. */
const LENA = {email: 'ohne-abo@example.com', name: 'Lena Wagner', customerId: 'cus_demoOhneAbo'};
const DRIVERS = [JAN, SABINE, LENA];

/** What the carrier's company is called on the invoices after the bulk change. */
const COMPANY = 'Spedition Nord GmbH';

/**
 * Issue 15 („Spedition") as its users walk it, through the real server in demo mode: a driver
 * gives a carrier access, the carrier logs in from the grant mail, manages three drivers from
 * „Ihre Fahrer" (billing details at once, cards one by one, one ZIP for the year), the driver
 * ends the access, and the driver's mailbox tells of every change. The steps share one demo,
 * the driver's browser and the carrier's, and run in order.
 */
describe('carrier access („Spedition") from the grant to its end', () => {
  let demo: Demo;
  let browser: Browser;
  /** Jan's browser, logged in from the first step to the last. */
  let driver: Page;
  /** The carrier's browser. */
  let carrierContext: BrowserContext;
  let carrier: Page;
  useDemo({port: 0}, async (started) => {
    ({demo, browser} = started);
    driver = await (await browser.newContext({locale: 'de-DE'})).newPage();
    carrierContext = await browser.newContext({locale: 'de-DE', acceptDownloads: true});
    carrier = await carrierContext.newPage();
  });

  const fleet = () => carrier.locator('conroo-fleet');
  const row = (customerId: string) => fleet().locator(`[data-driver="${customerId}"]`);

  /** Gives the carrier access in „Spedition" as its owner does; the carrier's entry in the list. */
  async function giveAccess(page: Page) {
    await navigate(page, 'Spedition');
    const section = page.locator('conroo-carrier-access');
    await section.getByLabel('E-Mail-Adresse der Spedition').fill(CARRIER);
    await section.getByRole('button', {name: 'Zugriff geben'}).click();
    await shows(section, `${CARRIER} hat jetzt Zugriff.`);
    return section.locator(`[data-carrier="${CARRIER}"]`);
  }

  /** The mails in `to`'s outbox once the server sent what it had to send. */
  async function mailsTo(to: string) {
    await demo.app.drain();
    return demo.outbox.messages({to});
  }

  it('a driver gives the carrier access in „Spedition" and sees it listed since today', async () => {
    await loginByMail(driver, demo, JAN.email);
    const entry = await giveAccess(driver);
    const today = new Intl.DateTimeFormat('de-DE', {dateStyle: 'medium'}).format(new Date());
    await shows(entry, CARRIER);
    await shows(entry, `Zugriff seit ${today}`);
    assert.equal(await entry.getByRole('button', {name: 'Zugriff beenden'}).count(), 1);
  });

  it('the carrier follows the grant mail’s link and lands on that driver’s dashboard', async () => {
    const grant = (await mailsTo(CARRIER)).find((m) => m.subject.includes(JAN.name));
    assert.ok(grant, 'a grant mail to the carrier');
    assert.equal(
      grant.subject,
      `Fahrer ${JAN.name} hat Ihrer Spedition Zugriff auf seinen Gate Pass gegeben`,
    );
    assert.ok(grant.link, 'the grant mail carries a login link');

    await carrier.goto(grant.link);
    await carrier.getByRole('heading', {name: 'Übersicht'}).waitFor();
    await shows(carrier.getByRole('complementary'), CARRIER);
    // One driver is no fleet: no „Fahrer" in the sidebar.
    assert.equal(
      await carrier.getByRole('navigation').getByRole('button', {name: 'Fahrer'}).count(),
      0,
    );
    await navigate(carrier, 'Spedition');
    await carrier.getByRole('heading', {name: 'Ihr Zugriff als Spedition'}).waitFor();
    await shows(
      carrier.locator('conroo-carrier-access'),
      `Dieser Gate Pass gehört ${JAN.name} (${JAN.email}).`,
    );
  });

  it('with access from two more drivers, the carrier’s next visit opens „Ihre Fahrer"', async () => {
    for (const other of [SABINE, LENA]) {
      const context = await browser.newContext({locale: 'de-DE'});
      const page = await context.newPage();
      await loginByMail(page, demo, other.email);
      await shows(await giveAccess(page), CARRIER);
      await context.close();
    }

    await carrier.reload();
    await carrier.getByRole('heading', {name: 'Ihre Fahrer'}).waitFor();
    await shows(fleet(), 'Fahrer angezeigt: 3 von 3');
    for (const {customerId, name, email} of DRIVERS) {
      await shows(row(customerId).locator('.driver-name'), name);
      await shows(row(customerId), email);
    }
    // Lena has no payment method: her row offers one, and the fleet says why cards go one by one.
    await row(LENA.customerId)
      .getByRole('button', {name: 'Zahlungsmethode hinzufügen'})
      .waitFor({timeout: 5000});
    await shows(fleet(), /Deshalb geben Sie die Karte für jeden Fahrer einzeln ein/);
  });

  it('the carrier sets the company’s billing details for three drivers at once; each row keeps its driver', async () => {
    for (const {name} of DRIVERS) {
      await fleet()
        .getByRole('checkbox', {name: `${name} auswählen`})
        .check();
    }
    await shows(fleet(), 'Ausgewählt: 3');
    await fleet().getByRole('button', {name: 'Rechnungsdaten für Auswahl ändern'}).click();
    await carrier.locator('#field-name').fill(COMPANY);
    await carrier.locator('#field-address-line1').fill('Am Sandtorkai 1');
    await carrier.locator('#field-address-postalCode').fill('20457');
    await carrier.locator('#field-address-city').fill('Hamburg');
    await carrier.locator('#field-address-country').selectOption('DE');
    await carrier.locator('#field-taxId-value').fill('DE 345 678 912');
    await fleet().getByRole('button', {name: 'Speichern'}).click();

    await shows(fleet(), 'Rechnungsdaten: gespeichert 3, fehlgeschlagen 0');
    const rowsShowDriverAndCompany = async () => {
      for (const {customerId, name} of DRIVERS) {
        await shows(row(customerId).locator('.billing-name'), COMPANY);
        await shows(row(customerId), 'DE345678912');
        assert.equal(
          await row(customerId).locator('.driver-name').innerText(),
          name,
          'the row is named after the driver, not the company on the invoice',
        );
      }
    };
    for (const {customerId} of DRIVERS) {
      await shows(row(customerId).locator('[data-bulk="saved"]'), 'Gespeichert');
    }
    await rowsShowDriverAndCompany();
    // And as the server has them now, not only as the element applied its answer.
    await carrier.reload();
    await shows(fleet(), 'Fahrer angezeigt: 3 von 3');
    await rowsShowDriverAndCompany();
  });

  it('the carrier adds a card for a driver opened from the fleet, then for the next one without', async () => {
    await row(JAN.customerId).getByRole('button', {name: 'Öffnen'}).click();
    await carrier.getByRole('heading', {name: 'Übersicht'}).waitFor();
    await navigate(carrier, 'Zahlungsmethoden');
    const methods = carrier.locator('conroo-payment-methods');
    await addCard(carrier, '5555555555554444');
    await shows(methods, /ist jetzt Standard und wird für die nächste Verlängerung/);

    // „Weiter zum nächsten Fahrer ohne Zahlungsmethode" opens Lena's form at once.
    const next = carrier.locator('conroo-fleet-next-driver');
    await shows(next, /Als Nächstes ohne Zahlungsmethode: /);
    await next
      .getByRole('button', {name: 'Weiter zum nächsten Fahrer ohne Zahlungsmethode'})
      .click();
    await carrier.locator('#card-number').fill('4242424242424242');
    await carrier
      .locator('#card-expiry')
      .fill(`12/${String(new Date().getFullYear() + 2).slice(2)}`);
    await carrier.locator('#card-cvc').fill('123');
    await methods.getByRole('button', {name: 'Speichern'}).click();
    await shows(next, 'Alle Fahrer haben jetzt eine Zahlungsmethode.');

    await next.getByRole('button', {name: 'Zurück zur Fahrerliste'}).click();
    await carrier.getByRole('heading', {name: 'Ihre Fahrer'}).waitFor();
    await shows(row(JAN.customerId), /4444/);
    await shows(row(LENA.customerId), /4242/);
    assert.equal(
      await fleet().getByRole('button', {name: 'Zahlungsmethode hinzufügen'}).count(),
      0,
    );
  });

  it('the carrier downloads the year’s invoices of every driver as one ZIP', async () => {
    // A billing period starts for the two drivers with a Gate Pass (the demo's test clock):
    // this year's invoices, issued to the company.
    const renewed = [...(await renew(demo, JAN.email)), ...(await renew(demo, SABINE.email))];
    assert.equal(renewed.length, 2);

    const year = accountingYearOf(Math.floor(Date.now() / 1000));
    const exportCard = carrier.locator('conroo-fleet-export');
    await exportCard.getByLabel('Jahr', {exact: true}).selectOption(String(year));
    const link = exportCard.getByRole('link', {
      name: `Rechnungen ${year} aller Fahrer herunterladen`,
    });
    const [download] = await Promise.all([carrier.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), `CONROO-Rechnungen-Flotte-${year}.zip`);
    const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
    const names = Object.keys(entries);

    // A folder per driver, named after the driver.
    const folders = names.filter((n) => n.endsWith('/')).map((n) => n.slice(0, -1));
    assert.equal(folders.length, DRIVERS.length, `one folder per driver: ${folders.join(', ')}`);
    for (const {name} of DRIVERS) {
      assert.ok(
        folders.some((folder) => folder.startsWith(`${name} (`)),
        `a folder for ${name} among ${folders.join(', ')}`,
      );
    }

    // One CSV whose first column says whose invoice a row is: that driver's folder.
    const csv = Buffer.from(entries[`Rechnungen-${year}.csv`]);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const [header, ...lines] = csv.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    assert.equal(
      header,
      'Fahrer;Rechnungsnummer;Datum;Zeitraum;Netto;Steuer;Brutto;Währung;Status;Empfänger;USt-IdNr.',
    );
    const rows = lines.map((line) => line.split(';'));
    for (const [folder, number] of rows) {
      assert.ok(folders.includes(folder), `${folder} is a driver's folder`);
      assert.ok(names.includes(`${folder}/CONROO-Rechnung-${number}.pdf`), `${number}'s PDF`);
    }
    for (const invoice of renewed) {
      const found = rows.find(([, number]) => number === invoice.number);
      assert.ok(found, `the renewal's invoice ${invoice.number} is listed`);
      assert.equal(found[9], COMPANY, 'issued to the company');
      assert.equal(found[10], 'DE345678912');
    }
    const lena = folders.find((folder) => folder.startsWith(`${LENA.name} (`));
    assert.ok(!rows.some(([folder]) => folder === lena), 'Lena has no invoices: an empty folder');
  });

  it('the driver ends the access, and the carrier’s open session loses that driver at its next request', async () => {
    // The carrier has Jan's dashboard open when the access ends.
    await row(JAN.customerId).getByRole('button', {name: 'Öffnen'}).click();
    await carrier.getByRole('heading', {name: 'Übersicht'}).waitFor();

    const access = driver.locator('conroo-carrier-access');
    const entry = access.locator(`[data-carrier="${CARRIER}"]`);
    await entry.getByRole('button', {name: 'Zugriff beenden'}).click();
    await shows(entry, `Möchten Sie den Zugriff von ${CARRIER} wirklich beenden?`);
    await entry.getByRole('button', {name: 'Zugriff beenden'}).click();
    await shows(access, `Der Zugriff von ${CARRIER} ist beendet.`);
    await shows(access, 'Noch keine Spedition hat Zugriff auf diesen Gate Pass.');

    // The carrier's next request for Jan's data is refused, and nothing of Jan shows.
    const [invoices] = await Promise.all([
      carrier.waitForResponse((r) => new URL(r.url()).pathname === '/api/invoices'),
      navigate(carrier, 'Rechnungen'),
    ]);
    assert.equal(invoices.status(), 404);
    await shows(carrier.locator('conroo-invoices'), 'Die Daten konnten nicht geladen werden.');

    // Loaded again, the session holds the two other drivers only.
    await carrier.reload();
    await carrier.getByRole('heading', {name: 'Ihre Fahrer'}).waitFor();
    await shows(fleet(), 'Fahrer angezeigt: 2 von 2');
    assert.equal(await row(JAN.customerId).count(), 0);
    await row(SABINE.customerId).waitFor();
    await row(LENA.customerId).waitFor();
    // Nor does the account switcher offer Jan any more (by ID: names may be the company's).
    const accounts = await carrier
      .locator('conroo-dashboard')
      .getByRole('combobox', {name: 'Konto'})
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    assert.deepEqual(accounts.sort(), [SABINE.customerId, LENA.customerId].sort());
  });

  it('the driver is mailed about every change made with the access, and about the access itself', async () => {
    const notices = (await mailsTo(JAN.email)).filter(
      (m) => m.subject === 'Änderung an Ihrem Gate Pass',
    );
    const changes = [
      {what: `Zugriff für die Spedition ${CARRIER} gegeben`, by: JAN.email},
      {what: 'Rechnungs- und Versanddaten geändert', by: CARRIER},
      {what: 'Zahlungsmethode hinzugefügt: Mastercard •••• 4444', by: CARRIER},
      {what: `Zugriff der Spedition ${CARRIER} beendet`, by: JAN.email},
    ];
    assert.equal(
      notices.length,
      changes.length,
      `one notice per change: ${notices.map((m) => m.text).join('\n---\n')}`,
    );
    for (const {what, by} of changes) {
      const notice = notices.find((m) => m.text.split('\n').includes(what));
      assert.ok(notice, `a notice „${what}"`);
      assert.match(
        notice.text,
        /im CONROO-Kundenportal wurde an Ihrem Gate Pass Folgendes geändert/,
      );
      assert.ok(
        notice.text.split('\n').includes(`Geändert von: ${by}`),
        `by ${by}: ${notice.text}`,
      );
      assert.match(notice.text, /Zeitpunkt: \d{1,2}\. \S+ \d{4} um \d{2}:\d{2}/);
      assert.ok(notice.html.includes(what.replace(/&/g, '&amp;')), 'the HTML part says it too');
    }

    // The other two drivers hear of the billing details, Lena also of her card.
    for (const {email} of [SABINE, LENA]) {
      const texts = (await mailsTo(email)).map((m) => m.text);
      assert.ok(
        texts.some((t) => t.includes('Rechnungs- und Versanddaten geändert')),
        `${email}: billing details`,
      );
    }
    assert.ok(
      (await mailsTo(LENA.email)).some((m) =>
        m.text.includes('Zahlungsmethode hinzugefügt: Visa •••• 4242'),
      ),
      'Lena: her card',
    );
  });
});
