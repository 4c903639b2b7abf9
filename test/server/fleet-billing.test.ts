import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import type {FleetBillingResult} from '../../common/contract.js';
import type {TracedRequest} from '../../demo/stripe-emulator/index.js';
import {ApiError, notFound} from '../../server/errors.js';
import {silentLogger} from '../../server/logger.js';
import type {BillingDetailsSaves} from '../../server/services/billing-details-save.js';
import {validateBillingDetails} from '../../server/services/billing-details.js';
import {FleetBillingSaves} from '../../server/services/fleet-billing-details.js';
import {until} from './fault-harness.js';
import {createFleet, drivers, mostAtOnce} from './fleet-harness.js';
import {companyDetails, login, startPortalWithStripe, type Client, type Portal} from './harness.js';

const company = companyDetails;

const bulkSave = (client: Client, body: unknown) =>
  client.request('PUT', '/api/fleet/billing-details', {body});

async function customer(stripe: Stripe, id: string): Promise<Stripe.Customer> {
  return (await stripe.customers.retrieve(id, {expand: ['tax_ids']})) as Stripe.Customer;
}

/** Whether Stripe holds `company` for the customer: name, address and the one VAT ID. */
async function holdsCompany(stripe: Stripe, id: string): Promise<boolean> {
  const c = await customer(stripe, id);
  return (
    c.name === company.name &&
    c.address?.line1 === company.address.line1 &&
    c.tax_ids?.data.length === 1 &&
    c.tax_ids.data[0].value === 'DE987654321'
  );
}

/** The update of a customer itself (`POST /v1/customers/cus_…`), not its tax IDs. */
const CUSTOMER_UPDATE = /^\/v1\/customers\/cus_[A-Za-z0-9]+$/;

