/**
 * The emulator's stand-ins for the pages Stripe sends a browser to: the card issuer's 3-D Secure
 * challenge and PayPal's approval. `GET /redirect/:id?client_secret=...` shows a small, clearly
 * labelled demo page (German and English, no script, no external resources) with two plain
 * forms; `POST /redirect/:id/approve` or `/cancel` ends the SetupIntent's redirect and answers
 * `303` to the confirm's `return_url` with Stripe's `setup_intent`, `setup_intent_client_secret`
 * and `redirect_status` appended. No API key is involved: the client secret authorizes, as on
 * Stripe's own redirect pages.
 */
import {createHash} from 'node:crypto';
import {Router, type Request, type Response} from 'express';
import type Stripe from 'stripe';
import {completeRedirect, returnUrlWithResult} from './setup-intents.js';
import type {EmulatorState} from './state.js';

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c] ?? c,
  );

const css = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef1f5;color:#1a1f36}
.demo{background:#ffd84d;color:#3d2e00;text-align:center;padding:.5rem 1rem;font-weight:600}
main{max-width:30rem;margin:2.5rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.35rem;margin:0 0 .25rem}
.en{color:#5b6478;margin-top:0}
.detail{background:#f6f8fb;border-radius:8px;padding:.75rem 1rem;font-weight:600}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}
form{margin:0}
button{font:inherit;font-weight:600;padding:.7rem 1.2rem;border-radius:8px;border:1px solid #c4cad6;background:#fff;color:#1a1f36;cursor:pointer}
button.primary{background:#0b5cff;border-color:#0b5cff;color:#fff}
.paypal button.primary{background:#ffc439;border-color:#ffc439;color:#111}
.paypal h1{color:#003087}
a{color:#0b5cff}
`;

const cssHash = createHash('sha256').update(css).digest('base64');

function sendPage(res: Response, status: number, title: string, body: string, cls = ''): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${cssHash}'; base-uri 'none'; frame-ancestors 'self'`,
    })
    .send(
      `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body class="${cls}">
<div class="demo" role="note">Demo – simulierte Seite des Stripe-Emulators, es wird kein echtes Geld bewegt. · Demo – simulated page of the Stripe emulator, no real money moves.</div>
<main>
${body}
</main>
</body>
</html>
`,
    );
}

function notFound(res: Response): void {
  sendPage(
    res,
    404,
    'Demo: Unbekannte Anfrage / Unknown request',
    `<h1>Unbekannte Anfrage</h1><p class="en">Unknown request</p>
<p>Dieser Link ist ungültig. Bitte kehren Sie zum Portal zurück und versuchen Sie es erneut.</p>
<p class="en">This link is not valid. Please go back to the portal and try again.</p>`,
  );
}

function paymentMethodLabel(pm: Stripe.PaymentMethod | undefined): string {
  if (pm?.card) {
    const brand = pm.card.brand === 'mastercard' ? 'Mastercard' : pm.card.brand.toUpperCase();
    return `${brand === 'VISA' ? 'Visa' : brand} •••• ${pm.card.last4}`;
  }
  if (pm?.paypal) return `PayPal: ${pm.paypal.payer_email ?? ''}`;
  return '';
}

export function createRedirectRoutes(state: EmulatorState): Router {
  const router = Router();

  /** The SetupIntent named in the path, if the client secret matches. */
  const authorized = (req: Request, secret: unknown): Stripe.SetupIntent | undefined => {
    const si = state.setupIntents.get(String(req.params.id));
    return si && typeof secret === 'string' && secret === si.client_secret ? si : undefined;
  };

  router.get('/redirect/:id', (req, res) => {
    const query = req.query as Record<string, unknown>;
    const si = authorized(req, query.client_secret);
    const redirect = si && state.setupIntentRedirects.get(si.id);
    if (!si || !redirect?.returnUrl) return notFound(res);
    if (si.status !== 'requires_action') {
      const target = returnUrlWithResult(
        si,
        redirect.returnUrl,
        si.status === 'succeeded' ? 'succeeded' : 'failed',
      );
      return sendPage(
        res,
        200,
        'Demo: Bereits abgeschlossen / Already completed',
        `<h1>Bereits abgeschlossen</h1><p class="en">Already completed</p>
<p>Diese Anfrage wurde bereits beantwortet. · This request has already been answered.</p>
<p><a href="${escapeHtml(target)}">Zurück zum Portal · Back to the portal</a></p>`,
      );
    }
    const pm =
      typeof si.payment_method === 'string'
        ? state.paymentMethods.get(si.payment_method)
        : undefined;
    const id = escapeHtml(encodeURIComponent(si.id));
    const secret = escapeHtml(si.client_secret ?? '');
    const forms = `<div class="actions">
<form method="post" action="${id}/approve"><input type="hidden" name="client_secret" value="${secret}"><button type="submit" class="primary">Bestätigen / Approve</button></form>
<form method="post" action="${id}/cancel"><input type="hidden" name="client_secret" value="${secret}"><button type="submit">Abbrechen / Cancel</button></form>
</div>`;
    if (redirect.kind === 'paypal') {
      const email = escapeHtml(pm?.paypal?.payer_email ?? '');
      return sendPage(
        res,
        200,
        'Demo: PayPal',
        `<h1>Demo: PayPal – Zahlungen zustimmen</h1><p class="en">Demo: PayPal – approve payments</p>
<p>CONROO möchte künftige Zahlungen für den Gate Pass von Ihrem PayPal-Konto einziehen.</p>
<p class="en">CONROO would like to collect future Gate Pass payments from your PayPal account.</p>
<p class="detail">${email}</p>
${forms}`,
        'paypal',
      );
    }
    return sendPage(
      res,
      200,
      'Demo: 3-D Secure',
      `<h1>Demo: 3-D Secure – Karte bestätigen</h1><p class="en">Demo: 3-D Secure – confirm your card</p>
<p>Ihre Bank bittet Sie, diese Karte für künftige Zahlungen an CONROO zu bestätigen.</p>
<p class="en">Your bank asks you to confirm this card for future payments to CONROO.</p>
<p class="detail">${escapeHtml(paymentMethodLabel(pm))}</p>
${forms}`,
      'three-d-secure',
    );
  });

  const finish = (approve: boolean) => (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const si = authorized(req, body.client_secret);
    const redirect = si && state.setupIntentRedirects.get(si.id);
    if (!si || !redirect?.returnUrl) return notFound(res);
    const after = completeRedirect(state, si, approve);
    const status = after.status === 'succeeded' ? 'succeeded' : 'failed';
    res.redirect(303, returnUrlWithResult(after, redirect.returnUrl, status));
  };

  router.post('/redirect/:id/approve', finish(true));
  router.post('/redirect/:id/cancel', finish(false));

  return router;
}
