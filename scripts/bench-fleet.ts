/**
 * The fleet figures of `npm run bench`: what a carrier's operations on N accounts cost in wall
 * time and Stripe requests, against the same demo (emulator latency and all). The fleet is N
 * customers of one address, each with a Gate Pass and its first invoice, which a login to that
 * address holds all at once — the fleet of the bulk save and the export without carrier access.
 * Carrier access adds its figure for the fleet overview (`GET /api/fleet`) here.
 */
import {accountingYearOf} from '../common/accounting-year.js';
import type {Demo} from '../demo/boot.js';
import type {TracedRequest} from '../demo/stripe-emulator/index.js';
import {createStripeClient} from '../server/adapters/stripe.js';
import {createFleet, mostAtOnce} from '../test/server/fleet-harness.js';
import {companyDetails, login} from '../test/server/harness.js';

/** One row of the bench's table: measure, value, goal, result. */
export type BenchRow = [string, string, string, string];

interface Measured {
  ms: number;
  stripeRequests: number;
  /** Every Stripe request, in the order they were answered. */
  trace: TracedRequest[];
}

/** Runs `work` with the emulator's trace on; its wall time and the Stripe requests it made. */
async function measure(demo: Demo, work: () => Promise<void>): Promise<Measured> {
  const emulator = demo.emulator!;
  await emulator.webhooksIdle();
  const trace: TracedRequest[] = [];
  emulator.state.http.trace = trace;
  const count = emulator.requestCount();
  const t0 = performance.now();
  try {
    await work();
  } finally {
    emulator.state.http.trace = null;
  }
  return {
    ms: performance.now() - t0,
    stripeRequests: emulator.requestCount() - count,
    trace,
  };
}

/** The bulk save and the year's export for a fleet of `size` accounts. */
export async function fleetFigures(demo: Demo, size: number): Promise<BenchRow[]> {
  const emulator = demo.emulator!;
  const email = `bench-flotte-${Date.now()}@example.com`;
  // Made without the emulator's latency: setting up is not what is measured.
  const latency = emulator.state.http.latencyMs;
  emulator.state.http.latencyMs = 0;
  let ids: string[];
  try {
    ids = await createFleet(
      createStripeClient(demo.config),
      email,
      Array.from({length: size}, (_, i) => ({name: `Fahrer ${i + 1}`, withInvoice: true})),
    );
  } finally {
    emulator.state.http.latencyMs = latency;
  }
  const {cookieHeader: cookie} = await login(demo, email);
  const concurrency = demo.config.fleetConcurrency;

  let saved = 0;
  const save = await measure(demo, async () => {
    const answer = await fetch(new URL('/api/fleet/billing-details', demo.url), {
      method: 'PUT',
      headers: {cookie, 'content-type': 'application/json'},
      body: JSON.stringify({customerIds: ids, details: companyDetails}),
    });
    const {results} = (await answer.json()) as {results: Array<{status: string}>};
    saved = results.filter((r) => r.status === 'saved').length;
  });

  let bytes = 0;
  const year = accountingYearOf(Math.floor(Date.now() / 1000));
  const exported = await measure(demo, async () => {
    const answer = await fetch(new URL(`/api/fleet/invoices/export?year=${year}`, demo.url), {
      headers: {cookie},
    });
    if (answer.status !== 200) throw new Error(`the fleet export answered ${answer.status}`);
    bytes = (await answer.arrayBuffer()).byteLength;
  });

  const saveAtOnce = mostAtOnce(save.trace);
  // From the first invoice list on: the session's accounts are read before, two requests each.
  const zipAtOnce = mostAtOnce(
    exported.trace.slice(exported.trace.findIndex((r) => r.path === '/v1/invoices')),
  );
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    [
      `Fleet bulk save, ${size} accounts: wall time / Stripe requests`,
      `${fmt(save.ms)} / ${save.stripeRequests}`,
      '—',
      'info',
    ],
    [`Fleet bulk save: accounts saved`, `${saved} / ${size}`, String(size), pass(saved === size)],
    [
      `Fleet invoice export, ${size} accounts: wall time / Stripe requests`,
      `${fmt(exported.ms)} / ${exported.stripeRequests} (${(bytes / 1024).toFixed(0)} kB ZIP)`,
      '—',
      'info',
    ],
    [
      'Fleet save / export (its ZIP): most Stripe requests at once',
      `${saveAtOnce} / ${zipAtOnce}`,
      `≤ ${concurrency} (FLEET_CONCURRENCY)`,
      pass(saveAtOnce <= concurrency && zipAtOnce <= concurrency),
    ],
  ];
}
