/**
 * `npm run bench`: what the dashboard costs in Stripe calls and time, from one run on this
 * machine. Starts the demo in-process (the real server, the Stripe emulator with
 * STRIPE_EMULATOR_LATENCY_MS = 200 ms before every answer, webhooks wired), logs in as
 * fahrer@example.com and measures:
 *
 * - Stripe requests and sequential rounds of a cold dashboard (empty cache; the overview's
 *   `GET /api/session` and `GET /api/account` in parallel) and of a warm one, from the
 *   emulator's request counter and its trace of when each request arrived and was answered
 *   (a request is in a later round when it started after another had been answered);
 * - the cold dashboard's time as a ratio to one Stripe call, and the warm one's in ms;
 * - autocannon against a bare Express JSON route and against the warm `GET /api/account`,
 *   same connections and duration: the throughput ratio and p99 of each;
 * - the fleet overview (`GET /api/fleet`) of the seeded carrier with 300 drivers, cold (empty
 *   cache) and warm: Stripe requests and latency (`bench-fleet.ts`);
 * - a fleet of N accounts (`npm run bench -- N`, default 40): the bulk billing-details save and
 *   the year's invoice export, wall time and Stripe requests (`bench-fleet.ts`).
 *
 * Prints a table with goals; exits 0 whatever the figures (they are figures, not a test).
 */
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import {startDemo} from '../demo/boot.js';
import {
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  type TracedRequest,
} from '../demo/stripe-emulator/index.js';
import {createStripeClient} from '../server/adapters/stripe.js';
import {CACHE_PREFIX} from '../server/services/customer-cache.js';
import {login} from '../test/server/harness.js';
import {fleetFigures} from './bench-fleet.js';

const LATENCY_MS = 200;
const CONNECTIONS = 10;
/** Each side gets CANNON_ROUNDS runs of DURATION_S, alternated. */
const DURATION_S = 4;
const CANNON_ROUNDS = 2;
const WARMUP_S = 1;
const COLD_RUNS = 3;
const WARM_RUNS = 20;
/** Accounts of the fleet figures: `npm run bench -- 100`. */
const FLEET_SIZE = Number(process.argv[2] ?? 40);

