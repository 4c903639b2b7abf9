/**
 * The Stripe emulator, driven through the real `stripe` SDK exactly as the portal server
 * configures it. Each test starts its own emulator, so state never leaks between tests.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import express from 'express';
import Stripe from 'stripe';
import {
  createEmulatorState,
  createStripeEmulatorApp,
  GATE_PASS_YEARLY_PRICE_ID,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  seedDemoData,
  startStripeEmulator,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {emulatorStripe, idOf, rejects, useEmulator} from './stripe-emulator-client.js';

/** Two retries: the flaky-emulator test counts the SDK's retry. */
function sdk(emulator: StripeEmulator, key?: string): Stripe {
  return emulatorStripe(emulator.port, {key, maxNetworkRetries: 2});
}

describe('Stripe emulator', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  useEmulator({port: 0}, (started) => {
    emulator = started.emulator;
    stripe = sdk(emulator);
  });

  describe('customers', () => {
    it('lists customers by exact, case-sensitive email like Stripe', async () => {
      const exact = await stripe.customers.list({email: SEEDED_EMAILS.card});
      assert.deepEqual(
        exact.data.map((c) => c.id),
        [SEEDED_CUSTOMER_IDS.card],
      );
      assert.equal(exact.object, 'list');
      assert.equal(exact.has_more, false);
      assert.equal(exact.url, '/v1/customers');

      const otherCase = await stripe.customers.list({email: 'Fahrer@Example.com'});
      assert.equal(otherCase.data.length, 0);
    });

    it('lists both customers of an e-mail that owns two Gate Passes', async () => {
      const two = await stripe.customers.list({email: SEEDED_EMAILS.twoAccounts});
      assert.deepEqual(two.data.map((c) => c.id).sort(), [
        SEEDED_CUSTOMER_IDS.twoAccountsFirst,
        SEEDED_CUSTOMER_IDS.twoAccountsSecond,
      ]);
      assert.ok(two.data.some((c) => c.name?.endsWith('(LKW 2)')));
    });

    it('searches customers by email case-insensitively', async () => {
      const found = await stripe.customers.search({query: "email:'ZWEI@example.COM'"});
      assert.equal(found.object, 'search_result');
      assert.equal(found.data.length, 2);
      const none = await stripe.customers.search({query: "email:'niemand@example.com'"});
      assert.equal(none.data.length, 0);
    });

    it('refuses a search query it cannot parse with a 400', async () => {
      const err = await rejects(
        stripe.customers.search({query: 'email = fahrer'}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.param, 'query');
    });

    it('expands nested paths on retrieve: default payment method and tax IDs', async () => {
      const c = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.company, {
        expand: ['invoice_settings.default_payment_method', 'tax_ids'],
      });
      assert.ok(!c.deleted);
      const pm = c.invoice_settings.default_payment_method;
      assert.ok(pm && typeof pm === 'object', 'default payment method is expanded');
      assert.equal(pm.card?.brand, 'mastercard');
      assert.equal(pm.card?.last4, '4444');
      assert.equal(c.tax_ids?.object, 'list');
      const vat = c.tax_ids?.data[0];
      assert.equal(vat?.type, 'eu_vat');
      assert.equal(vat?.value, 'DE123456789');
      assert.equal(vat?.verification?.status, 'verified');
      assert.equal(vat?.verification?.verified_name, 'Hafenlogistik Nord GmbH');
      assert.equal(c.name, 'Hafenlogistik Nord GmbH');
      assert.equal(c.address?.city, 'Hamburg');
      assert.equal(c.shipping?.address?.city, 'Bremerhaven');
      assert.notEqual(c.shipping?.address?.line1, c.address?.line1);
    });

    it('leaves expandable fields as ids when not asked to expand', async () => {
      const c = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.company);
      assert.ok(!c.deleted);
      assert.equal(c.invoice_settings.default_payment_method, 'pm_demoFirmaMastercard');
      assert.equal(c.tax_ids, undefined);
    });

    it('refuses to expand a field that is not expandable', async () => {
      const err = await rejects(
        stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card, {expand: ['address']}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.match(err.message, /cannot be expanded \(address\)/);
    });

    it('expands on lists with the data. prefix', async () => {
      const list = await stripe.customers.list({
        email: SEEDED_EMAILS.paypal,
        expand: ['data.invoice_settings.default_payment_method'],
      });
      const pm = list.data[0]?.invoice_settings.default_payment_method;
      assert.ok(pm && typeof pm === 'object');
      assert.equal(pm.type, 'paypal');
      assert.equal(pm.paypal?.payer_email, SEEDED_EMAILS.paypal);
    });

    it('updates name, phone, address and shipping; an empty value unsets', async () => {
      const updated = await stripe.customers.update(SEEDED_CUSTOMER_IDS.noSubscription, {
        name: 'Wagner Transporte e.K.',
        phone: '+49 481 123',
        address: {line1: 'Neue Anlage 1', postal_code: '25746', city: 'Heide', country: 'DE'},
        shipping: {
          name: 'Wagner Transporte – Lager',
          address: {line1: 'Hafenweg 2', postal_code: '25761', city: 'Büsum', country: 'DE'},
        },
        metadata: {source: 'portal'},
      });
      assert.equal(updated.name, 'Wagner Transporte e.K.');
      assert.equal(updated.address?.line2, null);
      assert.equal(updated.shipping?.address?.city, 'Büsum');
      assert.deepEqual(updated.metadata, {source: 'portal'});

      const unset = await stripe.customers.update(SEEDED_CUSTOMER_IDS.noSubscription, {
        phone: '',
        shipping: '',
        metadata: {source: ''},
      });
      assert.equal(unset.phone, null);
      assert.equal(unset.shipping, null);
      assert.deepEqual(unset.metadata, {});
    });

    it('refuses unknown parameters, naming them, like Stripe', async () => {
      const err = await rejects(
        stripe.customers.update(SEEDED_CUSTOMER_IDS.card, {
          nmae: 'typo',
        } as Stripe.CustomerUpdateParams),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.param, 'nmae');
      assert.match(err.message, /Received unknown parameter: nmae/);
    });

    it('creates a customer and finds it by email right away', async () => {
      const created = await stripe.customers.create({
        email: 'neu@example.com',
        name: 'Neue Fahrerin',
        address: {country: 'DE', city: 'Kiel'},
      });
      assert.match(created.id, /^cus_[A-Za-z0-9]{14}$/);
      const found = await stripe.customers.list({email: 'neu@example.com'});
      assert.deepEqual(
        found.data.map((c) => c.id),
        [created.id],
      );
    });

    it('answers a missing customer with StripeInvalidRequestError resource_missing (404)', async () => {
      const err = await rejects(
        stripe.customers.retrieve('cus_doesNotExist'),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.code, 'resource_missing');
      assert.equal(err.statusCode, 404);
      assert.equal(err.param, 'id');
      assert.equal(err.message, "No such customer: 'cus_doesNotExist'");
    });

    it('retrieves a deleted customer as {deleted: true} and drops it from lists', async () => {
      const created = await stripe.customers.create({email: 'weg@example.com'});
      const del = await stripe.customers.del(created.id);
      assert.equal(del.deleted, true);
      const again = await stripe.customers.retrieve(created.id);
      assert.deepEqual(again, {id: created.id, object: 'customer', deleted: true});
      const list = await stripe.customers.list({email: 'weg@example.com'});
      assert.equal(list.data.length, 0);
    });
  });

  // One limit for every endpoint. https://docs.stripe.com/expand: "Expansions have a maximum
  // depth of four levels. Meaning that an `expand` string can contain no more than four
  // properties: `property1.property2.property3.property4`." A list's `data` is one of them
  // (https://docs.stripe.com/api/expanding_objects): "Expansions on list requests start with the
  // data property. […] the deepest expansion allowed when listing charges is
  // data.payment_intent.customer.default_source".
  describe('expansion depth', () => {
    const tooDeep = async (request: Promise<unknown>, path: string) => {
      const err = await rejects(request, Stripe.errors.StripeInvalidRequestError);
      assert.equal(err.statusCode, 400);
      assert.equal(err.code, 'property_expansion_max_depth');
      assert.equal(err.param, 'expand');
      assert.equal(
        err.message,
        `You cannot expand more than 4 levels of a property. Property: ${path}`,
      );
    };

    it('expands four levels on a retrieve and refuses five', async () => {
      const [sub] = (await stripe.subscriptions.list({customer: SEEDED_CUSTOMER_IDS.card})).data;
      assert.ok(sub);
      const four = await stripe.subscriptions.retrieve(sub.id, {
        expand: ['items.data.price.product'],
      });
      const product = four.items.data[0]?.price.product;
      assert.ok(product && typeof product === 'object' && !product.deleted);
      assert.equal(product.name, 'Gate Pass');
      await tooDeep(
        stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card, {
          expand: ['subscriptions.data.items.data.price'],
        }),
        'subscriptions.data.items.data.price',
      );
    });

    it('counts the data of a list: four levels with it, five refused', async () => {
      const four = await stripe.subscriptions.list({
        customer: SEEDED_CUSTOMER_IDS.card,
        expand: ['data.customer.invoice_settings.default_payment_method'],
      });
      const customer = four.data[0]?.customer;
      assert.ok(customer && typeof customer === 'object' && !customer.deleted);
      const pm = customer.invoice_settings.default_payment_method;
      assert.ok(pm && typeof pm === 'object');
      assert.equal(pm.id, 'pm_demoFahrerVisa');
      await tooDeep(
        stripe.subscriptions.list({
          customer: SEEDED_CUSTOMER_IDS.card,
          expand: ['data.items.data.price.product'],
        }),
        'data.items.data.price.product',
      );
    });

    it('refuses a create asking for five levels before creating anything', async () => {
      const email = 'zu-tief@example.com';
      await tooDeep(
        stripe.customers.create({email, expand: ['subscriptions.data.items.data.price']}),
        'subscriptions.data.items.data.price',
      );
      assert.equal((await stripe.customers.list({email})).data.length, 0);
    });
  });

  describe('tax IDs', () => {
    it('creates, lists and deletes a customer tax ID', async () => {
      const customer = SEEDED_CUSTOMER_IDS.twoAccountsSecond;
      const created = await stripe.customers.createTaxId(customer, {
        type: 'eu_vat',
        value: 'DE 987 654 321',
      });
      assert.match(created.id, /^txi_/);
      assert.equal(created.value, 'DE987654321');
      assert.equal(created.country, 'DE');
      assert.equal(created.customer, customer);
      // Stripe checks a new VAT ID against VIES first: it starts pending.
      assert.equal(created.verification?.status, 'pending');

      const listed = await stripe.customers.listTaxIds(customer);
      assert.deepEqual(
        listed.data.map((t) => t.id),
        [created.id],
      );

      const deleted = await stripe.customers.deleteTaxId(customer, created.id);
      assert.deepEqual(deleted, {id: created.id, object: 'tax_id', deleted: true});
      assert.equal((await stripe.customers.listTaxIds(customer)).data.length, 0);
    });

    it('refuses a malformed German VAT ID with code tax_id_invalid', async () => {
      const err = await rejects(
        stripe.customers.createTaxId(SEEDED_CUSTOMER_IDS.card, {type: 'eu_vat', value: 'DE12'}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.code, 'tax_id_invalid');
      assert.equal(err.param, 'value');
    });

    it('answers deleting another customer’s tax ID with resource_missing', async () => {
      const err = await rejects(
        stripe.customers.deleteTaxId(SEEDED_CUSTOMER_IDS.card, 'txi_demoFirmaVat'),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.code, 'resource_missing');
    });
  });

  describe('payment methods', () => {
    it('lists a customer’s payment methods (PayPal with payer e-mail)', async () => {
      const pms = await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.paypal);
      assert.equal(pms.data.length, 1);
      assert.equal(pms.data[0]?.type, 'paypal');
      assert.equal(pms.data[0]?.paypal?.payer_email, SEEDED_EMAILS.paypal);
      assert.ok(pms.data[0]?.paypal?.payer_id);

      const cards = await stripe.paymentMethods.list({
        customer: SEEDED_CUSTOMER_IDS.paypal,
        type: 'card',
      });
      assert.equal(cards.data.length, 0);
    });

    it('lists cards by customer through /v1/payment_methods', async () => {
      const cards = await stripe.paymentMethods.list({
        customer: SEEDED_CUSTOMER_IDS.card,
        type: 'card',
      });
      assert.equal(cards.data.length, 1);
      const card = cards.data[0]?.card;
      assert.equal(card?.brand, 'visa');
      assert.equal(card?.last4, '4242');
      assert.ok((card?.exp_year ?? 0) > new Date().getUTCFullYear());
    });

    it('attaches a test card token, makes it the default, and detaching clears the defaults', async () => {
      const customer = SEEDED_CUSTOMER_IDS.noSubscription;
      const pm = await stripe.paymentMethods.attach('pm_card_mastercard', {customer});
      assert.match(pm.id, /^pm_/);
      assert.notEqual(pm.id, 'pm_card_mastercard');
      assert.equal(pm.customer, customer);
      assert.equal(pm.card?.last4, '4444');

      const updated = await stripe.customers.update(customer, {
        invoice_settings: {default_payment_method: pm.id},
      });
      assert.equal(updated.invoice_settings.default_payment_method, pm.id);

      const detached = await stripe.paymentMethods.detach(pm.id);
      assert.equal(detached.customer, null);
      const after = await stripe.customers.retrieve(customer);
      assert.ok(!after.deleted);
      assert.equal(after.invoice_settings.default_payment_method, null);

      await rejects(
        stripe.paymentMethods.attach(pm.id, {customer}),
        Stripe.errors.StripeInvalidRequestError,
      );
    });

    it('refuses a default payment method that is not attached to the customer', async () => {
      const err = await rejects(
        stripe.customers.update(SEEDED_CUSTOMER_IDS.card, {
          invoice_settings: {default_payment_method: 'pm_demoFirmaMastercard'},
        }),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.param, 'invoice_settings[default_payment_method]');
      assert.match(err.message, /must be attached to the customer/);
    });
  });

  describe('subscriptions', () => {
    it('lists subscriptions with items and price, the default method expanded, periods on the item', async () => {
      const subs = await stripe.subscriptions.list({
        customer: SEEDED_CUSTOMER_IDS.card,
        expand: ['data.default_payment_method'],
      });
      assert.equal(subs.data.length, 1);
      const sub = subs.data[0];
      assert.equal(sub.status, 'active');
      assert.equal(sub.customer, SEEDED_CUSTOMER_IDS.card);
      assert.equal(sub.cancel_at_period_end, false);
      const item = sub.items.data[0];
      assert.equal(item.price.id, GATE_PASS_YEARLY_PRICE_ID);
      assert.equal(item.price.unit_amount, 14900);
      assert.equal(item.price.currency, 'eur');
      assert.equal(item.price.recurring?.interval, 'year');
      assert.match(idOf(item.price.product) ?? '', /^prod_/);
      const now = Date.now() / 1000;
      assert.ok(item.current_period_start < now && now < item.current_period_end);
      const pm = sub.default_payment_method;
      assert.ok(pm && typeof pm === 'object');
      assert.equal(pm.id, 'pm_demoFahrerVisa');
      assert.match(idOf(sub.latest_invoice) ?? '', /^in_/);
    });

    it('excludes canceled subscriptions unless status=all', async () => {
      const own = await startStripeEmulator();
      try {
        const client = sdk(own);
        await client.subscriptions.cancel(`sub_${SEEDED_CUSTOMER_IDS.card.slice(4)}`);
        const active = await client.subscriptions.list({customer: SEEDED_CUSTOMER_IDS.card});
        assert.equal(active.data.length, 0);
        const all = await client.subscriptions.list({
          customer: SEEDED_CUSTOMER_IDS.card,
          status: 'all',
        });
        assert.equal(all.data[0]?.status, 'canceled');
        assert.ok(all.data[0]?.canceled_at);
      } finally {
        await own.close();
      }
    });

    it('filters by status: the failed renewal is past_due', async () => {
      // offen@'s, and those of carrier-held drivers whose renewal failed too (the seed's fleets).
      const pastDue = await stripe.subscriptions.list({status: 'past_due', limit: 100});
      assert.ok(pastDue.data.some((s) => s.customer === SEEDED_CUSTOMER_IDS.failedRenewal));
      assert.ok(pastDue.data.every((s) => s.status === 'past_due'));
    });

    it('updates the default payment method only to one of the customer’s own', async () => {
      const subId = `sub_${SEEDED_CUSTOMER_IDS.twoAccountsFirst.slice(4)}`;
      await rejects(
        stripe.subscriptions.update(subId, {default_payment_method: 'pm_demoFahrerVisa'}),
        Stripe.errors.StripeInvalidRequestError,
      );
      const pm = await stripe.paymentMethods.attach('pm_card_visa', {
        customer: SEEDED_CUSTOMER_IDS.twoAccountsFirst,
      });
      const sub = await stripe.subscriptions.update(subId, {
        default_payment_method: pm.id,
        expand: ['default_payment_method'],
      });
      const expanded = sub.default_payment_method;
      assert.ok(expanded && typeof expanded === 'object');
      assert.equal(expanded.id, pm.id);
    });
  });

  describe('invoices', () => {
    it('pages newest first through 14 invoices with starting_after, without overlap or gaps', async () => {
      const seen: Stripe.Invoice[] = [];
      let startingAfter: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await stripe.invoices.list({
          customer: SEEDED_CUSTOMER_IDS.manyInvoices,
          limit: 5,
          ...(startingAfter ? {starting_after: startingAfter} : {}),
        });
        pages += 1;
        seen.push(...page.data);
        if (!page.has_more) break;
        startingAfter = page.data.at(-1)?.id;
      }
      assert.equal(pages, 3);
      assert.equal(seen.length, 14);
      assert.equal(new Set(seen.map((i) => i.id)).size, 14);
      for (let i = 1; i < seen.length; i++) {
        assert.ok(seen[i - 1].created >= seen[i].created, 'newest first');
      }
      assert.ok(seen.every((i) => i.status === 'paid' && i.currency === 'eur'));

      const sdkAll = await stripe.invoices
        .list({customer: SEEDED_CUSTOMER_IDS.manyInvoices, limit: 4})
        .autoPagingToArray({limit: 100});
      assert.deepEqual(
        sdkAll.map((i) => i.id),
        seen.map((i) => i.id),
      );
    });

    it('pages backwards with ending_before', async () => {
      const all = await stripe.invoices.list({
        customer: SEEDED_CUSTOMER_IDS.manyInvoices,
        limit: 100,
      });
      const cursor = all.data[8].id;
      const before = await stripe.invoices.list({
        customer: SEEDED_CUSTOMER_IDS.manyInvoices,
        limit: 3,
        ending_before: cursor,
      });
      assert.deepEqual(
        before.data.map((i) => i.id),
        all.data.slice(5, 8).map((i) => i.id),
      );
      assert.equal(before.has_more, true);
    });

    it('filters invoices by created range', async () => {
      const all = await stripe.invoices.list({
        customer: SEEDED_CUSTOMER_IDS.manyInvoices,
        limit: 100,
      });
      const newest = all.data[0].created;
      const third = all.data[2].created;
      const range = await stripe.invoices.list({
        customer: SEEDED_CUSTOMER_IDS.manyInvoices,
        created: {gte: third, lt: newest},
      });
      assert.deepEqual(
        range.data.map((i) => i.id),
        all.data.slice(1, 3).map((i) => i.id),
      );
    });

    it('answers an unknown cursor with a 400 naming starting_after', async () => {
      const err = await rejects(
        stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.card, starting_after: 'in_nope'}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.statusCode, 400);
      assert.equal(err.param, 'starting_after');
      assert.equal(err.code, 'resource_missing');
    });

    it('refuses a limit above 100', async () => {
      const err = await rejects(
        stripe.invoices.list({limit: 101}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.param, 'limit');
    });

    it('seeds invoices in the 2026-10-28 shape with CONROO numbers and billing snapshots', async () => {
      const invoices = await stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.company});
      assert.equal(invoices.data.length, 2);
      for (const inv of invoices.data) {
        assert.match(inv.number ?? '', /^CONROO-\d{4}-\d{4}$/);
        assert.equal(inv.status, 'paid');
        assert.equal(inv.customer_name, 'Hafenlogistik Nord GmbH');
        assert.equal(inv.customer_email, SEEDED_EMAILS.company);
        assert.equal(inv.customer_address?.city, 'Hamburg');
        assert.equal(inv.customer_shipping?.address?.city, 'Bremerhaven');
        assert.deepEqual(inv.customer_tax_ids, [{type: 'eu_vat', value: 'DE123456789'}]);
        assert.equal(
          inv.parent?.subscription_details?.subscription,
          `sub_${SEEDED_CUSTOMER_IDS.company.slice(4)}`,
        );
        assert.equal(inv.total, 14900);
        assert.equal(inv.subtotal, 14900);
        assert.ok(inv.lines.data[0].period.end > inv.lines.data[0].period.start);
        // A bearer link shaped like Stripe's, which the emulator serves (`invoice-pdf.ts`).
        assert.match(
          inv.invoice_pdf ?? '',
          /^https:\/\/pay\.stripe\.com\/invoice\/acct_demo\/test_[A-Za-z0-9]{40}\/pdf\?s=ap$/,
        );
        assert.equal(inv.lines.data[0]?.amount, 14900);
      }
      const card = await stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.card});
      assert.equal(card.data.length, 2);
      assert.ok(card.data.every((i) => i.status === 'paid'));
    });

    // https://docs.stripe.com/api/invoices/object#invoice_object-period_end: the invoice's period
    // "looks back one period for a subscription invoice"; the line's period is the service.
    it('seeds invoice periods like Stripe: the first at its creation, renewals looking back', async () => {
      const list = await stripe.invoices.list({
        customer: SEEDED_CUSTOMER_IDS.manyInvoices,
        limit: 100,
      });
      const oldestFirst = [...list.data].reverse();
      assert.equal(oldestFirst.length, 14);
      const [first, ...renewals] = oldestFirst;
      assert.equal(first.billing_reason, 'subscription_create');
      assert.equal(first.period_start, first.created);
      assert.equal(first.period_end, first.created);
      renewals.forEach((inv, i) => {
        const previousLine = oldestFirst[i].lines.data[0].period;
        assert.equal(inv.billing_reason, 'subscription_cycle');
        assert.deepEqual({start: inv.period_start, end: inv.period_end}, previousLine);
        assert.equal(inv.lines.data[0].period.start, previousLine.end);
      });
    });

    it('seeds the failed renewal as an open invoice with a pay link and a due date', async () => {
      const open = await stripe.invoices.list({
        customer: SEEDED_CUSTOMER_IDS.failedRenewal,
        status: 'open',
      });
      assert.equal(open.data.length, 1);
      const inv = open.data[0];
      assert.match(inv.hosted_invoice_url ?? '', /^https:\/\/invoice\.stripe\.com\/i\/acct_demo\//);
      assert.ok(inv.due_date && inv.due_date > inv.created);
      assert.equal(inv.amount_remaining, 14900);
      const pms = await stripe.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.failedRenewal);
      const card = pms.data[0]?.card;
      assert.ok(card);
      const now = new Date();
      assert.ok(
        card.exp_year * 12 + card.exp_month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1,
        'the card has expired',
      );
    });

    it('has nothing for the customer without a subscription', async () => {
      const id = SEEDED_CUSTOMER_IDS.noSubscription;
      const own = await startStripeEmulator();
      try {
        const client = sdk(own);
        assert.equal((await client.invoices.list({customer: id})).data.length, 0);
        assert.equal(
          (await client.subscriptions.list({customer: id, status: 'all'})).data.length,
          0,
        );
        assert.equal((await client.customers.listPaymentMethods(id)).data.length, 0);
        const err = await rejects(
          client.invoices.createPreview({customer: id}),
          Stripe.errors.StripeInvalidRequestError,
        );
        assert.equal(err.code, 'invoice_upcoming_none');
      } finally {
        await own.close();
      }
    });

    it('retrieves an invoice with its subscription and customer expanded', async () => {
      const [first] = (await stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.card, limit: 1}))
        .data;
      const inv = await stripe.invoices.retrieve(first.id, {
        expand: ['customer', 'parent.subscription_details.subscription'],
      });
      assert.ok(inv.customer && typeof inv.customer === 'object' && !inv.customer.deleted);
      assert.equal(inv.customer.email, SEEDED_EMAILS.card);
      const sub = inv.parent?.subscription_details?.subscription;
      assert.ok(sub && typeof sub === 'object');
      assert.equal(sub.status, 'active');
    });

    it('previews the renewal invoice for the next period at the current period end', async () => {
      const sub = await stripe.subscriptions.retrieve(`sub_${SEEDED_CUSTOMER_IDS.card.slice(4)}`);
      const periodEnd = sub.items.data[0].current_period_end;
      const preview = await stripe.invoices.createPreview({
        customer: SEEDED_CUSTOMER_IDS.card,
        subscription: sub.id,
      });
      assert.match(preview.id ?? 'upcoming_', /^upcoming_/);
      assert.equal(preview.object, 'invoice');
      assert.equal(preview.status, 'draft');
      assert.equal(preview.number, null);
      assert.equal(preview.total, 14900);
      assert.equal(preview.currency, 'eur');
      const nextEnd = new Date(periodEnd * 1000);
      nextEnd.setUTCFullYear(nextEnd.getUTCFullYear() + 1);
      assert.deepEqual(preview.lines.data[0]?.period, {
        start: periodEnd,
        end: nextEnd.getTime() / 1000,
      });
      // A renewal invoice's own period looks back on the period it follows.
      assert.equal(preview.period_start, sub.items.data[0].current_period_start);
      assert.equal(preview.period_end, periodEnd);
      assert.equal(preview.created, periodEnd);
      assert.equal(preview.next_payment_attempt, periodEnd);
      assert.equal(preview.parent?.subscription_details?.subscription, sub.id);
    });

    it('previews with the billing details as they are now', async () => {
      const own = await startStripeEmulator();
      try {
        const client = sdk(own);
        await client.customers.update(SEEDED_CUSTOMER_IDS.card, {name: 'Kowalski Transporte'});
        const preview = await client.invoices.createPreview({customer: SEEDED_CUSTOMER_IDS.card});
        assert.equal(preview.customer_name, 'Kowalski Transporte');
        const issued = await client.invoices.list({customer: SEEDED_CUSTOMER_IDS.card});
        assert.ok(issued.data.every((i) => i.customer_name === 'Jan Kowalski'));
      } finally {
        await own.close();
      }
    });
  });

  describe('prices and products', () => {
    it('retrieves the Gate Pass price and product', async () => {
      const price = await stripe.prices.retrieve(GATE_PASS_YEARLY_PRICE_ID, {expand: ['product']});
      assert.equal(price.unit_amount, 14900);
      assert.ok(typeof price.product === 'object' && !price.product.deleted);
      assert.equal(price.product.name, 'Gate Pass');
      const product = await stripe.products.retrieve('prod_gatepass');
      assert.equal(product.name, 'Gate Pass');
    });
  });

  describe('HTTP behaviour', () => {
    it('rejects a key that is not a test secret key with StripeAuthenticationError', async () => {
      const err = await rejects(
        sdk(emulator, 'sk_live_notallowed').customers.list(),
        Stripe.errors.StripeAuthenticationError,
      );
      assert.equal(err.statusCode, 401);
    });

    it('answers a request without a key with a Stripe-shaped 401', async () => {
      const res = await fetch(`${emulator.url}/v1/customers`);
      assert.equal(res.status, 401);
      const body = (await res.json()) as {error: {type: string; message: string}};
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /did not provide an API key/);
    });

    it('accepts restricted test keys', async () => {
      const list = await sdk(emulator, 'rk_test_restricted').customers.list({limit: 1});
      assert.equal(list.data.length, 1);
    });

    it('answers an unknown route with a Stripe-shaped 404', async () => {
      const res = await fetch(`${emulator.url}/v1/charges/ch_1`, {
        headers: {Authorization: 'Bearer sk_test_x'},
      });
      assert.equal(res.status, 404);
      const body = (await res.json()) as {error: {type: string; message: string}};
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /Unrecognized request URL \(GET: \/v1\/charges\/ch_1\)/);
    });

    // https://docs.stripe.com/api/errors: `doc_url` for an error with a code, `request_log_url`
    // (the request's Dashboard log, by the Request-Id the answer carries) for every error.
    it('links every error to its code’s page and to the log of its request, like Stripe', async () => {
      const res = await fetch(`${emulator.url}/v1/customers/cus_missing`, {
        headers: {Authorization: 'Bearer sk_test_x'},
      });
      assert.equal(res.status, 404);
      const requestId = res.headers.get('request-id') ?? '';
      assert.match(requestId, /^req_/);
      const {error} = (await res.json()) as {error: Record<string, string>};
      assert.equal(error.code, 'resource_missing');
      assert.equal(error.doc_url, 'https://stripe.com/docs/error-codes/resource-missing');
      const log = new URL(error.request_log_url ?? '');
      assert.equal(
        `${log.origin}${log.pathname}`,
        `https://dashboard.stripe.com/test/logs/${requestId}`,
      );
      assert.ok(Math.abs(Number(log.searchParams.get('t')) - Date.now() / 1000) < 60);

      const noCode = await fetch(`${emulator.url}/v1/charges/ch_1`, {
        headers: {Authorization: 'Bearer sk_test_x'},
      });
      const body = (await noCode.json()) as {error: Record<string, string>};
      assert.equal(body.error.doc_url, undefined, 'no code, no doc_url');
      assert.match(
        body.error.request_log_url ?? '',
        new RegExp(
          `^https://dashboard\\.stripe\\.com/test/logs/${noCode.headers.get('request-id')}\\?t=\\d+$`,
        ),
      );

      const err = await rejects(
        stripe.paymentMethods.attach('pm_missing', {customer: SEEDED_CUSTOMER_IDS.card}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.doc_url, 'https://stripe.com/docs/error-codes/resource-missing');
      assert.match(err.request_log_url ?? '', new RegExp(`/logs/${err.requestId}\\?t=`));
    });

    it('counts requests and waits latencyMs before each answer', async () => {
      const slow = await startStripeEmulator({latencyMs: 80});
      try {
        const client = sdk(slow);
        const start = performance.now();
        await client.customers.list({limit: 1});
        await client.prices.retrieve(GATE_PASS_YEARLY_PRICE_ID);
        assert.ok(performance.now() - start >= 160, 'two requests take at least 2 × 80 ms');
        assert.equal(slow.requestCount(), 2);
      } finally {
        await slow.close();
      }
    });

    it('holds the matching requests until released, and lets the others pass', async () => {
      const hold = emulator.hold({
        method: 'GET',
        path: `/v1/customers/${SEEDED_CUSTOMER_IDS.card}`,
        times: 1,
      });
      let answered = false;
      const call = stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card).then((customer) => {
        answered = true;
        return customer;
      });
      await hold.held;
      const other = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.paypal);
      assert.equal(other.id, SEEDED_CUSTOMER_IDS.paypal);
      assert.equal(answered, false, 'still held while another request was answered');
      hold.release();
      assert.equal((await call).id, SEEDED_CUSTOMER_IDS.card);
      const next = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card);
      assert.equal(next.id, SEEDED_CUSTOMER_IDS.card, 'times: 1 held only the first');
    });

    it('injects 500s that the SDK retries, and fails once retries run out', async () => {
      const flaky = await startStripeEmulator();
      try {
        const client = sdk(flaky);
        flaky.failNext(1);
        const created = await client.customers.create({email: 'retry@example.com'});
        assert.equal(flaky.requestCount(), 2, 'one failure, one retry');
        assert.equal((await client.customers.list({email: 'retry@example.com'})).data.length, 1);
        assert.match(created.id, /^cus_/);

        flaky.failNext(3);
        await rejects(
          client.customers.retrieve(SEEDED_CUSTOMER_IDS.card),
          Stripe.errors.StripeAPIError,
        );
      } finally {
        await flaky.close();
      }
    });

    it('starts every emulator with its own state', async () => {
      const a = await startStripeEmulator();
      const b = await startStripeEmulator({seed: false});
      try {
        await sdk(a).customers.update(SEEDED_CUSTOMER_IDS.card, {name: 'Nur in A'});
        const fresh = await stripe.customers.retrieve(SEEDED_CUSTOMER_IDS.card);
        assert.ok(!fresh.deleted);
        assert.equal(fresh.name, 'Jan Kowalski');
        assert.equal((await sdk(b).customers.list()).data.length, 0);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('works mounted under a path of another app (the demo’s /dev/stripe)', async () => {
      const state = createEmulatorState();
      seedDemoData(state);
      const host = express();
      host.use('/dev/stripe', createStripeEmulatorApp(state));
      const server = host.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const {port} = server.address() as {port: number};
        const res = await fetch(
          `http://127.0.0.1:${port}/dev/stripe/v1/customers?email=${encodeURIComponent(SEEDED_EMAILS.card)}&expand[0]=data.invoice_settings.default_payment_method`,
          {headers: {Authorization: 'Bearer sk_test_x'}},
        );
        assert.equal(res.status, 200);
        const body = (await res.json()) as Stripe.ApiList<Stripe.Customer>;
        const pm = body.data[0]?.invoice_settings.default_payment_method;
        assert.ok(pm && typeof pm === 'object');
        assert.equal(pm.card?.last4, '4242');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
