import {expect, html} from '@open-wc/testing';
import {sendKeys, setViewport} from '@web/test-runner-commands';
import '../../widget/index.js';
import {isFleetSession, landingSection, sidebarSections} from '../../widget/views/dashboard-nav.js';
import {
  billsPrivatePerson,
  nextDriverWithoutPaymentMethod,
} from '../../widget/fleet/fleet-model.js';
import type {FleetDriver} from '../../common/contract.js';
import {buttonNamed, find, findAll, textOf, waitForElement, waitForText} from './support/dom.js';
import {carrier, chip, listedIds, openFleet, resultCount, row, search} from './support/fleet.js';
import {requestsTo, resetMockApi, signInAs, startMockApi} from './support/portal-api-mock.js';
import {sessionFor} from './support/portal-fixtures.js';
import {mountPortal} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

const allDrivers = [
  'cus_nowak',
  'cus_fahrer',
  'cus_ohne_abo',
  'cus_offen',
  'cus_paypal',
  'cus_firma',
  'cus_zwei_a',
];

describe('<conroo-fleet> („Fahrer")', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  describe('who sees it', () => {
    it('is where a carrier with seven drivers lands, first in the sidebar', async () => {
      const {portal} = await openFleet();
      const labels = findAll(portal, 'nav li button').map((button) => button.textContent?.trim());
      expect(labels).to.deep.equal([
        'Fahrer',
        'Übersicht',
        'Zahlungsmethoden',
        'Rechnung und Versand',
        'Rechnungen',
        'Spedition',
      ]);
      expect(find(portal, 'nav button[aria-current="page"]')!.textContent?.trim()).to.equal(
        'Fahrer',
      );
      expect(find(portal, '[part~="content"] > h2')!.textContent?.trim()).to.equal('Ihre Fahrer');
      expect(requestsTo('GET', '/api/fleet')).to.have.length(1);
    });

    it('is not there for one driver, nor for two Gate Passes of one owner', async () => {
      expect(isFleetSession(sessionFor('fahrer@example.com'))).to.equal(false);
      expect(isFleetSession(sessionFor('zwei@example.com'))).to.equal(false);
      expect(isFleetSession(sessionFor('kleine-spedition@example.com'))).to.equal(false);
      expect(landingSection(sessionFor('zwei@example.com'))).to.equal('overview');
      expect(sidebarSections(sessionFor('zwei@example.com'))).not.to.include('fleet');
      signInAs('zwei@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Gate Pass LKW 1');
      expect(find(portal, 'nav button[data-section="fleet"]')).to.equal(null);
    });

    it('is there for more than three own Gate Passes, or several held as a carrier', () => {
      const owner = sessionFor('zwei@example.com');
      const four = {
        ...owner,
        accounts: [...owner.accounts, ...owner.accounts].map((account, index) => ({
          ...account,
          customerId: `cus_${index}`,
        })),
      };
      expect(isFleetSession(four)).to.equal(true);
      const twoHeld = {
        ...owner,
        accounts: owner.accounts.map((account) => ({...account, access: 'carrier' as const})),
      };
      expect(isFleetSession(twoHeld)).to.equal(true);
      expect(isFleetSession(sessionFor(carrier))).to.equal(true);
    });
  });

  describe('the table', () => {
    it('has one row per driver with everything the fleet needs to see', async () => {
      const {fleet} = await openFleet();
      expect(find(fleet, 'table caption')!.textContent?.trim()).to.equal(
        'Fahrer mit Gate Pass, Zahlungsmethode und Rechnungsdaten',
      );
      expect(listedIds(fleet)).to.deep.equal(allDrivers);
      const headers = findAll(fleet, 'thead th').map((th) =>
        th.textContent.replace(/\s+/g, ' ').trim(),
      );
      expect(headers).to.deep.equal([
        'Auswahl',
        'Fahrer ▲',
        'Gate Pass ↕',
        'Verlängerung ↕',
        'Zahlungsmethode',
        'Rechnung an',
        'Aktionen',
      ]);
      const offen = textOf(row(fleet, 'cus_offen'));
      // The address may wrap before its „@" in a narrow column: read it as one text.
      expect(offen).to.include('Olaf Offen');
      expect(row(fleet, 'cus_offen').querySelector('.email')?.textContent).to.equal(
        'offen@example.com',
      );
      expect(offen).to.include('Zahlung überfällig');
      expect(offen).to.include('DE987654321');
      expect(offen).to.include('Offene Rechnung');
      const fahrer = textOf(row(fleet, 'cus_fahrer'));
      expect(fahrer).to.include('99,00 €');
      expect(fahrer).to.include(
        new Intl.DateTimeFormat('de-DE', {dateStyle: 'medium'}).format(
          new Date(Date.UTC(2026, 0, 15)),
        ),
      );
      expect(fahrer).to.include('Visa •••• 4242');
      expect(fahrer).to.include('Keine Steuer-ID hinterlegt');
      expect(fahrer).to.include('Privatperson');
      expect(textOf(row(fleet, 'cus_nowak'))).to.include('Keine Zahlungsmethode hinterlegt');
      expect(textOf(row(fleet, 'cus_ohne_abo'))).to.include('Kein Gate Pass');
      expect(find(row(fleet, 'cus_offen'), 'th[scope="row"]')!.textContent).to.include(
        'Olaf Offen',
      );
    });

    it('sorts by name, renewal date and status with its column headers, aria-sort following', async () => {
      const {fleet} = await openFleet();
      const header = (key: string) =>
        find(fleet, `th:has([data-sort="${key}"])`) as HTMLTableCellElement;
      const sortBy = (key: string) =>
        find<HTMLButtonElement>(fleet, `[data-sort="${key}"]`)!.click();
      expect(header('name').getAttribute('aria-sort')).to.equal('ascending');
      expect(header('renewal').getAttribute('aria-sort')).to.equal('none');

      sortBy('name');
      await waitUntil(() => header('name').getAttribute('aria-sort') === 'descending');
      expect(listedIds(fleet)).to.deep.equal([...allDrivers].reverse());

      sortBy('renewal');
      await waitUntil(() => header('renewal').getAttribute('aria-sort') === 'ascending');
      expect(header('name').getAttribute('aria-sort')).to.equal('none');
      expect(listedIds(fleet)[0]).to.equal('cus_nowak');
      expect(listedIds(fleet).at(-1)).to.equal('cus_ohne_abo');

      sortBy('status');
      await waitUntil(() => header('status').getAttribute('aria-sort') === 'ascending');
      expect(listedIds(fleet)[0]).to.equal('cus_offen');
      expect(listedIds(fleet).at(-1)).to.equal('cus_ohne_abo');
    });

    it('sorts from the keyboard: Tab to a column header, Enter, Enter again reverses', async () => {
      const {fleet} = await openFleet();
      const button = find<HTMLButtonElement>(fleet, '[data-sort="renewal"]')!;
      button.focus();
      await sendKeys({press: 'Enter'});
      const th = button.closest('th')!;
      await waitUntil(() => th.getAttribute('aria-sort') === 'ascending');
      expect(button.matches(':focus')).to.equal(true);
      await sendKeys({press: 'Enter'});
      await waitUntil(() => th.getAttribute('aria-sort') === 'descending');
      expect(listedIds(fleet)[0]).to.equal('cus_fahrer');
    });
  });

  describe('filters and search', () => {
    it('„Rechnung noch an Privatperson" lists drivers without a tax ID invoiced in their own name', async () => {
      const {fleet} = await openFleet();
      chip(fleet, 'private-billing').click();
      await waitUntil(() => chip(fleet, 'private-billing').getAttribute('aria-pressed') === 'true');
      expect(listedIds(fleet)).to.deep.equal([
        'cus_nowak',
        'cus_fahrer',
        'cus_ohne_abo',
        'cus_paypal',
        'cus_zwei_a',
      ]);
      expect(chip(fleet, 'private-billing').textContent.replace(/\s+/g, ' ').trim()).to.equal(
        'Rechnung noch an Privatperson (5)',
      );
    });

    it('counts a company name without a tax ID as a company, and any tax ID as a company', () => {
      const driver = {
        name: 'Jan Nowak',
        billingName: 'Jan Nowak',
        taxIds: [],
      } as unknown as FleetDriver;
      expect(billsPrivatePerson(driver)).to.equal(true);
      expect(billsPrivatePerson({...driver, billingName: 'Nowak Transport Sp. z o.o.'})).to.equal(
        false,
      );
      expect(billsPrivatePerson({...driver, billingName: null})).to.equal(true);
      expect(
        billsPrivatePerson({
          ...driver,
          taxIds: [{id: 't', type: 'eu_vat', value: 'PL1234567890', verification: null}],
        }),
      ).to.equal(false);
    });

    it('„Zahlung fehlgeschlagen" lists failed renewals and open invoices', async () => {
      const {fleet} = await openFleet();
      chip(fleet, 'payment-failed').click();
      await waitUntil(() => listedIds(fleet).length === 1);
      expect(listedIds(fleet)).to.deep.equal(['cus_offen']);
    });

    it('„Ohne Zahlungsmethode" lists drivers without a default method; chips combine', async () => {
      const {fleet} = await openFleet();
      chip(fleet, 'no-payment-method').click();
      await waitUntil(() => listedIds(fleet).length === 2);
      expect(listedIds(fleet)).to.deep.equal(['cus_nowak', 'cus_ohne_abo']);
      chip(fleet, 'payment-failed').click();
      await waitForText(fleet, 'Kein Fahrer passt zu Suche und Filtern.');
      chip(fleet, 'payment-failed').click();
      chip(fleet, 'no-payment-method').click();
      await waitUntil(() => listedIds(fleet).length === 7);
    });

    it('searches names, e-mail addresses and VAT IDs, however they are spaced', async () => {
      const {fleet} = await openFleet();
      search(fleet, 'nowak');
      await waitUntil(() => listedIds(fleet).join() === 'cus_nowak');
      search(fleet, 'PAYPAL@example');
      await waitUntil(() => listedIds(fleet).join() === 'cus_paypal');
      search(fleet, 'de 123 456 789');
      await waitUntil(() => listedIds(fleet).join() === 'cus_firma');
      search(fleet, 'muller');
      await waitForText(fleet, 'Kein Fahrer passt');
      search(fleet, '');
      await waitUntil(() => listedIds(fleet).length === 7);
    });

    it('tells screen readers how many drivers are listed, in a live region', async () => {
      const {fleet} = await openFleet();
      const live = find(fleet, '.result-count')!;
      expect(live.getAttribute('role')).to.equal('status');
      expect(resultCount(fleet)).to.equal('Fahrer angezeigt: 7 von 7');
      chip(fleet, 'no-payment-method').click();
      await waitUntil(() => resultCount(fleet) === 'Fahrer angezeigt: 2 von 7');
    });
  });

  describe('at 360 px', () => {
    after(() => setViewport({width: 800, height: 600}));

    it('lists the drivers as cards with the same facts, and nothing scrolls sideways', async () => {
      await setViewport({width: 360, height: 800});
      signInAs(carrier);
      const portal = await mountPortal(html`<conroo-billing-portal></conroo-billing-portal>`);
      const fleet = await waitForElement(portal, 'conroo-fleet');
      await waitUntil(() => findAll(fleet, 'li[data-driver]').length === 7, 'the cards');
      expect(find(fleet, 'table')).to.equal(null);
      expect(find(fleet, 'ul[part~="list"]')).to.exist;
      expect(textOf(row(fleet, 'cus_offen'))).to.include('Gate Pass Zahlung überfällig');
      expect(find<HTMLSelectElement>(fleet, '#fleet-sort')!.labels[0].textContent).to.include(
        'Sortieren nach',
      );
      await waitUntil(() => document.documentElement.scrollWidth <= 360, 'no sideways scroll');
      for (const element of [portal, fleet, ...findAll(fleet, 'li[data-driver]')]) {
        expect(element.scrollWidth, element.localName).to.be.at.most(element.clientWidth + 1);
      }
    });

    it('sorts the cards with „Sortieren nach"', async () => {
      await setViewport({width: 360, height: 800});
      signInAs(carrier);
      const portal = await mountPortal(html`<conroo-billing-portal></conroo-billing-portal>`);
      const fleet = await waitForElement(portal, 'conroo-fleet');
      const select = await waitForElement<HTMLSelectElement>(fleet, '#fleet-sort');
      select.value = 'status:asc';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => listedIds(fleet)[0] === 'cus_offen');
    });
  });

  describe('from a row', () => {
    it('opens the driver’s sections as the active account, and goes back to the fleet as left', async () => {
      const {portal, fleet} = await openFleet();
      chip(fleet, 'no-payment-method').click();
      await waitUntil(() => listedIds(fleet).length === 2);
      buttonNamed(row(fleet, 'cus_nowak'), 'Öffnen')!.click();
      await waitForElement(portal, 'conroo-overview');
      expect(requestsTo('POST', '/api/session/account')[0].body).to.deep.equal({
        customerId: 'cus_nowak',
      });
      expect(find(portal, 'nav button[aria-current="page"]')!.textContent?.trim()).to.equal(
        'Übersicht',
      );
      await waitForText(portal, 'Jan Nowak');
      const back = find<HTMLButtonElement>(portal, '[part~="back-to-fleet"]')!;
      expect(textOf(back)).to.equal('← Zurück zur Fahrerliste');

      // Another of the driver's sections keeps the way back.
      find<HTMLButtonElement>(portal, 'nav button[data-section="invoices"]')!.click();
      await waitForElement(portal, 'conroo-invoices');
      find<HTMLButtonElement>(portal, '[part~="back-to-fleet"]')!.click();
      const again = await waitForElement(portal, 'conroo-fleet');
      await waitUntil(() => listedIds(again).length === 2, 'the filter as it was');
      expect(chip(again, 'no-payment-method').getAttribute('aria-pressed')).to.equal('true');
      expect(find(portal, '[part~="back-to-fleet"]')).to.equal(null);
    });
  });

  it('explains why a card is entered per driver', async () => {
    const {fleet} = await openFleet();
    expect(textOf(fleet)).to.include(
      'Stripe speichert eine Karte immer für genau einen Kunden, und jeder Fahrer ist bei Stripe ein eigener Kunde.',
    );
  });

  it('finds the next driver without a payment method in the order the fleet listed them', () => {
    const driver = (customerId: string, method: boolean) =>
      ({customerId, defaultPaymentMethod: method ? {} : null}) as FleetDriver;
    const drivers = [driver('a', false), driver('b', true), driver('c', false), driver('d', false)];
    expect(nextDriverWithoutPaymentMethod(drivers, ['d', 'c', 'b', 'a'], 'c')?.customerId).to.equal(
      'a',
    );
    expect(nextDriverWithoutPaymentMethod(drivers, ['d', 'c', 'b', 'a'], 'a')?.customerId).to.equal(
      'd',
    );
    expect(nextDriverWithoutPaymentMethod([driver('a', false)], [], 'a')).to.equal(undefined);
  });
});
