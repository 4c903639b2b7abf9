import assert from 'node:assert/strict';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import Stripe from 'stripe';
import type {FieldProblem} from '../../common/contract.js';
import {createStripeClient} from '../../server/adapters/stripe.js';
import {silentLogger} from '../../server/logger.js';
import {BillingDetailsSaves} from '../../server/services/billing-details-save.js';
import {validateBillingDetails} from '../../server/services/billing-details.js';
import {MemoryStore} from '../../server/store/memory-store.js';
import {login, startPortal, startPortalWithStripe, type Portal} from './harness.js';

const company = {
  name: 'Spedition Nordlicht GmbH & Co. KG',
  phone: '+49 40 123456',
  address: {
    line1: 'Am Kaiserkai 10',
    line2: '2. OG',
    postalCode: '20457',
    city: 'Hamburg',
    country: 'DE',
  },
  shipping: {
    name: 'Spedition Nordlicht – Lager',
    address: {line1: 'Containerweg 3', postalCode: '27568', city: 'Bremerhaven', country: 'DE'},
  },
  taxId: {value: 'DE 987 654 321'},
};

describe('PUT /api/billing-details', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('turns a driver into a company with VAT ID and separate shipping address', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const answer = await client.request('PUT', '/api/billing-details', {body: company});
    assert.equal(answer.status, 200);
    const customer = answer.body.customer;
    assert.equal(customer.name, company.name);
    assert.deepEqual(customer.address, {...company.address, state: null});
    assert.equal(customer.shipping.address.city, 'Bremerhaven');
    assert.equal(customer.taxIds.length, 1);
    assert.equal(customer.taxIds[0].type, 'eu_vat');
    assert.equal(customer.taxIds[0].value, 'DE987654321');

    const overview = await client.get('/api/account');
    assert.equal(overview.body.customer.name, company.name);
    assert.equal(overview.body.customer.taxIds[0].value, 'DE987654321');
  });

  it('replaces the previous tax ID and removes it when taxId is null', async () => {
    const client = await login(portal, 'firma@example.com');
    const customerId = (await client.get('/api/session')).body.activeCustomerId;
    const before = (await client.get('/api/account')).body.customer.taxIds;
    assert.equal(before.length, 1);
    const replaced = await client.request('PUT', '/api/billing-details', {
      body: {...company, name: 'Hafenlogistik Nord GmbH', taxId: {value: '12/345/67890'}},
    });
    assert.equal(replaced.status, 200);
    assert.deepEqual(
      replaced.body.customer.taxIds.map((t: any) => [t.type, t.value]),
      [['de_stn', '12/345/67890']],
    );
    const atStripe = await stripe.customers.listTaxIds(customerId);
    assert.equal(atStripe.data.length, 1);

    const removed = await client.request('PUT', '/api/billing-details', {
      body: {...company, shipping: null, taxId: null},
    });
    assert.deepEqual(removed.body.customer.taxIds, []);
    assert.equal(removed.body.customer.shipping, null);
  });

  it('keeps an unchanged tax ID instead of creating it again', async () => {
    const client = await login(portal, 'paypal@example.com');
    const first = await client.request('PUT', '/api/billing-details', {body: company});
    const second = await client.request('PUT', '/api/billing-details', {body: company});
    assert.equal(second.body.customer.taxIds[0].id, first.body.customer.taxIds[0].id);
  });

  it('updates only the active account of the session', async () => {
    const client = await login(portal, 'zwei@example.com');
    const session = (await client.get('/api/session')).body;
    const [active, other] = session.accounts.map((a: any) => a.customerId);
    const otherBefore = (await stripe.customers.retrieve(other)) as Stripe.Customer;
    await client.request('PUT', '/api/billing-details', {body: company});
    const activeAfter = (await stripe.customers.retrieve(active)) as Stripe.Customer;
    const otherAfter = (await stripe.customers.retrieve(other)) as Stripe.Customer;
    assert.equal(activeAfter.name, company.name);
    assert.equal(otherAfter.name, otherBefore.name);
    assert.deepEqual(otherAfter.address, otherBefore.address);
  });

  it('answers 401 without a session and changes nothing', async () => {
    const answer = await portal.client().request('PUT', '/api/billing-details', {body: company});
    assert.equal(answer.status, 401);
  });
});

