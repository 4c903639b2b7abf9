/**
 * `npm run bench:e-invoice`: how long one e-invoice takes on this machine.
 *
 * - generation alone (the mapping from Stripe's invoice and `@e-invoice-eu/core`, no Stripe
 *   calls): the first call of the process, which compiles the library's schema for the format
 *   once, and the median of the calls after it; XRechnung (XML) and ZUGFeRD (Stripe's PDF in,
 *   the PDF with the XML out);
 * - the whole route `GET /api/invoices/:id/e-invoice` of the demo (the in-process Stripe
 *   emulator without added latency, a logged-in session), median of warm requests.
 *
 * Goals (issue 16): ≤ 50 ms for the XML, ≤ 300 ms for the PDF. Prints a table; exits 0 whatever
 * the figures (they are figures, not a test).
 */
import {startDemo} from '../demo/boot.js';
import {renderInvoicePdf} from '../demo/stripe-emulator/invoice-pdf.js';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../demo/stripe-emulator/seed.js';
import {silentLogger} from '../server/logger.js';
import {
  generateXRechnung,
  generateZugferd,
  LIBRARY_VERSION,
} from '../server/services/e-invoice/generator.js';
import {eInvoiceData} from '../server/services/e-invoice/mapping.js';
import {taxCaseOf} from '../server/services/e-invoice/tax-case.js';
import {login} from '../test/server/harness.js';

const RUNS = 30;
const ROUTE_RUNS = 20;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function series(run: () => Promise<unknown>, runs: number) {
  const first = await time(run);
  const rest: number[] = [];
  for (let i = 0; i < runs; i++) rest.push(await time(run));
  return {first, median: median(rest), max: Math.max(...rest)};
}

const demo = await startDemo({port: 0, env: {LOG_LEVEL: 'silent'}});
try {
  const state = demo.emulator!.state;
  const invoice = [...state.invoices.values()]
    .filter((i) => i.customer === SEEDED_CUSTOMER_IDS.company && i.status === 'paid')
    .sort((a, b) => b.created - a.created)[0];
  const rates = new Map([...state.taxRates.values()].map((r) => [r.id, r.percentage]));
  const settings = demo.config.eInvoice;
  const data = () => {
    const {taxCase, lineTaxes} = taxCaseOf(invoice, rates, settings);
    return eInvoiceData({
      invoice,
      taxCase,
      lineTaxes,
      payment: {kind: 'card', last4: '4444', network: 'MasterCard'},
      seller: settings.seller,
    });
  };
  const doc = renderInvoicePdf(state, invoice);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => doc.on('end', resolve));
  const stripePdf = Buffer.concat(chunks);

  const xml = await series(() => generateXRechnung(data(), silentLogger), RUNS);
  const pdf = await series(() => generateZugferd(data(), stripePdf, silentLogger), RUNS);

  const client = await login(demo, SEEDED_EMAILS.company);
  const route = async (format: string) => {
    const times: number[] = [];
    for (let i = 0; i < ROUTE_RUNS; i++) {
      times.push(
        await time(async () => {
          const answer = await client.get(`/api/invoices/${invoice.id}/e-invoice?format=${format}`);
          if (answer.status !== 200) throw new Error(`${format}: ${answer.status}`);
        }),
      );
    }
    return median(times);
  };
  const routeXml = await route('xrechnung');
  const routePdf = await route('zugferd');

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rows = [
    ['XRechnung: first call (compiles the schema once)', ms(xml.first), '', ''],
    [
      `XRechnung: median of ${RUNS}`,
      ms(xml.median),
      '≤ 50 ms',
      xml.median <= 50 ? 'met' : 'MISSED',
    ],
    ['ZUGFeRD: first call (compiles the schema once)', ms(pdf.first), '', ''],
    [
      `ZUGFeRD: median of ${RUNS}`,
      ms(pdf.median),
      '≤ 300 ms',
      pdf.median <= 300 ? 'met' : 'MISSED',
    ],
    [`route, XRechnung: median of ${ROUTE_RUNS}`, ms(routeXml), '', ''],
    [`route, ZUGFeRD: median of ${ROUTE_RUNS}`, ms(routePdf), '', ''],
  ];
  console.log(
    `@e-invoice-eu/core ${LIBRARY_VERSION}, Stripe PDF ${stripePdf.length} bytes, Node ${process.version}`,
  );
  const widths = [0, 1, 2, 3].map((c) =>
    Math.max(...[['measure', 'value', 'goal', 'result'], ...rows].map((r) => r[c].length)),
  );
  for (const row of [['measure', 'value', 'goal', 'result'], ...rows]) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  }
} finally {
  await demo.close();
}
