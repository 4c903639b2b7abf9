/**
 * The fleet figures of `npm run bench`: what a carrier's operations on N accounts cost in wall
 * time and Stripe requests, against the same demo (emulator latency and all). The fleet is N
 * customers of one address, each with a Gate Pass and its first invoice, which a login to that
 * address holds all at once — the fleet of the bulk save and the export without carrier access.
 * The fleet overview (`GET /api/fleet`) is measured on the seed's carrier with 300 drivers
 * (`grossflotte@example.com`), whom Stripe's customer search finds by their metadata.
 */
import {accountingYearOf} from '../common/accounting-year.js';
import type {Demo} from '../demo/boot.js';
import {
  LARGE_FLEET_SIZE,
  SEEDED_CARRIERS,
  type TracedRequest,
} from '../demo/stripe-emulator/index.js';
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

/** Runs of the fleet overview, as many as of the dashboard (the table's heading names them). */
const OVERVIEW_COLD_RUNS = 3;
const OVERVIEW_WARM_RUNS = 20;
/** The goal for a cold overview (300 drivers are three search pages of 100). */
const OVERVIEW_COLD_GOAL = 4;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * `GET /api/fleet` of the seeded 300-driver carrier: cold (the store's cache emptied before each
 * run, as `test/server/fleet.test.ts` does: no rows, no carrier list) and warm, each with its
 * Stripe requests (the emulator's counter) and wall time.
 */
async function overviewFigures(demo: Demo): Promise<BenchRow[]> {
  const {cookieHeader: cookie} = await login(demo, SEEDED_CARRIERS.largeFleet);
  let drivers = 0;
  const fleet = () =>
    measure(demo, async () => {
      const answer = await fetch(new URL('/api/fleet', demo.url), {headers: {cookie}});
      if (answer.status !== 200) throw new Error(`GET /api/fleet answered ${answer.status}`);
      drivers = ((await answer.json()) as {drivers: unknown[]}).drivers.length;
    });
  const cold: Measured[] = [];
  for (let i = 0; i < OVERVIEW_COLD_RUNS; i++) {
    await demo.emulator!.webhooksIdle();
    await demo.store.cacheDelete('');
    cold.push(await fleet());
  }
  const warm: Measured[] = [];
  for (let i = 0; i < OVERVIEW_WARM_RUNS; i++) warm.push(await fleet());

  const coldRequests = Math.max(...cold.map((c) => c.stripeRequests));
  const warmRequests = Math.max(...warm.map((w) => w.stripeRequests));
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    [
      `Fleet overview (GET /api/fleet), ${SEEDED_CARRIERS.largeFleet}: drivers`,
      String(drivers),
      String(LARGE_FLEET_SIZE),
      pass(drivers === LARGE_FLEET_SIZE),
    ],
    [
      'Fleet overview cold: Stripe requests',
      String(coldRequests),
      `≤ ${OVERVIEW_COLD_GOAL}`,
      pass(coldRequests <= OVERVIEW_COLD_GOAL),
    ],
    ['Fleet overview cold: latency', `${median(cold.map((c) => c.ms)).toFixed(1)} ms`, '—', 'info'],
    ['Fleet overview warm: Stripe requests', String(warmRequests), '0', pass(warmRequests === 0)],
    ['Fleet overview warm: latency', `${median(warm.map((w) => w.ms)).toFixed(1)} ms`, '—', 'info'],
  ];
}

/**
 * The fleet overview of the seeded 300-driver carrier, then the bulk save and the year's export
 * for a fleet of `size` accounts.
 */
export async function fleetFigures(demo: Demo, size: number): Promise<BenchRow[]> {
  const overview = await overviewFigures(demo);
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
    ...overview,
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
