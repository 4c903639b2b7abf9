/**
 * `npm run load`: simulated drivers at renewal time. Each one logs in the way a person does
 * (asks for a link, reads it from the dev outbox, exchanges it), then loads the dashboard
 * (`/api/session`, `/api/account`, `/api/invoices`, in parallel like the element) again and
 * again; a third and two thirds into the run each logs out and in again. Prints throughput,
 * latency percentiles and errors; exits 1 when any request failed or went unanswered.
 *
 * Settings: LOAD_USERS (200 concurrent drivers), LOAD_SECONDS (60). Without LOAD_BASE_URL the
 * demo is started in-process (Stripe emulator and Postmark stand-in included; pass
 * STRIPE_EMULATOR_LATENCY_MS, CACHE_TTL_SECONDS or REDIS_URL through to shape it;
 * LOAD_STRIPE_RATE_LIMIT=25 gives its emulator Stripe's sandbox rate limit). Either way the run
 * ends with the emulator's busiest second and how many requests its rate limit refused. With
 * LOAD_BASE_URL (a demo server started with `npm start`, or several behind a balancer) the
 * drivers are created in the Stripe emulator at LOAD_STRIPE_API_BASE (default
 * http://127.0.0.1:12111, `npm run emulator`, which takes STRIPE_EMULATOR_RATE_LIMIT itself),
 * and that server must run with a per-IP link
 * limit above 3 × LOAD_USERS, e.g. RATE_LIMIT_LINKS_PER_IP_15MIN=100000: every driver comes
 * from this one machine's IP. The per-address limits stay the security defaults: each driver
 * has an address of its own and logs in three times.
 *
 * `LOAD_MODE=renewal` runs renewal day instead (`renewalDay` below): 1,000 drivers each log in
 * once within 60 s across two instances on one Redis, against the sandbox rate limit.
 */
import {randomBytes} from 'node:crypto';
import Stripe from 'stripe';
import {startDemo, type Demo} from '../demo/boot.js';
import type {OutboxMessage} from '../demo/postmark-standin.js';
import {GATE_PASS_YEARLY_PRICE_ID} from '../demo/stripe-emulator/index.js';
import {startRedisServer, type RedisServer} from '../test/server/redis-server.js';

const renewal = process.env.LOAD_MODE === 'renewal';
if (process.env.LOAD_MODE && !renewal && process.env.LOAD_MODE !== 'steady') {
  console.error(
    `LOAD_MODE must be steady or renewal, got ${JSON.stringify(process.env.LOAD_MODE)}`,
  );
  process.exit(2);
}
const users = positive('LOAD_USERS', renewal ? 1000 : 200);
const seconds = positive('LOAD_SECONDS', 60);
const stripeRateLimit = process.env.LOAD_STRIPE_RATE_LIMIT
  ? positive('LOAD_STRIPE_RATE_LIMIT', 0)
  : undefined;
