import {html, nothing, type TemplateResult} from 'lit';
import {live} from 'lit/directives/live.js';
import {msg} from '@lit/localize';
import type {ActionController, ActionErrorCode} from '../controllers/action-controller.js';

/** A file the user asked for: where it is and what it is called if the server names none. */
export interface FileDownload {
  url: string;
  fallbackName: string;
}

/** Why a download failed, in words; an ended session is handled by the portal (login form). */
export function downloadErrorText(code: ActionErrorCode): string {
  switch (code) {
    case 'stripe_unavailable':
      return msg(
        'Der Download ist fehlgeschlagen: Stripe liefert die Rechnung gerade nicht. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'service_unavailable':
      return msg(
        'Der Download ist fehlgeschlagen: Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'network_error':
      return msg(
        'Der Download ist fehlgeschlagen: keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
      );
    case 'not_found':
      return msg('Diese Rechnung gibt es für dieses Konto nicht (mehr).');
    case 'e_invoice_unavailable':
      return msg(
        'Für diese Rechnung gibt es keine E-Rechnung: Ihre Steuerangaben darauf passen zu keinem Fall, den wir als E-Rechnung ausstellen. Das PDF gilt weiterhin; für eine E-Rechnung wenden Sie sich bitte an den CONROO-Support.',
      );
    case 'rate_limited':
      return msg('Zu viele Downloads in kurzer Zeit. Bitte warten Sie einen Moment.');
    default:
      return msg('Der Download ist fehlgeschlagen. Bitte versuchen Sie es erneut.');
  }
}

/** „Wird heruntergeladen …" or why it failed, beside the link of `url`. */
export function renderDownloadState(downloads: ActionController<string>, url: string) {
  if (downloads.running === url) {
    return html`<span class="download-state muted" role="status"
      >${msg('Wird heruntergeladen …')}</span
    >`;
  }
  const failure = downloads.failure;
  if (failure?.key === url) {
    return html`<span
      class="download-state download-state--error"
      part="download-error"
      role="alert"
      >${downloadErrorText(failure.code)}</span
    >`;
  }
  return nothing;
}

/**
 * The card to download a year's invoices as one ZIP: a year picker and the link. The driver's
 * „Rechnungen" and the carrier's fleet show it with their own texts and ids.
 */
export function renderYearExport(card: {
  /** Prefix of the element ids (`<id>-heading`, `<id>-hint`, `<id>-year`). */
  id: string;
  /** The section's `class` and `part`. */
  className: string;
  part: string;
  heading: string;
  hint: string;
  linkText: string;
  years: number[];
  year: number;
  zip: FileDownload;
  downloads: ActionController<string>;
  onYearChange: (event: Event) => void;
  onClick: (event: MouseEvent, zip: FileDownload) => void;
}): TemplateResult {
  const {id, years, year, zip} = card;
  return html`<section class=${card.className} part=${card.part} aria-labelledby="${id}-heading">
    <h3 id="${id}-heading">${card.heading}</h3>
    <p class="muted" id="${id}-hint">${card.hint}</p>
    <div class="export-row">
      <div class="field">
        <label for="${id}-year">${msg('Jahr')}</label>
        <select
          id="${id}-year"
          part="export-year"
          aria-describedby="${id}-hint"
          @change=${card.onYearChange}
        >
          ${years.map(
            (option) =>
              html`<option value=${option} .selected=${live(option === year)}>${option}</option>`,
          )}
        </select>
      </div>
      <a
        class="button button--secondary"
        part="export-link"
        data-year=${year}
        href=${zip.url}
        download=${zip.fallbackName}
        @click=${(event: MouseEvent) => card.onClick(event, zip)}
        >${card.linkText}</a
      >
      ${renderDownloadState(card.downloads, zip.url)}
    </div>
  </section>`;
}
