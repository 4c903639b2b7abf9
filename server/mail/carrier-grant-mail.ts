import {grantMailTexts} from './carrier-mail-texts.js';
import {linkValidity, type LoginLinkMail} from './login-link-mail.js';
import {loginLinkTexts} from './login-link-texts.js';
import {linkButton, mailDocument, paragraph} from './mail-html.js';
import {msgIn, type MailLocale} from './mail-translations.js';

/**
 * The mail to a carrier that a driver gave access: who did, and a login link for the carrier's
 * own address (a normal magic link). Words: carrier-mail-texts.ts, the shared ones of the login
 * mail (greeting, button, validity, signature) from login-link-texts.ts.
 */
export function renderCarrierGrantMail(input: {
  /** The driver's name as Stripe holds it (else the owner's address). */
  driver: string;
  link: string;
  locale: MailLocale;
  validSeconds: number;
}): LoginLinkMail {
  const msg = msgIn(input.locale);
  const login = loginLinkTexts(msg, {duration: linkValidity(input.locale, input.validSeconds)});
  const t = grantMailTexts(msg, {driver: input.driver});
  const headline = `${t.subject}.`;
  const text = [
    login.greeting,
    '',
    headline,
    t.intro,
    '',
    input.link,
    '',
    login.validity,
    t.notice,
    '',
    t.ignore,
    '',
    login.signature,
  ].join('\n');
  const html = mailDocument(
    input.locale,
    [
      paragraph(login.greeting),
      paragraph(headline, t.intro),
      linkButton(input.link, login.button),
      paragraph(login.validity, t.notice),
      paragraph(t.ignore),
      paragraph(login.signature),
    ].join('\n'),
  );
  return {subject: t.subject, text, html};
}
