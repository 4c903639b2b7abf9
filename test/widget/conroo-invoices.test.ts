import {expect, html} from '@open-wc/testing';
import {http} from 'msw';
import type {LitElement} from 'lit';
import type {Invoice} from '../../common/contract.js';
import '../../widget/index.js';
import {accountingYearOf as accountingYear} from '../../common/accounting-year.js';
import {exportYears} from '../../widget/invoice-years.js';
import {fixtureInvoice, manyInvoices} from './support/portal-fixtures.js';
import {
  apiError,
  pdfBytes,
  requestsTo,
  resetMockApi,
  setInvoices,
  signInAs,
  startMockApi,
  worker,
  xmlBytes,
} from './support/portal-api-mock.js';
import {find, findAll, textOf, waitForButton, waitForElement, waitForText} from './support/dom.js';
import {mountPortal} from './support/portal-mount.js';
import {fetchesSettled} from './support/test-requests.js';
import {waitUntil} from './support/wait-timeout.js';

async function openInvoices(
  email: string,
  portalTemplate = html`<conroo-billing-portal></conroo-billing-portal>`,
  sectionLabel = 'Rechnungen',
) {
  signInAs(email);
  const portal = await mountPortal(portalTemplate);
  (await waitForButton(portal, sectionLabel)).click();
  const section = await waitForElement(portal, 'conroo-invoices');
  await waitUntil(() => !find(section, '[part~="loading"]'), 'invoices still loading');
  return section;
}

function rowOf(section: Element, invoiceId: string) {
  return find(section, `tr[data-invoice="${invoiceId}"]`)!;
}

const day = 24 * 60 * 60;
/** Mid-June of `year`, far from any time zone's New Year. */
const inYear = (year: number) => Date.UTC(year, 5, 15) / 1000;
const thisYear = accountingYear(Math.floor(Date.now() / 1000));

/**
 * Records the links the portal clicks (the temporary link of a fetched file, a pay link) and
 * stops the browser from following them, so no test leaves the page or saves a file.
 */
function captureLinkClicks() {
  const clicked: HTMLAnchorElement[] = [];
  const listener = (event: Event) => {
    const target = event.composedPath()[0];
    if (target instanceof HTMLAnchorElement) {
      clicked.push(target);
      event.preventDefault();
    }
  };
  window.addEventListener('click', listener);
  return {clicked, stop: () => window.removeEventListener('click', listener)};
}