if (stripeRateLimit && process.env.LOAD_BASE_URL) {
  console.error(
    'LOAD_STRIPE_RATE_LIMIT limits the in-process emulator; start `npm run emulator` with STRIPE_EMULATOR_RATE_LIMIT instead',
  );
  process.exit(2);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

type Kind = 'email-link' | 'outbox' | 'exchange' | 'session' | 'account' | 'invoices' | 'logout';

const samples = new Map<Kind, number[]>();
const errors: string[] = [];
let sent = 0;
let answered = 0;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** One HTTP request, timed and counted; `expect` is the status it must answer. */
async function call(
  kind: Kind,
  url: string,
  init: RequestInit & {expect: number},
): Promise<Answer | null> {
  sent += 1;
  const started = performance.now();
  let answer: Answer;
  try {
    const response = await fetch(url, init);
    answer = {status: response.status, headers: response.headers, text: await response.text()};
  } catch (error) {
    errors.push(`${kind}: ${(error as Error).message}`);
    return null;
  }
  answered += 1;
  if (!samples.has(kind)) samples.set(kind, []);
  samples.get(kind)!.push(performance.now() - started);
  if (answer.status !== init.expect) {
    errors.push(`${kind}: ${answer.status} ${answer.text.slice(0, 120)}`);
    return null;
  }
  return answer;
}

class Driver {
  cookie = '';
  constructor(
    readonly base: string,
    readonly email: string,
  ) {}

  async login(seen: Set<string>): Promise<boolean> {
    const json = {'content-type': 'application/json'};
    const asked = await call('email-link', `${this.base}/api/auth/email-link`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({email: this.email}),
      expect: 202,
    });
    if (!asked) return false;
    let link: string | null = null;
    for (let i = 0; i < 200 && !link; i++) {
      const outbox = await call(
        'outbox',
        `${this.base}/dev/outbox?to=${encodeURIComponent(this.email)}`,
        {headers: {accept: 'application/json'}, expect: 200},
      );
      if (!outbox) return false;
      const {messages} = JSON.parse(outbox.text) as {messages: Array<{id: string; link: string}>};
      const fresh = messages.find((m) => !seen.has(m.id));
      if (fresh) {
        seen.add(fresh.id);
        link = fresh.link;
      } else await new Promise((r) => setTimeout(r, 50));
    }
    if (!link) {
      errors.push(`login: no mail for ${this.email}`);
      return false;
    }
    const token = new URL(link).hash.replace('#conroo-portal-token=', '');
    const session = await call('exchange', `${this.base}/api/auth/session`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({token}),
      expect: 200,
    });
    if (!session) return false;
    this.cookie = session.headers.getSetCookie()[0].split(';')[0]!;
    return true;
  }

  /** What the element loads when the dashboard opens. */
  async dashboard(): Promise<void> {
    const headers = {cookie: this.cookie};
    await Promise.all([
      call('session', `${this.base}/api/session`, {headers, expect: 200}),
      call('account', `${this.base}/api/account`, {headers, expect: 200}),
      call('invoices', `${this.base}/api/invoices`, {headers, expect: 200}),
    ]);
  }

  async logout(): Promise<void> {
    await call('logout', `${this.base}/api/session`, {
      method: 'DELETE',
      headers: {cookie: this.cookie},
      expect: 204,
    });
    this.cookie = '';
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : `${ms.toFixed(1)} ms`);

