/** The login mail in German (default) and English, as text and HTML. */
export interface LoginLinkMail {
  subject: string;
  text: string;
  html: string;
}

export type MailLocale = 'de' | 'en';

export const mailLocale = (locale: string | undefined): MailLocale =>
  locale?.toLowerCase().startsWith('en') ? 'en' : 'de';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!,
  );

const TEXTS = {
  de: {
    subject: 'Ihr Zugang zum CONROO-Kundenportal',
    greeting: 'Hallo,',
    intro:
      'Sie haben einen Zugang zum CONROO-Kundenportal für Ihren Gate Pass angefordert. Mit diesem Link gelangen Sie direkt in Ihr Dashboard:',
    button: 'Zum Kundenportal',
    validity: (duration: string) =>
      `Der Link ist ${duration} gültig und kann nur einmal verwendet werden.`,
    forward:
      'Sie können diese E-Mail an Ihren Spediteur weiterleiten, damit er Zahlungsmethode und Rechnungsdaten für Sie pflegt.',
    ignore: 'Wenn Sie diesen Link nicht angefordert haben, können Sie diese E-Mail ignorieren.',
    signature: 'Ihr CONROO-Team',
  },
  en: {
    subject: 'Your access to the CONROO customer portal',
    greeting: 'Hello,',
    intro:
      'You asked for access to the CONROO customer portal for your Gate Pass. This link takes you straight to your dashboard:',
    button: 'Open the customer portal',
    validity: (duration: string) => `The link is valid for ${duration} and works only once.`,
    forward:
      'You can forward this e-mail to your carrier so that they can manage the payment method and billing details for you.',
    ignore: 'If you did not ask for this link, you can ignore this e-mail.',
    signature: 'Your CONROO team',
  },
} as const;

export function renderLoginLinkMail(input: {
  link: string;
  locale: MailLocale;
  /** How long the link is valid, in seconds (`MAGIC_LINK_TTL`). */
  validSeconds: number;
}): LoginLinkMail {
  const t = TEXTS[input.locale];
  // „24 Stunden", „90 Minuten", „1 Stunde": whole hours when the TTL is whole hours.
  const wholeHours = input.validSeconds % 3600 === 0;
  const duration = new Intl.NumberFormat(input.locale, {
    style: 'unit',
    unit: wholeHours ? 'hour' : 'minute',
    unitDisplay: 'long',
  }).format(wholeHours ? input.validSeconds / 3600 : Math.ceil(input.validSeconds / 60));
  const text = [
    t.greeting,
    '',
    t.intro,
    '',
    input.link,
    '',
    t.validity(duration),
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
<p>${escapeHtml(t.validity(duration))}<br>${escapeHtml(t.forward)}</p>
<p style="color:#555">${escapeHtml(t.ignore)}</p>
<p>${escapeHtml(t.signature)}</p>
</body></html>`;
  return {subject: t.subject, text, html};
}
