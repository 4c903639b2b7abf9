import {LitElement, html, nothing} from 'lit';
import {customElement, state} from 'lit/decorators.js';
import {localized, msg, str} from '@lit/localize';
import type {Invoice} from '../../common/contract.js';
import {eInvoiceUrl} from '../api/invoice-files.js';
import {ActionController} from '../controllers/action-controller.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {isPlainClick, saveFile} from '../file-download.js';
import {formatDate, formatMoney, invoiceDisplayStatus, isStripeUrl} from '../format.js';
import {exportYears} from '../invoice-years.js';
import {
  nameWithVisibleLabel,
  renderInvoiceStatus,
  renderPayLink,
} from '../views/billing-fragments.js';
import {PaymentReturnController} from '../views/payment-return-controller.js';
import {errorMessage, renderEmpty} from '../views/section-states.js';
import {invoicesStyles} from './conroo-invoices.styles.js';
import {renderDownloadState, renderYearExport, type FileDownload} from './invoice-download.js';

const pageSize = 10;

/**
 * @summary „Rechnungen": the invoice history, newest first, ten at a time; each invoice as a PDF
 * and as an e-invoice (XRechnung, ZUGFeRD), „Jetzt bezahlen" for open ones, and a year's
 * invoices as one ZIP for the accounting.
 *
 * Downloads are real links to the portal server (`<api-base>/api/invoices/<id>/pdf`,
 * `…/export?year=`), so „open in new tab" and „save link as" work; a plain click fetches the
 * file with the session cookie instead, so that a failure is told here rather than replacing
 * the page with the server's error.
 *
 * @csspart e-invoice-hint - The line above the table that says what the two e-invoices are.
 * @csspart table - The invoice table.
 * @csspart pay-link - „Jetzt bezahlen" on an open invoice (Stripe's hosted invoice page).
 * @csspart pdf-link - „PDF herunterladen" of an invoice.
 * @csspart xrechnung-link - „E-Rechnung (XRechnung)" of an invoice: the e-invoice as XML.
 * @csspart zugferd-link - „PDF mit E-Rechnung (ZUGFeRD)" of an invoice: the PDF with the XML inside.
 * @csspart load-more - The „Mehr laden" button.
 * @csspart export - The card of the year export.
 * @csspart export-year - The year select of the export.
 * @csspart export-link - The link that downloads the chosen year's ZIP.
 */
@localized()
@customElement('conroo-invoices')
export class ConrooInvoices extends LitElement {
  static override styles = invoicesStyles;

  private readonly data = new SectionDataController(this, {
    load: async (api, signal) => {
      this.more.abort();
      this.downloads.abort();
      this.downloads.clearFailure();
      const page = await api.getInvoices({limit: pageSize}, signal);
      this.invoices = page.invoices;
      this.hasMore = page.hasMore;
      this.exportYear = undefined;
      return page;
    },
  });
  /** „Mehr laden": the next page. */
  private readonly more = new ActionController(this);
  /** A PDF or a year's ZIP; keyed by its URL, so its state shows beside its link. */
  private readonly downloads = new ActionController<string>(this);
  private readonly paymentReturn = new PaymentReturnController(this, () => this.data.reload());

  @state() private invoices: Invoice[] = [];
  @state() private hasMore = false;
  /** The year chosen for the export; `undefined` until the user picks one. */
  @state() private exportYear?: number;

  private async handleLoadMore() {
    const startingAfter = this.invoices.at(-1)?.id;
    if (!startingAfter) {
      return;
    }
    const outcome = await this.more.run(true, (signal) =>
      this.data.api!.getInvoices({limit: pageSize, startingAfter}, signal),
    );
    if (outcome.status === 'done') {
      this.invoices = [...this.invoices, ...outcome.value.invoices];
      this.hasMore = outcome.value.hasMore;
    }
  }

