import {noticeMailTexts, type NoticeWhat} from './carrier-mail-texts.js';
import type {LoginLinkMail} from './login-link-mail.js';
import {loginLinkTexts} from './login-link-texts.js';
import {escapeHtml, linkButton, mailDocument, paragraph} from './mail-html.js';
import {msgIn, type MailLocale} from './mail-translations.js';

export type {NoticeWhat} from './carrier-mail-texts.js';

/** When, in the owner's language and German time: „12. Mai 2026 um 14:03 MESZ". */
export function noticeTime(locale: MailLocale, unixSeconds: number): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
    timeZoneName: 'short',
  }).format(new Date(unixSeconds * 1000));
}

/**
 * The notice to a Gate Pass owner of a change made in the portal: what changed, of which Gate
 * Pass, by whom (the session's address), when; with a plain link to the portal (no login token:
 * the owner asks for one there).
 */
export function renderOwnerNoticeMail(input: {
  what: NoticeWhat;
  /** The Gate Pass (the customer's name, else its ID). */
  account: string;
  by: string;
  at: number;
  portalUrl: string;
  locale: MailLocale;
}): LoginLinkMail {
  const msg = msgIn(input.locale);
  const login = loginLinkTexts(msg, {duration: ''});
  const t = noticeMailTexts(msg, {
    what: input.what,
    account: input.account,
    by: input.by,
    when: noticeTime(input.locale, input.at),
  });
  const text = [
    login.greeting,
    '',
    t.intro,
    '',
    t.what,
    t.account,
    t.by,
    t.when,
    '',
    t.check,
    input.portalUrl,
    '',
    login.signature,
  ].join('\n');
  const html = mailDocument(
    input.locale,
    [
      paragraph(login.greeting),
      paragraph(t.intro),
      `<p><strong>${escapeHtml(t.what)}</strong><br>${[t.account, t.by, t.when].map(escapeHtml).join('<br>')}</p>`,
      paragraph(t.check),
      linkButton(input.portalUrl, login.button),
      paragraph(login.signature),
    ].join('\n'),
  );
  return {subject: t.subject, text, html};
}
