import {html} from 'lit';
import {msg} from '@lit/localize';
import {ApiError} from '../api/portal-api-client.js';
import {PartLoadError} from '../lazy-part.js';

// The loading, empty and error states that every dashboard section shows the same way.

export function renderLoading(label = msg('Wird geladen …')) {
  return html`<div class="state state--loading" part="loading" role="status">
    <span class="spinner" aria-hidden="true"></span>${label}
  </div>`;
}

export function renderEmpty(text: string) {
  return html`<div class="card state" part="empty"><p class="muted">${text}</p></div>`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof PartLoadError) {
    return msg(
      'Ein Teil des Kundenportals konnte nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung.',
    );
  }
  const code = error instanceof ApiError ? error.code : undefined;
  switch (code) {
    case 'network_error':
      return msg('Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung.');
    case 'not_authenticated':
      return msg('Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.');
    case 'stripe_unavailable':
      return msg('Der Zahlungsdienst ist gerade nicht erreichbar.');
    case 'service_unavailable':
      return msg(
        'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'rate_limited':
      return msg('Zu viele Anfragen in kurzer Zeit.');
    default:
      return msg('Die Daten konnten nicht geladen werden.');
  }
}

export function renderError(error: unknown, retry: () => void) {
  return html`<div class="card state" part="error" role="alert">
    <p>${errorMessage(error)}</p>
    <button type="button" class="button button--secondary" @click=${retry}>
      ${msg('Erneut versuchen')}
    </button>
  </div>`;
}
