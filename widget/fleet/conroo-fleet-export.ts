import {LitElement, css} from 'lit';
import {customElement, state} from 'lit/decorators.js';
import {ContextConsumer} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import {fleetInvoiceExportUrl} from '../api/fleet-api.js';
import {apiClientContext} from '../context/api-client-context.js';
import {ActionController} from '../controllers/action-controller.js';
import {isPlainClick, saveFile} from '../file-download.js';
import {fleetExportYears} from '../invoice-years.js';
import {renderYearExport, type FileDownload} from '../sections/invoice-download.js';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';

/**
 * @summary „Rechnungen des Jahres für alle Fahrer herunterladen": a year and the link to one ZIP
 * with a folder of that year's invoices per driver and one CSV with a driver column
 * (`GET /api/fleet/invoices/export?year=`). A real link, so „save link as" works; a plain click
 * fetches it with the session cookie, so that a failure is told here, as in „Rechnungen".
 *
 * @csspart export - The card.
 * @csspart export-year - The year select.
 * @csspart export-link - The download link.
 * @csspart download-error - Why the download failed.
 */
@localized()
@customElement('conroo-fleet-export')
export class ConrooFleetExport extends LitElement {
  static override styles = [
    portalStyles,
    formFieldStyles,
    css`
      :host {
        display: block;
        margin-top: 1.5rem;
      }

      h3 {
        font-size: 1rem;
      }

      .export-row {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 0.75rem 1rem;
      }

      select {
        width: auto;
        min-width: 7rem;
      }

      .download-state {
        align-self: center;
        font-size: 0.875rem;
      }

      .download-state--error {
        color: var(--conroo-danger-text);
      }
    `,
  ];

  private readonly api = new ContextConsumer(this, {
    context: apiClientContext,
    subscribe: true,
  });
  /** The ZIP's download, keyed by its URL. */
  private readonly downloads = new ActionController<string>(this);

  /** The year chosen; `undefined` until the user picks one. */
  @state() private year?: number;

  private handleYearChange(event: Event) {
    this.year = Number((event.target as HTMLSelectElement).value);
  }

  private handleClick(event: MouseEvent, download: FileDownload) {
    const api = this.api.value;
    if (!api || !isPlainClick(event)) {
      return;
    }
    event.preventDefault();
    if (this.downloads.running === download.url) {
      return;
    }
    void this.downloads.run(download.url, async (signal) => {
      const {blob, filename} = await api.downloadFile(download.url, signal);
      saveFile(blob, filename ?? download.fallbackName, this.renderRoot);
    });
  }

  override render() {
    const api = this.api.value;
    const {years, preferred} = fleetExportYears();
    const year = this.year !== undefined && years.includes(this.year) ? this.year : preferred;
    const zip: FileDownload = {
      url: api ? fleetInvoiceExportUrl(api, year) : '',
      fallbackName: `CONROO-Rechnungen-Fahrer-${year}.zip`,
    };
    return renderYearExport({
      id: 'fleet-export',
      className: 'card',
      part: 'card export',
      heading: msg('Rechnungen des Jahres für alle Fahrer herunterladen'),
      hint: msg(
        'Eine ZIP-Datei mit einem Ordner je Fahrer (jede Rechnung als PDF und als E-Rechnung im XRechnung-Format) und einer gemeinsamen CSV-Liste aller Rechnungen mit einer Spalte für den Fahrer.',
      ),
      linkText: msg(str`Rechnungen ${year} aller Fahrer herunterladen`),
      years,
      year,
      zip,
      downloads: this.downloads,
      onYearChange: this.handleYearChange,
      onClick: (event, file) => this.handleClick(event, file),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-fleet-export': ConrooFleetExport;
  }
}
