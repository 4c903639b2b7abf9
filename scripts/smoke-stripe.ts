/**
 * `npm run smoke:stripe`: the portal's whole flow against a real Stripe sandbox, once, before
 * going live. It runs the real server code (`createApp`, in-memory store, a mailer that keeps
 * the login mail instead of sending it) on a loopback port and drives it through its HTTP API
 * as the element would; the `stripe` SDK is used directly only for what a browser (Stripe.js)
 * or Stripe's Dashboard would do. Every object it makes is its own (a product, a price, a test
 * clock and a customer `smoke+<run>@example.com` on it, tagged `conroo_smoke=<run>`) and is
 * removed again at the end, also after a failure.
 *
 * Settings come from the environment as the server reads them (`STRIPE_SECRET_KEY`,
 * `STRIPE_PUBLISHABLE_KEY`, `STRIPE_API_BASE`, `STRIPE_PDF_HOSTS`, `STRIPE_TIMEOUT_MS` …);
 * what the smoke does not use (session secret, portal URL, mail, Postmark) is filled in, and
 * the cache is off (no webhooks reach this server, so a cache would hide what Stripe changes).
 * Live keys are refused before any request. Exit 0: every step passed; 1: one failed; 2: it
 * refused to run. `npm test` runs it against the emulator (`test/server/smoke-stripe.test.ts`).
 */
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';
import {pathToFileURL} from 'node:url';
import {unzipSync} from 'fflate';
import type Stripe from 'stripe';
import type {Mailer, OutgoingMail} from '../server/adapters/mailer.js';
import {createStripeClient} from '../server/adapters/stripe.js';
import type {FetchStripeFile} from '../server/adapters/stripe-files.js';
import {createApp, type PortalApp} from '../server/app.js';
import {accountingYearOf} from '../common/accounting-year.js';
import {ConfigError, parseConfig, type Config} from '../server/config.js';
import type {
  AccountResponse,
  ApiErrorBody,
  BillingDetailsRequest,
  InvoicesResponse,
  PaymentMethod,
  PaymentMethodResponse,
  PaymentMethodsResponse,
  SessionInfo,
  SetupIntentResponse,
} from '../common/contract.js';
import {scrub, type Logger} from '../server/logger.js';
import {TOKEN_FRAGMENT} from '../server/services/magic-links.js';
import {MemoryStore} from '../server/store/memory-store.js';

export interface StripeSmokeOptions {
  /** The settings, as the server reads them (the CLI passes `process.env`). */
  env: Record<string, string | undefined>;
  /** Where each line goes (default: stdout); tests keep them. */
  print?: (line: string) => void;
  /**
   * How invoice PDFs travel from Stripe's file hosts (`createApp`'s `fetchStripeFile`). The CLI
   * passes none: against Stripe the real `fetch` runs. Tests hand in the emulator's transport.
   */
  fetchStripeFile?: FetchStripeFile;
}

export interface StripeSmokeStep {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  detail: string;
}

export interface StripeSmokeResult {
  /** 0: every step passed; 1: a step failed; 2: refused to run (live or missing keys). */
  exitCode: 0 | 1 | 2;
  steps: StripeSmokeStep[];
  /** What the run made in Stripe (and removed again): for the tests to check. */
  created: Created;
}

interface Created {
  productId?: string;
  priceId?: string;
  clockId?: string;
  customerId?: string;
}

/** 149,00 € a year, the Gate Pass's price. */
const PRICE_CENTS = 14900;
const VAT_ID = 'DE000000000';
const DAY = 86_400;
const POLL_MS = 1000;
/** Stripe fills its search index "in less than a minute" normally. */
const SEARCH_WAIT_MS = 120_000;
const TAX_ID_WAIT_MS = 60_000;
const CLOCK_WAIT_MS = 120_000;
const INVOICE_WAIT_MS = 30_000;

/** A check that did not hold; the message says what was seen instead. */
function fail(message: string): never {
  throw new Error(message);
}

/** `cus_NeGfPRiP…`: enough to find an object in the Dashboard, short enough for one line. */
const short = (id: string | null | undefined): string => {
  if (!id) return '(none)';
  const at = id.indexOf('_') + 1;
  return id.length > at + 8 ? `${id.slice(0, at + 8)}…` : id;
};
const day = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const euros = (cents: number) =>
  new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'}).format(cents / 100);
