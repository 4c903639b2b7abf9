import {escapeHtml} from './mail-html.js';
import {loginLinkTexts} from './login-link-texts.js';
import {msgIn, type MailLocale} from './mail-translations.js';

export {mailLocale, type MailLocale} from './mail-translations.js';

/** The login mail in the portal's language, as text and HTML (words: login-link-texts.ts). */
export interface LoginLinkMail {
  subject: string;
  text: string;
  html: string;
}

/** „24 Stunden", „90 Minuten", „1 Stunde": whole hours when the TTL is whole hours. */
export function linkValidity(locale: MailLocale, validSeconds: number): string {
  const wholeHours = validSeconds % 3600 === 0;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: wholeHours ? 'hour' : 'minute',
    unitDisplay: 'long',
  }).format(wholeHours ? validSeconds / 3600 : Math.ceil(validSeconds / 60));
}

export function renderLoginLinkMail(input: {
  link: string;
  locale: MailLocale;
  /** How long the link is valid, in seconds (`MAGIC_LINK_TTL`). */
  validSeconds: number;
}): LoginLinkMail {
  const duration = linkValidity(input.locale, input.validSeconds);
  const t = loginLinkTexts(msgIn(input.locale), {duration});
  const text = [
    t.greeting,
    '',
    t.intro,
    '',
    input.link,
    '',
    t.validity,
    t.forward,
    '',
    t.ignore,
    '',
    t.signature,
  ].join('\n');
  const link = escapeHtml(input.link);
  const html = `<!doctype html>
<html lang="${input.locale}"><body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.5">
<p>${escapeHtml(t.greeting)}</p>
<p>${escapeHtml(t.intro)}</p>
<p><a href="${link}" style="display:inline-block;background:#ffd600;color:#1a1a1a;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(t.button)}</a></p>
<p style="font-size:13px;color:#555">${link}</p>
<p>${escapeHtml(t.validity)}<br>${escapeHtml(t.forward)}</p>
<p style="color:#555">${escapeHtml(t.ignore)}</p>
<p>${escapeHtml(t.signature)}</p>
</body></html>`;
  return {subject: t.subject, text, html};
}
