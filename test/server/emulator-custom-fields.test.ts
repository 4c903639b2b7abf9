/**
 * The Stripe emulator's invoice custom fields, through the real `stripe` SDK, as Stripe
 * documents them:
 * - https://docs.stripe.com/api/customers/update#update_customer-invoice_settings-custom_fields:
 *   "The list of up to 4 default custom fields to be displayed on invoices for this customer.
 *   When updating, pass an empty string to remove previously-defined fields." `name`: "up to
 *   40 characters"; `value`: "up to 140 characters".
 * - https://docs.stripe.com/invoicing/customize#custom-fields: "Any custom fields set at the
 *   customer level apply to all draft invoices generated for that customer", and "You can't
 *   update the custom fields after an invoice has been finalized."
 * - https://docs.stripe.com/api/invoices/object#invoice_object-custom_fields ("Custom fields
 *   displayed on the invoice").
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import {
  renewSubscriptions,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {rejects, useEmulator} from './stripe-emulator-client.js';

const address = {line1: 'Hafenstraße 1', postal_code: '20457', city: 'Hamburg', country: 'DE'};

describe('Stripe emulator: invoice custom fields of a customer', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  useEmulator({}, (started) => ({emulator, stripe} = started));

  const fieldsOf = async (id: string) =>
    ((await stripe.customers.retrieve(id)) as Stripe.Customer).invoice_settings.custom_fields;

  it('keeps the custom fields a customer is created with, and none by default (null)', async () => {
    const plain = await stripe.customers.create({email: 'ohne@example.com', address});
    assert.equal(plain.invoice_settings.custom_fields, null);
    const fields = [
      {name: 'Ihre Referenz', value: 'PO-1'},
      {name: 'Kostenstelle', value: 'KS 12'},
    ];
    const created = await stripe.customers.create({
      email: 'mit@example.com',
      address,
      invoice_settings: {custom_fields: fields},
    });
    assert.deepEqual(created.invoice_settings.custom_fields, fields);
    assert.deepEqual(await fieldsOf(created.id), fields);
  });

  it('replaces the whole list on update, leaves it alone when not sent, and clears it with an empty string', async () => {
    const {id} = await stripe.customers.create({
      email: 'liste@example.com',
      invoice_settings: {
        custom_fields: [
          {name: 'Ihre Referenz', value: 'alt'},
          {name: 'Kostenstelle', value: 'KS 12'},
        ],
      },
    });
    await stripe.customers.update(id, {
      invoice_settings: {custom_fields: [{name: 'Ihre Referenz', value: 'neu'}]},
    });
    assert.deepEqual(await fieldsOf(id), [{name: 'Ihre Referenz', value: 'neu'}]);
    await stripe.customers.update(id, {name: 'Anderer Name', invoice_settings: {footer: 'x'}});
    assert.deepEqual(await fieldsOf(id), [{name: 'Ihre Referenz', value: 'neu'}]);
    await stripe.customers.update(id, {invoice_settings: {custom_fields: ''}});
    assert.equal(await fieldsOf(id), null);
  });

  it('refuses a fifth field, a name over 40 and a value over 140 characters, naming the param, and changes nothing', async () => {
    const {id} = await stripe.customers.create({
      email: 'grenzen@example.com',
      invoice_settings: {custom_fields: [{name: 'Ihre Referenz', value: 'bleibt'}]},
    });
    const five = Array.from({length: 5}, (_, i) => ({name: `Feld ${i}`, value: String(i)}));
    const four = five.slice(0, 4);
    const cases: Array<[Stripe.CustomerUpdateParams.InvoiceSettings.CustomField[], string]> = [
      [five, 'invoice_settings[custom_fields]'],
      [[{name: 'n'.repeat(41), value: 'v'}], 'invoice_settings[custom_fields][0][name]'],
      [
        [
          {name: 'a', value: 'b'},
          {name: 'Ihre Referenz', value: 'v'.repeat(141)},
        ],
        'invoice_settings[custom_fields][1][value]',
      ],
      [[{name: 'Ihre Referenz', value: ''}], 'invoice_settings[custom_fields][0][value]'],
    ];
    for (const [fields, param] of cases) {
      const error = await rejects(
        stripe.customers.update(id, {invoice_settings: {custom_fields: fields}}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(error.param, param);
      assert.deepEqual(await fieldsOf(id), [{name: 'Ihre Referenz', value: 'bleibt'}]);
    }
    // The limits themselves are fine.
    const atLimits = [...four.slice(0, 3), {name: 'n'.repeat(40), value: 'ä'.repeat(140)}];
    await stripe.customers.update(id, {invoice_settings: {custom_fields: atLimits}});
    assert.deepEqual(await fieldsOf(id), atLimits);
  });

  it('copies the customer’s custom fields into each invoice it makes; a later change leaves issued ones alone', async () => {
    const customerId = SEEDED_CUSTOMER_IDS.card;
    const seeded = (await stripe.invoices.list({customer: customerId})).data;
    assert.ok(seeded.length > 0);
    for (const invoice of seeded) assert.equal(invoice.custom_fields, null, 'fahrer@ has none');

    const fields = [
      {name: 'Ihre Referenz', value: 'Auftrag 42 & <Tor 3> Größe'},
      {name: 'Kostenstelle', value: 'KS 12'},
    ];
    await stripe.customers.update(customerId, {invoice_settings: {custom_fields: fields}});
    emulator.state.clockOffset += 3600;
    const [renewal] = renewSubscriptions(emulator.state, SEEDED_EMAILS.card).invoices;
    assert.ok(renewal);
    const issued = await stripe.invoices.retrieve(renewal.id);
    assert.equal(issued.status, 'paid');
    assert.deepEqual(issued.custom_fields, fields);

    // The preview of the next one (made now) carries what the customer holds now.
    await stripe.customers.update(customerId, {invoice_settings: {custom_fields: ''}});
    const preview = await stripe.invoices.createPreview({customer: customerId});
    assert.equal(preview.custom_fields, null);
    assert.deepEqual(
      (await stripe.invoices.retrieve(renewal.id)).custom_fields,
      fields,
      'finalized: no longer changes with the customer',
    );
  });

  it('seeds firma@ with „Ihre Referenz", on every one of its invoices', async () => {
    const customer = (await stripe.customers.retrieve(
      SEEDED_CUSTOMER_IDS.company,
    )) as Stripe.Customer;
    const reference = [{name: 'Ihre Referenz', value: 'Bestellnr. 4711-K'}];
    assert.deepEqual(customer.invoice_settings.custom_fields, reference);
    const invoices = (await stripe.invoices.list({customer: customer.id})).data;
    assert.ok(invoices.length >= 2);
    for (const invoice of invoices) assert.deepEqual(invoice.custom_fields, reference, invoice.id);
  });
});
