import {expect, fixture, html} from '@open-wc/testing';
import '../../widget/index.js';
import {fixtureInvoice} from './support/portal-fixtures.js';
import {
  requestsTo,
  resetMockApi,
  setRecentInvoices,
  signInAs,
  startMockApi,
} from './support/portal-api-mock.js';
import {buttonNamed, find, findAll, textOf, waitForElement, waitForText} from './support/dom.js';
import {waitUntil} from './support/wait-timeout.js';

const day = 24 * 60 * 60;
const now = Math.floor(Date.now() / 1000);
const formatDe = (seconds: number) =>
  new Intl.DateTimeFormat('de-DE', {dateStyle: 'medium'}).format(seconds * 1000);

async function openOverview(
  email: string,
  template = html`<conroo-billing-portal></conroo-billing-portal>`,
) {
  signInAs(email);
  const portal = await fixture(template);
  const overview = await waitForElement(portal, 'conroo-overview');
  await waitUntil(() => find(overview, '.cards'), 'overview still loading');
  return {portal, overview};
}

const openInvoice = fixtureInvoice('in_open', 'CONROO-2026-0005', {
  status: 'open',
  total: 14900,
  created: now - 2 * day,
  dueDate: now + 12 * day,
  payUrl: 'https://invoice.stripe.com/i/acct_123/test_banner',
});

