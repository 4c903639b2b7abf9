import {expect} from '@open-wc/testing';
import {http} from 'msw';
import '../../widget/index.js';
import {accountingYearOf} from '../../common/accounting-year.js';
import {
  buttonNamed,
  find,
  textOf,
  waitForButton,
  waitForElement,
  waitForText,
} from './support/dom.js';
import {openFleet, row} from './support/fleet.js';
import {
  apiError,
  paymentMethodsOf,
  requestsTo,
  resetMockApi,
  startMockApi,
  worker,
} from './support/portal-api-mock.js';
import {waitTimeout, waitUntil} from './support/wait-timeout.js';

/** Waits until „Zahlungsmethode hinzufügen" shows the demo card form, ready to type in. */
async function addFormReady(portal: Element) {
  await waitUntil(
    () =>
      find(portal, 'stripe-demo-payment-element') &&
      find(portal, '[part~="add-form"]')?.getAttribute('aria-busy') === 'false',
    'the add form, open by itself',
    {timeout: waitTimeout},
  );
}

function saveCard(portal: Element) {
  for (const [id, value] of [
    ['card-number', '4242424242424242'],
    ['card-expiry', '12/34'],
    ['card-cvc', '123'],
  ]) {
    const input = find<HTMLInputElement>(portal, `#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  }
  find<HTMLButtonElement>(portal, '[part~="add-form"] [part~="submit"]')!.click();
}

describe('„Fahrer": payment methods driver by driver, and the year’s invoices of all', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('opens the add form from a row, then offers the next driver without a method, until none is left', async () => {
    const {portal, fleet} = await openFleet();
    buttonNamed(row(fleet, 'cus_nowak'), 'Zahlungsmethode hinzufügen')!.click();
    await waitForElement(portal, 'conroo-payment-methods');
    await addFormReady(portal);
    expect(requestsTo('POST', '/api/session/account')[0].body).to.deep.equal({
      customerId: 'cus_nowak',
    });
    expect(buttonNamed(portal, 'Weiter zum nächsten Fahrer ohne Zahlungsmethode')).to.equal(null);

    saveCard(portal);
    const next = await waitForButton(portal, 'Weiter zum nächsten Fahrer ohne Zahlungsmethode');
    expect(paymentMethodsOf('cus_nowak')).to.have.length(1);
    const offer = find(portal, '[part~="next-driver"]')!;
    expect(textOf(offer)).to.include('Als Nächstes ohne Zahlungsmethode: ohne-abo@example.com.');
    expect(textOf(offer)).to.include('Stripe speichert eine Karte immer für genau einen Kunden');

    next.click();
    await waitUntil(() => requestsTo('POST', '/api/session/account').length === 2);
    expect(requestsTo('POST', '/api/session/account')[1].body).to.deep.equal({
      customerId: 'cus_ohne_abo',
    });
    await waitUntil(() => !find(portal, '[part~="next-driver"]'), 'the offer gone');
    await addFormReady(portal);
    expect(requestsTo('POST', '/api/payment-methods/setup-intents')).to.have.length(2);

    saveCard(portal);
    await waitForText(portal, 'Alle Fahrer haben jetzt eine Zahlungsmethode.');
    (await waitForButton(portal, 'Zurück zur Fahrerliste')).click();
    const again = await waitForElement(portal, 'conroo-fleet');
    await waitUntil(() => find(again, '[data-driver]'));
    expect(textOf(again)).not.to.include('Keine Zahlungsmethode hinterlegt');
  });

  it('downloads a year’s invoices of every driver as one ZIP, the previous year first', async () => {
    const {fleet} = await openFleet();
    const current = accountingYearOf(Math.floor(Date.now() / 1000));
    const link = await waitForElement<HTMLAnchorElement>(fleet, '[part~="export-link"]');
    expect(link.href).to.equal(`${location.origin}/api/fleet/invoices/export?year=${current - 1}`);
    expect(textOf(link)).to.equal(`Rechnungen ${current - 1} aller Fahrer herunterladen`);
    const select = find<HTMLSelectElement>(fleet, '[part~="export-year"]')!;
    expect([...select.options].map((option) => Number(option.value))).to.deep.equal([
      current,
      current - 1,
      current - 2,
      current - 3,
    ]);
    select.value = String(current - 2);
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => link.dataset.year === String(current - 2));
    link.click();
    await waitUntil(() => requestsTo('GET', '/api/fleet/invoices/export').length === 1);
    expect(requestsTo('GET', '/api/fleet/invoices/export')[0].search).to.equal(
      `?year=${current - 2}`,
    );
    await waitUntil(() => !find(fleet, '.download-state'), 'the download done');
  });

  it('says why the year’s ZIP could not be downloaded', async () => {
    worker.use(http.get('*/api/fleet/invoices/export', () => apiError(503, 'service_unavailable')));
    const {fleet} = await openFleet();
    (await waitForElement<HTMLAnchorElement>(fleet, '[part~="export-link"]')).click();
    const error = await waitForElement(fleet, '[part~="download-error"]');
    expect(error.getAttribute('role')).to.equal('alert');
    expect(textOf(error)).to.include('Der Dienst ist gerade nicht erreichbar.');
  });
});