describe('PUT /api/fleet/billing-details', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('saves the details to every account of the fleet, a saved row each, in the order sent', async () => {
    const ids = await createFleet(stripe, 'flotte-drei@example.com', drivers(3));
    const client = await login(portal, 'flotte-drei@example.com');
    const answer = await bulkSave(client, {
      customerIds: [ids[2], ids[0], ids[1]],
      details: company,
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      results: [ids[2], ids[0], ids[1]].map((customerId) => ({customerId, status: 'saved'})),
    });
    for (const id of ids) assert.ok(await holdsCompany(stripe, id), id);
    // The dashboard reads Stripe again after the save, as after a single one.
    assert.equal((await client.get('/api/account')).body.customer.name, company.name);
  });

  it('keeps each driver’s own name in the fleet while the invoices go to the company', async () => {
    const ids = await createFleet(stripe, 'flotte-namen@example.com', drivers(2));
    const client = await login(portal, 'flotte-namen@example.com');
    assert.equal((await bulkSave(client, {customerIds: ids, details: company})).status, 200);
    const rows = (await client.get('/api/fleet')).body.drivers as Array<{
      customerId: string;
      name: string;
      billingName: string;
    }>;
    assert.deepEqual(
      ids.map((id) => rows.find((r) => r.customerId === id)).map((r) => [r?.name, r?.billingName]),
      [
        ['Fahrer 1', company.name],
        ['Fahrer 2', company.name],
      ],
    );
    // Kept where Stripe keeps the customer: in its metadata, written with the new name.
    assert.equal((await customer(stripe, ids[0])).metadata.conroo_driver_name, 'Fahrer 1');
    // A second company later: the driver's own name stays the first one kept.
    const next = {...company, name: 'Spedition Süd GmbH'};
    assert.equal((await bulkSave(client, {customerIds: [ids[0]], details: next})).status, 200);
    const again = (await client.get('/api/fleet')).body.drivers as typeof rows;
    const first = again.find((r) => r.customerId === ids[0])!;
    assert.deepEqual([first.name, first.billingName], ['Fahrer 1', 'Spedition Süd GmbH']);
    const accounts = (await client.get('/api/session')).body.accounts as Array<{name: string}>;
    assert.deepEqual(accounts.map((a) => a.name).sort(), ['Fahrer 1', 'Fahrer 2']);
  });

  it('fails only the row of an ID the session does not hold, with not_found', async () => {
    const ids = await createFleet(stripe, 'flotte-fremd@example.com', drivers(2));
    const client = await login(portal, 'flotte-fremd@example.com');
    const before = await customer(stripe, 'cus_demoFahrer');
    const answer = await bulkSave(client, {
      customerIds: [ids[0], 'cus_demoFahrer', 'cus_gibtEsNicht', ids[1]],
      details: company,
    });
    assert.equal(answer.status, 200);
    const results = answer.body.results as FleetBillingResult[];
    assert.deepEqual(
      results.map((r) => [r.customerId, r.status, r.error?.code]),
      [
        [ids[0], 'saved', undefined],
        ['cus_demoFahrer', 'failed', 'not_found'],
        ['cus_gibtEsNicht', 'failed', 'not_found'],
        [ids[1], 'saved', undefined],
      ],
    );
    // Another's account and one that does not exist read alike.
    assert.deepEqual(results[1].error, results[2].error);
    const after = await customer(stripe, 'cus_demoFahrer');
    assert.equal(after.name, before.name);
    assert.deepEqual(after.address, before.address);
    assert.deepEqual(after.tax_ids?.data, before.tax_ids?.data);
  });

  it('saves nothing for invalid details: one 422 with the fields of the single save', async () => {
    const ids = await createFleet(stripe, 'flotte-falsch@example.com', drivers(2));
    const client = await login(portal, 'flotte-falsch@example.com');
    const emulator = portal.emulator!;
    const changes = emulator.state.changes;
    const answer = await bulkSave(client, {
      customerIds: ids,
      details: {...company, address: {...company.address, postalCode: '2045'}, fax: '040 1'},
    });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error.code, 'validation_failed');
    assert.deepEqual(answer.body.error.fields['address.postalCode'], {
      code: 'postal_code',
      params: {country: 'DE'},
      message: 'not a postal code of DE',
    });
    assert.equal(answer.body.error.fields.fax.code, 'unknown_field');
    const empty = await bulkSave(client, {customerIds: ids, details: {}});
    assert.equal(empty.status, 422);
    assert.equal(empty.body.error.fields.name.code, 'required');
    assert.equal(emulator.state.changes, changes, 'Stripe changed nothing');
  });

  it('refuses an empty, an overlong or a repeating ID list with 400 invalid_request', async () => {
    const ids = await createFleet(stripe, 'flotte-liste@example.com', drivers(2));
    const client = await login(portal, 'flotte-liste@example.com');
    const emulator = portal.emulator!;
    const changes = emulator.state.changes;
    const field = async (body: unknown, path: string) => {
      const answer = await bulkSave(client, body);
      assert.equal(answer.status, 400, path);
      assert.equal(answer.body.error.code, 'invalid_request', path);
      return answer.body.error.fields[path];
    };
    assert.equal(
      (await field({customerIds: [], details: company}, 'customerIds')).code,
      'required',
    );
    const tooMany = Array.from({length: 501}, (_, i) => `cus_${String(i).padStart(14, '0')}`);
    assert.deepEqual(
      (await field({customerIds: tooMany, details: company}, 'customerIds')).params,
      {max: 500},
    );
    assert.equal(
      (await field({customerIds: [ids[0], ids[1], ids[0]], details: company}, 'customerIds.2'))
        .code,
      'invalid',
    );
    assert.equal((await field({details: company}, 'customerIds')).code, 'required');
    assert.equal((await field({customerIds: ids}, 'details')).code, 'required');
    assert.equal(
      (await field({customerIds: ids, details: company, dryRun: true}, 'dryRun')).code,
      'unknown_field',
    );
    assert.equal(emulator.state.changes, changes, 'Stripe changed nothing');
    // 500 IDs and full details fit the body limit.
    const most = await bulkSave(client, {customerIds: tooMany.slice(1), details: company});
    assert.equal(most.status, 200);
    assert.ok(
      (most.body.results as FleetBillingResult[]).every((r) => r.error?.code === 'not_found'),
    );
  });

  it('answers 401 without a session', async () => {
    const answer = await bulkSave(portal.client(), {
      customerIds: ['cus_demoFahrer'],
      details: company,
    });
    assert.equal(answer.status, 401);
  });

  it('streams a line per account as each is done when asked for application/x-ndjson', async () => {
    const ids = await createFleet(stripe, 'flotte-strom@example.com', drivers(3));
    const client = await login(portal, 'flotte-strom@example.com');
    const emulator = portal.emulator!;
    // The last account's update waits at Stripe until the others' lines have arrived.
    const held = emulator.hold({method: 'POST', path: `/v1/customers/${ids[2]}`});
    const answer = await fetch(new URL('/api/fleet/billing-details', portal.url), {
      method: 'PUT',
      headers: {
        cookie: client.cookieHeader,
        'content-type': 'application/json',
        accept: 'application/x-ndjson',
      },
      body: JSON.stringify({customerIds: ids, details: company}),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const lines = () => text.split('\n').filter(Boolean);
    while (lines().length < 2) {
      const next = await reader.read();
      assert.ok(!next.done, 'the stream goes on while an account is still at Stripe');
      text += next.value;
    }
    await held.held;
    const first = lines().map((line) => JSON.parse(line) as FleetBillingResult);
    assert.deepEqual(
      first.sort((a, b) => ids.indexOf(a.customerId) - ids.indexOf(b.customerId)),
      [
        {customerId: ids[0], status: 'saved'},
        {customerId: ids[1], status: 'saved'},
      ],
    );
    held.release();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      text += next.value;
    }
    assert.equal(text.endsWith('\n'), true);
    assert.deepEqual(JSON.parse(lines()[2]), {customerId: ids[2], status: 'saved'});
    assert.equal(lines().length, 3);
  });
});