const keyKind = (key: string) => `${key.split('_').slice(0, 2).join('_')}_…`;
const messageOf = (error: unknown) =>
  error instanceof Error ? scrub(error.message) : scrub(String(error));

/** One browser: a cookie jar, JSON in and out, downloads as bytes. */
class PortalClient {
  readonly #cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{status: number; type: string; bytes: Buffer; json: unknown}> {
    const headers: Record<string, string> = {};
    if (this.#cookies.size) {
      headers.cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.base), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const type = response.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = type.includes('json') ? (JSON.parse(bytes.toString('utf8')) as unknown) : null;
    return {status: response.status, type, bytes, json};
  }

  /** The answer's JSON when it has `status`; otherwise a failure naming the error code. */
  async expect<T>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.request(method, path, body);
    if (answer.status !== status) {
      const error = (answer.json as Partial<ApiErrorBody> | null)?.error;
      fail(
        `${method} ${path} answered ${answer.status}${error ? ` ${error.code}: ${error.message}` : ''}, not ${status}`,
      );
    }
    return answer.json as T;
  }
}

/**
 * Asks `probe` now and then every `POLL_MS` until it gives a value, at most `timeoutMs`. `seen`
 * collects what each try reported (for the line printed), distinct and in order.
 */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<{value?: T; seen: string}>,
): Promise<{value: T; elapsedMs: number; seen: string[]}> {
  const started = Date.now();
  const seen: string[] = [];
  for (;;) {
    const result = await probe();
    if (seen.at(-1) !== result.seen) seen.push(result.seen);
    if (result.value !== undefined)
      return {value: result.value, elapsedMs: Date.now() - started, seen};
    if (Date.now() - started + POLL_MS > timeoutMs) {
      fail(`${what} did not happen within ${seconds(timeoutMs)} (seen: ${seen.join(' → ')})`);
    }
    await sleep(POLL_MS);
  }
}

/** Everything the steps share. */
interface Run {
  id: string;
  email: string;
  tag: Record<string, string>;
  config: Config;
  /** The secret key: what the Dashboard (and a server confirming like Stripe.js) does. */
  stripe: Stripe;
  /** The publishable key: what Stripe.js reads in the browser. */
  stripeJs: Stripe;
  portal: PortalClient;
  app: PortalApp;
  mail: OutgoingMail[];
  /** The hosts the server fetched an invoice PDF from, hop by hop, each with its answer. */
  pdfHops: string[];
  /** What the server logged as errors (refused PDF hops above all), scrubbed. */
  serverErrors: string[];
  created: Created;
  cardId?: string;
  /** Prints a line of progress (a wait that may take a while). */
  print: (line: string) => void;
}

const need = <T>(value: T | undefined, what: string): T =>
  value === undefined ? fail(`${what} is missing: an earlier step did not make it`) : value;

async function ownData(run: Run): Promise<string> {
  const {stripe, tag} = run;
  const product = await stripe.products.create({name: `CONROO smoke ${run.id}`, metadata: tag});
  run.created.productId = product.id;
  const price = await stripe.prices.create({
    product: product.id,
    unit_amount: PRICE_CENTS,
    currency: 'eur',
    recurring: {interval: 'year'},
    tax_behavior: 'inclusive',
    metadata: tag,
  });
  run.created.priceId = price.id;
  // Test clocks take no metadata: the name carries the tag.
  const clock = await stripe.testHelpers.testClocks.create({
    frozen_time: Math.floor(Date.now() / 1000),
    name: `conroo_smoke=${run.id}`,
  });
  run.created.clockId = clock.id;
  const customer = await stripe.customers.create({
    email: run.email,
    name: 'CONROO Smoke',
    test_clock: clock.id,
    metadata: tag,
  });
  run.created.customerId = customer.id;
  return `product ${short(product.id)} with yearly price ${short(price.id)} (${euros(PRICE_CENTS)}), test clock ${short(clock.id)} frozen at ${day(clock.frozen_time)}, customer ${short(customer.id)} ${run.email} on it, all tagged conroo_smoke=${run.id}`;
}

