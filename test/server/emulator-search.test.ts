/**
 * Customer search in the Stripe emulator, through the real `stripe` SDK, as the carrier access
 * of issue 15 uses it (`docs/carrier-access.md`): metadata clauses joined by OR, pages of up
 * to 100 through `next_page`, `expand[]` on every result, and an index that lags behind the
 * customers. Each test names the Stripe page whose behaviour it follows. Then the seed's two
 * carriers, found the way the portal finds them.
 */
import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import {
  emulatorSearchLagMs,
  LARGE_FLEET_SIZE,
  SEEDED_CARRIERS,
  SPEDITION_DRIVERS,
  startStripeEmulator,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {emulatorStripe, idOf, rejects, useEmulator} from './stripe-emulator-client.js';

/** The query `docs/carrier-access.md` gives: the carrier in any of the three slots. */
function carrierQuery(email: string): string {
  return [1, 2, 3].map((n) => `metadata['conroo_carrier_${n}']:'${email}'`).join(' OR ');
}

/** Every page of a search, by `next_page`, as the portal walks them. */
async function allPages(
  stripe: Stripe,
  params: Stripe.CustomerSearchParams,
): Promise<Array<Stripe.ApiSearchResult<Stripe.Customer>>> {
  const pages: Array<Stripe.ApiSearchResult<Stripe.Customer>> = [];
  let page: string | undefined;
  do {
    const result = await stripe.customers.search({...params, ...(page ? {page} : {})});
    pages.push(result);
    page = result.next_page ?? undefined;
    if (result.has_more) assert.ok(page, 'has_more comes with a next_page');
  } while (page);
  return pages;
}

const ids = (customers: Stripe.Customer[]) => customers.map((c) => c.id);

/** `POST /v1/test_helpers/emulator/search_lag`, as a caller in another process sets the lag. */
function setLagOverHttp(emulator: StripeEmulator, lagMs: string): Promise<Response> {
  return fetch(`${emulator.url}/v1/test_helpers/emulator/search_lag`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk_test_x',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({lag_ms: lagMs}).toString(),
  });
}

