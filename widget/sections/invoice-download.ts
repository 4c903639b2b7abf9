import {html, nothing} from 'lit';
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