async function login(run: Run): Promise<string> {
  const customerId = need(run.created.customerId, 'the customer');
  // Stripe's customers.list leaves out customers on a test clock, so the portal finds this one
  // through customers.search, whose index lags: log in once it is there.
  const searched = await waitFor('Stripe search finding the customer', SEARCH_WAIT_MS, async () => {
    const found = await run.stripe.customers.search({query: `email:'${run.email}'`});
    const there = found.data.some((c) => c.id === customerId);
    return {value: there || undefined, seen: there ? 'found' : 'not yet'};
  });
  await run.portal.expect(202, 'POST', '/api/auth/email-link', {email: run.email});
  await run.app.drain();
  const mail = run.mail.find((m) => m.to === run.email);
  if (!mail) fail('the portal mailed no login link: it found no customer with the address');
  const token = new RegExp(`#${TOKEN_FRAGMENT}=([A-Za-z0-9_-]+)`).exec(mail.text)?.[1];
  if (!token) fail('the login mail holds no link with a token');
  const session = await run.portal.expect<SessionInfo>(200, 'POST', '/api/auth/session', {token});
  if (session.activeCustomerId !== customerId) {
    fail(`the session is for ${short(session.activeCustomerId)}, not ${short(customerId)}`);
  }
  return `found by search after ${seconds(searched.elapsedMs)} (customers.list leaves out test-clock customers); login link mailed, session for ${short(customerId)}`;
}

async function newSetupIntent(run: Run): Promise<{id: string; clientSecret: string}> {
  const {clientSecret} = await run.portal.expect<SetupIntentResponse>(
    201,
    'POST',
    '/api/payment-methods/setup-intents',
    {},
  );
  return {id: clientSecret.split('_secret_')[0], clientSecret};
}

async function defaultMethod(run: Run): Promise<PaymentMethod | undefined> {
  const {paymentMethods} = await run.portal.expect<PaymentMethodsResponse>(
    200,
    'GET',
    '/api/payment-methods',
  );
  return paymentMethods.find((m) => m.isDefault);
}

const describeMethod = (m: PaymentMethod | undefined) =>
  m ? `${m.card ? `${m.card.brand} •••• ${m.card.last4}` : m.type} (${short(m.id)})` : 'none';

async function card(run: Run): Promise<string> {
  const {id, clientSecret} = await newSetupIntent(run);
  const confirmed = await run.stripe.setupIntents.confirm(id, {
    payment_method: 'pm_card_visa',
    return_url: run.config.portalUrl.toString(),
  });
  if (confirmed.status !== 'succeeded') fail(`the SetupIntent is ${confirmed.status}`);
  // As Stripe.js' retrieveSetupIntent reads it: only a publishable key of the same account does.
  const read = await run.stripeJs.setupIntents.retrieve(id, {client_secret: clientSecret});
  if (read.status !== 'succeeded') fail(`the publishable key reads the SetupIntent ${read.status}`);
  const {paymentMethod} = await run.portal.expect<PaymentMethodResponse>(
    200,
    'POST',
    '/api/payment-methods/setup-intents/complete',
    {setupIntentId: id},
  );
  const current = await defaultMethod(run);
  if (current?.id !== paymentMethod.id) {
    fail(`the default is ${describeMethod(current)}, not ${short(paymentMethod.id)}`);
  }
  run.cardId = paymentMethod.id;
  return `SetupIntent ${short(id)} confirmed with pm_card_visa: succeeded (so the publishable key reads it too, as Stripe.js would); complete 200; default ${describeMethod(current)}`;
}

async function threeDSecure(run: Run): Promise<string> {
  const cardId = need(run.cardId, 'the default card');
  const {id} = await newSetupIntent(run);
  const confirmed = await run.stripe.setupIntents.confirm(id, {
    payment_method: 'pm_card_authenticationRequired',
    return_url: run.config.portalUrl.toString(),
  });
  if (confirmed.status !== 'requires_action') {
    fail(`the SetupIntent is ${confirmed.status}, not requires_action`);
  }
  const answer = await run.portal.request('POST', '/api/payment-methods/setup-intents/complete', {
    setupIntentId: id,
  });
  const code = (answer.json as Partial<ApiErrorBody> | null)?.error?.code;
  if (answer.status !== 409 || code !== 'setup_incomplete') {
    fail(`complete answered ${answer.status} ${code ?? ''}, not 409 setup_incomplete`);
  }
  const current = await defaultMethod(run);
  if (current?.id !== cardId) fail(`the default changed to ${describeMethod(current)}`);
  return `SetupIntent ${short(id)} with pm_card_authenticationRequired: requires_action (${confirmed.next_action?.type ?? 'no next action'}) — a browser would now pass the 3-D Secure challenge, no script can; complete 409 setup_incomplete; default still ${short(cardId)}`;
}

