/** The HTML pieces every portal mail shares: escaping, the frame, the yellow link button. */

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!,
  );

/** A whole mail around `body` (HTML made of escaped parts). */
export const mailDocument = (lang: string, body: string) => `<!doctype html>
<html lang="${escapeHtml(lang)}"><body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.5">
${body}
</body></html>`;

/** The link as a button, and below it as text for mail clients that show no buttons. */
export const linkButton = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#ffd600;color:#1a1a1a;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(label)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(href)}</p>`;

/** One paragraph of text lines, each escaped, joined by line breaks. */
export const paragraph = (...lines: string[]) => `<p>${lines.map(escapeHtml).join('<br>')}</p>`;
