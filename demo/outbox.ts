import {Router} from 'express';
import type {OutboxMessage} from './postmark-standin.js';

/** What the Postmark stand-in received: the demo's inbox for every address. */
export interface Outbox {
  /** Newest first; with `to`, only the mails to that address (case-insensitive). */
  messages(filter?: {to?: string}): Promise<OutboxMessage[]>;
}

/** The messages to `to` (all without it). */
export function sentTo(messages: OutboxMessage[], to: string | undefined): OutboxMessage[] {
  if (!to) return messages;
  const wanted = to.trim().toLowerCase();
  return messages.filter((m) => m.to.trim().toLowerCase() === wanted);
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!,
  );

/**
 * `GET /dev/outbox`: JSON for programs, a readable page for a person in a browser;
 * `?to=address` shows only the mails to that address (the load test reads its own this way).
 */
export function outboxRoutes(outbox: Outbox): Router {
  const router = Router();
  router.get('/outbox', async (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const messages = await outbox.messages({to});
    res.set('Cache-Control', 'no-store');
    if (req.accepts(['json', 'html']) !== 'html') {
      res.json({messages});
      return;
    }
    const rows = messages
      .map(
        (m) => `<article>
  <header><strong>${escapeHtml(m.subject)}</strong><br>
  An: ${escapeHtml(m.to)} · <time>${new Date(m.createdAt * 1000).toLocaleString('de-DE')}</time></header>
  ${m.link ? `<p><a class="open" href="${escapeHtml(m.link)}">Link öffnen</a> <code>${escapeHtml(m.link)}</code></p>` : ''}
  <pre>${escapeHtml(m.text)}</pre>
</article>`,
      )
      .join('\n');
    res.type('html').send(`<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Dev-Postausgang · CONROO Demo</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f4f2;color:#1a1a1a}
main{max-width:760px;margin:0 auto;padding:16px}
h1{font-size:1.4rem} article{background:#fff;border-radius:8px;padding:16px;margin:12px 0;box-shadow:0 1px 3px #0002}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;background:#fafafa;padding:8px}
a.open{display:inline-block;background:#ffd600;color:#1a1a1a;padding:8px 14px;border-radius:6px;font-weight:600;text-decoration:none}
code{word-break:break-all;font-size:.75rem;display:block;margin-top:6px;color:#555}
</style></head>
<body><main><h1>Dev-Postausgang</h1>
<p>Alle E-Mails, die das Demo-Portal verschickt hätte (neueste zuerst). Diese Seite lädt sich alle 5 s neu. <a href="/">Zur Demo-Seite</a></p>
${rows || '<p>Noch keine E-Mails. Fordern Sie im Kundenportal einen Link an.</p>'}
</main></body></html>`);
  });
  return router;
}
