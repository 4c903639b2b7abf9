import {str, type msg as litMsg} from '@lit/localize';

// The login mail's words. They are translated with the element's own strings: this file is one
// of lit-localize's input files (lit-localize.json), so its messages live in xliff/*.xlf beside
// the portal's, and the server renders the mail with the generated translations
// (mail-translations.ts). German is the source.

/**
 * `msg` bound to one language; the server passes one per mail (mail-translations.ts). It has
 * `msg`'s type, which is how lit-localize finds these messages. Every message has an explicit id,
 * so the server finds its translation without lit-localize's id hashing.
 */
export type MailMsg = typeof litMsg;

export function loginLinkTexts(msg: MailMsg, validity: {duration: string}) {
  return {
    subject: msg('Ihr Zugang zum CONROO-Kundenportal', {
      id: 'mail.subject',
      desc: 'Login e-mail: subject line',
    }),
    greeting: msg('Hallo,', {id: 'mail.greeting', desc: 'Login e-mail: greeting'}),
    intro: msg(
      'Sie haben einen Zugang zum CONROO-Kundenportal für Ihren Gate Pass angefordert. Mit diesem Link gelangen Sie direkt in Ihr Dashboard:',
      {id: 'mail.intro', desc: 'Login e-mail: first paragraph, followed by the link'},
    ),
    button: msg('Zum Kundenportal', {
      id: 'mail.button',
      desc: 'Login e-mail: label of the link button',
    }),
    validity: msg(
      str`Der Link ist ${validity.duration} gültig und kann nur einmal verwendet werden.`,
      {
        id: 'mail.validity',
        desc: 'Login e-mail: the placeholder is a duration such as „24 Stunden" or „90 Minuten"',
      },
    ),
    forward: msg(
      'Sie können diese E-Mail an Ihren Spediteur weiterleiten, damit er Zahlungsmethode und Rechnungsdaten für Sie pflegt.',
      {
        id: 'mail.forward',
        desc: 'Login e-mail: a carrier (Spediteur) may manage the account for the driver',
      },
    ),
    ignore: msg(
      'Wenn Sie diesen Link nicht angefordert haben, können Sie diese E-Mail ignorieren.',
      {id: 'mail.ignore', desc: 'Login e-mail'},
    ),
    signature: msg('Ihr CONROO-Team', {id: 'mail.signature', desc: 'Login e-mail: signature'}),
  };
}
