import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../widget/index.js';
import {manyInvoices} from './support/portal-fixtures.js';
import {
  requestsTo,
  resetMockApi,
  setInvoices,
  signInAs,
  startMockApi,
} from './support/portal-api-mock.js';
import {find, findAll, textOf, waitForButton, waitForElement} from './support/dom.js';

async function openInvoices(email: string) {
  signInAs(email);
  const portal = await fixture(html`<conroo-billing-portal></conroo-billing-portal>`);
  (await waitForButton(portal, 'Rechnungen')).click();
  const section = await waitForElement(portal, 'conroo-invoices');
  await waitUntil(() => !find(section, '[part~="loading"]'), 'invoices still loading');
  return section;
}

function rowOf(section: Element, invoiceId: string) {
  return find(section, `tr[data-invoice="${invoiceId}"]`)!;
}

describe('<conroo-invoices>', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('lists number, date, period, amount, status and the name it was issued to', async () => {
    const section = await openInvoices('fahrer@example.com');
    const headers = findAll(section, 'thead th').map((th) => th.textContent?.trim());
    expect(headers.slice(0, 6)).to.deep.equal([
      'Rechnung',
      'Datum',
      'Zeitraum',
      'Betrag',
      'Status',
      'Ausgestellt an',
    ]);
    const row = textOf(rowOf(section, 'in_fahrer_2'));
    expect(row).to.include('CONROO-0002');
    expect(row).to.include('15.01.2025');
    expect(row).to.match(/15\.01\.2025\s*–\s*15\.01\.2026/);
    expect(row).to.include('99,00 €');
    expect(row).to.include('Bezahlt');
    expect(row).to.include('Max Mustermann');
    expect(requestsTo('GET', '/api/invoices')[0].search).to.equal('?limit=10');
  });

  it('calls an open invoice past its due date „Überfällig" and offers „Jetzt bezahlen" on Stripe', async () => {
    const section = await openInvoices('offen@example.com');
    const overdue = rowOf(section, 'in_offen_open');
    expect(textOf(overdue)).to.include('Überfällig');
    const link = find<HTMLAnchorElement>(overdue, 'a')!;
    expect(link.textContent?.trim()).to.equal('Jetzt bezahlen');
    expect(link.href).to.equal('https://invoice.stripe.com/i/acct_123/test_open');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.include('noopener');
    expect(textOf(rowOf(section, 'in_offen_void'))).to.include('Storniert');
  });

  it('offers no pay link to a host that only looks like Stripe', async () => {
    const section = await openInvoices('offen@example.com');
    const notYetDue = rowOf(section, 'in_offen_evil');
    expect(textOf(notYetDue)).to.include('Offen');
    expect(find(notYetDue, 'a')).to.equal(null);
  });

  it('loads the next page after the last invoice with „Mehr laden"', async () => {
    setInvoices('cus_fahrer', manyInvoices(23));
    const section = await openInvoices('fahrer@example.com');
    expect(findAll(section, 'tbody tr')).to.have.length(10);

    (await waitForButton(section, 'Mehr laden')).click();
    await waitUntil(() => findAll(section, 'tbody tr').length === 20);
    expect(requestsTo('GET', '/api/invoices')[1].search).to.equal(
      '?limit=10&startingAfter=in_many_9',
    );

    (await waitForButton(section, 'Mehr laden')).click();
    await waitUntil(() => findAll(section, 'tbody tr').length === 23);
    expect(find(section, '[part~="load-more"]')).to.equal(null);
  });

  it('renders names from Stripe as text, never as markup', async () => {
    setInvoices('cus_fahrer', [
      {...manyInvoices(1)[0], customerName: '<img src=x onerror="window.hacked=1">Evil'},
    ]);
    const section = await openInvoices('fahrer@example.com');
    expect(textOf(section)).to.include('<img src=x onerror="window.hacked=1">Evil');
    expect(find(section, 'tbody img')).to.equal(null);
  });
});

describe('<conroo-billing-shipping>', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  async function openBilling(email: string) {
    signInAs(email);
    const portal = await fixture(html`<conroo-billing-portal></conroo-billing-portal>`);
    (await waitForButton(portal, 'Rechnung und Versand')).click();
    const section = await waitForElement(portal, 'conroo-billing-shipping');
    await waitUntil(() => !find(section, '[part~="loading"]'), 'billing still loading');
    return section;
  }

  it('shows the company, its VAT ID as verified and the separate shipping address', async () => {
    const section = await openBilling('firma@example.com');
    const text = textOf(section);
    expect(text).to.include('Spedition Nord GmbH');
    expect(text).to.include('Hafenstraße 1 3. OG 28195 Bremen Deutschland');
    expect(text).to.include('+49 40 999000');
    expect(text).to.include('firma@example.com');
    expect(text).to.include('USt-IdNr. DE123456789 Verifiziert');
    expect(text).to.include('Spedition Nord GmbH – Lager');
    expect(text).to.include('Containerweg 7 27568 Bremerhaven');
  });

  it('shows a tax ID still being checked as „Ausstehend"', async () => {
    const section = await openBilling('offen@example.com');
    expect(textOf(section)).to.include('DE987654321 Ausstehend');
  });

  it('says „Wie Rechnungsadresse" when shipping goes to the billing address', async () => {
    const section = await openBilling('fahrer@example.com');
    expect(textOf(section)).to.include('Versandinformationen Wie Rechnungsadresse');
  });
});