async function main() {
  let demo: Demo | null = null;
  let base = process.env.LOAD_BASE_URL?.replace(/\/$/, '');
  let stripeBase = process.env.LOAD_STRIPE_API_BASE ?? 'http://127.0.0.1:12111';
  if (!base) {
    const pass = (names: string[]) =>
      Object.fromEntries(names.filter((n) => process.env[n]).map((n) => [n, process.env[n]]));
    demo = await startDemo({
      port: 0,
      env: {
        // Every simulated driver comes from this machine's one IP: only for this load test.
        RATE_LIMIT_LINKS_PER_IP_15MIN: '1000000',
        ...pass(['STRIPE_EMULATOR_LATENCY_MS', 'CACHE_TTL_SECONDS', 'REDIS_URL', 'REDIS_PREFIX']),
        ...(stripeRateLimit ? {STRIPE_EMULATOR_RATE_LIMIT: String(stripeRateLimit)} : {}),
      },
    });
    base = demo.url;
    stripeBase = demo.emulator!.url;
  }
  const api = new URL(stripeBase);
  const stripe = new Stripe('sk_test_load', {
    host: api.hostname,
    port: Number(api.port),
    protocol: 'http',
  });

  // Each driver an address (and Stripe customer) of its own.
  const run = randomBytes(3).toString('hex');
  const drivers: Driver[] = [];
  const createCustomer = async (n: number): Promise<Stripe.Customer> => {
    for (;;) {
      try {
        return await stripe.customers.create({
          email: `last-${run}-${n}@example.com`,
          name: `Lastfahrer ${n}`,
          address: {line1: 'Am Kaiserkai 1', postal_code: '20457', city: 'Hamburg', country: 'DE'},
        });
      } catch (error) {
        // A rate-limited emulator: wait for the next second's budget.
        if ((error as {statusCode?: number}).statusCode !== 429) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
      }
    }
  };
  for (let i = 0; i < users; i += 20) {
    const batch = await Promise.all(
      Array.from({length: Math.min(20, users - i)}, (_, j) => createCustomer(i + j)),
    );
    drivers.push(...batch.map((c) => new Driver(base, c.email!)));
  }
  // The emulator's counts from here on: the drivers, not their creation.
  const rateLimitStats = (method: 'GET' | 'DELETE') =>
    fetch(new URL('/v1/test_helpers/emulator/rate_limit', stripeBase), {
      method,
      headers: {authorization: 'Bearer sk_test_load'},
    }).then(
      async (answer) =>
        (await answer.json()) as {
          limit_per_second: number | null;
          peak_ops_per_second: number;
          rate_limited: number;
        },
    );
  await rateLimitStats('DELETE');

  console.log(
    `Load: ${users} drivers for ${seconds} s against ${base}${demo ? ' (demo in-process)' : ''}`,
  );
  const seen = new Set<string>();
  const started = performance.now();
  const end = started + seconds * 1000;
  let logins = 0;
  let rounds = 0;
  await Promise.all(
    drivers.map(async (driver) => {
      const relogins = [started + (seconds * 1000) / 3, started + (2 * seconds * 1000) / 3];
      if (!(await driver.login(seen))) return;
      logins += 1;
      while (performance.now() < end) {
        if (relogins.length && performance.now() >= relogins[0]) {
          relogins.shift();
          await driver.logout();
          if (!(await driver.login(seen))) return;
          logins += 1;
        }
        await driver.dashboard();
        rounds += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;

  const all = [...samples.values()].flat().sort((a, b) => a - b);
  console.log(`\nDuration     ${elapsed.toFixed(1)} s`);
  console.log(`Logins       ${logins} (link, outbox, exchange)`);
  console.log(`Dashboards   ${rounds} (session + account + invoices in parallel)`);
  console.log(
    `Requests     ${sent} sent, ${answered} answered, ${sent - answered} unanswered (network errors)`,
  );
  console.log(`Throughput   ${(answered / elapsed).toFixed(0)} requests/s`);
  console.log(`Errors       ${errors.length}`);
  const limit = await rateLimitStats('GET');
  console.log(
    `Stripe       busiest second ${limit.peak_ops_per_second} operations, ${limit.rate_limited} × 429 rate_limit (${limit.limit_per_second ? `limit ${limit.limit_per_second} reads + ${limit.limit_per_second} writes/s` : 'no limit'})`,
  );
  console.log(
    `\n${'endpoint'.padEnd(12)}${'count'.padStart(8)}${'p50'.padStart(12)}${'p99'.padStart(12)}${'max'.padStart(12)}`,
  );
  const row = (name: string, values: number[]) =>
    console.log(
      `${name.padEnd(12)}${String(values.length).padStart(8)}${fmt(percentile(values, 50)).padStart(12)}${fmt(percentile(values, 99)).padStart(12)}${fmt(values[values.length - 1] ?? NaN).padStart(12)}`,
    );
  for (const [kind, values] of samples)
    row(
      kind,
      values.sort((a, b) => a - b),
    );
  row('all', all);
  if (errors.length) {
    const counts = new Map<string, number>();
    for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
    console.log('\nFirst errors:');
    for (const [e, n] of [...counts].slice(0, 10)) console.log(`  ${n} × ${e}`);
  }
  await demo?.close();
  process.exit(errors.length || sent !== answered ? 1 : 0);
}

/**
 * `LOAD_MODE=renewal`: renewal day. LOAD_USERS (1000) drivers each log in once at a random
 * moment within LOAD_SECONDS (60) across LOAD_INSTANCES (2) portal servers in this process,
 * which share one Stripe emulator (with its sandbox rate limit, LOAD_STRIPE_RATE_LIMIT, default
 * 25) and one Redis (a redis-server started here on a free port, unless REDIS_URL names one).
 * Each portal has the Stripe budget LOAD_STRIPE_BUDGET (default the rate limit). Every driver has
 * a yearly Gate Pass (made before, outside the count). A driver asks for a link, gets the mail
 * (pushed by the Postmark stand-in, as a phone would), exchanges it and loads the overview, as
 * the element does after a mail link; a 503 with Retry-After is tried again after
 * it plus up to half again (jitter), as the element does. Prints the emulator's busiest second,
 * 503s, time to the dashboard (p50/p99/max), and exits 1 on any other answer, on a busiest second
 * over the budget, or on a driver not at the dashboard within 2 minutes.
 */
async function renewalDay() {
  const instances = positive('LOAD_INSTANCES', 2);
  const rateLimit = stripeRateLimit ?? 25;
  const budget = positive('LOAD_STRIPE_BUDGET', rateLimit);
  const deadlineMs = 120_000;
  let redis: RedisServer | null = null;
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl && instances > 1) {
    redis = await startRedisServer();
    redisUrl = redis.url;
  }
  const mailWaiters = new Map<string, (link: string) => void>();
  const mails = new Map<string, string>();
  const onMail = (message: OutboxMessage) => {
    if (!message.link) return;
    const waiter = mailWaiters.get(message.to);
    if (waiter) waiter(message.link);
    else mails.set(message.to, message.link);
  };
  const common = {
    RATE_LIMIT_LINKS_PER_IP_15MIN: '1000000',
    STRIPE_MAX_REQUESTS_PER_SECOND: String(budget),
    ...(redisUrl
      ? {REDIS_URL: redisUrl, REDIS_PREFIX: `load-${randomBytes(3).toString('hex')}:`}
      : {}),
    ...Object.fromEntries(
      ['STRIPE_EMULATOR_LATENCY_MS', 'CACHE_TTL_SECONDS', 'STRIPE_BUDGET_MAX_WAIT_MS']
        .filter((n) => process.env[n])
        .map((n) => [n, process.env[n]]),
    ),
  };
  const first = await startDemo({
    port: 0,
    onMail,
    env: {...common, STRIPE_EMULATOR_RATE_LIMIT: String(rateLimit)},
  });
  const demos: Demo[] = [first];
  for (let i = 1; i < instances; i++) {
    demos.push(
      await startDemo({
        port: 0,
        env: {
          ...common,
          STRIPE_API_BASE: first.emulator!.url,
          POSTMARK_API_BASE: first.postmark!.url,
        },
      }),
    );
  }
  const emulatorUrl = first.emulator!.url;
  const api = new URL(emulatorUrl);
  const stripe = new Stripe('sk_test_load', {
    host: api.hostname,
    port: Number(api.port),
    protocol: 'http',
    maxNetworkRetries: 5,
  });
  const run = randomBytes(3).toString('hex');
  const emails: string[] = [];
  console.log(`Creating ${users} drivers with a yearly Gate Pass in the emulator …`);
  // Made long before renewal day: the sandbox limit is off meanwhile (the drivers are counted,
  // not this), and so are Stripe's events, which the portal would have had an hour before.
  const sandbox = first.emulator!.state.http.rateLimit;
  sandbox.limitPerSecond = null;
  first.emulator!.setWebhookEndpoint(null);
  for (let i = 0; i < users; i += 20) {
    const batch = await Promise.all(
      Array.from({length: Math.min(20, users - i)}, async (_, j) => {
        const customer = await stripe.customers.create({
          email: `renewal-${run}-${i + j}@example.com`,
          name: `Fahrer ${i + j}`,
          address: {
            line1: 'Am Kaiserkai 1',
            postal_code: '20457',
            city: 'Hamburg',
            country: 'DE',
          },
          payment_method: 'pm_card_visa',
        });
        const card = await stripe.customers.listPaymentMethods(customer.id);
        await stripe.subscriptions.create({
          customer: customer.id,
          default_payment_method: card.data[0].id,
          items: [{price: GATE_PASS_YEARLY_PRICE_ID}],
        });
        return customer;
      }),
    );
    emails.push(...batch.map((c) => c.email!));
  }
  // Long-standing customers: found by the search at once, whatever its lag.
  first.emulator!.state.searchIndex.catchUp();
  sandbox.limitPerSecond = rateLimit;
  first.emulator!.setWebhookEndpoint({
    url: `http://127.0.0.1:${new URL(first.url).port}/api/stripe/webhook`,
    secret: first.config.stripe.webhookSecret!,
  });
  // Wait for a quiet second, then count from zero: the drivers, not their creation.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await fetch(new URL('/v1/test_helpers/emulator/rate_limit', emulatorUrl), {
    method: 'DELETE',
    headers: {authorization: 'Bearer sk_test_load'},
  });

  let unavailable = 0;
  const wrong: string[] = [];
  const toDashboard: number[] = [];
  const linkToDashboard: number[] = [];
  const late: string[] = [];
  const jitter = (seconds: number) => seconds * 1000 * (1 + Math.random() / 2);

  /** One request, tried again after each 503 + Retry-After; `null` after any other answer. */
  const ask = async (label: string, url: string, init: RequestInit, expect: number) => {
    for (;;) {
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        wrong.push(`${label}: ${(error as Error).message}`);
        return null;
      }
      if (response.status === expect) return response;
      const text = await response.text();
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 503 && retryAfter > 0) {
        unavailable += 1;
        await new Promise((resolve) => setTimeout(resolve, jitter(retryAfter)));
        continue;
      }
      wrong.push(`${label}: ${response.status} ${text.slice(0, 100)}`);
      return null;
    }
  };

  console.log(
    `Renewal day: ${users} drivers log in within ${seconds} s across ${instances} instance(s)` +
      `${redisUrl ? ' on one Redis' : ''}; Stripe budget ${budget}/s, emulator limit ${rateLimit} reads + ${rateLimit} writes/s`,
  );
  const started = performance.now();
  await Promise.all(
    emails.map(async (email, n) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * seconds * 1000));
      const base = demos[n % demos.length].url;
      const json = {'content-type': 'application/json'};
      const begin = performance.now();
      const mail = new Promise<string>((resolve) => {
        const early = mails.get(email);
        if (early) resolve(early);
        else mailWaiters.set(email, resolve);
      });
      const asked = await ask(
        'email-link',
        `${base}/api/auth/email-link`,
        {method: 'POST', headers: json, body: JSON.stringify({email})},
        202,
      );
      if (!asked) return;
      const link = await Promise.race([
        mail,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), deadlineMs * 2)),
      ]);
      if (!link) {
        wrong.push(`no mail for a driver within ${(deadlineMs * 2) / 1000} s`);
        return;
      }
      const token = new URL(link).hash.replace('#conroo-portal-token=', '');
      const linkOpened = performance.now();
      const session = await ask(
        'exchange',
        `${base}/api/auth/session`,
        {method: 'POST', headers: json, body: JSON.stringify({token})},
        200,
      );
      if (!session) return;
      // What the element asks after a mail link: the exchange answers the session, and the
      // dashboard opens on the overview.
      const cookie = session.headers.getSetCookie()[0].split(';')[0];
      const overview = await ask('account', `${base}/api/account`, {headers: {cookie}}, 200);
      if (!overview) return;
      await overview.text();
      const done = performance.now();
      toDashboard.push(done - begin);
      linkToDashboard.push(done - linkOpened);
      if (done - begin > deadlineMs) late.push(email);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const limit = (await (
    await fetch(new URL('/v1/test_helpers/emulator/rate_limit', emulatorUrl), {
      headers: {authorization: 'Bearer sk_test_load'},
    })
  ).json()) as {peak_ops_per_second: number; rate_limited: number};
  const sorted = toDashboard.sort((a, b) => a - b);
  const sortedLink = linkToDashboard.sort((a, b) => a - b);
  const s = (ms: number) => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const refused = demos.reduce((sum, demo) => sum + demo.stripeBudget.counts.refused, 0);
  const granted = demos.reduce((sum, demo) => sum + demo.stripeBudget.counts.granted, 0);
  console.log(`\nDuration                 ${elapsed.toFixed(1)} s`);
  console.log(`Drivers at dashboard     ${sorted.length} of ${users}`);
  console.log(
    `Peak Stripe ops/s        ${limit.peak_ops_per_second} (budget ${budget}; ${limit.rate_limited} × 429 from the emulator)`,
  );
  console.log(
    `Stripe requests          ${granted} sent through the budget, ${refused} refused by it`,
  );
  console.log(`503 + Retry-After        ${unavailable} (tried again after it, with jitter)`);
  console.log(`Other answers / errors   ${wrong.length}`);
  console.log(
    `Time to dashboard        p50 ${s(percentile(sorted, 50))}, p99 ${s(percentile(sorted, 99))}, max ${s(sorted[sorted.length - 1] ?? NaN)} (from asking for the link)`,
  );
  console.log(
    `Link opened → dashboard  p50 ${s(percentile(sortedLink, 50))}, p99 ${s(percentile(sortedLink, 99))}, max ${s(sortedLink[sortedLink.length - 1] ?? NaN)}`,
  );
  console.log(`Over 2 minutes           ${late.length + (users - sorted.length)}`);
  if (wrong.length) {
    const counts = new Map<string, number>();
    for (const e of wrong) counts.set(e, (counts.get(e) ?? 0) + 1);
    console.log('\nFirst errors:');
    for (const [e, n] of [...counts].slice(0, 10)) console.log(`  ${n} × ${e}`);
  }
  for (const demo of demos.reverse()) await demo.close();
  await redis?.stop();
  const ok =
    !wrong.length &&
    limit.peak_ops_per_second <= budget &&
    limit.rate_limited === 0 &&
    !late.length &&
    sorted.length === users;
  process.exit(ok ? 0 : 1);
}

if (renewal) await renewalDay();
else await main();
