import {msg, str} from '@lit/localize';
import {MAX_CARRIERS} from '../../common/contract.js';
import type {ActionErrorCode} from '../controllers/action-controller.js';
import {formatDate} from '../format.js';
import {invalidEmailText} from '../views/email-field.js';

// What „Spedition" says: the server's codes in words, and the outcome of each change.

/** Why giving a carrier access failed; `field`: the address is what to fix. */
export function grantErrorText(code: ActionErrorCode): {text: string; field: boolean} {
  switch (code) {
    case 'invalid_email':
      return {field: true, text: invalidEmailText()};
    case 'already_granted':
      // The server mails the carrier again: an earlier answer may have been lost on the way.
      return {
        field: true,
        text: `${msg('Diese Spedition hat bereits Zugriff auf diesen Gate Pass.')} ${msg(
          'Wir haben ihr den Anmeldelink noch einmal geschickt.',
        )}`,
      };
    case 'own_address':
      return {
        field: true,
        text: msg(
          'Das ist die E-Mail-Adresse dieses Gate Passes. Bitte geben Sie die Adresse Ihrer Spedition ein.',
        ),
      };
    case 'too_many_carriers':
      return {field: false, text: tooManyCarriersText()};
    case 'owner_only':
      return {field: false, text: ownerOnlyText()};
    default:
      return {
        field: false,
        text: changeFailureText(
          code,
          msg('Der Zugriff konnte nicht gegeben werden. Bitte versuchen Sie es erneut.'),
        ),
      };
  }
}

/** Why ending a carrier's access failed. */
export function endErrorText(code: ActionErrorCode): string {
  return code === 'owner_only'
    ? ownerOnlyText()
    : changeFailureText(
        code,
        msg('Der Zugriff konnte nicht beendet werden. Bitte versuchen Sie es erneut.'),
      );
}

/** Why giving the access back failed. */
export function returnErrorText(code: ActionErrorCode): string {
  return changeFailureText(
    code,
    msg('Der Zugriff konnte nicht zurückgegeben werden. Bitte versuchen Sie es erneut.'),
  );
}

export function tooManyCarriersText(): string {
  return msg(
    str`Ein Gate Pass kann höchstens ${MAX_CARRIERS} Speditionen Zugriff geben. Beenden Sie zuerst einen Zugriff, um einer anderen Spedition Zugriff zu geben.`,
  );
}

function ownerOnlyText(): string {
  return msg('Nur der Inhaber des Gate Passes kann Speditionen Zugriff geben oder ihn beenden.');
}

/** The failures every change shares: the connection, the service, too many requests. */
function changeFailureText(code: ActionErrorCode, otherwise: string): string {
  switch (code) {
    case 'network_error':
      return msg('Keine Verbindung zum Server. Bitte prüfen Sie Ihre Internetverbindung.');
    case 'service_unavailable':
    case 'stripe_unavailable':
      return msg(
        'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
      );
    case 'rate_limited':
      return msg('Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment.');
    default:
      return otherwise;
  }
}

export function grantedText(email: string): string {
  return msg(
    str`${email} hat jetzt Zugriff. Wir haben der Spedition eine E-Mail mit einem Anmeldelink geschickt.`,
  );
}

export function endedText(email: string): string {
  return msg(str`Der Zugriff von ${email} ist beendet.`);
}

export function grantedSinceText(grantedAt: number): string {
  return msg(str`Zugriff seit ${formatDate(grantedAt)}`);
}
