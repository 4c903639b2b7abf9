/**
 * Invoice PDFs come only from the hosts of STRIPE_PDF_HOSTS, on every redirect hop: Stripe's
 * `invoice_pdf` on pay.stripe.com redirects to files.stripe.com, as it does in production, and
 * the server checks both before it asks. The transport underneath carries Stripe's hosts to the
 * emulator and records every URL it was asked for.
 */
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import {unzipSync} from 'fflate';
import {stripeHostsTransport} from '../../demo/stripe-emulator/index.js';
import {hostAllowed, type FetchStripeFile} from '../../server/adapters/stripe-files.js';
import {createLogger} from '../../server/logger.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {Client} from './harness.js';
import {
  linkFrom,
  startInstance,
  startSharedServices,
  type Instance,
  type SharedServices,
} from './instances.js';

const berlinYear = (seconds: number) =>
  Number(
    new Intl.DateTimeFormat('de-DE', {timeZone: 'Europe/Berlin', year: 'numeric'}).format(
      new Date(seconds * 1000),
    ),
  );
const count = <T>(all: T[], value: T) => all.filter((v) => v === value).length;
const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 5)).toString() === '%PDF-';

/** What the transport was asked, and a hook to answer a URL in its place. */
interface Recorder {
  hops: Array<{url: string; redirect: RequestRedirect | undefined}>;
  answer: ((url: URL) => Response | undefined) | null;
  fetchStripeFile: FetchStripeFile;
}

function recorder(inner: FetchStripeFile): Recorder {
  const recorded: Recorder = {
    hops: [],
    answer: null,
    fetchStripeFile: async (url, init) => {
      recorded.hops.push({url: url.href, redirect: init.redirect});
      return recorded.answer?.(url) ?? inner(url, init);
    },
  };
  return recorded;
}

const redirectTo = (location: string) => new Response(null, {status: 302, headers: {location}});

