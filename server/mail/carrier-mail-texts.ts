import {str} from '@lit/localize';
import type {MailMsg} from './login-link-texts.js';

// The words of the carrier-access mails (docs/carrier-access.md). Like login-link-texts.ts, this
// file is one of lit-localize's input files (lit-localize.json): the messages are translated in
// xliff/*.xlf beside the portal's and rendered with the generated tables (mail-translations.ts).
// German is the source; every message has an explicit id.

/** The mail to a carrier that a driver gave access to its Gate Pass. */
export function grantMailTexts(msg: MailMsg, values: {driver: string}) {
  return {
    subject: msg(
      str`Fahrer ${values.driver} hat Ihrer Spedition Zugriff auf seinen Gate Pass gegeben`,
      {
        id: 'mail.grant.subject',
        desc: 'Carrier access e-mail to the carrier (Spedition): subject and first line; the placeholder is the driver’s name',
      },
    ),
    intro: msg(
      'Im CONROO-Kundenportal können Sie nun Zahlungsmethode und Rechnungsdaten dieses Gate Pass für den Fahrer pflegen. Mit diesem Link melden Sie sich an:',
      {id: 'mail.grant.intro', desc: 'Carrier access e-mail: followed by the login link'},
    ),
    notice: msg(
      'Der Fahrer erfährt per E-Mail von jeder Änderung und kann den Zugriff jederzeit beenden.',
      {id: 'mail.grant.notice', desc: 'Carrier access e-mail'},
    ),
    ignore: msg('Wenn Sie diesen Fahrer nicht kennen, können Sie diese E-Mail ignorieren.', {
      id: 'mail.grant.ignore',
      desc: 'Carrier access e-mail',
    }),
  };
}

/** What changed, as one line of the owner's notice. */
export type NoticeWhat =
  | {
      kind: 'payment_method_added' | 'payment_method_removed' | 'payment_method_default';
      method: string;
    }
  | {kind: 'billing_details'}
  | {kind: 'access_given' | 'access_ended' | 'access_given_back'; carrier: string};

function whatChanged(msg: MailMsg, what: NoticeWhat): string {
  switch (what.kind) {
    case 'payment_method_added':
      return msg(str`Zahlungsmethode hinzugefügt: ${what.method}`, {
        id: 'mail.notice.methodAdded',
        desc: 'Change notice to the Gate Pass owner; the placeholder is e.g. „Visa •••• 4242“',
      });
    case 'payment_method_removed':
      return msg(str`Zahlungsmethode entfernt: ${what.method}`, {
        id: 'mail.notice.methodRemoved',
        desc: 'Change notice to the Gate Pass owner; the placeholder is e.g. „Visa •••• 4242“',
      });
    case 'payment_method_default':
      return msg(str`Neue Standard-Zahlungsmethode: ${what.method}`, {
        id: 'mail.notice.methodDefault',
        desc: 'Change notice: the method the next renewal is charged to; placeholder e.g. „Visa •••• 4242“',
      });
    case 'billing_details':
      return msg('Rechnungs- und Versanddaten geändert', {
        id: 'mail.notice.billingDetails',
        desc: 'Change notice: name, address or VAT ID for the invoices were changed',
      });
    case 'access_given':
      return msg(str`Zugriff für die Spedition ${what.carrier} gegeben`, {
        id: 'mail.notice.accessGiven',
        desc: 'Change notice: the owner gave a carrier access; the placeholder is the carrier’s e-mail address',
      });
    case 'access_ended':
      return msg(str`Zugriff der Spedition ${what.carrier} beendet`, {
        id: 'mail.notice.accessEnded',
        desc: 'Change notice: the owner ended a carrier’s access; the placeholder is its e-mail address',
      });
    case 'access_given_back':
      return msg(str`Die Spedition ${what.carrier} hat ihren Zugriff zurückgegeben`, {
        id: 'mail.notice.accessGivenBack',
        desc: 'Change notice: the carrier itself gave its access back; the placeholder is its e-mail address',
      });
  }
}

/** The notice to a Gate Pass owner of a change made in the portal. */
export function noticeMailTexts(
  msg: MailMsg,
  values: {what: NoticeWhat; account: string; by: string; when: string},
) {
  return {
    subject: msg('Änderung an Ihrem Gate Pass', {
      id: 'mail.notice.subject',
      desc: 'Change notice to the Gate Pass owner: subject',
    }),
    intro: msg('im CONROO-Kundenportal wurde an Ihrem Gate Pass Folgendes geändert:', {
      id: 'mail.notice.intro',
      desc: 'Change notice: follows the greeting „Hallo,“ (hence lower case in German); followed by the change',
    }),
    what: whatChanged(msg, values.what),
    account: msg(str`Gate Pass: ${values.account}`, {
      id: 'mail.notice.account',
      desc: 'Change notice: which Gate Pass (the customer’s name)',
    }),
    by: msg(str`Geändert von: ${values.by}`, {
      id: 'mail.notice.by',
      desc: 'Change notice: the e-mail address of the session that made the change',
    }),
    when: msg(str`Zeitpunkt: ${values.when}`, {
      id: 'mail.notice.when',
      desc: 'Change notice: date and time of the change',
    }),
    check: msg(
      'Wenn Sie diese Änderung nicht erwartet haben, melden Sie sich im Kundenportal an, prüfen Sie, wer Zugriff auf Ihren Gate Pass hat, und beenden Sie einen Zugriff, den Sie nicht mehr wünschen.',
      {id: 'mail.notice.check', desc: 'Change notice: what to do about an unexpected change'},
    ),
  };
}