describe('billing details validation', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  // Each refusal names its field with the contract's code and params (never English to parse).
  const cases: Array<[string, (b: any) => any, string, FieldProblem]> = [
    ['an empty name', (b) => ({...b, name: '  '}), 'name', {code: 'required'}],
    [
      'a name over 150 characters',
      (b) => ({...b, name: 'x'.repeat(151)}),
      'name',
      {code: 'too_long', params: {max: 150}},
    ],
    [
      'an unknown country',
      (b) => ({...b, address: {...b.address, country: 'XX'}}),
      'address.country',
      {code: 'country'},
    ],
    [
      'a German postal code of four digits',
      (b) => ({...b, address: {...b.address, postalCode: '2045'}}),
      'address.postalCode',
      {code: 'postal_code', params: {country: 'DE'}},
    ],
    [
      'a missing city',
      (b) => ({...b, address: {...b.address, city: undefined}}),
      'address.city',
      {code: 'required'},
    ],
    [
      'a US address without state',
      (b) => ({...b, address: {...b.address, country: 'US', postalCode: '10001'}}),
      'address.state',
      {code: 'region', params: {country: 'US'}},
    ],
    ['letters in the phone number', (b) => ({...b, phone: 'call me'}), 'phone', {code: 'phone'}],
    [
      'a shipping postal code of the wrong format',
      (b) => ({
        ...b,
        shipping: {...b.shipping, address: {...b.shipping.address, postalCode: 'ABC'}},
      }),
      'shipping.address.postalCode',
      {code: 'postal_code', params: {country: 'DE'}},
    ],
    [
      'a VAT ID of the wrong format',
      (b) => ({...b, taxId: {value: 'DE12345'}}),
      'taxId.value',
      {code: 'tax_id', params: {example: 'DE123456789'}},
    ],
    [
      'Greece written GR instead of EL',
      (b) => ({
        ...b,
        address: {...b.address, country: 'GR', postalCode: '10431'},
        taxId: {value: 'GR123456789'},
      }),
      'taxId.value',
      {code: 'tax_id', params: {example: 'EL123456789'}},
    ],
    [
      'an unknown tax ID type',
      (b) => ({...b, taxId: {type: 'us_ein', value: '12-3456789'}}),
      'taxId.type',
      {code: 'invalid'},
    ],
    [
      'an unknown field',
      (b) => ({...b, email: 'chef@example.com'}),
      'email',
      {code: 'unknown_field'},
    ],
    [
      'an unknown address field',
      (b) => ({...b, address: {...b.address, county: 'Hamburg'}}),
      'address.county',
      {code: 'unknown_field'},
    ],
  ];

  for (const [what, change, field, problem] of cases) {
    it(`refuses ${what} with 422 at ${field}: ${problem.code}`, async () => {
      assert.throws(
        () => validateBillingDetails(change(structuredClone(company))),
        (error: any) => {
          assert.equal(error.status, 422);
          const {message, ...coded} = error.extra.fields[field] ?? {};
          assert.deepEqual(coded, problem, JSON.stringify(error.extra.fields));
          assert.equal(typeof message, 'string', 'a message for developers');
          return true;
        },
      );
    });
  }

  it('answers 422 validation_failed with the fields through HTTP and saves nothing', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const before = (await client.get('/api/account')).body.customer;
    const answer = await client.request('PUT', '/api/billing-details', {
      body: {...company, name: '', address: {...company.address, postalCode: '1'}},
    });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error.code, 'validation_failed');
    assert.deepEqual(Object.keys(answer.body.error.fields).sort(), ['address.postalCode', 'name']);
    assert.equal(answer.body.error.fields.name.code, 'required');
    assert.deepEqual(answer.body.error.fields['address.postalCode'].params, {country: 'DE'});
    assert.deepEqual((await client.get('/api/account')).body.customer, before);
  });
});

