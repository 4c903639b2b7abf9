import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {formatResult, validateInvoice} from '../../../shared/einvoice-validation/validate.mjs';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/seed.js';
import {SPEDITION_DRIVERS} from '../../demo/stripe-emulator/seed-carriers.js';
import {download, isPdf, login, startPortal, type Client, type Portal} from './harness.js';

/** The official rules (../shared/einvoice-validation): VALID, with no message of level error. */
async function assertValid(bytes: Uint8Array, what: string, profile: RegExp) {
  const result = await validateInvoice(bytes, {name: what});
  assert.ok(result.valid, formatResult(result, {verbose: true}));
  assert.equal(result.errors.filter((e) => e.level === 'error').length, 0);
  assert.match(result.profile ?? '', profile, `${what}: ${result.profile}`);
  return result;
}

const XRECHNUNG = /^XRechnung-3\.0$/;
const FACTUR_X = /EN ?16931/i;

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** The value of the first `<ram:name>` in `xml`. */
const element = (xml: string, name: string) =>
  new RegExp(`<ram:${name}>([^<]*)</ram:${name}>`).exec(xml)?.[1];

async function newestInvoiceId(client: Client): Promise<string> {
  const list = await client.get('/api/invoices?limit=1');
  assert.equal(list.status, 200);
  return list.body.invoices[0].id as string;
}

async function eInvoice(client: Client, id: string, format: string) {
  return download(client, `/api/invoices/${id}/e-invoice?format=${format}`);
}