async function billingDetails(run: Run): Promise<string> {
  const details: BillingDetailsRequest = {
    name: 'CONROO Smoke GmbH',
    address: {line1: 'Am Sandtorkai 50', postalCode: '20457', city: 'Hamburg', country: 'DE'},
    shipping: null,
    taxId: {value: VAT_ID},
  };
  await run.portal.expect(200, 'PUT', '/api/billing-details', details);
  let announced = false;
  const verified = await waitFor('the VAT ID’s verification', TAX_ID_WAIT_MS, async () => {
    const {customer} = await run.portal.expect<AccountResponse>(200, 'GET', '/api/account');
    const taxId = customer.taxIds.find((t) => t.value === VAT_ID);
    if (!taxId) fail(`the account shows no tax ID ${VAT_ID}`);
    const status = taxId.verification?.status ?? 'none';
    if (status === 'pending' && !announced) {
      announced = true;
      run.print(
        `     the VAT ID is pending: waiting for Stripe's verification (up to ${seconds(TAX_ID_WAIT_MS)})`,
      );
    }
    return {value: status === 'pending' ? undefined : status, seen: status};
  });
  if (verified.value !== 'verified') {
    fail(
      `the VAT ID ended ${verified.value}, not verified (${VAT_ID} is Stripe's test value that verifies)`,
    );
  }
  return `PUT /api/billing-details 200 (${details.name}, Hamburg, ${VAT_ID}); VAT ID ${verified.seen.join(' → ')} after ${seconds(verified.elapsedMs)}`;
}

async function renewalInvoice(run: Run): Promise<string> {
  const {stripe, portal} = run;
  const clockId = need(run.created.clockId, 'the test clock');
  const subscription = await stripe.subscriptions.create({
    customer: need(run.created.customerId, 'the customer'),
    items: [{price: need(run.created.priceId, 'the price')}],
    metadata: run.tag,
  });
  if (subscription.status !== 'active') fail(`the new subscription is ${subscription.status}`);
  const renewsAt = subscription.items.data[0].current_period_end;
  await stripe.testHelpers.testClocks.advance(clockId, {frozen_time: renewsAt + DAY});
  const clock = await waitFor('the test clock getting ready', CLOCK_WAIT_MS, async () => {
    const {status} = await stripe.testHelpers.testClocks.retrieve(clockId);
    if (status === 'internal_failure') fail('the test clock failed to advance (internal_failure)');
    return {value: status === 'ready' || undefined, seen: status};
  });

  const renewed = (await stripe.subscriptions.retrieve(subscription.id)).items.data[0];
  if (renewed.current_period_start !== renewsAt) fail('the subscription did not renew');
  const invoice = await waitFor('the renewal invoice, paid', INVOICE_WAIT_MS, async () => {
    const {invoices} = await portal.expect<InvoicesResponse>(200, 'GET', '/api/invoices');
    const renewal = invoices.find((i) => i.periodStart === renewsAt);
    return {
      value: renewal?.status === 'paid' ? renewal : undefined,
      seen: renewal ? `${short(renewal.id)} ${renewal.status}` : 'not listed',
    };
  });
  const renewal = invoice.value;
  if (renewal.periodEnd !== renewed.current_period_end) {
    fail(
      `the invoice's service period ends ${day(renewal.periodEnd)}, the subscription's ${day(renewed.current_period_end)}`,
    );
  }

  run.pdfHops.length = 0;
  run.serverErrors.length = 0;
  const pdf = await portal.request('GET', `/api/invoices/${renewal.id}/pdf`);
  const hops = run.pdfHops.join(' → ') || 'none';
  if (pdf.status !== 200) {
    fail(
      `GET /api/invoices/:id/pdf answered ${pdf.status}; hops: ${hops} (each host must match STRIPE_PDF_HOSTS=${run.config.stripe.pdfHosts.join(',')})${run.serverErrors.length ? `; the server logged: ${run.serverErrors.join('; ')}` : ''}`,
    );
  }
  if (
    !pdf.type.startsWith('application/pdf') ||
    pdf.bytes.subarray(0, 4).toString('latin1') !== '%PDF'
  ) {
    fail(
      `the PDF answer is ${pdf.type || 'untyped'} and starts ${JSON.stringify(pdf.bytes.subarray(0, 4).toString('latin1'))}`,
    );
  }

  const year = accountingYearOf(renewal.created);
  const zip = await portal.request('GET', `/api/invoices/export?year=${year}`);
  if (zip.status !== 200 || !zip.type.startsWith('application/zip')) {
    fail(`GET /api/invoices/export?year=${year} answered ${zip.status} ${zip.type}`);
  }
  const files = Object.keys(unzipSync(new Uint8Array(zip.bytes)));
  if (!files.some((f) => f.endsWith('.pdf')) || !files.includes(`Rechnungen-${year}.csv`)) {
    fail(`the ${year} ZIP holds ${files.join(', ') || 'nothing'}`);
  }
  return `subscription ${short(subscription.id)} active; clock advanced a year and a day, ${clock.seen.join(' → ')} after ${seconds(clock.elapsedMs)}; renewal ${short(renewal.id)}${renewal.number ? ` ${renewal.number}` : ''} paid, service ${day(renewal.periodStart)} – ${day(renewal.periodEnd)}; PDF 200 (${Math.round(pdf.bytes.length / 1024)} kB) via ${hops}, allowed by STRIPE_PDF_HOSTS=${run.config.stripe.pdfHosts.join(',')}; export ${year}: ZIP of ${files.join(', ')}`;
}