describe('billing details when Stripe takes only part', () => {
  let portal: Portal;
  let stripe: Stripe;
  let customerId: string;
  let store: MemoryStore;
  before(async () => {
    ({portal, stripe} = await startPortalWithStripe());
    customerId = (await stripe.customers.list({email: 'firma@example.com'})).data[0].id;
  });
  after(() => portal.close());
  beforeEach(async () => {
    store = new MemoryStore();
    // Each test starts from firma@'s details as seeded.
    await stripe.customers.update(customerId, {
      name: 'Hafenlogistik Nord GmbH',
      address: {line1: 'Am Sandtorkai 50', postal_code: '20457', city: 'Hamburg', country: 'DE'},
    });
    const taxIds = await stripe.customers.listTaxIds(customerId);
    for (const t of taxIds.data) await stripe.customers.deleteTaxId(customerId, t.id);
    await stripe.customers.createTaxId(customerId, {type: 'eu_vat', value: 'DE123456789'});
  });
  afterEach(() => store.close());

  const saves = (client: Stripe) =>
    new BillingDetailsSaves(client, store, {
      leaseMs: 1000,
      log: silentLogger,
      now: () => Math.floor(Date.now() / 1000),
    });
  const taxIdValues = async () =>
    (await stripe.customers.listTaxIds(customerId)).data.map((t) => t.value).sort();
  const journals = () => store.recordKeys('billing-details-save:');

  it('saves nothing when Stripe refuses the tax ID, and names the field', async () => {
    const refusing = createStripeClient(portal.config);
    refusing.customers.createTaxId = async () => {
      throw new Stripe.errors.StripeInvalidRequestError({
        type: 'invalid_request_error',
        code: 'tax_id_invalid',
        message: 'Invalid value for eu_vat.',
      } as never);
    };
    const before = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    await assert.rejects(
      saves(refusing).save(customerId, validateBillingDetails(company)),
      (error: any) =>
        error.status === 422 && error.extra.fields['taxId.value']?.code === 'tax_id_refused',
    );
    const after = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    assert.equal(after.name, before.name);
    assert.deepEqual(await taxIdValues(), ['DE123456789']);
    assert.deepEqual(await journals(), [], 'nothing left to carry forward');
  });

  it('takes back only its own new tax ID when Stripe refuses the customer update, naming the field', async () => {
    const refusing = createStripeClient(portal.config);
    refusing.customers.update = async () => {
      throw new Stripe.errors.StripeInvalidRequestError({
        type: 'invalid_request_error',
        message: 'Invalid postal code.',
        param: 'shipping[address][postal_code]',
      } as never);
    };
    await assert.rejects(
      saves(refusing).save(customerId, validateBillingDetails(company)),
      (error: any) =>
        error.status === 422 &&
        error.extra.fields['shipping.address.postalCode']?.code === 'rejected',
    );
    assert.deepEqual(await taxIdValues(), ['DE123456789'], 'exactly the old state');
    assert.deepEqual(await journals(), []);
  });

  it('keeps a save whose customer update got no answer, says so, and completes it later', async () => {
    const failing = createStripeClient(portal.config);
    failing.customers.update = async () => {
      throw new Stripe.errors.StripeAPIError({message: 'down'});
    };
    await assert.rejects(
      saves(failing).save(customerId, validateBillingDetails(company)),
      (error: any) => error.status === 503 && error.code === 'save_pending',
    );
    assert.equal((await journals()).length, 1, 'the accepted save is kept');
    // Nothing is undone by guessing: the new tax ID stays until the save is completed.
    assert.deepEqual(await taxIdValues(), ['DE123456789', 'DE987654321']);

    assert.equal(await saves(stripe).settle(customerId), false, 'nothing pending any more');
    const after = (await stripe.customers.retrieve(customerId)) as Stripe.Customer;
    assert.equal(after.name, company.name);
    assert.equal(after.shipping?.address?.city, 'Bremerhaven');
    assert.deepEqual(await taxIdValues(), ['DE987654321'], 'exactly the new state');
  });

  it('completes the removal of the old tax ID later instead of answering half a save', async () => {
    const stuck = createStripeClient(portal.config);
    stuck.customers.deleteTaxId = async () => {
      throw new Stripe.errors.StripeAPIError({message: 'down'});
    };
    await assert.rejects(
      saves(stuck).save(customerId, validateBillingDetails(company)),
      (error: any) => error.code === 'save_pending',
    );
    assert.deepEqual(await saves(stripe).sweep(), {pending: 0});
    assert.deepEqual(await taxIdValues(), ['DE987654321']);
  });

  it('answers from what the writes returned: a store failing after them changes nothing', async () => {
    const removeRecord = store.recordDelete.bind(store);
    store.recordDelete = async () => {
      throw new Error('store down');
    };
    const answer = await saves(stripe).save(customerId, validateBillingDetails(company));
    assert.equal(answer.customer.name, company.name);
    assert.deepEqual(
      answer.customer.taxIds.map((t) => t.value),
      ['DE987654321'],
      'the answer shows the account as it is now',
    );
    assert.equal((await journals()).length, 1, 'the journal could not be removed');

    // The next run finds the save done in Stripe: it writes nothing and removes the journal.
    store.recordDelete = removeRecord;
    const counting = createStripeClient(portal.config);
    let writes = 0;
    for (const method of ['update', 'createTaxId', 'deleteTaxId'] as const) {
      const original = (counting.customers[method] as (...args: unknown[]) => unknown).bind(
        counting.customers,
      );
      (counting.customers as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        writes += 1;
        return original(...args);
      };
    }
    assert.equal(await saves(counting).settle(customerId), false);
    assert.equal(writes, 0);
    assert.deepEqual(await journals(), []);
  });

  it('refuses a second save of the customer while one holds the lease, and frees it after', async () => {
    const slow = createStripeClient(portal.config);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const update = slow.customers.update.bind(slow.customers);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    slow.customers.update = async (...args: Parameters<typeof update>) => {
      started();
      await held;
      return update(...args);
    };
    const first = saves(slow).save(customerId, validateBillingDetails(company));
    await running;
    await assert.rejects(
      saves(stripe).save(customerId, validateBillingDetails(company)),
      (error: any) => error.status === 409 && error.code === 'save_in_progress',
    );
    release();
    await first;
    await saves(stripe).save(customerId, validateBillingDetails(company));
  });
});

