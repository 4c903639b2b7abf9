/**
 * „Ihre Referenz" (the buyer's reference, BT-10 of the e-invoice) through the portal: saved
 * with the billing details as the customer's invoice custom field, which Stripe copies onto
 * each invoice it makes from then on ("Any custom fields set at the customer level apply to all
 * draft invoices generated for that customer", https://docs.stripe.com/invoicing/customize#custom-fields;
 * the list replaces the stored one on update, "pass an empty string to remove previously-defined
 * fields", https://docs.stripe.com/api/customers/update#update_customer-invoice_settings-custom_fields).
 */
import assert from 'node:assert/strict';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import Stripe from 'stripe';
import {formatResult, validateInvoice} from '../../../shared/einvoice-validation/validate.mjs';
import {MAX_REFERENCE_LENGTH, type FieldProblem} from '../../common/contract.js';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/seed.js';
import {createStripeClient} from '../../server/adapters/stripe.js';
import {silentLogger} from '../../server/logger.js';
import {BillingDetailsSaves} from '../../server/services/billing-details-save.js';
import {validateBillingDetails} from '../../server/services/billing-details.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {createFleet, drivers} from './fleet-harness.js';
import {download, login, startPortalWithStripe, type Client, type Portal} from './harness.js';
import {pdfText} from './pdf-text.js';

const details = {
  name: 'Hafenlogistik Nord GmbH',
  phone: '+49 40 3009 8750',
  address: {line1: 'Am Sandtorkai 50', postalCode: '20457', city: 'Hamburg', country: 'DE'},
  shipping: null,
  taxId: {value: 'DE123456789'},
};

const other = {name: 'Kostenstelle', value: 'KS 12'};

/** BT-10 of an XRechnung (CII: `ram:BuyerReference`), as written, entities and all. */
const buyerReference = (xml: string) =>
  /<ram:BuyerReference>([^<]*)<\/ram:BuyerReference>/.exec(xml)?.[1];

describe('„Ihre Referenz" validation', () => {
  const cases: Array<[string, unknown, FieldProblem['code']]> = [
    [
      `one over ${MAX_REFERENCE_LENGTH} characters`,
      'x'.repeat(MAX_REFERENCE_LENGTH + 1),
      'too_long',
    ],
    ['a number', 4711, 'invalid'],
    ['an object', {value: 'PO-1'}, 'invalid'],
    ['a line break', 'PO 1\nPO 2', 'control_characters'],
    ['a tab', 'PO\t1', 'control_characters'],
  ];
  for (const [what, reference, code] of cases) {
    it(`refuses ${what} with 422 at reference: ${code}`, () => {
      assert.throws(
        () => validateBillingDetails({...details, reference}),
        (error: any) => {
          assert.equal(error.status, 422);
          assert.equal(error.code, 'validation_failed');
          assert.deepEqual(Object.keys(error.extra.fields), ['reference']);
          assert.equal(error.extra.fields.reference.code, code);
          if (code === 'too_long') {
            assert.deepEqual(error.extra.fields.reference.params, {max: MAX_REFERENCE_LENGTH});
          }
          return true;
        },
      );
    });
  }

  it('trims it, keeps one of exactly 140 characters, reads blank as null and omitted as omitted', () => {
    assert.equal(validateBillingDetails({...details, reference: '  PO 1  '}).reference, 'PO 1');
    const longest = `${'ä'.repeat(MAX_REFERENCE_LENGTH)}   `;
    assert.equal(
      validateBillingDetails({...details, reference: longest}).reference,
      'ä'.repeat(MAX_REFERENCE_LENGTH),
    );
    assert.equal(validateBillingDetails({...details, reference: '   '}).reference, null);
    assert.equal(validateBillingDetails({...details, reference: null}).reference, null);
    assert.ok(!('reference' in validateBillingDetails(details)));
  });
});