describe('PUT /api/fleet/billing-details when Stripe pushes back', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(
    async () => ({portal, stripe} = await startPortalWithStripe({env: {FLEET_CONCURRENCY: '3'}})),
  );
  after(() => portal.close());

  it('has no more than FLEET_CONCURRENCY accounts at Stripe at once', async () => {
    const ids = await createFleet(stripe, 'flotte-zehn@example.com', drivers(10));
    const client = await login(portal, 'flotte-zehn@example.com');
    const emulator = portal.emulator!;
    const arrivals: Array<{method: string; path: string}> = [];
    const trace: TracedRequest[] = [];
    emulator.state.http.arrivals = arrivals;
    emulator.state.http.trace = trace;
    const updates = () =>
      arrivals.filter((a) => a.method === 'POST' && CUSTOMER_UPDATE.test(a.path));
    // Every update waits at Stripe: the accounts whose saves have begun stay there.
    const held = emulator.hold({method: 'POST', path: CUSTOMER_UPDATE});
    try {
      const saving = bulkSave(client, {customerIds: ids, details: {...company, taxId: null}});
      await until(() => updates().length >= 3, 'three updates at Stripe');
      // However long they wait, no fourth account starts meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(updates().length, 3);
      held.release();
      const answer = await saving;
      assert.ok((answer.body.results as FleetBillingResult[]).every((r) => r.status === 'saved'));
      assert.equal(updates().length, 10);
      assert.equal(mostAtOnce(trace), 3);
    } finally {
      held.release();
      emulator.state.http.arrivals = null;
      emulator.state.http.trace = null;
    }
  });

  it("saves every account through Stripe's lock-timeout 429s, which the SDK retries", async () => {
    const ids = await createFleet(stripe, 'flotte-sperre@example.com', drivers(3));
    const client = await login(portal, 'flotte-sperre@example.com');
    const emulator = portal.emulator!;
    const arrivals: Array<{method: string; path: string}> = [];
    emulator.state.http.arrivals = arrivals;
    // As many 429s as the SDK retries one request (STRIPE_MAX_NETWORK_RETRIES, default 2).
    emulator.injectFault({method: 'POST', path: CUSTOMER_UPDATE, fault: 429, times: 2});
    try {
      const answer = await bulkSave(client, {customerIds: ids, details: company});
      assert.ok((answer.body.results as FleetBillingResult[]).every((r) => r.status === 'saved'));
      for (const id of ids) assert.ok(await holdsCompany(stripe, id), id);
      const updates = arrivals.filter((a) => a.method === 'POST' && CUSTOMER_UPDATE.test(a.path));
      assert.equal(updates.length, 3 + 2, 'each 429 was asked again');
    } finally {
      emulator.clearFaults();
      emulator.state.http.arrivals = null;
    }
  });

  it("backs off on Stripe's rate limit; a row it could not save is saved by the next PUT of its ID", async () => {
    const ids = await createFleet(stripe, 'flotte-limit@example.com', drivers(8));
    const client = await login(portal, 'flotte-limit@example.com');
    const emulator = portal.emulator!;
    const details = {...company, taxId: null};
    emulator.state.http.rateLimit.resetStats();
    // Five reads and five writes a second: eight accounts need more than that.
    emulator.state.http.rateLimit.limitPerSecond = 5;
    try {
      let pending = ids;
      for (let round = 1; pending.length > 0; round++) {
        assert.ok(round <= 5, `still not saved after ${round - 1} rounds: ${pending.join(', ')}`);
        const answer = await bulkSave(client, {customerIds: pending, details});
        assert.equal(answer.status, 200);
        const results = answer.body.results as FleetBillingResult[];
        for (const r of results.filter((r) => r.status === 'failed')) {
          assert.ok(['stripe_unavailable', 'save_pending'].includes(r.error!.code), r.error!.code);
        }
        pending = results.filter((r) => r.status === 'failed').map((r) => r.customerId);
      }
      assert.ok(emulator.rateLimitStats().rateLimited > 0, 'Stripe did refuse some requests');
    } finally {
      emulator.state.http.rateLimit.limitPerSecond = null;
    }
    for (const id of ids) assert.equal((await customer(stripe, id)).name, company.name, id);
  });
});

