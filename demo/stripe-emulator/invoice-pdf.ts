/**
 * The emulator's stand-in for Stripe's invoice PDFs, on Stripe's hosts (`stripe-hosts.ts`):
 * `invoice_pdf` (`https://pay.stripe.com/invoice/acct_demo/test_<token>/pdf?s=ap`) redirects to
 * a file link on files.stripe.com, which renders the invoice on the fly with pdfkit, in German,
 * from the billing details Stripe copied onto the invoice when it was finalized (name, address,
 * tax IDs), never from the customer as it is now. Like Stripe's links both are bearer URLs: no
 * API key, the token in the path authorizes, and a wrong token is a plain 404.
 *
 * Demo only: the seller block is CONROO's, but the document says it is a demo.
 */
import {createHash, timingSafeEqual} from 'node:crypto';
import {Router, type Response} from 'express';
import PDFDocument from 'pdfkit';
import type Stripe from 'stripe';
import {minorUnitDigits} from '../../common/billing-rules.js';
import {ACCOUNTING_TIME_ZONE} from '../../common/accounting-year.js';
import {servicePeriod} from '../../server/services/stripe-mappers.js';
import {EMULATOR_ACCOUNT_ID, type EmulatorState} from './state.js';
import {STRIPE_HOSTS_PATH} from './stripe-hosts.js';

/** CONROO as the seller (fictitious register data: this is the demo). */
export const SELLER = {
  name: 'CONROO GmbH',
  street: 'Überseeallee 10',
  city: '20457 Hamburg',
  country: 'Deutschland',
  vatId: 'DE312345678',
  register: 'Amtsgericht Hamburg, HRB 171234',
  email: 'rechnungen@conroo.example',
} as const;