describe('„Ihre Referenz" saved through PUT /api/billing-details', () => {
  let portal: Portal;
  let stripe: Stripe;
  let client: Client;
  const email = SEEDED_EMAILS.company;
  const customerId = SEEDED_CUSTOMER_IDS.company;
  before(async () => {
    ({portal, stripe} = await startPortalWithStripe());
    client = await login(portal, email);
  });
  after(() => portal.close());

  const save = async (body: object) => {
    const answer = await client.request('PUT', '/api/billing-details', {body});
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.customer as {reference: string | null};
  };
  const fieldsAtStripe = async () =>
    ((await stripe.customers.retrieve(customerId)) as Stripe.Customer).invoice_settings
      .custom_fields;
  /** The next invoice (`POST /dev/renew`), its XRechnung checked VALID; answers BT-10. */
  const renewedBuyerReference = async (what: string) => {
    const renewed = await client.post('/dev/renew', {email});
    assert.equal(renewed.status, 200);
    const id = renewed.body.invoices[0].id as string;
    const xml = await download(client, `/api/invoices/${id}/e-invoice?format=xrechnung`);
    assert.equal(xml.status, 200, JSON.stringify(xml.body));
    const result = await validateInvoice(xml.bytes, {name: what});
    assert.ok(result.valid, formatResult(result, {verbose: true}));
    assert.equal(result.errors.filter((e) => e.level === 'error').length, 0);
    assert.equal(result.profile, 'XRechnung-3.0');
    return {id, reference: buyerReference(Buffer.from(xml.bytes).toString('utf8'))};
  };

  it('shows the seeded reference, and its invoices’ e-invoices give it as BT-10', async () => {
    assert.equal((await client.get('/api/account')).body.customer.reference, 'Bestellnr. 4711-K');
    const {reference} = await renewedBuyerReference('seeded reference');
    assert.equal(reference, 'Bestellnr. 4711-K');
  });

  it('saves a new one, shows it, and the next invoice’s XRechnung has it as BT-10 (VALID); issued ones keep theirs', async () => {
    const issued = (await client.get('/api/invoices?limit=1')).body.invoices[0].id as string;
    const saved = await save({...details, reference: '  Abruf 2026/07 – Rahmenvertrag 88  '});
    assert.equal(saved.reference, 'Abruf 2026/07 – Rahmenvertrag 88');
    assert.equal(
      (await client.get('/api/account')).body.customer.reference,
      'Abruf 2026/07 – Rahmenvertrag 88',
    );
    const {id, reference} = await renewedBuyerReference('new reference');
    assert.equal(reference, 'Abruf 2026/07 – Rahmenvertrag 88');
    const pdf = pdfText((await download(client, `/api/invoices/${id}/pdf`)).bytes);
    assert.match(pdf, /Ihre Referenz/);
    assert.match(pdf, /Abruf 2026\/07/);

    const old = await download(client, `/api/invoices/${issued}/e-invoice?format=xrechnung`);
    assert.equal(buyerReference(Buffer.from(old.bytes).toString('utf8')), 'Bestellnr. 4711-K');
  });

  it('carries &, <, umlauts and ß escaped into a VALID XRechnung', async () => {
    const wanted = 'Müller & Söhne <Auftrag> Größe „Süd" ß-Straße';
    assert.equal((await save({...details, reference: wanted})).reference, wanted);
    const {reference} = await renewedBuyerReference('special characters');
    assert.equal(reference, 'Müller &amp; Söhne &lt;Auftrag&gt; Größe „Süd" ß-Straße');
  });

  it('leaves it as it is when the save omits it', async () => {
    await save({...details, reference: 'bleibt'});
    const saved = await save({...details, name: 'Hafenlogistik Nord GmbH & Co. KG'});
    assert.equal(saved.reference, 'bleibt');
    assert.deepEqual(await fieldsAtStripe(), [{name: 'Ihre Referenz', value: 'bleibt'}]);
    assert.equal((await renewedBuyerReference('omitted')).reference, 'bleibt');
  });

  it('removes it with null (and blank): the next invoice falls back to the customer ID', async () => {
    await save({...details, reference: 'weg damit'});
    assert.equal((await save({...details, reference: null})).reference, null);
    assert.equal(await fieldsAtStripe(), null, 'no custom field left: none at all');
    assert.equal((await client.get('/api/account')).body.customer.reference, null);
    assert.equal((await renewedBuyerReference('removed')).reference, customerId);

    await save({...details, reference: 'wieder'});
    assert.equal((await save({...details, reference: '   '})).reference, null);
    assert.equal(await fieldsAtStripe(), null);
  });

  it('keeps the customer’s other invoice custom fields, in their place, when it sets or removes it', async () => {
    await stripe.customers.update(customerId, {
      invoice_settings: {
        custom_fields: [other, {name: 'Ihre Referenz', value: 'alt'}, {name: 'Los', value: '7'}],
      },
    });
    await save({...details, reference: 'neu'});
    assert.deepEqual(await fieldsAtStripe(), [
      other,
      {name: 'Ihre Referenz', value: 'neu'},
      {name: 'Los', value: '7'},
    ]);
    await save({...details, reference: null});
    assert.deepEqual(await fieldsAtStripe(), [other, {name: 'Los', value: '7'}]);
    await save({...details, reference: 'dazu'});
    assert.deepEqual(await fieldsAtStripe(), [
      other,
      {name: 'Los', value: '7'},
      {name: 'Ihre Referenz', value: 'dazu'},
    ]);
    const renewed = await client.post('/dev/renew', {email});
    const invoice = await stripe.invoices.retrieve(renewed.body.invoices[0].id as string);
    assert.deepEqual(invoice.custom_fields, [
      other,
      {name: 'Los', value: '7'},
      {name: 'Ihre Referenz', value: 'dazu'},
    ]);
  });

  it('answers 422 at reference when Stripe refuses a fifth custom field, and changes nothing', async () => {
    const four = ['A', 'B', 'C', 'D'].map((name) => ({name, value: name}));
    await stripe.customers.update(customerId, {invoice_settings: {custom_fields: four}});
    const before = (await client.get('/api/account')).body.customer;
    const answer = await client.request('PUT', '/api/billing-details', {
      body: {...details, name: 'Neuer Name GmbH', taxId: {value: 'DE 811 222 333'}, reference: 'x'},
    });
    assert.equal(answer.status, 422, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'validation_failed');
    assert.equal(answer.body.error.fields.reference.code, 'rejected');
    assert.deepEqual((await client.get('/api/account')).body.customer, before);
    assert.deepEqual(await fieldsAtStripe(), four);
  });

  it('answers 422 through HTTP for an overlong one and saves nothing', async () => {
    await stripe.customers.update(customerId, {invoice_settings: {custom_fields: ''}});
    const answer = await client.request('PUT', '/api/billing-details', {
      body: {...details, reference: 'x'.repeat(MAX_REFERENCE_LENGTH + 1)},
    });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.error.fields.reference.params, {max: MAX_REFERENCE_LENGTH});
    assert.equal(await fieldsAtStripe(), null);
  });
});