describe('Stripe emulator: customer search', () => {
  let stripe: Stripe;

  useEmulator({seed: false}, (started) => ({stripe} = started));

  // https://docs.stripe.com/search#search-query-language: clauses joined by OR (any case);
  // `metadata['key']:'value'` matches a metadata value exactly.
  it('finds the customers matching any of several metadata clauses joined by OR', async () => {
    const carrier = 'or-test@example.com';
    const inSlot = async (slot: number, email = carrier) =>
      stripe.customers.create({
        email: `slot${slot}-${email}`,
        metadata: {[`conroo_carrier_${slot}`]: email, [`conroo_carrier_${slot}_at`]: '1700000000'},
      });
    const one = await inSlot(1);
    const two = await inSlot(2);
    const three = await inSlot(3);
    await inSlot(1, 'someone-else@example.com');
    await stripe.customers.create({metadata: {conroo_carrier_4: carrier}});

    const found = await stripe.customers.search({query: carrierQuery(carrier)});
    assert.equal(found.object, 'search_result');
    assert.deepEqual(new Set(ids(found.data)), new Set([one.id, two.id, three.id]));

    // The keyword in lower case, double quotes, and a value with a space and an "or" in it.
    const lower = await stripe.customers.search({
      query: `metadata["conroo_carrier_1"]:"${carrier}" or metadata["conroo_carrier_2"]:"${carrier}"`,
    });
    assert.deepEqual(new Set(ids(lower.data)), new Set([one.id, two.id]));
    const spaced = await stripe.customers.create({name: 'Hafen or Logistik'});
    const byName = await stripe.customers.search({query: "name:'hafen or logistik'"});
    assert.deepEqual(ids(byName.data), [spaced.id]);

    // A space joins clauses with AND, and AND and OR do not mix.
    const both = await stripe.customers.search({
      query: `metadata['conroo_carrier_2']:'${carrier}' email:'slot2-${carrier}'`,
    });
    assert.deepEqual(ids(both.data), [two.id]);
    const mixed = await rejects(
      stripe.customers.search({query: `${carrierQuery(carrier)} AND email:'x@example.com'`}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(mixed.param, 'query');
  });

  // https://docs.stripe.com/search#search-query-language: "You can combine up to 10 query
  // clauses in a search".
  it('refuses more than 10 clauses with a 400 naming the query', async () => {
    const clauses = (n: number) =>
      Array.from({length: n}, (_, i) => `metadata['k${i}']:'v'`).join(' OR ');
    const ten = await stripe.customers.search({query: clauses(10)});
    assert.equal(ten.object, 'search_result');
    const err = await rejects(
      stripe.customers.search({query: clauses(11)}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(err.statusCode, 400);
    assert.equal(err.type, 'StripeInvalidRequestError');
    assert.equal(err.param, 'query');
    assert.match(err.message, /at most 10/);
  });

  // https://docs.stripe.com/api/pagination/search: `limit` 1–100 (default 10), `page` = the
  // previous answer's `next_page`, `has_more`, `next_page` null on the last page.
  it('pages through 250 matches by next_page without repeating or leaving out any', async () => {
    const tag = 'paging@example.com';
    const created: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const made = await Promise.all(
        Array.from({length: 25}, (_, i) =>
          stripe.customers.create({
            email: `fahrer${batch * 25 + i}@example.com`,
            metadata: {conroo_carrier_1: tag},
          }),
        ),
      );
      created.push(...made.map((c) => c.id));
    }
    const query = carrierQuery(tag);

    const first = await stripe.customers.search({query});
    assert.equal(first.data.length, 10, 'limit defaults to 10');
    await rejects(
      stripe.customers.search({query, limit: 101}),
      Stripe.errors.StripeInvalidRequestError,
    );

    const pages = await allPages(stripe, {query, limit: 100});
    assert.deepEqual(
      pages.map((p) => [p.data.length, p.has_more, p.next_page === null]),
      [
        [100, true, false],
        [100, true, false],
        [50, false, true],
      ],
    );
    const seen = pages.flatMap((p) => ids(p.data));
    assert.equal(new Set(seen).size, 250, 'no customer twice');
    assert.deepEqual(new Set(seen), new Set(created), 'every customer once');
    const all = pages.flatMap((p) => p.data);
    for (let i = 1; i < all.length; i++) {
      assert.ok((all[i - 1]?.created ?? 0) >= (all[i]?.created ?? 0), 'newest first');
    }

    // The order holds across pages: customers created between two pages land before the
    // cursor, so the pages after it are the same as before.
    const page1 = await stripe.customers.search({query, limit: 100});
    await stripe.customers.create({metadata: {conroo_carrier_2: tag}});
    const page2 = await stripe.customers.search({query, limit: 100, page: page1.next_page ?? ''});
    assert.deepEqual(ids(page2.data), ids(pages[1]?.data ?? []));

    // The SDK's auto-pagination walks the same pages.
    const auto = await stripe.customers.search({query, limit: 100}).autoPagingToArray({limit: 300});
    assert.equal(auto.length, 251);
    assert.equal(new Set(ids(auto)).size, 251);

    await rejects(
      stripe.customers.search({query, page: 'not-a-cursor'}),
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  // https://docs.stripe.com/api/pagination/search: total_count "isn't included by default. To
  // include it in the response, expand the total_count field."
  it('counts all matches when asked to expand total_count', async () => {
    const query = carrierQuery('paging@example.com');
    const plain = (await stripe.customers.search({query, limit: 1})) as {total_count?: number};
    assert.equal(plain.total_count, undefined);
    const counted = (await stripe.customers.search({
      query,
      limit: 1,
      expand: ['total_count'],
    })) as {total_count?: number};
    assert.equal(counted.total_count, 251);
  });
});

describe('Stripe emulator: customer search on the seed', () => {
  let stripe: Stripe;

  useEmulator({}, (started) => ({stripe} = started));

  const fleetExpand = [
    'data.subscriptions',
    'data.tax_ids',
    'data.invoice_settings.default_payment_method',
    'data.subscriptions.data.latest_invoice',
  ];

  // https://docs.stripe.com/expand: "Expansions on list requests start with the data
  // property", nested fields after a dot; `subscriptions` and `tax_ids` are included in a
  // customer only when expanded (https://docs.stripe.com/api/customers/object).
  it('expands subscriptions, tax IDs, the default method and each latest invoice', async () => {
    const found = await stripe.customers.search({
      query: carrierQuery(SEEDED_CARRIERS.spedition),
      expand: fleetExpand,
    });
    const failed = found.data.find((c) => c.id === SPEDITION_DRIVERS.failedPayment.customerId);
    assert.ok(failed);
    const subs = failed.subscriptions;
    assert.ok(subs, 'subscriptions included');
    assert.equal(subs.object, 'list');
    assert.equal(subs.url, `/v1/customers/${failed.id}/subscriptions`);
    const sub = subs.data[0];
    assert.ok(sub);
    assert.equal(sub.status, 'past_due');
    const invoice = sub.latest_invoice;
    assert.ok(invoice && typeof invoice === 'object', 'latest invoice expanded');
    assert.equal(invoice.status, 'open');
    assert.equal(idOf(invoice.customer), failed.id);
    const pm = failed.invoice_settings.default_payment_method;
    assert.ok(pm && typeof pm === 'object', 'default payment method expanded');
    assert.equal(pm.type, 'card');
    assert.ok(failed.tax_ids);
    assert.equal(failed.tax_ids.data[0]?.type, 'eu_vat');

    // Not asked for, not there: the same search without expand.
    const bare = await stripe.customers.search({query: carrierQuery(SEEDED_CARRIERS.spedition)});
    const plain = bare.data.find((c) => c.id === failed.id);
    assert.ok(plain);
    assert.equal(plain.subscriptions, undefined);
    assert.equal(plain.tax_ids, undefined);
    assert.equal(typeof plain.invoice_settings.default_payment_method, 'string');
  });

  // https://docs.stripe.com/expand: "Expansions have a maximum depth of four levels (for
  // example, the deepest expansion allowed when listing charges is
  // data.payment_intent.customer.default_source)" — `data` counts.
  it('refuses an expansion five levels deep, counting data, like Stripe', async () => {
    const query = carrierQuery(SEEDED_CARRIERS.spedition);
    const four = await stripe.customers.search({
      query,
      expand: ['data.subscriptions.data.latest_invoice'],
    });
    assert.ok(four.data.length > 0);
    const err = await rejects(
      stripe.customers.search({query, expand: ['data.subscriptions.data.latest_invoice.customer']}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(err.code, 'property_expansion_max_depth');
    assert.equal(err.statusCode, 400);
    assert.match(
      err.message,
      /more than 4 levels.*data\.subscriptions\.data\.latest_invoice\.customer/,
    );
  });

  it(`spedition@: no Gate Pass of its own, and ${Object.keys(SPEDITION_DRIVERS).length} drivers of every case`, async () => {
    const carrier = SEEDED_CARRIERS.spedition;
    assert.equal((await stripe.customers.list({email: carrier})).data.length, 0);
    assert.equal((await stripe.customers.search({query: `email:'${carrier}'`})).data.length, 0);

    const found = await stripe.customers.search({
      query: carrierQuery(carrier),
      limit: 100,
      expand: fleetExpand,
    });
    const drivers = found.data;
    assert.ok(drivers.length >= 5, `at least five drivers, found ${drivers.length}`);
    assert.deepEqual(
      new Set(ids(drivers)),
      new Set(Object.values(SPEDITION_DRIVERS).map((d) => d.customerId)),
    );
    const emails = drivers.map((c) => c.email ?? '');
    assert.equal(new Set(emails).size, drivers.length, 'every driver has an address of their own');
    assert.ok(emails.every((e) => /^fahrer\.[a-z]+@example\.com$/.test(e)));

    // The grant, as docs/carrier-access.md stores it: the carrier in a slot, since when.
    const now = Math.floor(Date.now() / 1000);
    for (const c of drivers) {
      const slot = [1, 2, 3].find((n) => c.metadata[`conroo_carrier_${n}`] === carrier);
      assert.ok(slot, `${c.id} names the carrier`);
      const at = c.metadata[`conroo_carrier_${slot}_at`] ?? '';
      assert.match(at, /^\d+$/, 'Unix seconds, as a decimal string');
      assert.ok(Number(at) < now && Number(at) > now - 2 * 365 * 86_400);
    }

    const byId = new Map(drivers.map((c) => [c.id, c]));
    const driver = (key: keyof typeof SPEDITION_DRIVERS) => {
      const c = byId.get(SPEDITION_DRIVERS[key].customerId);
      assert.ok(c, key);
      return c;
    };
    const defaultMethod = (c: Stripe.Customer) => {
      const pm = c.invoice_settings.default_payment_method;
      return typeof pm === 'object' ? pm : null;
    };

    // „Rechnung noch an Privatperson": the driver's own name, no tax ID.
    const privatePerson = driver('privatePerson');
    assert.equal(privatePerson.tax_ids?.data.length, 0);
    assert.equal(privatePerson.name, defaultMethod(privatePerson)?.billing_details.name);

    // Billed to the carrier's company: its name and VAT ID, the driver on the shipping.
    const company = driver('company');
    assert.equal(company.tax_ids?.data[0]?.value, 'DE287654321');
    assert.notEqual(company.name, company.shipping?.name);
    assert.equal(company.shipping?.name, defaultMethod(company)?.billing_details.name);

    // A failed payment: past_due, its latest invoice open.
    const failed = driver('failedPayment');
    const failedSub = failed.subscriptions?.data[0];
    assert.equal(failedSub?.status, 'past_due');
    const latest = failedSub?.latest_invoice;
    assert.ok(latest && typeof latest === 'object' && latest.status === 'open');

    assert.equal(defaultMethod(driver('paypal'))?.type, 'paypal');

    // No payment method at all: none as default, none attached.
    const none = driver('noPaymentMethod');
    assert.equal(none.invoice_settings.default_payment_method, null);
    assert.equal((await stripe.customers.listPaymentMethods(none.id)).data.length, 0);
    assert.equal(none.metadata.conroo_carrier_2, carrier, 'found through slot 2');
  });

  // https://docs.stripe.com/api/pagination/search, with the largest page (100).
  it(`grossflotte@: ${LARGE_FLEET_SIZE} drivers in three pages of 100, each with a yearly Gate Pass`, async () => {
    const pages = await allPages(stripe, {
      query: carrierQuery(SEEDED_CARRIERS.largeFleet),
      limit: 100,
      expand: ['data.subscriptions'],
    });
    assert.deepEqual(
      pages.map((p) => p.data.length),
      [100, 100, 100],
    );
    assert.equal(pages.at(-1)?.has_more, false);
    const drivers = pages.flatMap((p) => p.data);
    assert.equal(new Set(ids(drivers)).size, LARGE_FLEET_SIZE);
    assert.equal(new Set(drivers.map((c) => c.email)).size, LARGE_FLEET_SIZE);
    for (const c of drivers) {
      const sub = c.subscriptions?.data[0];
      assert.ok(sub, `${c.id} has a Gate Pass`);
      assert.equal(sub.items.data[0]?.price.recurring?.interval, 'year');
    }
    // Varied: billed to the company and to themselves, several languages, several slots.
    assert.ok(new Set(drivers.map((c) => c.name)).size > 50);
    assert.ok(new Set(drivers.map((c) => c.preferred_locales?.[0])).size > 3);
    assert.ok(drivers.some((c) => c.metadata.conroo_carrier_2 === SEEDED_CARRIERS.largeFleet));
  });
});

describe('Stripe emulator: the search index lags', () => {
  // https://docs.stripe.com/search#data-freshness: "data won't be immediately available to
  // search. Under normal operating conditions, data is searchable in under 1 minute.
  // Propagation of new or updated data could be delayed during an outage." The lag is measured
  // on the emulator's clock, which `state.clockOffset` moves: no waiting.
  it('finds a fresh customer or change only once the lag has passed', async () => {
    // An hour: the test never takes that long between a change and its search.
    const emulator = await startStripeEmulator({seed: false, searchLagMs: 3_600_000});
    try {
      const stripe = emulatorStripe(emulator.port);
      const pass = () => {
        emulator.state.clockOffset += 3601;
      };
      const query = carrierQuery('lag@example.com');
      const found = async (q = query) => ids((await stripe.customers.search({query: q})).data);

      const driver = await stripe.customers.create({
        email: 'fahrer.lag@example.com',
        metadata: {conroo_carrier_1: 'lag@example.com', conroo_carrier_1_at: '1700000000'},
      });
      assert.deepEqual(await found(), [], 'created within the lag: not found yet');
      pass();
      assert.deepEqual(await found(), [driver.id]);

      // The access ends: the index still has the old metadata, the answer the customer now.
      await stripe.customers.update(driver.id, {
        metadata: {conroo_carrier_1: '', conroo_carrier_1_at: ''},
      });
      const stale = await stripe.customers.search({query});
      assert.deepEqual(ids(stale.data), [driver.id], 'found by its older state');
      assert.equal(stale.data[0]?.metadata.conroo_carrier_1, undefined, 'answered as it is');
      pass();
      assert.deepEqual(await found(), []);

      // A new grant in slot 2 is invisible until the lag has passed.
      await stripe.customers.update(driver.id, {metadata: {conroo_carrier_2: 'lag@example.com'}});
      assert.deepEqual(await found(), []);
      pass();
      assert.deepEqual(await found(), [driver.id]);
    } finally {
      await emulator.close();
    }
  });

  it('becomes visible by itself once a short lag has passed (polled, bounded)', async () => {
    const emulator = await startStripeEmulator({seed: false, searchLagMs: 200});
    try {
      const stripe = emulatorStripe(emulator.port);
      const driver = await stripe.customers.create({
        metadata: {conroo_carrier_1: 'poll@example.com'},
      });
      const query = carrierQuery('poll@example.com');
      const deadline = Date.now() + 30_000;
      let found: string[] = [];
      while (Date.now() < deadline) {
        found = ids((await stripe.customers.search({query})).data);
        if (found.length > 0) break;
        await sleep(50);
      }
      assert.deepEqual(found, [driver.id]);
    } finally {
      await emulator.close();
    }
  });

  it('keeps the seed searchable whatever the lag, and changes the lag at run time', async () => {
    const emulator = await startStripeEmulator({searchLagMs: 3_600_000});
    try {
      const stripe = emulatorStripe(emulator.port);
      const spedition = carrierQuery(SEEDED_CARRIERS.spedition);
      const seeded = await stripe.customers.search({query: spedition});
      assert.equal(seeded.data.length, Object.keys(SPEDITION_DRIVERS).length);

      const fresh = await stripe.customers.create({
        metadata: {conroo_carrier_3: SEEDED_CARRIERS.spedition},
      });
      assert.ok(
        !ids((await stripe.customers.search({query: spedition, limit: 100})).data).includes(
          fresh.id,
        ),
      );

      // From another process; 0 is instant.
      const answer = await setLagOverHttp(emulator, '0');
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), {object: 'emulator_search_lag', lag_ms: 0});
      assert.ok(
        ids((await stripe.customers.search({query: spedition, limit: 100})).data).includes(
          fresh.id,
        ),
      );

      const refused = await setLagOverHttp(emulator, '3600001');
      assert.equal(refused.status, 400);
      assert.equal(emulator.state.searchLagMs, 0);

      emulator.setSearchLag(60_000);
      assert.equal(emulator.state.searchLagMs, 60_000);
      assert.throws(() => emulator.setSearchLag(-1), RangeError);
    } finally {
      await emulator.close();
    }
  });

  it('reads STRIPE_EMULATOR_SEARCH_LAG_MS like the other emulator settings', () => {
    assert.equal(emulatorSearchLagMs({}), undefined);
    assert.equal(emulatorSearchLagMs({STRIPE_EMULATOR_SEARCH_LAG_MS: '45000'}), 45_000);
    assert.throws(
      () => emulatorSearchLagMs({STRIPE_EMULATOR_SEARCH_LAG_MS: 'soon'}),
      /STRIPE_EMULATOR_SEARCH_LAG_MS must be 0 to 3600000 ms/,
    );
    assert.throws(
      () => emulatorSearchLagMs({STRIPE_EMULATOR_SEARCH_LAG_MS: '3600001'}),
      /SEARCH_LAG/,
    );
  });
});
