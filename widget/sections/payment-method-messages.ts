import {msg, str} from '@lit/localize';
import type {PaymentMethod} from '../../common/contract.js';
import {ApiError} from '../api/portal-api-client.js';
import type {ActionErrorCode} from '../controllers/action-controller.js';
import {cardBrandName} from '../format.js';
import type {PaymentMethodKind} from '../payment-form/payment-form.js';

// What „Zahlungsmethoden" says when something goes wrong, by cause, in the user's language.

/** „Visa •••• 4242" or „PayPal (petra@example.com)", to name a method in a sentence. */
export function paymentMethodLabel(method: PaymentMethod): string {
  if (method.card) {
    return `${cardBrandName(method.card.brand)} •••• ${method.card.last4}`;
  }
  if (method.type === 'paypal') {
    return method.paypal?.email ? `PayPal (${method.paypal.email})` : 'PayPal';
  }
  return method.type;
}

/** Whether trying the same call again may work (the cause was passing). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) {
    return true;
  }
  return (
    error.code === 'network_error' ||
    error.code === 'stripe_unavailable' ||
    error.code === 'service_unavailable' ||
    error.code === 'rate_limited' ||
    error.status >= 500
  );
}

/** The payment form could not be opened: the server's reason, or Stripe.js did not load. */
export function formLoadFailureText(code: ActionErrorCode, error: unknown): string {
  return code === 'unexpected'
    ? msg(
        'Das Zahlungsformular konnte nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
      )
    : paymentActionErrorText(error);
}

/** A failed call to the portal server while changing payment methods. */
export function paymentActionErrorText(error: unknown): string {
  const code = error instanceof ApiError ? error.code : undefined;
  switch (code) {
    case 'stripe_unavailable':
      return msg(
        'Der Zahlungsdienst Stripe ist gerade nicht erreichbar. Es wurde nichts geändert. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'service_unavailable':
      return msg(
        'Der Dienst ist gerade nicht erreichbar. Es wurde nichts geändert. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'network_error':
      return msg('Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung.');
    case 'rate_limited':
      return msg('Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment.');
    case 'not_found':
      return msg('Diese Zahlungsmethode gibt es für dieses Konto nicht (mehr).');
    case 'setup_incomplete':
      return msg(
        'Die Zahlungsmethode wurde nicht bestätigt. Es wurde nichts geändert. Bitte versuchen Sie es erneut.',
      );
    case 'default_payment_method':
      return msg(
        'Diese Zahlungsmethode bezahlt Ihren laufenden Gate Pass und kann deshalb nicht entfernt werden – ein Gate Pass braucht eine Zahlungsmethode. Legen Sie zuerst eine andere Zahlungsmethode als Standard fest (oder fügen Sie eine hinzu) und entfernen Sie diese dann.',
      );
    default:
      return msg('Das hat nicht geklappt. Bitte versuchen Sie es erneut.');
  }
}

/**
 * A confirmation the payment form reported as failed, by Stripe code: the portal's own words
 * where it knows the code (in every language it speaks, Ukrainian included, which Stripe.js
 * lacks), else Stripe.js' own localized `message`, else a general sentence.
 */
export function paymentFailureText(code: string, stripeMessage?: string): string {
  switch (code) {
    case 'card_declined':
      return msg(
        'Die Karte wurde abgelehnt. Bitte verwenden Sie eine andere Karte oder wenden Sie sich an Ihre Bank.',
      );
    case 'expired_card':
      return msg(
        'Die Karte ist abgelaufen. Bitte prüfen Sie das Ablaufdatum oder verwenden Sie eine andere Karte.',
      );
    case 'incorrect_number':
    case 'invalid_number':
      return msg('Die Kartennummer ist ungültig. Bitte prüfen Sie Ihre Eingabe.');
    case 'invalid_expiry_month':
    case 'invalid_expiry_year':
      return msg('Das Ablaufdatum ist ungültig. Bitte prüfen Sie Ihre Eingabe.');
    case 'invalid_cvc':
    case 'incorrect_cvc':
      return msg('Die Prüfnummer (CVC) ist ungültig. Bitte prüfen Sie Ihre Eingabe.');
    case 'processing_error':
      return msg(
        'Bei der Prüfung der Karte ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
      );
    case 'setup_intent_authentication_failure':
      return msg(
        'Die Bestätigung der Zahlungsmethode ist fehlgeschlagen. Es wurde nichts geändert. Bitte versuchen Sie es erneut oder verwenden Sie eine andere Zahlungsmethode.',
      );
    case 'network_error':
      return msg(
        'Keine Verbindung zum Zahlungsdienst. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
      );
    case 'processing':
      return msg(
        'Die Zahlungsmethode wird noch geprüft. Bitte sehen Sie in einigen Minuten wieder nach.',
      );
    default:
      return (
        stripeMessage ??
        msg('Die Zahlungsmethode konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.')
      );
  }
}

/** Coming back from PayPal or 3-D Secure without success. */
export function redirectFailureText(kind: PaymentMethodKind | undefined): string {
  switch (kind) {
    case 'paypal':
      return msg(
        'Die Freigabe bei PayPal wurde abgebrochen. Es wurde nichts geändert – Ihre bisherige Standard-Zahlungsmethode bleibt bestehen.',
      );
    case 'card':
      return msg(
        'Die Bestätigung der Karte (3-D Secure) ist fehlgeschlagen. Es wurde nichts geändert – Ihre bisherige Standard-Zahlungsmethode bleibt bestehen.',
      );
    default:
      return msg(
        'Die Zahlungsmethode wurde nicht bestätigt. Es wurde nichts geändert – Ihre bisherige Standard-Zahlungsmethode bleibt bestehen.',
      );
  }
}

export function addedText(): string {
  return msg(
    'Die neue Zahlungsmethode ist jetzt Standard und wird für die nächste Verlängerung Ihres Gate Pass verwendet.',
  );
}

export function defaultChangedText(method: PaymentMethod): string {
  const label = paymentMethodLabel(method);
  return msg(
    str`${label} ist jetzt Ihre Standard-Zahlungsmethode und wird für die nächste Verlängerung Ihres Gate Pass verwendet.`,
  );
}

export function removedText(method: PaymentMethod): string {
  const label = paymentMethodLabel(method);
  return msg(str`${label} wurde entfernt.`);
}