/** Removes what the run made; never throws. */
async function cleanUp(run: Run): Promise<{ok: boolean; detail: string}> {
  const {stripe, created} = run;
  const done: string[] = [];
  const problems: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      done.push(what);
    } catch (error) {
      problems.push(`${what} failed: ${messageOf(error)}`);
    }
  };
  const {clockId, customerId, priceId, productId} = created;
  if (clockId) {
    const on = customerId ? ` with customer ${short(customerId)} and its subscription` : '';
    await attempt(`deleted test clock ${short(clockId)}${on}`, () =>
      stripe.testHelpers.testClocks.del(clockId),
    );
  }
  if (priceId) {
    await attempt(`archived price ${short(priceId)}`, () =>
      stripe.prices.update(priceId, {active: false}),
    );
  }
  if (productId) {
    await attempt(`archived product ${short(productId)}`, () =>
      stripe.products.update(productId, {active: false}),
    );
  }
  const detail = [...done, ...problems].join('; ') || 'nothing was made, nothing to remove';
  return {ok: problems.length === 0, detail};
}

const STEPS: ReadonlyArray<[string, (run: Run) => Promise<string>]> = [
  ['own data', ownData],
  ['login', login],
  ['card', card],
  ['3-D Secure', threeDSecure],
  ['billing details', billingDetails],
  ['invoice', renewalInvoice],
];

/** Why the keys must not be used, or `null` for a pair of sandbox keys. */
function refusal(env: Record<string, string | undefined>): string | null {
  const secret = env.STRIPE_SECRET_KEY?.trim();
  const publishable = env.STRIPE_PUBLISHABLE_KEY?.trim();
  const how =
    'run it with the sandbox keys of CONROO’s Stripe account: STRIPE_SECRET_KEY=sk_test_… STRIPE_PUBLISHABLE_KEY=pk_test_… npm run smoke:stripe';
  if (!secret) return `STRIPE_SECRET_KEY is not set; ${how}`;
  if (/^(sk|rk)_live_/.test(secret) || /^pk_live_/.test(publishable ?? '')) {
    return `live keys (${[secret, publishable ?? '']
      .filter((k) => /_live_/.test(k))
      .map(keyKind)
      .join(
        ', ',
      )}): the smoke makes a customer, charges its card and deletes what it made, which must never happen in live mode; ${how}`;
  }
  if (!/^(sk|rk)_test_/.test(secret))
    return `STRIPE_SECRET_KEY is not a sandbox key (sk_test_… or rk_test_…); ${how}`;
  if (!publishable) return `STRIPE_PUBLISHABLE_KEY is not set; ${how}`;
  if (!/^pk_test_/.test(publishable))
    return `STRIPE_PUBLISHABLE_KEY is not a sandbox key (pk_test_…); ${how}`;
  return null;
}

