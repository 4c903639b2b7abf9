import {expect} from '@open-wc/testing';
import {http} from 'msw';
import '../../widget/index.js';
import {MAX_CARRIERS} from '../../common/contract.js';
import type {ConrooCarrierAccess} from '../../widget/sections/conroo-carrier-access.js';
import {buttonNamed, find, findAll, textOf, waitForElement, waitForText} from './support/dom.js';
import {grantsOf} from './support/carrier-api-mock.js';
import {
  apiError,
  requestsTo,
  resetMockApi,
  signInAs,
  startMockApi,
  worker,
} from './support/portal-api-mock.js';
import {collect, mountPortal, openSection} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

async function openCarrierAccess(email: string) {
  signInAs(email);
  const portal = await mountPortal();
  await openSection(portal, 'Spedition');
  const section = await waitForElement<ConrooCarrierAccess>(portal, 'conroo-carrier-access');
  await waitUntil(
    () => find(section, '[part~="card"]') && !find(section, '[part~="loading"]'),
    '„Spedition" loaded',
  );
  return {portal, section};
}

async function grant(section: Element, email: string) {
  const input = find<HTMLInputElement>(section, '#carrier-email')!;
  input.value = email;
  input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  await (section as ConrooCarrierAccess).updateComplete;
  buttonNamed(section, 'Zugriff geben')!.click();
}

const carriers = (section: Element) =>
  findAll(section, '[part~="item"]').map((item) => item.dataset.carrier);

const since = (seconds: number) =>
  `Zugriff seit ${new Intl.DateTimeFormat('de-DE', {dateStyle: 'medium'}).format(seconds * 1000)}`;