const dateFormat = new Intl.DateTimeFormat('de-DE', {
  timeZone: ACCOUNTING_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const countryNames = new Intl.DisplayNames(['de'], {type: 'region'});

const date = (seconds: number) => dateFormat.format(new Date(seconds * 1000));

function money(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat('de-DE', {
    style: 'currency',
    currency: currency.toUpperCase(),
  }).format(minor / 10 ** digits);
}

/** Characters beyond WinAnsi besides Latin-1 that the PDF standard fonts can show. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Letters NFKD does not take apart. */
const TRANSLITERATION: Record<string, string> = {
  ı: 'i',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
};

const showable = (ch: string): boolean => {
  const code = ch.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
};

/**
 * Text the built-in Helvetica can show: it is encoded as WinAnsi (pdfkit writes anything else
 * as garbage), so „Yılmaz" becomes „Yilmaz" and „Łódź" „Lodz"; what has no Latin form is `?`.
 * Embedding a Unicode font would keep every name exactly, at the price of a font file in the
 * repository; for the demo's German and European names this is enough.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/[\u00a0\u202f]/g, ' ')) {
    if (ch === '\n' || showable(ch)) {
      out += ch;
      continue;
    }
    const base = TRANSLITERATION[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
    out += base && [...base].every(showable) ? base : '?';
  }
  return out;
}

/** Status line of the invoice as it is now (paid later, voided ...), in German. */
function statusLine(invoice: Stripe.Invoice, now: number): {text: string; color: string} {
  const total = money(invoice.amount_remaining || invoice.total, invoice.currency);
  switch (invoice.status) {
    case 'paid': {
      const paidAt = invoice.status_transitions.paid_at;
      return {
        text: `Bezahlt${paidAt ? ` am ${date(paidAt)}` : ''}. Vielen Dank!`,
        color: '#1a7f37',
      };
    }
    case 'open':
      if (invoice.due_date && invoice.due_date < now) {
        return {
          text: `Überfällig seit ${date(invoice.due_date)}: Bitte zahlen Sie ${total} im CONROO-Kundenportal unter „Rechnungen“.`,
          color: '#b42318',
        };
      }
      return {
        text: invoice.due_date
          ? `Offen: Bitte zahlen Sie ${total} bis zum ${date(invoice.due_date)} im CONROO-Kundenportal unter „Rechnungen“.`
          : `Offen: ${total} werden von Ihrer hinterlegten Zahlungsmethode eingezogen.`,
        color: '#b54708',
      };
    case 'void':
      return {text: 'Storniert: Diese Rechnung ist ungültig.', color: '#5b6478'};
    case 'uncollectible':
      return {text: 'Uneinbringlich.', color: '#5b6478'};
    default:
      return {text: 'Entwurf', color: '#5b6478'};
  }
}

function recipientLines(invoice: Stripe.Invoice): string[] {
  const lines = [invoice.customer_name ?? invoice.customer_email ?? ''];
  const a = invoice.customer_address;
  if (a) {
    if (a.line1) lines.push(a.line1);
    if (a.line2) lines.push(a.line2);
    const city = [a.postal_code, a.city].filter(Boolean).join(' ');
    if (city) lines.push(city);
    if (a.country && a.country !== 'DE') lines.push(countryNames.of(a.country) ?? a.country);
  }
  return lines.filter(Boolean);
}

/** The invoice as a German PDF; the caller pipes it. Uncompressed, so tests can read the text. */
export function renderInvoicePdf(
  state: EmulatorState,
  invoice: Stripe.Invoice,
): PDFKit.PDFDocument {
  const number = invoice.number ?? invoice.id;
  const finalizedAt = invoice.status_transitions.finalized_at ?? invoice.created;
  const doc = new PDFDocument({
    size: 'A4',
    margins: {top: 56, bottom: 40, left: 62, right: 56},
    compress: false,
    lang: 'de-DE',
    info: {
      Title: winAnsi(`Rechnung ${number}`),
      Author: SELLER.name,
      Subject: winAnsi(`Rechnung ${number} an ${invoice.customer_name ?? ''}`),
      Creator: 'CONROO Stripe-Emulator (Demo)',
      CreationDate: new Date(finalizedAt * 1000),
    },
  });
  const left = 62;
  const right = 539;
  const text = (value: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(winAnsi(value), x, y, {lineBreak: options.width !== undefined, ...options});

  // Letterhead.
  doc.font('Helvetica-Bold').fontSize(24).fillColor('#0b3b60');
  text('CONROO', left, 56);
  doc.font('Helvetica').fontSize(8.5).fillColor('#1a1f36');
  text(
    [
      SELLER.name,
      SELLER.street,
      SELLER.city,
      SELLER.country,
      '',
      `USt-IdNr.: ${SELLER.vatId}`,
      SELLER.email,
    ].join('\n'),
    400,
    56,
    {width: right - 400, align: 'right'},
  );

  // Recipient, as copied onto the invoice at finalization (DIN 5008 window).
  doc.fontSize(7).fillColor('#5b6478');
  text(`${SELLER.name} · ${SELLER.street} · ${SELLER.city}`, left, 150, {width: 250});
  doc
    .moveTo(left, 160)
    .lineTo(left + 250, 160)
    .lineWidth(0.5)
    .strokeColor('#c4cad6')
    .stroke();
  doc.fontSize(10).fillColor('#1a1f36');
  const recipient = recipientLines(invoice);
  const taxId = invoice.customer_tax_ids?.[0]?.value;
  text([...recipient, ...(taxId ? ['', `USt-IdNr.: ${taxId}`] : [])].join('\n'), left, 168, {
    width: 250,
  });

  // Invoice facts.
  const period = servicePeriod(invoice);
  const facts: Array<[string, string]> = [
    ['Rechnungsnummer', number],
    ['Rechnungsdatum', date(finalizedAt)],
    ['Leistungszeitraum', `${date(period.start)} – ${date(period.end)}`],
    [
      'Kundennummer',
      typeof invoice.customer === 'string' ? invoice.customer : (invoice.customer?.id ?? ''),
    ],
  ];
  if (invoice.due_date) facts.push(['Fällig am', date(invoice.due_date)]);
  let y = 168;
  for (const [label, value] of facts) {
    doc.fontSize(9).fillColor('#5b6478');
    text(label, 330, y);
    doc.fillColor('#1a1f36');
    text(value, 420, y, {width: right - 420, align: 'right'});
    y += 15;
  }
  // The invoice's custom fields (the customer's, copied when it was made, such as „Ihre
  // Referenz"), which Stripe renders in the header beside the invoice facts
  // (https://docs.stripe.com/invoicing/customize#custom-fields); a long one wraps.
  for (const field of invoice.custom_fields ?? []) {
    const label = {width: 86};
    const value = {width: right - 420, align: 'right'} as const;
    doc.fontSize(9).fillColor('#5b6478');
    text(field.name, 330, y, label);
    doc.fillColor('#1a1f36');
    text(field.value, 420, y, value);
    y += Math.max(
      15,
      doc.heightOfString(winAnsi(field.name), label) + 4,
      doc.heightOfString(winAnsi(field.value), value) + 4,
    );
  }
  // Everything below moves down when the facts reach into it.
  const below = Math.max(0, y - 290);

  doc.font('Helvetica-Bold').fontSize(16).fillColor('#1a1f36');
  text(`Rechnung ${number}`, left, 300 + below);
  doc.font('Helvetica').fontSize(10);
  text('Vielen Dank für Ihr Vertrauen. Wir berechnen Ihnen folgende Leistung:', left, 328 + below, {
    width: right - left,
  });

  // The line table.
  const columns = {
    pos: {x: left, width: 28, align: 'left'},
    description: {x: left + 30, width: 170, align: 'left'},
    period: {x: left + 205, width: 130, align: 'left'},
    quantity: {x: left + 335, width: 45, align: 'right'},
    amount: {x: left + 385, width: right - left - 385, align: 'right'},
  } as const;
  y = 360 + below;
  doc.rect(left, y - 5, right - left, 20).fill('#eef1f5');
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#1a1f36');
  const header = {
    pos: 'Pos.',
    description: 'Beschreibung',
    period: 'Zeitraum',
    quantity: 'Menge',
    amount: 'Betrag',
  };
  for (const [key, column] of Object.entries(columns)) {
    text(header[key as keyof typeof columns], column.x, y, {
      width: column.width,
      align: column.align,
    });
  }
  doc.font('Helvetica').fontSize(10);
  y += 26;
  for (const [i, item] of invoice.lines.data.entries()) {
    const cells = {
      pos: String(i + 1),
      description: item.description ?? 'Gate Pass',
      period: `${date(item.period.start)} – ${date(item.period.end)}`,
      quantity: String(item.quantity ?? 1),
      amount: money(item.amount, item.currency),
    };
    for (const [key, column] of Object.entries(columns)) {
      text(cells[key as keyof typeof columns], column.x, y, {
        width: column.width,
        align: column.align,
      });
    }
    y += 20;
  }
  doc.moveTo(left, y).lineTo(right, y).lineWidth(0.5).strokeColor('#c4cad6').stroke();

  // Totals: net, VAT per rate, gross.
  const taxes = invoice.total_taxes ?? [];
  const taxTotal = taxes.reduce((sum, t) => sum + t.amount, 0);
  const net = invoice.total_excluding_tax ?? invoice.total - taxTotal;
  const inclusive = taxes.some((t) => t.tax_behavior === 'inclusive');
  const percentOf = (t: Stripe.Invoice.TotalTax): string => {
    const rateId = t.tax_rate_details?.tax_rate;
    const rate = rateId ? state.taxRates.get(rateId) : undefined;
    return rate ? `${String(rate.percentage).replace('.', ',')} %` : '';
  };
  const totals: Array<[string, string, boolean]> = [
    ['Nettobetrag', money(net, invoice.currency), false],
  ];
  for (const t of taxes) {
    totals.push([`Umsatzsteuer ${percentOf(t)}`.trim(), money(t.amount, invoice.currency), false]);
  }
  totals.push(['Gesamtbetrag', money(invoice.total, invoice.currency), true]);
  y += 12;
  for (const [label, value, strong] of totals) {
    doc.font(strong ? 'Helvetica-Bold' : 'Helvetica').fontSize(strong ? 11 : 10);
    text(label, 300, y, {width: 150});
    text(value, columns.amount.x - 40, y, {width: columns.amount.width + 40, align: 'right'});
    y += strong ? 20 : 16;
  }
  doc.font('Helvetica').fontSize(9).fillColor('#5b6478');
  const reasons = new Set(taxes.map((t) => t.taxability_reason));
  // What Stripe prints for a customer with `tax_exempt: reverse`: „Reverse charge".
  if (reasons.has('reverse_charge')) {
    text('Reverse charge – Steuerschuldnerschaft des Leistungsempfängers.', left, y, {
      width: right - left,
    });
    y += 14;
  } else if (reasons.has('not_collecting')) {
    text('Nicht im Inland steuerbare Leistung.', left, y, {width: right - left});
    y += 14;
  } else if (inclusive && taxTotal > 0) {
    text('Im Gesamtbetrag ist die Umsatzsteuer enthalten.', left, y, {width: right - left});
    y += 14;
  }

  const status = statusLine(invoice, state.now());
  y += 16;
  doc.font('Helvetica-Bold').fontSize(11).fillColor(status.color);
  text(status.text, left, y, {width: right - left});

  // Footer with the seller's statutory details.
  doc.moveTo(left, 770).lineTo(right, 770).lineWidth(0.5).strokeColor('#c4cad6').stroke();
  doc.font('Helvetica').fontSize(7.5).fillColor('#5b6478');
  text(
    `${SELLER.name} · ${SELLER.street} · ${SELLER.city} · USt-IdNr. ${SELLER.vatId} · ${SELLER.register}`,
    left,
    776,
    {width: right - left, align: 'center'},
  );
  text(
    'Demo: erzeugt vom Stripe-Emulator des CONROO-Kundenportals, keine echte Rechnung.',
    left,
    788,
    {width: right - left, align: 'center'},
  );
  doc.end();
  return doc;
}

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The file-storage token of a PDF link: unguessable without it, and revoked with it. */
const fileToken = (pdfToken: string) =>
  createHash('sha256').update(`files.stripe.com:${pdfToken}`).digest('base64url');

/** The finalized invoice whose PDF token (or, with `derive`, file token) is `token`. */
function invoiceByToken(
  state: EmulatorState,
  token: string,
  derive: (pdfToken: string) => string = (t) => t,
): Stripe.Invoice | undefined {
  for (const [invoiceId, pdfToken] of state.invoicePdfTokens) {
    const invoice = state.invoices.get(invoiceId);
    if (invoice && invoice.status !== 'draft' && sameToken(derive(pdfToken), token)) return invoice;
  }
  return undefined;
}

const notFound = (res: Response) => res.status(404).type('text/plain').send('Not found');

/**
 * `https://pay.stripe.com/invoice/<account>/test_<token>/pdf`: a `302` to the PDF's file link;
 * `https://files.stripe.com/links/<file token>`: the PDF. Anything else is a plain 404.
 */
export function createInvoicePdfRoutes(state: EmulatorState): Router {
  const router = Router();
  router.get(`${STRIPE_HOSTS_PATH}/pay.stripe.com/invoice/:account/:token/pdf`, (req, res) => {
    const token = /^test_(\w+)$/.exec(req.params.token)?.[1];
    if (req.params.account !== EMULATOR_ACCOUNT_ID || !token || !invoiceByToken(state, token)) {
      return notFound(res);
    }
    res.set('Cache-Control', 'no-store');
    res.redirect(302, `https://files.stripe.com/links/${fileToken(token)}`);
  });
  router.get(`${STRIPE_HOSTS_PATH}/files.stripe.com/links/:fileToken`, (req, res) => {
    const invoice = invoiceByToken(state, req.params.fileToken, fileToken);
    if (!invoice) return notFound(res);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${(invoice.number ?? invoice.id).replace(/[^A-Za-z0-9-]/g, '_')}.pdf"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    renderInvoicePdf(state, invoice).pipe(res);
  });
  return router;
}