  private handleDownloadClick(event: MouseEvent, download: FileDownload) {
    if (!isPlainClick(event)) {
      return;
    }
    event.preventDefault();
    if (this.downloads.running === download.url) {
      return;
    }
    void this.downloads.run(download.url, async (signal) => {
      const {blob, filename} = await this.data.api!.downloadFile(download.url, signal);
      saveFile(blob, filename ?? download.fallbackName, this.renderRoot);
    });
  }

  private handleExportYearChange(event: Event) {
    this.exportYear = Number((event.target as HTMLSelectElement).value);
  }

  private renderDownloadState(url: string) {
    return renderDownloadState(this.downloads, url);
  }

  private renderRow(invoice: Invoice) {
    const payable =
      invoice.status === 'open' && isStripeUrl(invoice.payUrl) ? invoice.payUrl : undefined;
    const number = invoice.number ?? msg('Rechnung ohne Nummer');
    return html`<tr role="row" data-invoice=${invoice.id} data-number=${invoice.number ?? ''}>
      <th role="rowheader" scope="row" class="nowrap" data-label=${msg('Rechnung')}>
        <span>${number}</span>
      </th>
      <td role="cell" class="nowrap" data-label=${msg('Datum')}>${formatDate(invoice.created)}</td>
      <td role="cell" data-label=${msg('Zeitraum')}>
        <span class="nowrap">${formatDate(invoice.periodStart)} –</span>
        <span class="nowrap">${formatDate(invoice.periodEnd)}</span>
      </td>
      <td role="cell" class="amount-cell" data-label=${msg('Betrag')}>
        <span class="amount">${formatMoney(invoice.total, invoice.currency)}</span>
      </td>
      <td role="cell" data-label=${msg('Status')}>
        <div class="status">
          ${renderInvoiceStatus(invoice)}
          ${
            invoiceDisplayStatus(invoice) === 'overdue' && invoice.dueDate
              ? html`<span class="muted"
                  >${msg(str`fällig seit ${formatDate(invoice.dueDate)}`)}</span
                >`
              : invoice.status === 'open' && invoice.dueDate
                ? html`<span class="muted"
                    >${msg(str`fällig am ${formatDate(invoice.dueDate)}`)}</span
                  >`
                : nothing
          }
        </div>
      </td>
      <td role="cell" data-label=${msg('Ausgestellt an')}>${invoice.customerName ?? '—'}</td>
      <td role="cell" class="actions-cell">
        <div class="actions">
          ${
            payable
              ? renderPayLink(payable, number, this.paymentReturn.paymentStarted, {small: true})
              : nothing
          }
          ${invoice.status === 'draft' ? nothing : this.renderFileLinks(invoice, number)}
        </div>
      </td>
    </tr>`;
  }

  /**
   * „PDF herunterladen" and the two e-invoices of a finalized invoice, each a link with its
   * download state below it.
   */
  private renderFileLinks(invoice: Invoice, number: string) {
    const api = this.data.api!;
    const name = `CONROO-Rechnung-${invoice.number ?? invoice.id}`;
    // A void invoice has no e-invoice (the server says 409): only its PDF.
    const eInvoices = invoice.status !== 'void';
    const links: {file: FileDownload; part: string; label: string; full: string}[] = [
      {
        file: {url: api.invoicePdfUrl(invoice.id), fallbackName: `${name}.pdf`},
        part: 'pdf-link',
        label: msg('PDF herunterladen'),
        full: msg(str`Rechnung ${number} als PDF herunterladen`),
      },
      ...(eInvoices
        ? [
            {
              file: {url: eInvoiceUrl(api, invoice.id, 'xrechnung'), fallbackName: `${name}.xml`},
              part: 'xrechnung-link',
              label: msg('E-Rechnung (XRechnung)'),
              full: msg(str`Rechnung ${number} als E-Rechnung (XRechnung) herunterladen`),
            },
            {
              file: {url: eInvoiceUrl(api, invoice.id, 'zugferd'), fallbackName: `${name}.pdf`},
              part: 'zugferd-link',
              label: msg('PDF mit E-Rechnung (ZUGFeRD)'),
              full: msg(str`Rechnung ${number} als PDF mit E-Rechnung (ZUGFeRD) herunterladen`),
            },
          ]
        : []),
    ];
    return links.map(
      ({file, part, label, full}) =>
        html`<a
            class="button button--secondary small-button"
            part=${part}
            href=${file.url}
            download=${file.fallbackName}
            aria-label=${nameWithVisibleLabel(label, full, number)}
            @click=${(event: MouseEvent) => this.handleDownloadClick(event, file)}
            >${label}</a
          >${this.renderDownloadState(file.url)}`,
    );
  }