describe('<conroo-invoices>', () => {
  let links: ReturnType<typeof captureLinkClicks>;

  before(() => startMockApi());
  beforeEach(() => {
    resetMockApi();
    links = captureLinkClicks();
  });
  afterEach(() => links.stop());

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
    expect(row).to.include('PDF herunterladen');
    expect(requestsTo('GET', '/api/invoices')[0].search).to.equal('?limit=10');
  });

  it('shows the newest invoice first, in the order the server sends them', async () => {
    const section = await openInvoices('fahrer@example.com');
    const ids = findAll(section, 'tbody tr').map((row) => row.dataset.invoice);
    expect(ids).to.deep.equal(['in_fahrer_2', 'in_fahrer_1']);
  });

  it('says every status in words, an open invoice past its due date „Überfällig"', async () => {
    const now = Math.floor(Date.now() / 1000);
    setInvoices('cus_fahrer', [
      fixtureInvoice('in_paid', 'CONROO-1', {status: 'paid'}),
      fixtureInvoice('in_open', 'CONROO-2', {status: 'open', dueDate: now + 10 * day}),
      fixtureInvoice('in_overdue', 'CONROO-3', {status: 'open', dueDate: now - 2 * day}),
      fixtureInvoice('in_void', 'CONROO-4', {status: 'void'}),
      fixtureInvoice('in_bad', 'CONROO-5', {status: 'uncollectible'}),
    ]);
    const section = await openInvoices('fahrer@example.com');
    const statusOf = (id: string) => find(rowOf(section, id), '[data-status]')!;
    expect(statusOf('in_paid').textContent?.trim()).to.equal('Bezahlt');
    expect(statusOf('in_open').textContent?.trim()).to.equal('Offen');
    expect(statusOf('in_overdue').textContent?.trim()).to.equal('Überfällig');
    expect(statusOf('in_overdue').dataset.status).to.equal('overdue');
    expect(statusOf('in_void').textContent?.trim()).to.equal('Storniert');
    expect(statusOf('in_bad').textContent?.trim()).to.equal('Uneinbringlich');
    expect(textOf(rowOf(section, 'in_open'))).to.match(/fällig am \d\d\.\d\d\.\d{4}/);
    expect(textOf(rowOf(section, 'in_overdue'))).to.match(/fällig seit \d\d\.\d\d\.\d{4}/);
  });

  it('calls an open invoice past its due date „Überfällig" and offers „Jetzt bezahlen" on Stripe', async () => {
    const section = await openInvoices('offen@example.com');
    const overdue = rowOf(section, 'in_offen_open');
    expect(textOf(overdue)).to.include('Überfällig');
    const link = find<HTMLAnchorElement>(overdue, '[part~="pay-link"]')!;
    expect(link.textContent?.trim()).to.equal('Jetzt bezahlen');
    expect(link.getAttribute('aria-label')).to.equal('Rechnung CONROO-0100 jetzt bezahlen');
    expect(link.href).to.equal('https://invoice.stripe.com/i/acct_123/test_open');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(textOf(rowOf(section, 'in_offen_void'))).to.include('Storniert');
    expect(findAll(rowOf(section, 'in_offen_void'), '[part~="pay-link"]')).to.have.length(0);
  });

  it('offers no pay link to a host that only looks like Stripe', async () => {
    const section = await openInvoices('offen@example.com');
    const notYetDue = rowOf(section, 'in_offen_evil');
    expect(textOf(notYetDue)).to.include('Offen');
    expect(findAll(notYetDue, '[part~="pay-link"]')).to.have.length(0);
    expect(textOf(notYetDue)).not.to.include('Jetzt bezahlen');
  });

  it('never renders a pay link that is not https on a Stripe host', async () => {
    const unsafe = [
      'http://invoice.stripe.com/i/acct_123/plain_http',
      'javascript:alert(1)',
      'https://evil.example/invoice.stripe.com',
      'https://user:pw@invoice.stripe.com/i/acct_123/credentials',
      'https://notstripe.com/pay',
    ];
    setInvoices(
      'cus_fahrer',
      unsafe.map((payUrl, index) =>
        fixtureInvoice(`in_unsafe_${index}`, `CONROO-U${index}`, {status: 'open', payUrl}),
      ),
    );
    const section = await openInvoices('fahrer@example.com');
    expect(findAll(section, 'tbody tr')).to.have.length(unsafe.length);
    expect(findAll(section, '[part~="pay-link"]')).to.have.length(0);
    const hrefs = findAll<HTMLAnchorElement>(section, 'a').map((a) => a.getAttribute('href'));
    for (const payUrl of unsafe) {
      expect(hrefs).not.to.include(payUrl);
    }
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
    const ids = findAll(section, 'tbody tr').map((row) => row.dataset.invoice);
    expect(ids.slice(8, 12)).to.deep.equal(['in_many_8', 'in_many_9', 'in_many_10', 'in_many_11']);

    (await waitForButton(section, 'Mehr laden')).click();
    await waitUntil(() => findAll(section, 'tbody tr').length === 23);
    expect(requestsTo('GET', '/api/invoices')[2].search).to.equal(
      '?limit=10&startingAfter=in_many_19',
    );
    expect(findAll(section, '[part~="load-more"]')).to.have.length(0);
  });

  it('has no „Mehr laden" when the first page is all there is', async () => {
    const section = await openInvoices('fahrer@example.com');
    expect(findAll(section, 'tbody tr')).to.have.length(2);
    expect(findAll(section, '[part~="load-more"]')).to.have.length(0);
  });

  it('explains when new invoices appear while there are none', async () => {
    const section = await openInvoices('paypal@example.com');
    expect(textOf(find(section, '[part~="empty"]')!)).to.equal(
      'Noch keine Rechnungen. Neue Rechnungen erscheinen hier, sobald ein Abrechnungszeitraum beginnt.',
    );
    expect(findAll(section, 'table')).to.have.length(0);
    expect(findAll(section, '[part~="export"]')).to.have.length(0);
  });

  it('shows an error with „Erneut versuchen" when the list cannot be loaded', async () => {
    worker.use(http.get('*/api/invoices', () => apiError(503, 'stripe_unavailable')));
    const section = await openInvoices('fahrer@example.com');
    await waitForText(section, 'Der Zahlungsdienst ist gerade nicht erreichbar.');
    worker.resetHandlers();
    (await waitForButton(section, 'Erneut versuchen')).click();
    await waitUntil(() => rowOf(section, 'in_fahrer_2'), 'the list after retrying');
  });

  it('renders names from Stripe as text, never as markup', async () => {
    setInvoices('cus_fahrer', [
      {...manyInvoices(1)[0], customerName: '<img src=x onerror="window.hacked=1">Evil'},
    ]);
    const section = await openInvoices('fahrer@example.com');
    expect(textOf(section)).to.include('<img src=x onerror="window.hacked=1">Evil');
    expect(findAll(section, 'tbody img')).to.have.length(0);
  });

  describe('PDF download', () => {
    it('links every invoice to its PDF, named with the invoice number', async () => {
      const section = await openInvoices('fahrer@example.com');
      for (const [id, number] of [
        ['in_fahrer_2', 'CONROO-0002'],
        ['in_fahrer_1', 'CONROO-0001'],
      ]) {
        const link = find<HTMLAnchorElement>(rowOf(section, id), '[part~="pdf-link"]')!;
        expect(link.textContent?.trim()).to.equal('PDF herunterladen');
        expect(link.getAttribute('aria-label')).to.equal(
          `Rechnung ${number} als PDF herunterladen`,
        );
        expect(link.getAttribute('href')).to.equal(`/api/invoices/${id}/pdf`);
        expect(link.hasAttribute('download')).to.equal(true);
        expect(link.target).to.equal('');
      }
    });

    it('points the links at api-base when the portal runs on another origin', async () => {
      const section = await openInvoices(
        'fahrer@example.com',
        html`<conroo-billing-portal
          api-base="https://portal.example.test/"
        ></conroo-billing-portal>`,
      );
      const link = find<HTMLAnchorElement>(rowOf(section, 'in_fahrer_1'), '[part~="pdf-link"]')!;
      expect(link.href).to.equal('https://portal.example.test/api/invoices/in_fahrer_1/pdf');
      const zip = find<HTMLAnchorElement>(section, '[part~="export-link"]')!;
      expect(zip.href).to.match(
        /^https:\/\/portal\.example\.test\/api\/invoices\/export\?year=\d{4}$/,
      );
    });

    it("fetches the PDF with the session cookie and saves it under the server's name", async () => {
      const section = await openInvoices('fahrer@example.com');
      find<HTMLAnchorElement>(rowOf(section, 'in_fahrer_2'), '[part~="pdf-link"]')!.click();
      await waitUntil(() => links.clicked.length === 2, 'the file handed to the browser');
      const [pdfLink, saved] = links.clicked;
      expect(pdfLink.getAttribute('part')).to.equal('pdf-link');
      expect(saved.download).to.equal('CONROO-Rechnung-CONROO-0002.pdf');
      expect(saved.href).to.match(/^blob:/);
      const bytes = new Uint8Array(await (await fetch(saved.href)).arrayBuffer());
      expect(bytes).to.deep.equal(pdfBytes);
      const [request] = requestsTo('GET', '/api/invoices/in_fahrer_2/pdf');
      expect(request.credentials).to.equal('include');
      expect(saved.isConnected).to.equal(false);
    });

    it('says beside the link when Stripe does not deliver the PDF, and stays on the page', async () => {
      worker.use(
        http.get('*/api/invoices/:id/pdf', () =>
          apiError(503, 'stripe_unavailable', {'Retry-After': '5'}),
        ),
      );
      const section = await openInvoices('fahrer@example.com');
      const row = rowOf(section, 'in_fahrer_1');
      find<HTMLAnchorElement>(row, '[part~="pdf-link"]')!.click();
      const problem = await waitForElement(row, '[part~="download-error"]');
      expect(problem.getAttribute('role')).to.equal('alert');
      expect(textOf(problem)).to.include('Stripe liefert die Rechnung gerade nicht');
      expect(links.clicked).to.have.length(1);
      expect(findAll(rowOf(section, 'in_fahrer_2'), '[part~="download-error"]')).to.have.length(0);
    });

    it('leaves a click with a modifier key to the browser (new tab, save as)', async () => {
      const section = await openInvoices('fahrer@example.com');
      const link = find<HTMLAnchorElement>(rowOf(section, 'in_fahrer_2'), '[part~="pdf-link"]')!;
      link.dispatchEvent(
        new MouseEvent('click', {bubbles: true, composed: true, cancelable: true, ctrlKey: true}),
      );
      // The section would have fetched in its click handler: once it has updated and every fetch
      // is answered, the log is complete.
      await (section as LitElement).updateComplete;
      await fetchesSettled();
      expect(requestsTo('GET', '/api/invoices/in_fahrer_2/pdf')).to.have.length(0);
      expect(links.clicked).to.deep.equal([link]);
    });
  });

  describe('e-invoice download', () => {
    const formats = [
      {
        part: 'xrechnung-link',
        label: 'E-Rechnung (XRechnung)',
        format: 'xrechnung',
        saved: 'CONROO-Rechnung-CONROO-0002.xml',
        bytes: xmlBytes,
      },
      {
        part: 'zugferd-link',
        label: 'PDF mit E-Rechnung (ZUGFeRD)',
        format: 'zugferd',
        saved: 'CONROO-Rechnung-CONROO-0002.pdf',
        bytes: pdfBytes,
      },
    ];

    it('offers both e-invoices beside „PDF herunterladen", named for the invoice, and says what they are', async () => {
      const section = await openInvoices('fahrer@example.com');
      expect(textOf(find(section, '[part~="e-invoice-hint"]')!)).to.equal(
        'Für die Buchhaltung: XRechnung ist die E-Rechnung als XML-Datei nach EN 16931, ZUGFeRD ist das PDF mit derselben XML-Datei darin. Buchhaltungsprogramme lesen beide direkt ein.',
      );
      for (const [id, number] of [
        ['in_fahrer_2', 'CONROO-0002'],
        ['in_fahrer_1', 'CONROO-0001'],
      ]) {
        const row = rowOf(section, id);
        const names = findAll<HTMLAnchorElement>(row, 'a[download]').map((a) => textOf(a));
        expect(names).to.deep.equal([
          'PDF herunterladen',
          'E-Rechnung (XRechnung)',
          'PDF mit E-Rechnung (ZUGFeRD)',
        ]);
        for (const {part, label, format} of formats) {
          const link = find<HTMLAnchorElement>(row, `[part~="${part}"]`)!;
          expect(link.getAttribute('aria-label')).to.equal(
            `Rechnung ${number} als ${label} herunterladen`,
          );
          expect(link.getAttribute('href')).to.equal(
            `/api/invoices/${id}/e-invoice?format=${format}`,
          );
        }
      }
    });

    it("fetches each format with the session cookie and saves it under the server's name", async () => {
      const section = await openInvoices('fahrer@example.com');
      for (const {part, format, saved, bytes} of formats) {
        const before = links.clicked.length;
        find<HTMLAnchorElement>(rowOf(section, 'in_fahrer_2'), `[part~="${part}"]`)!.click();
        await waitUntil(
          () => links.clicked.length === before + 2,
          'the file handed to the browser',
        );
        const file = links.clicked.at(-1)!;
        expect(file.download).to.equal(saved);
        expect(new Uint8Array(await (await fetch(file.href)).arrayBuffer())).to.deep.equal(bytes);
        const request = requestsTo('GET', '/api/invoices/in_fahrer_2/e-invoice').at(-1)!;
        expect(request.search).to.equal(`?format=${format}`);
        expect(request.credentials).to.equal('include');
      }
    });

    it('says beside the link when an invoice has no e-invoice (409), and the PDF stays offered', async () => {
      worker.use(
        http.get('*/api/invoices/:id/e-invoice', () => apiError(409, 'e_invoice_unavailable')),
      );
      const section = await openInvoices('fahrer@example.com');
      const row = rowOf(section, 'in_fahrer_1');
      find<HTMLAnchorElement>(row, '[part~="xrechnung-link"]')!.click();
      const problem = await waitForElement(row, '[part~="download-error"]');
      expect(problem.getAttribute('role')).to.equal('alert');
      expect(textOf(problem)).to.include('Für diese Rechnung gibt es keine E-Rechnung');
      expect(textOf(problem)).to.include('Das PDF gilt weiterhin');
      // The message stands right after the link that failed.
      expect(problem.previousElementSibling?.getAttribute('part')).to.equal('xrechnung-link');
      expect(find(row, '[part~="pdf-link"]')).to.exist;
    });

    it('offers only the PDF of a void invoice, which has no e-invoice', async () => {
      const section = await openInvoices('offen@example.com');
      const links = findAll(rowOf(section, 'in_offen_void'), 'a[download]').map((a) => textOf(a));
      expect(links).to.deep.equal(['PDF herunterladen']);
    });

    it('offers neither e-invoice nor PDF for a draft', async () => {
      setInvoices('cus_fahrer', [fixtureInvoice('in_draft', 'CONROO-0009', {status: 'draft'})]);
      const section = await openInvoices('fahrer@example.com');
      expect(findAll(rowOf(section, 'in_draft'), 'a[download]')).to.have.length(0);
    });
  });

  describe('year export', () => {
    function exportParts(section: Element) {
      return {
        select: find<HTMLSelectElement>(section, '[part~="export-year"]')!,
        link: find<HTMLAnchorElement>(section, '[part~="export-link"]')!,
      };
    }

    it('offers the years with invoices and the current one, the previous year first', async () => {
      setInvoices('cus_fahrer', [
        fixtureInvoice('in_a', 'CONROO-A', {created: inYear(thisYear)}),
        fixtureInvoice('in_b', 'CONROO-B', {created: inYear(thisYear - 1)}),
        fixtureInvoice('in_c', 'CONROO-C', {created: inYear(thisYear - 1) - 30 * day}),
        fixtureInvoice('in_d', 'CONROO-D', {created: inYear(thisYear - 3)}),
      ]);
      const section = await openInvoices('fahrer@example.com');
      const exportCard = find(section, '[part~="export"]')!;
      expect(textOf(exportCard)).to.include(
        'Alle Rechnungen eines Jahres herunterladen (ZIP mit CSV für die Buchhaltung)',
      );
      expect(textOf(exportCard)).to.include('als PDF');
      expect(textOf(exportCard)).to.include('Excel');
      const {select, link} = exportParts(section);
      expect(select.labels[0].textContent?.trim()).to.equal('Jahr');
      expect([...select.options].map((option) => option.value)).to.deep.equal([
        String(thisYear),
        String(thisYear - 1),
        String(thisYear - 3),
      ]);
      expect(select.value).to.equal(String(thisYear - 1));
      expect(link.getAttribute('href')).to.equal(`/api/invoices/export?year=${thisYear - 1}`);
      expect(link.hasAttribute('download')).to.equal(true);
      expect(link.dataset.year).to.equal(String(thisYear - 1));
      expect(link.textContent?.trim()).to.equal(`Rechnungen ${thisYear - 1} herunterladen`);
    });

    it('changes the link with the chosen year', async () => {
      setInvoices('cus_fahrer', [
        fixtureInvoice('in_b', 'CONROO-B', {created: inYear(thisYear - 1)}),
        fixtureInvoice('in_d', 'CONROO-D', {created: inYear(thisYear - 3)}),
      ]);
      const section = await openInvoices('fahrer@example.com');
      const {select} = exportParts(section);
      select.value = String(thisYear - 3);
      select.dispatchEvent(new Event('change', {bubbles: true}));
      await waitUntil(
        () =>
          exportParts(section).link.getAttribute('href') ===
          `/api/invoices/export?year=${thisYear - 3}`,
        'the link of the chosen year',
      );
      expect(exportParts(section).link.textContent?.trim()).to.equal(
        `Rechnungen ${thisYear - 3} herunterladen`,
      );
      expect(exportParts(section).select.value).to.equal(String(thisYear - 3));
    });

    it('defaults to the current year when the previous one has no invoices', async () => {
      setInvoices('cus_fahrer', [
        fixtureInvoice('in_d', 'CONROO-D', {created: inYear(thisYear - 2)}),
      ]);
      const section = await openInvoices('fahrer@example.com');
      const {select, link} = exportParts(section);
      expect([...select.options].map((option) => option.value)).to.deep.equal([
        String(thisYear),
        String(thisYear - 2),
      ]);
      expect(select.value).to.equal(String(thisYear));
      expect(link.getAttribute('href')).to.equal(`/api/invoices/export?year=${thisYear}`);
    });

    it('adds the years of invoices that „Mehr laden" brings', async () => {
      const invoices: Invoice[] = manyInvoices(12).map((invoice, index) => ({
        ...invoice,
        created: inYear(thisYear - 1) - index * day,
      }));
      invoices[11] = {...invoices[11], created: inYear(thisYear - 5)};
      setInvoices('cus_fahrer', invoices);
      const section = await openInvoices('fahrer@example.com');
      const years = () => [...exportParts(section).select.options].map((option) => option.value);
      expect(years()).to.deep.equal([String(thisYear), String(thisYear - 1)]);
      (await waitForButton(section, 'Mehr laden')).click();
      await waitUntil(() => years().length === 3, 'the older year');
      expect(years()[2]).to.equal(String(thisYear - 5));
    });

    it('downloads the ZIP of the chosen year with the session cookie', async () => {
      setInvoices('cus_fahrer', [
        fixtureInvoice('in_b', 'CONROO-B', {created: inYear(thisYear - 1)}),
      ]);
      const section = await openInvoices('fahrer@example.com');
      exportParts(section).link.click();
      await waitUntil(() => links.clicked.length === 2, 'the ZIP handed to the browser');
      expect(links.clicked[1].download).to.equal(`CONROO-Rechnungen-${thisYear - 1}.zip`);
      const [request] = requestsTo('GET', '/api/invoices/export');
      expect(request.search).to.equal(`?year=${thisYear - 1}`);
      expect(request.credentials).to.equal('include');
    });
  });

  it('files invoices under their year in German time', () => {
    // 31 Dec 2025, 23:30 UTC is already 2026 in Berlin.
    expect(accountingYear(Date.UTC(2025, 11, 31, 23, 30) / 1000)).to.equal(2026);
    expect(
      exportYears([{created: Date.UTC(2025, 11, 31, 23, 30) / 1000}], Date.UTC(2027, 2, 1)),
    ).to.deep.equal({years: [2027, 2026], preferred: 2026});
  });

  describe('in English', () => {
    it('says everything in English', async () => {
      const section = await openInvoices(
        'offen@example.com',
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
        'Invoices',
      );
      const headers = findAll(section, 'thead th').map((th) => th.textContent?.trim());
      expect(headers.slice(0, 6)).to.deep.equal([
        'Invoice',
        'Date',
        'Period',
        'Amount',
        'Status',
        'Issued to',
      ]);
      const overdue = rowOf(section, 'in_offen_open');
      expect(textOf(overdue)).to.include('Overdue');
      const pay = find(overdue, '[part~="pay-link"]')!;
      expect(pay.textContent?.trim()).to.equal('Pay now');
      const pdf = find(overdue, '[part~="pdf-link"]')!;
      expect(pdf.textContent?.trim()).to.equal('Download PDF');
      // Each name holds the words on the link, so that speech input finds it (WCAG 2.5.3).
      const xrechnung = find(overdue, '[part~="xrechnung-link"]')!;
      expect(xrechnung.textContent?.trim()).to.equal('E-invoice (XRechnung)');
      const zugferd = find(overdue, '[part~="zugferd-link"]')!;
      expect(zugferd.textContent?.trim()).to.equal('PDF with e-invoice (ZUGFeRD)');
      expect(textOf(find(section, '[part~="e-invoice-hint"]')!)).to.match(/^For accounting: /);
      for (const [link, words] of [
        [pay, /pay now/i],
        [pdf, /download pdf/i],
        [xrechnung, /e-invoice \(xrechnung\)/i],
        [zugferd, /pdf with e-invoice \(zugferd\)/i],
      ] as const) {
        expect(link.getAttribute('aria-label')).to.match(words);
        expect(link.getAttribute('aria-label')).to.include('CONROO-0100');
      }
      expect(textOf(rowOf(section, 'in_offen_void'))).to.include('Void');
      const exportCard = find(section, '[part~="export"]')!;
      expect(textOf(exportCard)).to.include(
        'Download all invoices of a year (ZIP with CSV for accounting)',
      );
      expect(find<HTMLSelectElement>(exportCard, 'select')!.labels[0].textContent?.trim()).to.equal(
        'Year',
      );
      expect(find(exportCard, '[part~="export-link"]')!.textContent?.trim()).to.match(
        /^Download invoices \d{4}$/,
      );
    });

    it('explains the empty list in English', async () => {
      const section = await openInvoices(
        'paypal@example.com',
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
        'Invoices',
      );
      expect(textOf(find(section, '[part~="empty"]')!)).to.equal(
        'No invoices yet. New invoices appear here as soon as a billing period begins.',
      );
    });
  });
});

describe('<conroo-billing-shipping>', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  async function openBilling(email: string) {
    signInAs(email);
    const portal = await mountPortal();
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