describe('GET /api/invoices/:id/e-invoice', () => {
  let portal: Portal;
  // One login per address: the portal sends at most three links per address in 15 minutes.
  const clients = new Map<string, Promise<Client>>();
  const loggedIn = (email: string) => {
    if (!clients.has(email)) clients.set(email, login(portal, email));
    return clients.get(email)!;
  };
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  const cases = [
    {
      name: 'a German company with a VAT ID: German VAT, category S',
      email: SEEDED_EMAILS.company,
      category: 'S',
      percent: '19',
      buyerVatId: 'DE123456789',
      // Its „Ihre Referenz" (the seed's invoice custom field).
      buyerReference: 'Bestellnr. 4711-K',
    },
    {
      name: 'a private person in Germany: German VAT, category S, no VAT ID',
      email: SEEDED_EMAILS.card,
      category: 'S',
      percent: '19',
      buyerVatId: undefined,
      // No „Ihre Referenz": the customer number stands in (BT-10 is mandatory, BR-DE-15).
      buyerReference: SEEDED_CUSTOMER_IDS.card,
    },
    {
      name: 'a Polish carrier with its VAT ID: reverse charge, category AE',
      email: SEEDED_EMAILS.polishCarrier,
      category: 'AE',
      percent: '0',
      buyerVatId: 'PL5862251234',
    },
    {
      name: 'a Swiss carrier: no German VAT, category O (the default setting), no VAT IDs',
      email: SEEDED_EMAILS.swissCarrier,
      category: 'O',
      // In the breakdown (BR-DE-14); its line has none (BR-O-05).
      percent: '0',
      buyerVatId: undefined,
    },
  ];

  for (const c of cases) {
    it(`is valid XRechnung and ZUGFeRD for ${c.name}`, async () => {
      const client = await loggedIn(c.email);
      const id = await newestInvoiceId(client);

      const xml = await eInvoice(client, id, 'xrechnung');
      assert.equal(xml.status, 200, JSON.stringify(xml.body));
      assert.match(xml.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(
        xml.headers.get('content-disposition') ?? '',
        /^attachment; filename="CONROO-Rechnung-CONROO-\d{4}-\d{4}\.xml"$/,
      );
      await assertValid(xml.bytes, `${c.email} XRechnung`, XRECHNUNG);
      const body = text(xml.bytes);
      assert.equal(element(body, 'CategoryCode'), c.category);
      assert.equal(element(body, 'RateApplicablePercent'), c.percent);
      if (c.buyerReference) assert.equal(element(body, 'BuyerReference'), c.buyerReference);
      const vatIds = [...body.matchAll(/<ram:ID schemeID="VA">([^<]*)<\/ram:ID>/g)].map(
        (m) => m[1],
      );
      if (c.buyerVatId) assert.ok(vatIds.includes(c.buyerVatId), vatIds.join());
      if (c.category === 'O') {
        assert.deepEqual(vatIds, [], 'O carries no VAT ID (BR-O-02)');
        assert.equal(body.match(/<ram:RateApplicablePercent>/g)?.length, 1, 'no rate on the line');
      }
      if (c.category !== 'S') assert.match(body, /<ram:ExemptionReasonCode>VATEX-EU-/);

      const pdf = await eInvoice(client, id, 'zugferd');
      assert.equal(pdf.status, 200, JSON.stringify(pdf.body));
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.match(pdf.headers.get('content-disposition') ?? '', /CONROO-Rechnung-.+\.pdf"$/);
      assert.ok(isPdf(pdf.bytes));
      const result = await assertValid(pdf.bytes, `${c.email} ZUGFeRD`, FACTUR_X);
      assert.equal(result.pdf?.attachment ?? result.pdf?.name ?? 'factur-x.xml', 'factur-x.xml');
    });
  }

  it('gives byte-identical files for the same invoice, XML and PDF', async () => {
    const client = await loggedIn(SEEDED_EMAILS.company);
    const id = await newestInvoiceId(client);
    const [a, b] = [
      await eInvoice(client, id, 'xrechnung'),
      await eInvoice(client, id, 'xrechnung'),
    ];
    assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
    const [p, q] = [await eInvoice(client, id, 'zugferd'), await eInvoice(client, id, 'zugferd')];
    assert.deepEqual(Buffer.from(p.bytes), Buffer.from(q.bytes));
    // Whatever the clock: one XMP packet, the invoice's; the library's, dated the moment of the
    // call, is not left behind unreferenced (two downloads a second apart differed by it).
    const packets =
      Buffer.from(p.bytes)
        .toString('latin1')
        .match(/<x:xmpmeta/g) ?? [];
    assert.equal(packets.length, 1);
  });

  it('names the card it was paid with (54) and PayPal (68)', async () => {
    const card = await loggedIn(SEEDED_EMAILS.company);
    const cardXml = text((await eInvoice(card, await newestInvoiceId(card), 'xrechnung')).bytes);
    assert.match(cardXml, /<ram:TypeCode>54<\/ram:TypeCode>/);
    assert.match(cardXml, /<ram:ID>4444<\/ram:ID>/);
    const paypal = await loggedIn(SEEDED_EMAILS.paypal);
    const paypalXml = text(
      (await eInvoice(paypal, await newestInvoiceId(paypal), 'xrechnung')).bytes,
    );
    assert.match(paypalXml, /<ram:TypeCode>68<\/ram:TypeCode>/);
  });

  it('is valid for every invoice of a history over more than one year', async () => {
    const client = await loggedIn(SEEDED_EMAILS.manyInvoices);
    const list = await client.get('/api/invoices?limit=100');
    const invoices = list.body.invoices as Array<{id: string; created: number}>;
    const years = new Set(invoices.map((i) => new Date(i.created * 1000).getUTCFullYear()));
    assert.ok(
      invoices.length >= 14 && years.size >= 2,
      `${invoices.length} in ${[...years].join()}`,
    );
    for (const invoice of invoices) {
      const xml = await eInvoice(client, invoice.id, 'xrechnung');
      assert.equal(xml.status, 200);
      await assertValid(xml.bytes, invoice.id, XRECHNUNG);
    }
  });

  it('is valid for a buyer with a long address and &, <, umlauts and ß, issued on renewal', async () => {
    const client = await loggedIn(SPEDITION_DRIVERS.privatePerson.email);
    const name =
      'Müller & Söhne <Transporte> Groß- und Außenhandel GmbH & Co. KG – Zweigniederlassung Weißenfels';
    const line1 = `Straße des 17. Juni 135 / Hinterhaus „Süd" <Tor 3> & Rampe ${'ä'.repeat(120)}`;
    const saved = await client.request('PUT', '/api/billing-details', {
      body: {
        name,
        address: {
          line1,
          line2: 'c/o Spedition Größe & Partner, Büro <Empfang>',
          postalCode: '06667',
          city: 'Weißenfels',
          country: 'DE',
        },
        shipping: null,
        taxId: {value: 'DE 811 222 333'},
      },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const renewed = await client.post('/dev/renew', {email: SPEDITION_DRIVERS.privatePerson.email});
    assert.equal(renewed.status, 200);
    const id = renewed.body.invoices[0].id as string;

    const xml = await eInvoice(client, id, 'xrechnung');
    assert.equal(xml.status, 200, JSON.stringify(xml.body));
    await assertValid(xml.bytes, 'special characters XRechnung', XRECHNUNG);
    const body = text(xml.bytes);
    assert.ok(body.includes('Müller &amp; Söhne &lt;Transporte&gt; Groß-'), 'escaped, not mangled');
    assert.ok(body.includes('ä'.repeat(120)));
    const pdf = await eInvoice(client, id, 'zugferd');
    assert.equal(pdf.status, 200, JSON.stringify(pdf.body));
    await assertValid(pdf.bytes, 'special characters ZUGFeRD', FACTUR_X);
  });

  it('answers 409 e_invoice_unavailable for an invoice that is not finalized, and for a void one', async () => {
    const client = await loggedIn(SEEDED_EMAILS.company);
    const state = portal.emulator!.state;
    const finalized = state.invoices.get(await newestInvoiceId(client))!;
    const draft = {
      ...structuredClone(finalized),
      id: 'in_demoDraftEinv',
      status: 'draft',
      number: null,
      invoice_pdf: null,
    } as Stripe.Invoice;
    state.put(draft);
    state.put({
      ...structuredClone(finalized),
      id: 'in_demoVoidEinv',
      status: 'void',
    });
    for (const id of ['in_demoDraftEinv', 'in_demoVoidEinv']) {
      for (const format of ['xrechnung', 'zugferd']) {
        const answer = await eInvoice(client, id, format);
        assert.equal(answer.status, 409, `${id} ${format}`);
        assert.equal(answer.body.error.code, 'e_invoice_unavailable');
      }
    }
    // The PDF of a draft stays hidden, as before.
    assert.equal((await client.get('/api/invoices/in_demoDraftEinv/pdf')).status, 404);
  });

  it('answers 409 for a tax case Stripe’s data cannot decide (a tax-exempt buyer)', async () => {
    const client = await loggedIn(SEEDED_EMAILS.company);
    const state = portal.emulator!.state;
    const finalized = [...state.invoices.values()].find(
      (invoice) => invoice.customer === 'cus_demoFirma' && invoice.status === 'paid',
    )!;
    state.put({
      ...structuredClone(finalized),
      id: 'in_demoExemptEinv',
      customer_tax_exempt: 'exempt',
    });
    const answer = await eInvoice(client, 'in_demoExemptEinv', 'xrechnung');
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'e_invoice_unavailable');
    assert.match(answer.body.error.message, /tax-exempt/);
  });

  it('answers 404 for another customer’s invoice and an unknown one, as the PDF does', async () => {
    const other = await loggedIn(SEEDED_EMAILS.card);
    const othersInvoice = await newestInvoiceId(other);
    const client = await loggedIn(SEEDED_EMAILS.company);
    for (const id of [othersInvoice, 'in_doesNotExist', 'not-an-id']) {
      const answer = await eInvoice(client, id, 'xrechnung');
      assert.equal(answer.status, 404, id);
      assert.equal(answer.body.error.code, 'not_found');
      assert.equal((await client.get(`/api/invoices/${id}/pdf`)).status, 404);
    }
  });

  it('answers 400 for a format it does not know, or none', async () => {
    const client = await loggedIn(SEEDED_EMAILS.company);
    const id = await newestInvoiceId(client);
    for (const query of ['?format=pdf', '?format=XRECHNUNG', '', '?format=xrechnung&x=1']) {
      const answer = await client.get(`/api/invoices/${id}/e-invoice${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.code, 'invalid_request');
    }
  });

  it('answers 401 without a session', async () => {
    const anonymous = portal.client();
    const answer = await anonymous.get('/api/invoices/in_demo0001/e-invoice?format=xrechnung');
    assert.equal(answer.status, 401);
  });
});

describe('the validation in these tests', () => {
  it('bites: an XRechnung without its buyer reference (BR-DE-15) is INVALID', async () => {
    const portal = await startPortal();
    try {
      const client = await login(portal, SEEDED_EMAILS.company);
      const xml = text((await eInvoice(client, await newestInvoiceId(client), 'xrechnung')).bytes);
      const broken = xml.replace(/<ram:BuyerReference>[^<]*<\/ram:BuyerReference>/, '');
      assert.notEqual(broken, xml);
      const result = await validateInvoice(Buffer.from(broken));
      assert.equal(result.valid, false);
      assert.ok(result.errors.some((e) => e.id === 'BR-DE-15' && e.level === 'error'));
    } finally {
      await portal.close();
    }
  });
});