  /** „Alle Rechnungen eines Jahres herunterladen": a year select and the link to its ZIP. */
  private renderExport() {
    const {years, preferred} = exportYears(this.invoices);
    const year =
      this.exportYear !== undefined && years.includes(this.exportYear)
        ? this.exportYear
        : preferred;
    const zip: FileDownload = {
      url: this.data.api!.invoiceExportUrl(year),
      fallbackName: `CONROO-Rechnungen-${year}.zip`,
    };
    return renderYearExport({
      id: 'export',
      className: 'card export',
      part: 'export',
      heading: msg('Alle Rechnungen eines Jahres herunterladen (ZIP mit CSV für die Buchhaltung)'),
      hint: msg(
        'Die ZIP-Datei enthält jede Rechnung des Jahres als PDF und als E-Rechnung (XRechnung) sowie eine Liste aller Rechnungen als CSV, die sich direkt in Excel öffnen lässt.',
      ),
      linkText: msg(str`Rechnungen ${year} herunterladen`),
      years,
      year,
      zip,
      downloads: this.downloads,
      onYearChange: this.handleExportYearChange,
      onClick: (event, file) => this.handleDownloadClick(event, file),
    });
  }

  private renderTable() {
    if (!this.invoices.length) {
      return renderEmpty(
        msg(
          'Noch keine Rechnungen. Neue Rechnungen erscheinen hier, sobald ein Abrechnungszeitraum beginnt.',
        ),
      );
    }
    const loadingMore = this.more.busy;
    const moreFailure = this.more.failure;
    // The roles are the table's own: they keep it a table for screen readers in Safari, which
    // drops a table's semantics when CSS makes it the cards of narrow containers.
    return html`<p class="muted e-invoice-hint" part="e-invoice-hint">
        ${msg(
          'Für die Buchhaltung: XRechnung ist die E-Rechnung als XML-Datei nach EN 16931, ZUGFeRD ist das PDF mit derselben XML-Datei darin. Buchhaltungsprogramme lesen beide direkt ein.',
        )}
      </p>
      <table part="table" role="table">
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col">${msg('Rechnung')}</th>
            <th role="columnheader" scope="col">${msg('Datum')}</th>
            <th role="columnheader" scope="col">${msg('Zeitraum')}</th>
            <th role="columnheader" scope="col" class="amount-cell">${msg('Betrag')}</th>
            <th role="columnheader" scope="col">${msg('Status')}</th>
            <th role="columnheader" scope="col">${msg('Ausgestellt an')}</th>
            <th role="columnheader" scope="col">${msg('Aktionen')}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${this.invoices.map((invoice) => this.renderRow(invoice))}
        </tbody>
      </table>
      ${
        this.hasMore || moreFailure
          ? html`<div class="more" aria-busy=${loadingMore ? 'true' : 'false'}>
              <button
                type="button"
                class="button button--secondary"
                part="load-more"
                ?disabled=${loadingMore}
                @click=${() => void this.handleLoadMore()}
              >
                ${loadingMore ? msg('Wird geladen …') : msg('Mehr laden')}
              </button>
              ${
                moreFailure
                  ? html`<span role="alert">${errorMessage(moreFailure.error)}</span>`
                  : nothing
              }
            </div>`
          : nothing
      }
      ${this.renderExport()}`;
  }

  override render() {
    return this.data.render(() => this.renderTable());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-invoices': ConrooInvoices;
  }
}