describe('invoice PDFs through the STRIPE_PDF_HOSTS allow-list', () => {
  let services: SharedServices;
  const running: Instance[] = [];
  let logText = '';
  const refusals = () =>
    logText
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'invoice PDF refused');

  before(async () => {
    services = await startSharedServices();
  });
  after(async () => {
    for (const instance of running) await instance.close();
    await services.close();
  });
  beforeEach(() => {
    logText = '';
  });

  /** Points the invoice's `invoice_pdf` elsewhere, as a changed Stripe object would. */
  function setPdfLink(invoiceId: string, link: string): void {
    const invoices = services.emulator.state.invoices;
    invoices.set(invoiceId, {...invoices.get(invoiceId)!, invoice_pdf: link});
  }

  /** A portal instance with `env`, its recording transport and a client logged in as `email`. */
  async function portal(
    email: string,
    options: {env?: Record<string, string>; transport?: FetchStripeFile} = {},
  ) {
    const transport = recorder(options.transport ?? stripeHostsTransport(services.emulator.url));
    const instance = await startInstance({
      services,
      store: () => new MemoryStore(),
      env: options.env,
      log: createLogger({destination: {write: (line: string) => void (logText += line)}}),
      fetchStripeFile: transport.fetchStripeFile,
    });
    running.push(instance);
    const client: Client = instance.client();
    const token = await linkFrom(instance, services, email);
    assert.equal((await client.post('/api/auth/session', {token})).status, 200);
    const [invoice] = (await client.get('/api/invoices')).body.invoices;
    const pdfLink = services.emulator.state.invoices.get(invoice.id)!.invoice_pdf!;
    return {instance, client, transport, invoice, pdfLink};
  }

  it('fetches the PDF from pay.stripe.com and follows its redirect to files.stripe.com', async () => {
    const {client, transport, invoice, pdfLink} = await portal('firma@example.com');
    const pdf = await client.get(`/api/invoices/${invoice.id}/pdf`);
    assert.equal(pdf.status, 200);
    assert.ok(isPdf(new Uint8Array(pdf.body)));
    assert.equal(transport.hops.length, 2);
    assert.equal(transport.hops[0].url, pdfLink);
    assert.match(transport.hops[1].url, /^https:\/\/files\.stripe\.com\/links\//);
    assert.deepEqual(
      transport.hops.map((hop) => hop.redirect),
      ['manual', 'manual'],
      'the server follows redirects itself',
    );
  });

  it("takes the same two hops for every PDF of a year's ZIP", async () => {
    const {client, transport} = await portal('viele@example.com');
    const {invoices} = (await client.get('/api/invoices?limit=100')).body;
    const years = invoices.map((i: {created: number}) => berlinYear(i.created));
    const year = years.sort((a: number, b: number) => count(years, b) - count(years, a))[0];
    const zip = await client.get(`/api/invoices/export?year=${year}`);
    assert.equal(zip.status, 200);
    const pdfs = Object.entries(unzipSync(new Uint8Array(zip.body))).filter(([name]) =>
      name.endsWith('.pdf'),
    );
    assert.ok(pdfs.length >= 2, 'viele@ has several invoices a year');
    for (const [name, bytes] of pdfs) assert.ok(isPdf(bytes), name);
    assert.deepEqual(
      transport.hops.map((hop) => new URL(hop.url).hostname),
      pdfs.flatMap(() => ['pay.stripe.com', 'files.stripe.com']),
    );
  });

  it('refuses a redirect to a host off the list: 503, nothing asked of it, the host logged', async () => {
    const {client, transport, invoice, pdfLink} = await portal('paypal@example.com');
    transport.answer = (url) =>
      url.href === pdfLink ? redirectTo('https://evil.example/x.pdf') : undefined;
    const pdf = await client.get(`/api/invoices/${invoice.id}/pdf`);
    assert.equal(pdf.status, 503);
    assert.equal(pdf.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(pdf.body.error.code, 'stripe_unavailable');
    assert.equal(pdf.headers.get('retry-after'), '5');
    assert.deepEqual(
      transport.hops.map((hop) => hop.url),
      [pdfLink],
    );
    assert.deepEqual(
      refusals().map(({level, invoiceId, host, reason}) => ({level, invoiceId, host, reason})),
      [{level: 'error', invoiceId: invoice.id, host: 'evil.example', reason: 'host_not_allowed'}],
    );
    const pdfToken = /test_(\w+)/.exec(pdfLink)![1];
    assert.ok(!logText.includes(pdfToken), 'no link with its token in the log');
  });

  it("refuses such a hop in a year's ZIP before its first byte", async () => {
    const {client, transport, invoice} = await portal('fahrer@example.com');
    transport.answer = (url) =>
      url.hostname === 'pay.stripe.com' ? redirectTo('https://evil.example/x.pdf') : undefined;
    const year = berlinYear(invoice.created);
    const zip = await client.get(`/api/invoices/export?year=${year}`);
    assert.equal(zip.status, 503);
    assert.equal(zip.body.error.code, 'stripe_unavailable');
    assert.ok(transport.hops.every((hop) => new URL(hop.url).hostname === 'pay.stripe.com'));
  });

  it('refuses an http: hop, even to an allowed host', async () => {
    const {client, transport, invoice, pdfLink} = await portal('offen@example.com');
    transport.answer = (url) =>
      url.href === pdfLink ? redirectTo('http://files.stripe.com/links/abc') : undefined;
    const pdf = await client.get(`/api/invoices/${invoice.id}/pdf`);
    assert.equal(pdf.status, 503);
    assert.equal(transport.hops.length, 1);
    assert.deepEqual(
      refusals().map((line) => [line.host, line.reason]),
      [['files.stripe.com', 'not_https']],
    );
  });

  it('follows five redirects and refuses the sixth', async () => {
    const {client, transport, invoice, pdfLink} = await portal('zwei@example.com');
    // hop/0 → hop/1 → … → hop/<extra> on pay.stripe.com, each Location relative, then Stripe's
    // own link and its redirect to files.stripe.com: extra + 2 redirects in all.
    let extra = 0;
    transport.answer = (url) => {
      const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
      if (url.hostname !== 'pay.stripe.com' || !hop) return undefined;
      const n = Number(hop[1]);
      return redirectTo(n < extra ? `${n + 1}` : pdfLink);
    };
    setPdfLink(invoice.id, 'https://pay.stripe.com/hop/0');
    try {
      extra = 3;
      const five = await client.get(`/api/invoices/${invoice.id}/pdf`);
      assert.equal(five.status, 200);
      assert.equal(transport.hops.length, 6);
      assert.equal(transport.hops[2].url, 'https://pay.stripe.com/hop/2', 'relative to the hop');

      transport.hops.length = 0;
      extra = 4;
      const six = await client.get(`/api/invoices/${invoice.id}/pdf`);
      assert.equal(six.status, 503);
      assert.equal(six.body.error.code, 'stripe_unavailable');
      assert.equal(transport.hops.length, 6, 'the sixth redirect is not followed');
      assert.equal(refusals().at(-1)!.reason, 'too_many_redirects');
    } finally {
      setPdfLink(invoice.id, pdfLink);
    }
  });

  it('takes only the hosts STRIPE_PDF_HOSTS names', async () => {
    const payOnly = await portal('firma@example.com', {env: {STRIPE_PDF_HOSTS: 'pay.stripe.com'}});
    const refused = await payOnly.client.get(`/api/invoices/${payOnly.invoice.id}/pdf`);
    assert.equal(refused.status, 503);
    assert.deepEqual(
      payOnly.transport.hops.map((hop) => new URL(hop.url).hostname),
      ['pay.stripe.com'],
    );
    assert.deepEqual(
      refusals().map((line) => [line.host, line.reason]),
      [['files.stripe.com', 'host_not_allowed']],
    );

    const both = await portal('firma@example.com', {
      env: {STRIPE_PDF_HOSTS: 'PAY.stripe.com, files.stripe.com'},
    });
    assert.equal((await both.client.get(`/api/invoices/${both.invoice.id}/pdf`)).status, 200);

    const filesOnly = await portal('firma@example.com', {
      env: {STRIPE_PDF_HOSTS: '*.files.stripe.com'},
    });
    const first = await filesOnly.client.get(`/api/invoices/${filesOnly.invoice.id}/pdf`);
    assert.equal(first.status, 503);
    assert.equal(filesOnly.transport.hops.length, 0, "Stripe's own link is checked too");
  });

  it('lets STRIPE_API_BASE widen nothing: a PDF link to the emulator itself is refused', async () => {
    // The plain network, which would reach the emulator (STRIPE_API_BASE) if the server asked.
    const {client, instance, transport, invoice, pdfLink} = await portal('paypal@example.com', {
      transport: (url, init) => fetch(url, init),
    });
    assert.equal(instance.config.stripe.apiBase?.origin, services.emulator.url);
    const redirect = await stripeHostsTransport(services.emulator.url)(new URL(pdfLink), {
      redirect: 'manual',
    });
    const file = `/__stripe_hosts/files.stripe.com${new URL(redirect.headers.get('location')!).pathname}`;
    // A working PDF: what refuses it below is the allow-list.
    const served = await fetch(`${services.emulator.url}${file}`);
    assert.equal(served.status, 200);
    await served.body?.cancel();
    try {
      for (const direct of [`${services.emulator.url}${file}`, `https://127.0.0.1${file}`]) {
        setPdfLink(invoice.id, direct);
        assert.equal((await client.get(`/api/invoices/${invoice.id}/pdf`)).status, 503, direct);
      }
    } finally {
      setPdfLink(invoice.id, pdfLink);
    }
    assert.equal(transport.hops.length, 0, 'nothing was fetched');
    assert.deepEqual(
      refusals().map((line) => [line.host, line.reason]),
      [
        ['127.0.0.1', 'not_https'],
        ['127.0.0.1', 'host_not_allowed'],
      ],
    );
  });
});

describe('hostAllowed', () => {
  it('matches *.domain to every sub-domain but not the domain or look-alikes', () => {
    const hosts = ['*.stripe.com', 'cdn.example'];
    for (const host of ['pay.stripe.com', 'files.stripe.com', 'a.b.stripe.com', 'cdn.example']) {
      assert.equal(hostAllowed(hosts, host), true, host);
    }
    for (const host of [
      'stripe.com',
      'evilstripe.com',
      'pay.stripe.com.evil.example',
      'x.cdn.example',
      'example',
    ]) {
      assert.equal(hostAllowed(hosts, host), false, host);
    }
  });
});