export async function runStripeSmoke(options: StripeSmokeOptions): Promise<StripeSmokeResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const steps: StripeSmokeStep[] = [];
  const created: Created = {};
  const report = (number: number, step: StripeSmokeStep) => {
    steps.push(step);
    const mark = {passed: 'ok  ', failed: 'FAIL', skipped: '-   '}[step.outcome];
    print(`${mark} ${number} ${step.name.padEnd(15)} ${step.detail}`);
  };
  const refuse = (why: string): StripeSmokeResult => {
    report(1, {name: 'keys', outcome: 'failed', detail: `refused: ${why}`});
    return {exitCode: 2, steps, created};
  };

  const refused = refusal(options.env);
  if (refused) return refuse(refused);
  const id = randomBytes(4).toString('hex');
  let config: Config;
  try {
    config = parseConfig({
      ...options.env,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      PORTAL_URL: 'https://smoke.invalid/kundenportal',
      ALLOWED_ORIGINS: 'https://smoke.invalid',
      MAIL_FROM: 'CONROO Stripe smoke <smoke@smoke.invalid>',
      POSTMARK_SERVER_TOKEN: 'not-used-by-the-smoke',
      CACHE_TTL_SECONDS: '0',
      REDIS_URL: undefined,
      PORT: '0',
    });
  } catch (error) {
    if (error instanceof ConfigError) return refuse(error.problems.join('; '));
    throw error;
  }
  const api = config.stripe.apiBase?.origin ?? 'https://api.stripe.com';
  print(`CONROO Stripe smoke ${id} against ${api}`);
  report(1, {
    name: 'keys',
    outcome: 'passed',
    detail: `sandbox keys ${keyKind(config.stripe.secretKey)} and ${keyKind(config.stripe.publishableKey)}`,
  });

  const mail: OutgoingMail[] = [];
  const mailer: Mailer = {
    async send(message) {
      mail.push(message);
    },
  };
  const serverErrors: string[] = [];
  const log: Logger = {
    info() {},
    warn() {},
    error(message, fields = {}) {
      // Which request it was is plain from the step; what went wrong is not.
      const facts = Object.entries(fields)
        .filter(([name]) => !['requestId', 'method', 'path'].includes(name))
        .map(([name, value]) => `${name} ${String(value)}`);
      serverErrors.push(scrub(`${message} (${facts.join(', ')})`));
    },
  };
  const pdfHops: string[] = [];
  const transport: FetchStripeFile = options.fetchStripeFile ?? ((url, init) => fetch(url, init));
  const store = new MemoryStore();
  const app = createApp(config, {
    stripe: createStripeClient(config),
    mailer,
    store,
    log,
    fetchStripeFile: async (url, init) => {
      try {
        const answer = await transport(url, init);
        pdfHops.push(`${url.hostname} ${answer.status}`);
        return answer;
      } catch (error) {
        const cause = error instanceof Error && error.cause ? error.cause : error;
        pdfHops.push(`${url.hostname} (no answer: ${messageOf(cause)})`);
        throw error;
      }
    },
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;

  const run: Run = {
    id,
    print,
    email: `smoke+${id}@example.com`,
    tag: {conroo_smoke: id},
    config,
    stripe: createStripeClient(config),
    stripeJs: createStripeClient({
      ...config,
      stripe: {...config.stripe, secretKey: config.stripe.publishableKey},
    }),
    portal: new PortalClient(`http://127.0.0.1:${port}`),
    app,
    mail,
    pdfHops,
    serverErrors,
    created,
  };
  let failure: string | null = null;
  try {
    for (const [index, [name, step]] of STEPS.entries()) {
      if (failure) {
        report(index + 2, {name, outcome: 'skipped', detail: 'skipped'});
        continue;
      }
      try {
        report(index + 2, {name, outcome: 'passed', detail: await step(run)});
      } catch (error) {
        failure = `step ${index + 2} (${name})`;
        report(index + 2, {name, outcome: 'failed', detail: messageOf(error)});
      }
    }
  } finally {
    const cleaned = await cleanUp(run);
    report(STEPS.length + 2, {
      name: 'clean-up',
      outcome: cleaned.ok ? 'passed' : 'failed',
      detail: cleaned.detail,
    });
    if (!cleaned.ok) failure ??= `step ${STEPS.length + 2} (clean-up)`;
    app.beginShutdown();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.drain();
    await store.close();
  }
  print(failure ? `The smoke failed at ${failure}.` : `All ${STEPS.length + 2} steps passed.`);
  return {exitCode: failure ? 1 : 0, steps, created};
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Not process.exit(): it could cut off what is still being written to a pipe.
  process.exitCode = (await runStripeSmoke({env: process.env})).exitCode;
}