const HEADER = ['measure', 'value', 'goal', 'result'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The longest chain of requests each of which started after the previous one was answered. */
function sequentialRounds(trace: TracedRequest[]): number {
  const sorted = [...trace].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((request, i) => {
    depth[i] = 1;
    for (let j = 0; j < i; j++) {
      if (sorted[j].end <= request.start) depth[i] = Math.max(depth[i], depth[j] + 1);
    }
  });
  return Math.max(0, ...depth);
}

interface Run {
  /** Mean requests per second. */
  rps: number;
  /** The 99th percentile latency in ms (the worse of the runs). */
  p99: number;
  ok: number;
  bad: number;
}

interface Load {
  ms: number;
  stripeRequests: number;
  rounds: number;
}

async function main() {
  if (!Number.isInteger(FLEET_SIZE) || FLEET_SIZE < 1 || FLEET_SIZE > 500) {
    throw new Error(`The fleet size is a whole number from 1 to 500, not ${process.argv[2]}`);
  }
  const started = performance.now();
  const demo = await startDemo({
    port: 0,
    env: {STRIPE_EMULATOR_LATENCY_MS: String(LATENCY_MS)},
  });
  const emulator = demo.emulator!;
  const bare = express();
  bare.get('/bare', (_req, res) => {
    res.json({status: 'ok'});
  });
  const bareServer: Server = createServer(bare);
  await new Promise<void>((resolve) => bareServer.listen(0, '127.0.0.1', resolve));
  const barePort = (bareServer.address() as AddressInfo).port;

  try {
    // Logged in through the magic link, as the browser would.
    const {cookieHeader: cookie} = await login(demo, SEEDED_EMAILS.card);
    const get = async (path: string) => {
      const answer = await fetch(new URL(path, demo.url), {headers: {cookie}});
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
      await answer.arrayBuffer();
    };
    /** The overview as the element loads it: session and account at once. */
    const overview = async (): Promise<Load> => {
      await emulator.webhooksIdle();
      const trace: TracedRequest[] = [];
      emulator.state.http.trace = trace;
      const count = emulator.requestCount();
      const t0 = performance.now();
      await Promise.all([get('/api/session'), get('/api/account')]);
      const ms = performance.now() - t0;
      emulator.state.http.trace = null;
      return {ms, stripeRequests: emulator.requestCount() - count, rounds: sequentialRounds(trace)};
    };

    // One Stripe call through the same SDK and emulator, for the ratio.
    const stripe = createStripeClient(demo.config);
    const oneCall: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const t0 = performance.now();
      await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card);
      oneCall.push(performance.now() - t0);
    }

    // Right after the login (whose token exchange cached the account summaries).
    const afterLogin = await overview();

    const cold: Load[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      await demo.store.cacheDelete(CACHE_PREFIX);
      cold.push(await overview());
    }
    const warm: Load[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await overview());

    const cannon = async (
      url: string,
      headers: Record<string, string> = {},
      duration = DURATION_S,
    ): Promise<Run> => {
      const result = await autocannon({
        url,
        connections: CONNECTIONS,
        duration,
        headers,
        // The load comes from another thread, so the server keeps its own.
        workers: 1,
      });
      return {
        rps: result.requests.average,
        p99: result.latency.p99,
        ok: result['2xx'],
        bad: result.non2xx + result.errors + result.timeouts,
      };
    };
    const bareUrl = `http://127.0.0.1:${barePort}/bare`;
    // 127.0.0.1, not `localhost`, which may try ::1 first.
    const accountUrl = `http://127.0.0.1:${new URL(demo.url).port}/api/account`;
    const countBefore = emulator.requestCount();
    // Both once briefly first, so that neither is measured before the JIT has warmed up.
    await cannon(bareUrl, {}, WARMUP_S);
    await cannon(accountUrl, {cookie}, WARMUP_S);
    // Alternated, so that a slow moment of the machine does not fall on one side only.
    const runs: Array<{bare: Run; account: Run}> = [];
    for (let i = 0; i < CANNON_ROUNDS; i++) {
      runs.push({bare: await cannon(bareUrl), account: await cannon(accountUrl, {cookie})});
    }
    const combine = (all: Run[]): Run => ({
      rps: all.reduce((sum, r) => sum + r.rps, 0) / all.length,
      p99: Math.max(...all.map((r) => r.p99)),
      ok: all.reduce((sum, r) => sum + r.ok, 0),
      bad: all.reduce((sum, r) => sum + r.bad, 0),
    });
    const bareRun = combine(runs.map((r) => r.bare));
    const accountRun = combine(runs.map((r) => r.account));
    const stripeDuringLoad = emulator.requestCount() - countBefore;
    const fleetRows = await fleetFigures(demo, FLEET_SIZE);

    const coldMs = median(cold.map((c) => c.ms));
    const callMs = median(oneCall);
    const warmMs = median(warm.map((w) => w.ms));
    const ratio = accountRun.rps / bareRun.rps;
    const fmt = (n: number, digits = 1) => n.toFixed(digits);
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const rows: Array<[string, string, string, string]> = [
      [
        'Cold dashboard: Stripe requests',
        String(median(cold.map((c) => c.stripeRequests))),
        '—',
        'info',
      ],
      [
        'Cold dashboard: sequential rounds',
        String(Math.max(...cold.map((c) => c.rounds))),
        '1',
        pass(cold.every((c) => c.rounds <= 1)),
      ],
      [
        'Warm dashboard: Stripe requests',
        String(Math.max(...warm.map((w) => w.stripeRequests))),
        '0',
        pass(warm.every((w) => w.stripeRequests === 0)),
      ],
      [
        'Warm dashboard: sequential rounds',
        String(Math.max(...warm.map((w) => w.rounds))),
        '0',
        pass(warm.every((w) => w.rounds === 0)),
      ],
      [
        'After login: Stripe requests / rounds',
        `${afterLogin.stripeRequests} / ${afterLogin.rounds}`,
        '—',
        'info',
      ],
      [`One Stripe call (emulator latency ${LATENCY_MS} ms)`, `${fmt(callMs)} ms`, '—', 'info'],
      ['Cold dashboard: latency', `${fmt(coldMs)} ms`, '—', 'info'],
      [
        'Cold dashboard: latency / one call',
        fmt(coldMs / callMs, 2),
        '≤ 1.3',
        pass(coldMs / callMs <= 1.3),
      ],
      ['Warm dashboard: latency', `${fmt(warmMs)} ms`, '≤ 20 ms', pass(warmMs <= 20)],
      [
        `Bare Express JSON (${CONNECTIONS} conn, ${CANNON_ROUNDS} × ${DURATION_S} s)`,
        `${fmt(bareRun.rps, 0)} req/s, p99 ${bareRun.p99} ms`,
        '—',
        'info',
      ],
      [
        `Warm GET /api/account (${CONNECTIONS} conn, ${CANNON_ROUNDS} × ${DURATION_S} s)`,
        `${fmt(accountRun.rps, 0)} req/s, p99 ${accountRun.p99} ms`,
        '—',
        'info',
      ],
      ['Throughput ratio account / bare', fmt(ratio, 2), '≥ 0.5', pass(ratio >= 0.5)],
      [
        'Under load: non-2xx or errors / Stripe requests',
        `${bareRun.bad + accountRun.bad} / ${stripeDuringLoad}`,
        '0 / 0',
        pass(bareRun.bad + accountRun.bad === 0 && stripeDuringLoad === 0),
      ],
      ...fleetRows,
    ];
    const widths = [0, 1, 2, 3].map((i) =>
      Math.max(...rows.map((r) => r[i].length), HEADER[i].length),
    );
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(
      `\nnpm run bench — Node ${process.version}, one run (cold: median of ${COLD_RUNS}, warm: median of ${WARM_RUNS})\n`,
    );
    console.log(line(HEADER));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const row of rows) console.log(line(row));
    console.log(`\n(${fmt((performance.now() - started) / 1000)} s)`);
  } finally {
    bareServer.close();
    await demo.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(0);
  },
);