describe('<conroo-overview>', () => {
  let blockLinks: (event: Event) => void;

  before(() => startMockApi());
  beforeEach(() => {
    resetMockApi();
    // The pay link opens a tab: keep the test page where it is.
    blockLinks = (event) => event.preventDefault();
    window.addEventListener('click', blockLinks);
  });
  afterEach(() => window.removeEventListener('click', blockLinks));

  it('tells when the Gate Pass renews next and for how much', async () => {
    const {overview} = await openOverview('fahrer@example.com');
    expect(textOf(overview)).to.include('Nächste Verlängerung am 15.01.2026 über 99,00 €');
    expect(find(overview, '[data-next-renewal]')).to.exist;
  });

  it('shows no banner while every invoice is paid', async () => {
    const {overview} = await openOverview('fahrer@example.com');
    expect(findAll(overview, '.banner')).to.have.length(0);
    expect(textOf(overview)).not.to.include('ist offen');
  });

  it('shows a banner with amount, due date and „Jetzt bezahlen" while an invoice is open', async () => {
    setRecentInvoices('cus_fahrer', [openInvoice, fixtureInvoice('in_paid', 'CONROO-1')]);
    const {overview} = await openOverview('fahrer@example.com');
    const banner = find(overview, '[part~="open-invoice-banner"]')!;
    expect(banner).to.exist;
    expect(banner.getAttribute('role')).to.equal('status');
    expect(banner.dataset.invoice).to.equal('in_open');
    expect(textOf(banner)).to.include(
      `Eine Rechnung ist offen: CONROO-2026-0005 über 149,00 €, fällig am ${formatDe(openInvoice.dueDate!)}.`,
    );
    const pay = find<HTMLAnchorElement>(banner, '[part~="pay-link"]')!;
    expect(pay.textContent?.trim()).to.equal('Jetzt bezahlen');
    expect(pay.getAttribute('aria-label')).to.equal('Rechnung CONROO-2026-0005 jetzt bezahlen');
    expect(pay.href).to.equal('https://invoice.stripe.com/i/acct_123/test_banner');
    expect(pay.target).to.equal('_blank');
    expect(pay.rel).to.equal('noopener noreferrer');
    expect(findAll(banner, '[part~="past-due-banner"]')).to.have.length(0);
  });

  it('leaves out the due date when the invoice has none', async () => {
    setRecentInvoices('cus_fahrer', [{...openInvoice, dueDate: null}]);
    const {overview} = await openOverview('fahrer@example.com');
    const banner = find(overview, '[part~="open-invoice-banner"]')!;
    expect(textOf(banner)).to.include('Eine Rechnung ist offen: CONROO-2026-0005 über 149,00 €.');
    expect(textOf(banner)).not.to.include('fällig');
  });

  it('warns urgently about an overdue invoice after a failed renewal, with the pay link', async () => {
    const {overview} = await openOverview('offen@example.com');
    const banner = find(overview, '[part~="open-invoice-banner"]')!;
    expect(banner.getAttribute('part')).to.include('past-due-banner');
    expect(banner.getAttribute('role')).to.equal('alert');
    const text = textOf(banner);
    expect(text).to.include('Die letzte Zahlung für Ihren Gate Pass ist fehlgeschlagen.');
    expect(text).to.match(/Eine Rechnung ist offen: CONROO-0100 über 99,00 €, fällig seit /);
    expect(find<HTMLAnchorElement>(banner, '[part~="pay-link"]')!.href).to.equal(
      'https://invoice.stripe.com/i/acct_123/test_open',
    );
  });

  it('offers only the way to „Rechnungen" when the pay link is not Stripe\'s', async () => {
    setRecentInvoices('cus_fahrer', [
      {...openInvoice, payUrl: 'http://invoice.stripe.com/i/acct_123/plain_http'},
    ]);
    const {portal, overview} = await openOverview('fahrer@example.com');
    const banner = find(overview, '[part~="open-invoice-banner"]')!;
    expect(findAll(banner, 'a')).to.have.length(0);
    expect(textOf(banner)).not.to.include('Jetzt bezahlen');
    buttonNamed(banner, 'Zu den Rechnungen')!.click();
    await waitForElement(portal, 'conroo-invoices');
  });

  it('counts several open invoices and leads to „Rechnungen"', async () => {
    setRecentInvoices('cus_fahrer', [openInvoice, {...openInvoice, id: 'in_open_2'}]);
    const {overview} = await openOverview('fahrer@example.com');
    const banner = find(overview, '[part~="open-invoice-banner"]')!;
    expect(textOf(banner)).to.include('2 Rechnungen sind offen.');
    expect(findAll(banner, '[part~="pay-link"]')).to.have.length(0);
    expect(buttonNamed(banner, 'Zu den Rechnungen')).to.exist;
  });

  it('still warns about a failed renewal when the open invoice is not among the latest', async () => {
    setRecentInvoices('cus_offen', []);
    const {overview} = await openOverview('offen@example.com');
    const banner = find(overview, '[part~="past-due-banner"]')!;
    expect(banner.getAttribute('part')).not.to.include('open-invoice-banner');
    expect(textOf(banner)).to.include('Bitte begleichen Sie die offene Rechnung');
  });

  it('loads the account again when the user comes back from paying', async () => {
    setRecentInvoices('cus_fahrer', [openInvoice]);
    const {overview} = await openOverview('fahrer@example.com');
    find<HTMLAnchorElement>(overview, '[part~="pay-link"]')!.click();
    expect(requestsTo('GET', '/api/account')).to.have.length(1);
    setRecentInvoices('cus_fahrer', [{...openInvoice, status: 'paid', payUrl: undefined}]);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(() => requestsTo('GET', '/api/account').length === 2, 'a second load');
    await waitUntil(() => find(overview, '.cards') && !find(overview, '.banner'), 'no banner');
  });

  it('says it in English', async () => {
    const {overview} = await openOverview(
      'offen@example.com',
      html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
    );
    await waitForText(overview, 'An invoice is open: CONROO-0100 for €99.00, overdue since');
    const banner = find(overview, '[part~="open-invoice-banner"]')!;
    expect(textOf(banner)).to.include('The last payment for your Gate Pass failed.');
    expect(find(banner, '[part~="pay-link"]')!.textContent?.trim()).to.equal('Pay now');
    expect(buttonNamed(banner, 'Go to invoices')).to.exist;
  });

  it('says the next renewal in English', async () => {
    const {overview} = await openOverview(
      'fahrer@example.com',
      html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
    );
    expect(textOf(overview)).to.include('Next renewal on 15 Jan 2026 for €99.00');
  });
});