describe('the next invoice after „Informationen aktualisieren"', () => {
  let portal: Portal;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('is issued to the company on renewal (POST /dev/renew), while issued invoices keep their name', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const before = (await client.get('/api/invoices')).body.invoices;
    await client.request('PUT', '/api/billing-details', {body: company});
    const renewed = await client.post('/dev/renew', {email: 'fahrer@example.com'});
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.invoices.length, 1);
    assert.equal(renewed.body.invoices[0].customerName, company.name);

    const after = (await client.get('/api/invoices')).body.invoices;
    assert.equal(after.length, before.length + 1);
    assert.equal(after[0].id, renewed.body.invoices[0].id);
    assert.equal(after[0].customerName, company.name);
    assert.equal(after[0].status, 'paid');
    assert.deepEqual(after.slice(1), before, 'issued invoices do not change');
  });
});

describe('billing details and control characters', () => {
  it('refuses line breaks and other control characters in names and addresses', () => {
    for (const change of [
      (b: any) => ({...b, name: 'Firma\nGmbH'}),
      (b: any) => ({...b, name: 'Firma GmbH\u0007'}),
      (b: any) => ({...b, address: {...b.address, line2: 'OG\r\n2'}}),
    ]) {
      assert.throws(
        () => validateBillingDetails(change(structuredClone(company))),
        (error: any) => error.status === 422,
      );
    }
  });
});

describe('two saves of the same billing details at once', () => {
  it('lets one run and answers the other 409 save_in_progress, leaving exactly one tax ID', async () => {
    const portal = await startPortal({env: {STRIPE_EMULATOR_LATENCY_MS: '30'}});
    try {
      const client = await login(portal, 'firma@example.com');
      const [a, b] = await Promise.all([
        client.request('PUT', '/api/billing-details', {
          body: {...company, taxId: {value: 'DE111222333'}},
        }),
        client.request('PUT', '/api/billing-details', {
          body: {...company, taxId: {value: 'DE444555666'}},
        }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
      assert.equal([a, b].find((r) => r.status === 409)!.body.error.code, 'save_in_progress');
      const taxIds = (await client.get('/api/account')).body.customer.taxIds;
      assert.equal(taxIds.length, 1);
      const again = await client.request('PUT', '/api/billing-details', {body: company});
      assert.equal(again.status, 200, 'the lock is released after a save');
    } finally {
      await portal.close();
    }
  });
});
