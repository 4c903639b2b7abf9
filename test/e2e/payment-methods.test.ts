import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {addCard, loginByMail, navigate, shows, useDemo} from './flows.js';

/** „Zahlungsmethoden" as a driver uses it, inline on /kundenportal and in the dialog on /. */
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

    it('adds a card after the 3-D Secure challenge and comes back to the section', async () => {
      await addCard(page, '4000002500003155');
      await page.getByRole('heading', {name: /3-D Secure/}).waitFor();
      await page.getByRole('button', {name: /Bestätigen/}).click();
      await shows(section(), /ist jetzt Standard/);
      assert.ok(
        !page.url().includes('setup_intent'),
        'the return parameters leave the address bar',
      );
      assert.equal((await defaultMethod()).card.last4, '3155');
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

    it('adds PayPal through the approval page and back', async () => {
      await openForm();
      await page.getByRole('tab', {name: 'PayPal'}).click();
      await page.getByRole('button', {name: 'Speichern'}).click();
      await page.getByRole('button', {name: /Bestätigen/}).click();
      await shows(section(), /ist jetzt Standard/);
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