describe('FleetBillingSaves', () => {
  const details = validateBillingDetails(company);
  // As the SDK throws Stripe's 429.
  const rateLimit = () =>
    Object.assign(new Error('Too many requests'), {type: 'StripeRateLimitError', statusCode: 429});

  /** A run on a clock that only the back-off moves; `save` stands in for BillingDetailsSaves. */
  function fleetSaves(save: (customerId: string) => Promise<void>, concurrency = 2) {
    let now = 0;
    const waits: number[] = [];
    const saves = {save} as unknown as BillingDetailsSaves;
    const fleet = new FleetBillingSaves(saves, {
      concurrency,
      log: silentLogger,
      clock: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      random: () => 1,
    });
    return {fleet, waits};
  }

  it('calls onSaved once for each account saved, never for one that failed', async () => {
    const {fleet} = fleetSaves(async (id) => {
      if (id === 'cus_b') throw notFound('No such customer');
    });
    const saved: string[] = [];
    const results = await fleet.saveAll(['cus_a', 'cus_b', 'cus_c', 'cus_d'], details, {
      holds: async (id) => id !== 'cus_c',
      onSaved: (id) => saved.push(id),
    });
    assert.deepEqual(
      results.map((r) => [r.customerId, r.status, r.error?.code]),
      [
        ['cus_a', 'saved', undefined],
        ['cus_b', 'failed', 'not_found'],
        ['cus_c', 'failed', 'not_found'],
        ['cus_d', 'saved', undefined],
      ],
    );
    assert.deepEqual(saved.sort(), ['cus_a', 'cus_d']);
  });

  it('pauses the run after a 429, longer each time, and tries the account again', async () => {
    let refusals = 2;
    const {fleet, waits} = fleetSaves(async (id) => {
      if (id === 'cus_a' && refusals-- > 0) {
        throw new ApiError(503, 'stripe_unavailable', 'x', {cause: rateLimit()});
      }
    }, 1);
    const results = await fleet.saveAll(['cus_a', 'cus_b'], details, {holds: async () => true});
    assert.deepEqual(
      results.map((r) => r.status),
      ['saved', 'saved'],
    );
    assert.deepEqual(waits, [1000, 2000]);
  });

  it('gives up on an account after four 429s and reports it, as it does other failures', async () => {
    const {fleet, waits} = fleetSaves(async () => {
      throw rateLimit();
    }, 1);
    const [result] = await fleet.saveAll(['cus_a'], details, {holds: async () => true});
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.code, 'stripe_unavailable');
    assert.deepEqual(waits, [1000, 2000, 4000]);
  });
});