describe('„Ihre Referenz" in the fleet’s bulk save (PUT /api/fleet/billing-details)', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('sets it for each selected driver, keeping each one’s other custom fields, and leaves the rest alone', async () => {
    const ids = await createFleet(stripe, 'flotte-referenz@example.com', drivers(3));
    await stripe.customers.update(ids[1], {invoice_settings: {custom_fields: [other]}});
    const client = await login(portal, 'flotte-referenz@example.com');
    const answer = await client.request('PUT', '/api/fleet/billing-details', {
      body: {customerIds: [ids[0], ids[1]], details: {...details, reference: 'Rahmenvertrag 9'}},
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(
      answer.body.results.map((r: {status: string}) => r.status),
      ['saved', 'saved'],
    );
    const fields = async (id: string) =>
      ((await stripe.customers.retrieve(id)) as Stripe.Customer).invoice_settings.custom_fields;
    const reference = {name: 'Ihre Referenz', value: 'Rahmenvertrag 9'};
    assert.deepEqual(await fields(ids[0]), [reference]);
    assert.deepEqual(await fields(ids[1]), [other, reference]);
    assert.equal(await fields(ids[2]), null, 'not selected');

    // Omitted in the next bulk save: each keeps its own.
    const again = await client.request('PUT', '/api/fleet/billing-details', {
      body: {customerIds: [ids[0], ids[1]], details: {...details, name: 'Spedition Süd GmbH'}},
    });
    assert.equal(again.status, 200);
    assert.deepEqual(await fields(ids[1]), [other, reference]);
  });
});

describe('„Ihre Referenz" when Stripe’s answer to the customer update is lost', () => {
  let portal: Portal;
  let stripe: Stripe;
  let store: MemoryStore;
  const customerId = SEEDED_CUSTOMER_IDS.company;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());
  beforeEach(async () => {
    store = new MemoryStore();
    await stripe.customers.update(customerId, {
      invoice_settings: {custom_fields: [other, {name: 'Ihre Referenz', value: 'alt'}]},
    });
  });
  afterEach(() => store.close());

  const saves = (client: Stripe) =>
    new BillingDetailsSaves(client, store, {
      leaseMs: 1000,
      log: silentLogger,
      now: () => Math.floor(Date.now() / 1000),
    });
  /** Stripe holds `details` already: the saves below differ from it only in the reference. */
  beforeEach(() => saves(stripe).save(customerId, validateBillingDetails(details)));
  const fieldsAtStripe = async () =>
    ((await stripe.customers.retrieve(customerId)) as Stripe.Customer).invoice_settings
      .custom_fields;
  const journals = () => store.recordKeys('billing-details-save:');

  it('completes a save whose update never reached Stripe: the new reference, the other field kept', async () => {
    const failing = createStripeClient(portal.config);
    failing.customers.update = async () => {
      throw new Stripe.errors.StripeAPIError({message: 'down'});
    };
    await assert.rejects(
      saves(failing).save(customerId, validateBillingDetails({...details, reference: 'neu'})),
      (error: any) => error.status === 503 && error.code === 'save_pending',
    );
    assert.deepEqual(await fieldsAtStripe(), [other, {name: 'Ihre Referenz', value: 'alt'}]);
    // Meanwhile someone else adds a field: the completed save keeps it as well.
    await stripe.customers.update(customerId, {
      invoice_settings: {
        custom_fields: [other, {name: 'Ihre Referenz', value: 'alt'}, {name: 'Los', value: '7'}],
      },
    });
    assert.equal(await saves(stripe).settle(customerId), false);
    assert.deepEqual(await fieldsAtStripe(), [
      other,
      {name: 'Ihre Referenz', value: 'neu'},
      {name: 'Los', value: '7'},
    ]);
    assert.deepEqual(await journals(), []);
  });

  it('finds a save done whose update Stripe applied but whose answer was lost, and writes nothing more', async () => {
    const losing = createStripeClient(portal.config);
    const update = losing.customers.update.bind(losing.customers);
    let updates = 0;
    losing.customers.update = async (...args: Parameters<typeof update>) => {
      updates += 1;
      await update(...args);
      throw new Stripe.errors.StripeConnectionError({message: 'answer lost'});
    };
    await assert.rejects(
      saves(losing).save(customerId, validateBillingDetails({...details, reference: null})),
      (error: any) => error.code === 'save_pending',
    );
    assert.equal(updates, 1);
    assert.deepEqual(await fieldsAtStripe(), [other], 'applied: the reference is gone');
    assert.equal((await journals()).length, 1);

    // The next run reads Stripe, finds the reference (and all else) as wanted: no update.
    assert.equal(await saves(losing).settle(customerId), false);
    assert.equal(updates, 1, 'nothing written twice');
    assert.deepEqual(await fieldsAtStripe(), [other]);
    assert.deepEqual(await journals(), []);
  });
});
