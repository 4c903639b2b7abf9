import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {addCard, loginByMail, navigate, shows, useDemo} from './flows.js';

/**
 * „Zahlungsmethoden" as a driver uses it, inline on /kundenportal and in the dialog on /: the
 * production adapter (`@stripe/stripe-js`'s `loadStripe`, `confirmSetup`, `retrieveSetupIntent`)
 * on the emulator's Stripe.js stand-in, against the emulator's real SetupIntents.
 */
for (const {where, path} of [
  {where: 'inline', path: '/kundenportal'},
  {where: 'in the dialog', path: '/'},
]) {
  describe(`„Zahlungsmethoden" ${where}`, () => {
    let demo: Demo;
    let browser: Browser;
    let page: Page;
    useDemo({port: 0}, async (started) => {
      ({demo, browser} = started);
      page = await (await browser.newContext({locale: 'de-DE'})).newPage();
      await loginByMail(page, demo, 'fahrer@example.com', path);
      await navigate(page, 'Zahlungsmethoden');
    });

    const section = () => page.locator('conroo-payment-methods');
    const openForm = async () => {
      await section().getByRole('button', {name: 'Zahlungsmethode hinzufügen'}).click();
      await page.locator('#card-number').waitFor();
    };
    const defaultMethod = async () =>
      (
        await (
          await fetch(`${demo.url}/api/payment-methods`, {headers: await cookieHeader()})
        ).json()
      ).paymentMethods.find((m: any) => m.isDefault);
    const cookieHeader = async () => ({
      cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; '),
    });

    it('shows the Visa card as default', async () => {
      await shows(section(), /Visa/);
      await shows(section(), 'Standard');
    });

    it('opens the form on the Stripe.js stand-in that the API origin serves, through @stripe/stripe-js', async () => {
      await openForm();
      const loaded = await page.evaluate(() => ({
        scripts: [...document.querySelectorAll<HTMLScriptElement>('script[src*="stripe"]')].map(
          (script) => script.src,
        ),
        version: (window as {Stripe?: {version?: string}}).Stripe?.version,
      }));
      assert.deepEqual(loaded.scripts, [`${demo.url}/dev/stripe/js/stripe.js`]);
      assert.equal(loaded.version, 'endive', 'the release train @stripe/stripe-js expects');
      await shows(page, 'Demo-Zahlungsformular – es wird kein echtes Geld bewegt');
      await section().getByRole('button', {name: 'Abbrechen'}).click();
    });

    it('keeps the old default when a card is declined, and says why', async () => {
      const before = await defaultMethod();
      await addCard(page, '4000000000000002');
      await shows(section(), /Die Karte wurde abgelehnt/);
      assert.equal(
        await page.locator('#card-number').inputValue(),
        '4000000000000002',
        'typed value kept',
      );
      assert.equal((await defaultMethod()).id, before.id);
      await section().getByRole('button', {name: 'Abbrechen'}).click();
    });

    it('adds a Mastercard that becomes the default for the next renewal', async () => {
      await addCard(page, '5555555555554444');
      await shows(section(), /ist jetzt Standard und wird für die nächste Verlängerung/);
      const current = await defaultMethod();
      assert.equal(current.card.last4, '4444');
      await navigate(page, 'Übersicht');
      await shows(page.locator('conroo-overview'), /4444/);
      await navigate(page, 'Zahlungsmethoden');
    });

    it('keeps everything as it was when the 3-D Secure challenge fails, and says so', async () => {
      const before = await defaultMethod();
      await addCard(page, '4000002500003155');
      const challenge = page.getByRole('dialog', {name: '3-D Secure-Bestätigung (Demo)'});
      await challenge.getByRole('button', {name: 'Authentifizierung fehlschlagen lassen'}).click();
      await shows(section(), /Die Bestätigung der Zahlungsmethode ist fehlgeschlagen/);
      assert.equal(await challenge.count(), 0, 'the modal is gone');
      assert.equal((await defaultMethod()).id, before.id);
      await section().getByRole('button', {name: 'Abbrechen'}).click();
    });

    it('adds a card once the 3-D Secure challenge over the page is completed', async () => {
      await addCard(page, '4000002500003155');
      const challenge = page.getByRole('dialog', {name: '3-D Secure-Bestätigung (Demo)'});
      await challenge.getByText('•••• 3155').waitFor();
      const url = page.url();
      await challenge.getByRole('button', {name: 'Authentifizierung abschließen'}).click();
      await shows(section(), /ist jetzt Standard/);
      assert.equal(page.url(), url, 'the page never left');
      assert.equal((await defaultMethod()).card.last4, '3155');
    });

    it('says a card is still being checked while its setup is processing, and changes nothing', async () => {
      const before = await defaultMethod();
      demo.emulator!.state.holdSetupsInProcessing = 1;
      await addCard(page, '4242424242424242');
      await shows(section(), /Die Zahlungsmethode wird noch geprüft/);
      assert.equal((await defaultMethod()).id, before.id);
      // Nothing left to fill in: the form has closed, as after a return from PayPal.
      assert.equal(await section().locator('[part~="add-form"]').count(), 0);
    });

    it('keeps everything as it was when PayPal is cancelled', async () => {
      const before = await defaultMethod();
      await openForm();
      await page.getByRole('tab', {name: 'PayPal'}).click();
      await page.getByRole('button', {name: 'Speichern'}).click();
      await page.getByRole('heading', {name: /PayPal/}).waitFor();
      await page.getByRole('button', {name: /Abbrechen/}).click();
      await shows(section(), /Die Freigabe bei PayPal wurde abgebrochen/);
      assert.equal((await defaultMethod()).id, before.id);
    });

    it('adds PayPal through the approval page and back, reading the SetupIntent with Stripe.js', async () => {
      await openForm();
      await page.getByRole('tab', {name: 'PayPal'}).click();
      await page.getByRole('button', {name: 'Speichern'}).click();
      const retrieved = page.waitForRequest(
        (request) => request.method() === 'GET' && /\/v1\/setup_intents\/seti_/.test(request.url()),
      );
      await page.getByRole('button', {name: /Bestätigen/}).click();
      await shows(section(), /ist jetzt Standard/);
      assert.match((await retrieved).url(), /client_secret=seti_.+_secret_/);
      assert.equal((await defaultMethod()).type, 'paypal');
      assert.ok(!page.url().includes('redirect_status'));
    });

    it('makes the Visa card the default again', async () => {
      const visa = section().locator('li', {hasText: 'Visa'}).first();
      await visa.getByRole('button', {name: 'Als Standard festlegen'}).click();
      await shows(section(), /ist jetzt Ihre Standard-Zahlungsmethode/);
      assert.equal((await defaultMethod()).card.brand, 'visa');
    });

    it('explains why the default cannot be removed, and removes another method after confirming', async () => {
      const visa = section().locator('li', {hasText: 'Visa'}).first();
      await visa.getByRole('button', {name: 'Entfernen'}).click();
      await page.locator('[data-action="confirm-remove"]').click();
      await shows(
        section(),
        /bezahlt Ihren laufenden Gate Pass und kann deshalb nicht entfernt werden/,
      );
      const count = async () =>
        (
          await (
            await fetch(`${demo.url}/api/payment-methods`, {headers: await cookieHeader()})
          ).json()
        ).paymentMethods.length;
      const before = await count();
      const paypal = section().locator('li', {hasText: 'PayPal'}).first();
      await paypal.getByRole('button', {name: 'Entfernen'}).click();
      await page.locator('[data-action="confirm-remove"]').click();
      await shows(section(), /wurde entfernt/);
      assert.equal(await count(), before - 1);
    });
  });
}
