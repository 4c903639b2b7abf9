import {msg, str} from '@lit/localize';
import type {BillingDetailsRequest, Customer} from '../../common/contract.js';

// How a save of „Rechnung und Versand" ended, beyond the fields, and what it says then.

/** Tax IDs as Stripe keeps them and as typed: letters and digits only. */
const compact = (value: string) => value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/** Whether the customer holds what a save sent (the server may have normalized the tax ID). */
export function holds(customer: Customer, sent: BillingDetailsRequest): boolean {
  const address = customer.address;
  const taxId = sent.taxId;
  return (
    customer.name === sent.name.trim() &&
    address?.line1 === sent.address.line1.trim() &&
    address?.postalCode === sent.address.postalCode.trim() &&
    address?.city === sent.address.city.trim() &&
    address?.country === sent.address.country &&
    (taxId
      ? customer.taxIds.some((t) => compact(t.value).endsWith(compact(taxId.value)))
      : customer.taxIds.length === 0) &&
    (sent.reference === undefined || customer.reference === (sent.reference?.trim() || null))
  );
}

/** Why saving failed, beyond the fields (told above the form, which keeps every value). */
export type SaveFailure =
  | {kind: 'fields'; unknown: string[]}
  | {
      kind:
        | 'stripe_unavailable'
        | 'service_unavailable'
        | 'network_error'
        | 'rate_limited'
        | 'save_pending'
        | 'other';
    };

export function saveFailureText(failure: SaveFailure): string {
  switch (failure.kind) {
    case 'fields':
      return failure.unknown.length
        ? msg(
            str`Der Server hat Angaben abgelehnt, die das Formular nicht kennt: ${failure.unknown.join(', ')}. Es wurde nichts gespeichert.`,
          )
        : msg('Bitte prüfen Sie die markierten Angaben. Es wurde nichts gespeichert.');
    case 'stripe_unavailable':
      return msg(
        'Der Zahlungsdienst Stripe ist gerade nicht erreichbar. Es wurde nichts gespeichert – Ihre Eingaben bleiben erhalten. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'service_unavailable':
      return msg(
        'Der Dienst ist gerade nicht erreichbar. Es wurde nichts gespeichert – Ihre Eingaben bleiben erhalten. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'network_error':
      return msg(
        'Keine Verbindung zum Server. Es wurde nichts gespeichert – Ihre Eingaben bleiben erhalten. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
      );
    case 'rate_limited':
      return msg(
        'Zu viele Anfragen in kurzer Zeit. Ihre Eingaben bleiben erhalten – bitte warten Sie einen Moment und speichern Sie dann erneut.',
      );
    case 'save_pending':
      return msg(
        'Ihre Angaben werden gespeichert, sobald Stripe wieder erreichbar ist. Sie müssen nichts weiter tun – hier steht es, sobald es geschehen ist.',
      );
    default:
      return msg(
        'Die Rechnungsdaten konnten nicht gespeichert werden. Ihre Eingaben bleiben erhalten – bitte versuchen Sie es erneut.',
      );
  }
}