describe('<conroo-carrier-access> („Spedition")', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  describe('for the owner of the Gate Pass', () => {
    it('explains the access and lists who has it since when', async () => {
      const {portal, section} = await openCarrierAccess('fahrer@example.com');
      expect(find(portal, '[part~="content"] > h2')!.textContent?.trim()).to.equal(
        'Zugriff für Ihre Spedition',
      );
      expect(textOf(section)).to.include(
        'Sie kann diesen Gate Pass dann mit ihrer eigenen E-Mail-Adresse verwalten – Zahlungsmethode, Rechnungsdaten und Rechnungen. Sie erhalten bei jeder Änderung eine E-Mail.',
      );
      expect(carriers(section)).to.deep.equal(['spedition@example.com']);
      const grantedAt = grantsOf('cus_fahrer')[0].grantedAt;
      expect(textOf(find(section, '[part~="item"]')!)).to.include(
        `spedition@example.com ${since(grantedAt)}`,
      );
      expect(requestsTo('GET', '/api/carrier-access')).to.have.length(1);
    });

    it('gives a carrier access with its address and says the carrier got a mail', async () => {
      const {portal, section} = await openCarrierAccess('fahrer@example.com');
      const granted = collect<{email: string}>(portal, 'conroo-carrier-access-granted');
      await grant(section, '  Dispo@Nord-Logistik.example ');
      await waitForText(
        section,
        'dispo@nord-logistik.example hat jetzt Zugriff. Wir haben der Spedition eine E-Mail mit einem Anmeldelink geschickt.',
      );
      // The carrier's mail in the element's language.
      expect(requestsTo('POST', '/api/carrier-access')[0].body).to.deep.equal({
        email: 'Dispo@Nord-Logistik.example',
        locale: 'de',
      });
      expect(carriers(section)).to.deep.equal([
        'spedition@example.com',
        'dispo@nord-logistik.example',
      ]);
      expect(find<HTMLInputElement>(section, '#carrier-email')!.value).to.equal('');
      expect(granted.map((detail) => detail.email)).to.deep.equal(['dispo@nord-logistik.example']);
      await waitUntil(() => find(section, '[part~="notice"]')!.matches(':focus'));
    });

    const fieldErrors: Array<[string, string, string]> = [
      ['invalid_email', 'dispo@nord', 'Bitte geben Sie eine gültige E-Mail-Adresse ein.'],
      [
        'already_granted',
        'spedition@example.com',
        'Diese Spedition hat bereits Zugriff auf diesen Gate Pass. Wir haben ihr den Anmeldelink noch einmal geschickt.',
      ],
      [
        'own_address',
        'fahrer@example.com',
        'Das ist die E-Mail-Adresse dieses Gate Passes. Bitte geben Sie die Adresse Ihrer Spedition ein.',
      ],
    ];
    for (const [code, email, text] of fieldErrors) {
      it(`says ${code} at the address field`, async () => {
        const {section} = await openCarrierAccess('fahrer@example.com');
        await grant(section, email);
        await waitForText(section, text);
        const input = find<HTMLInputElement>(section, '#carrier-email')!;
        expect(input.getAttribute('aria-invalid')).to.equal('true');
        expect(input.getAttribute('aria-describedby')).to.include('carrier-email-error');
        expect(input.value).to.equal(email);
        await waitUntil(() => input.matches(':focus'));
        // Given meanwhile, or an answer lost: the list is read again and shows it.
        if (code === 'already_granted') {
          await waitUntil(() => requestsTo('GET', '/api/carrier-access').length === 2);
          expect(carriers(section)).to.deep.equal(['spedition@example.com']);
        } else {
          expect(requestsTo('GET', '/api/carrier-access')).to.have.length(1);
        }
      });
    }

    it('asks for an address without calling the server when the field is empty', async () => {
      const {section} = await openCarrierAccess('fahrer@example.com');
      await grant(section, ' ');
      await waitForText(section, 'Bitte geben Sie die E-Mail-Adresse Ihrer Spedition ein.');
      expect(requestsTo('POST', '/api/carrier-access')).to.have.length(0);
    });

    it(`says too_many_carriers (at most ${MAX_CARRIERS}) and shows the list as it is now`, async () => {
      const {section} = await openCarrierAccess('fahrer@example.com');
      grantsOf('cus_fahrer').push(
        {email: 'zwei@spedition.example', grantedAt: 1_760_000_000},
        {email: 'drei@spedition.example', grantedAt: 1_760_000_000},
      );
      await grant(section, 'vier@spedition.example');
      await waitForText(
        section,
        `Ein Gate Pass kann höchstens ${MAX_CARRIERS} Speditionen Zugriff geben.`,
      );
      await waitUntil(() => carriers(section).length === MAX_CARRIERS, 'the reloaded list');
      expect(find(section, '#carrier-email')).to.equal(null);
    });

    it('says owner_only when the server holds the session for a carrier', async () => {
      worker.use(http.post('*/api/carrier-access', () => apiError(403, 'owner_only')));
      const {section} = await openCarrierAccess('fahrer@example.com');
      await grant(section, 'dispo@nord-logistik.example');
      await waitForText(
        section,
        'Nur der Inhaber des Gate Passes kann Speditionen Zugriff geben oder ihn beenden.',
      );
      expect(find(section, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    });

    it('ends an access after asking inline; „Abbrechen" keeps it', async () => {
      const {portal, section} = await openCarrierAccess('fahrer@example.com');
      const ended = collect<{email: string}>(portal, 'conroo-carrier-access-ended');
      buttonNamed(section, 'Zugriff beenden')!.click();
      const question = await waitForElement(section, '.confirm');
      expect(textOf(question)).to.include(
        'Möchten Sie den Zugriff von spedition@example.com wirklich beenden?',
      );
      await waitUntil(() => find(section, '[data-action="keep"]')!.matches(':focus'));
      find<HTMLButtonElement>(section, '[data-action="keep"]')!.click();
      await waitUntil(() => !find(section, '.confirm'));
      await waitUntil(() => find(section, '[data-action="end"]')!.matches(':focus'));
      expect(requestsTo('DELETE', '/api/carrier-access/spedition%40example.com')).to.have.length(0);

      buttonNamed(section, 'Zugriff beenden')!.click();
      (await waitForElement<HTMLButtonElement>(section, '[data-action="confirm-end"]')).click();
      await waitForText(section, 'Der Zugriff von spedition@example.com ist beendet.');
      expect(requestsTo('DELETE', '/api/carrier-access/spedition%40example.com')).to.have.length(1);
      expect(carriers(section)).to.deep.equal([]);
      expect(textOf(section)).to.include('Noch keine Spedition hat Zugriff auf diesen Gate Pass.');
      expect(ended).to.deep.equal([{email: 'spedition@example.com'}]);
    });

    it('says why ending failed, at the carrier', async () => {
      worker.use(
        http.delete('*/api/carrier-access/:email', () => apiError(503, 'service_unavailable')),
      );
      const {section} = await openCarrierAccess('fahrer@example.com');
      buttonNamed(section, 'Zugriff beenden')!.click();
      (await waitForElement<HTMLButtonElement>(section, '[data-action="confirm-end"]')).click();
      await waitForText(
        find(section, '[part~="item"]')!,
        'Der Dienst ist gerade nicht erreichbar.',
      );
      expect(carriers(section)).to.deep.equal(['spedition@example.com']);
    });
  });

  describe('for a carrier holding the Gate Pass', () => {
    it('says whose Gate Pass it is, offers no form, and gives the access back (the only one: logged out)', async () => {
      const {portal, section} = await openCarrierAccess('kleine-spedition@example.com');
      const returned = collect<{customerId: string}>(portal, 'conroo-carrier-access-returned');
      expect(find(portal, '[part~="content"] > h2')!.textContent?.trim()).to.equal(
        'Ihr Zugriff als Spedition',
      );
      expect(textOf(section)).to.include('Dieser Gate Pass gehört Jan Nowak (nowak@example.com).');
      expect(find(section, 'form')).to.equal(null);
      expect(requestsTo('GET', '/api/carrier-access')).to.have.length(0);
      buttonNamed(section, 'Zugriff zurückgeben')!.click();
      (await waitForElement<HTMLButtonElement>(section, '[data-action="confirm-return"]')).click();
      await waitForElement(portal, 'input[type=email]');
      expect(requestsTo('DELETE', '/api/fleet/cus_nowak')).to.have.length(1);
      expect(returned).to.deep.equal([{customerId: 'cus_nowak'}]);
      expect(requestsTo('DELETE', '/api/session')).to.have.length(1);
    });

    it('moves on to another Gate Pass it holds after giving one back', async () => {
      signInAs('spedition@example.com');
      const portal = await mountPortal();
      await waitForElement(portal, 'conroo-fleet');
      const select = find<HTMLSelectElement>(portal, 'select[part~="account-select"]')!;
      select.value = 'cus_nowak';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => requestsTo('POST', '/api/session/account').length === 1);
      await openSection(portal, 'Spedition');
      const section = await waitForElement(portal, 'conroo-carrier-access');
      await waitForText(section, 'Dieser Gate Pass gehört Jan Nowak');
      buttonNamed(section, 'Zugriff zurückgeben')!.click();
      (await waitForElement<HTMLButtonElement>(section, '[data-action="confirm-return"]')).click();
      await waitUntil(() => requestsTo('POST', '/api/session/account').length === 2);
      const fleet = await waitForElement(portal, 'conroo-fleet');
      await waitUntil(() => findAll(fleet, '[data-driver]').length === 6, 'six drivers left');
      expect(find(fleet, '[data-driver="cus_nowak"]')).to.equal(null);
    });
  });
});
