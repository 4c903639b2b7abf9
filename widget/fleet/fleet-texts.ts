import {msg, str} from '@lit/localize';
import type {FieldError} from '../../common/contract.js';
import {problemText} from '../billing-details/field-error-text.js';
import type {BulkRowState} from './bulk-billing-controller.js';
import type {FleetFilter} from './fleet-model.js';
import type {FleetView} from '../context/navigation-context.js';

// What the fleet overview („Fahrer") says: its chips, its sort orders, each driver's result of
// the bulk save, and why a card is entered per driver.

export function filterLabel(filter: FleetFilter): string {
  switch (filter) {
    case 'private-billing':
      return msg('Rechnung noch an Privatperson');
    case 'payment-failed':
      return msg('Zahlung fehlgeschlagen');
    case 'no-payment-method':
      return msg('Ohne Zahlungsmethode');
  }
}

/** The sort orders of the narrow list's select, by `key:descending`. */
export function sortOptions(): Array<{sort: FleetView['sort']; label: string}> {
  return [
    {sort: {key: 'name', descending: false}, label: msg('Name (A–Z)')},
    {sort: {key: 'name', descending: true}, label: msg('Name (Z–A)')},
    {sort: {key: 'renewal', descending: false}, label: msg('Verlängerung (nächste zuerst)')},
    {sort: {key: 'renewal', descending: true}, label: msg('Verlängerung (späteste zuerst)')},
    {sort: {key: 'status', descending: false}, label: msg('Status (Handlungsbedarf zuerst)')},
    {sort: {key: 'status', descending: true}, label: msg('Status (Handlungsbedarf zuletzt)')},
  ];
}

/** Why a card must be entered for each driver on its own. */
export function perDriverCardText(): string {
  return msg(
    'Stripe speichert eine Karte immer für genau einen Kunden, und jeder Fahrer ist bei Stripe ein eigener Kunde. Deshalb geben Sie die Karte für jeden Fahrer einzeln ein – danach geht es mit einem Klick zum nächsten Fahrer ohne Zahlungsmethode.',
  );
}

/** A driver's bulk save, in a word or two. */
export function bulkStateLabel(state: BulkRowState): string {
  switch (state.status) {
    case 'waiting':
      return msg('Wartet …');
    case 'saving':
      return msg('Wird gespeichert …');
    case 'saved':
      return msg('Gespeichert');
    case 'pending':
      return msg('Wird übernommen, sobald Stripe antwortet');
    case 'failed':
      return msg('Fehlgeschlagen');
  }
}

/** Why a driver's bulk save failed. */
export function bulkFailureText(state: Extract<BulkRowState, {status: 'failed'}>): string {
  switch (state.code) {
    case 'not_found':
      return msg('Dieser Fahrer gehört nicht (mehr) zu Ihren Konten.');
    case 'validation_failed': {
      const first = Object.values(state.fields ?? {})[0] as FieldError | undefined;
      return first
        ? msg(str`Nicht angenommen: ${problemText(first)}`)
        : msg('Die Angaben wurden für diesen Fahrer nicht angenommen.');
    }
    case 'save_in_progress':
      return msg('Für diesen Fahrer wird gerade schon gespeichert. Bitte gleich erneut versuchen.');
    case 'stripe_unavailable':
      return msg('Der Zahlungsdienst Stripe war nicht erreichbar.');
    case 'service_unavailable':
      return msg('Der Dienst war nicht erreichbar.');
    case 'network_error':
      return msg('Keine Verbindung zum Server.');
    case 'rate_limited':
      return msg('Zu viele Anfragen in kurzer Zeit.');
    case 'forbidden':
    case 'owner_only':
      return msg('Für diesen Fahrer nicht erlaubt.');
    default:
      return msg('Nicht gespeichert.');
  }
}

/** How many drivers the list shows, for the live region. */
export function resultCountText(shown: number, total: number): string {
  return msg(str`Fahrer angezeigt: ${shown} von ${total}`);
}

/** How many drivers are chosen for the bulk change. */
export function selectedCountText(count: number): string {
  return msg(str`Ausgewählt: ${count}`);
}
