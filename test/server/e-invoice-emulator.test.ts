import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type Stripe from 'stripe';
import {SEEDED_CUSTOMER_IDS, SEEDED_EMAILS} from '../../demo/stripe-emulator/seed.js';
import {login, startPortalWithStripe, type Portal} from './harness.js';

// The emulator issues the tax facts Stripe puts on an invoice, which the e-invoice is made from:
// - https://docs.stripe.com/api/invoices/object#invoice_object-total_taxes (amount,
//   taxability_reason, taxable_amount, tax_rate_details; API 2025-03-31 and later, which
//   stripe@23 pins: `total_taxes`, no `total_tax_amounts`)
// - https://docs.stripe.com/api/invoices/object#invoice_object-customer_tax_exempt and
//   #invoice_object-customer_tax_ids (the customer's, copied when the invoice is finalized)
// - https://docs.stripe.com/api/customers/object#customer_object-tax_exempt ("When set to
//   reverse, invoice and receipt PDFs include the following text: 'Reverse charge'")
// - https://docs.stripe.com/tax/zero-tax (zero tax: `reverse_charge` for a business in another
//   EU country, `not_collecting` where the seller is not registered)
// - https://docs.stripe.com/api/invoice-payment/list (how an invoice was paid)

async function newest(stripe: Stripe, customer: string): Promise<Stripe.Invoice> {
  const list = await stripe.invoices.list({customer, limit: 1});
  return list.data[0];
}

describe('Stripe emulator: tax facts of each e-invoice case', () => {
  let portal: Portal;
  let stripe: Stripe;
  before(async () => ({portal, stripe} = await startPortalWithStripe()));
  after(() => portal.close());

  it('charges German VAT to a German company with a VAT ID: standard_rated, 19 % included', async () => {
    const invoice = await newest(stripe, SEEDED_CUSTOMER_IDS.company);
    assert.equal(invoice.customer_tax_exempt, 'none');
    assert.deepEqual(invoice.customer_tax_ids, [{type: 'eu_vat', value: 'DE123456789'}]);
    const [tax] = invoice.total_taxes ?? [];
    assert.equal(tax.taxability_reason, 'standard_rated');
    assert.equal(tax.amount, 2379);
    assert.equal(tax.taxable_amount, 12521);
    const rate = await stripe.taxRates.retrieve(tax.tax_rate_details!.tax_rate);
    assert.equal(rate.percentage, 19);
  });

  it('issues the Polish carrier (tax_exempt reverse) reverse charge with no VAT', async () => {
    const invoice = await newest(stripe, SEEDED_CUSTOMER_IDS.polishCarrier);
    assert.equal(invoice.customer_tax_exempt, 'reverse');
    assert.deepEqual(invoice.customer_tax_ids, [{type: 'eu_vat', value: 'PL5862251234'}]);
    assert.equal(invoice.customer_address?.country, 'PL');
    const [tax] = invoice.total_taxes ?? [];
    assert.equal(tax.taxability_reason, 'reverse_charge');
    assert.equal(tax.amount, 0);
    assert.equal(tax.taxable_amount, 14900);
    assert.equal(invoice.total, 14900);
    assert.equal(invoice.total_excluding_tax, 14900);
  });

  it('collects no VAT from the Swiss carrier: not_collecting, its ch_vat on the invoice', async () => {
    const invoice = await newest(stripe, SEEDED_CUSTOMER_IDS.swissCarrier);
    assert.equal(invoice.customer_tax_exempt, 'none');
    assert.deepEqual(invoice.customer_tax_ids, [{type: 'ch_vat', value: 'CHE-123.456.788 MWST'}]);
    const [tax] = invoice.total_taxes ?? [];
    assert.equal(tax.taxability_reason, 'not_collecting');
    assert.equal(tax.amount, 0);
    const rate = await stripe.taxRates.retrieve(tax.tax_rate_details!.tax_rate);
    assert.equal(rate.percentage, 0);
  });

  it('charges a private person German VAT, no tax IDs', async () => {
    const invoice = await newest(stripe, SEEDED_CUSTOMER_IDS.card);
    assert.deepEqual(invoice.customer_tax_ids, []);
    assert.equal(invoice.total_taxes?.[0]?.taxability_reason, 'standard_rated');
    assert.equal(invoice.total_taxes?.[0]?.amount, 2379);
  });

  it('records how a paid invoice was paid: invoice payment → PaymentIntent → payment method', async () => {
    const invoice = await newest(stripe, SEEDED_CUSTOMER_IDS.company);
    const payments = await stripe.invoicePayments.list({
      invoice: invoice.id,
      status: 'paid',
      expand: ['data.payment.payment_intent.payment_method'],
    });
    assert.equal(payments.data.length, 1);
    const [payment] = payments.data;
    assert.equal(payment.invoice, invoice.id);
    assert.equal(payment.amount_paid, invoice.amount_paid);
    const intent = payment.payment.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.status, 'succeeded');
    const method = intent.payment_method as Stripe.PaymentMethod;
    assert.equal(method.card?.last4, '4444');
    assert.equal(method.card?.brand, 'mastercard');

    const open = (await stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.failedRenewal}))
      .data[0];
    assert.equal(open.status, 'open');
    const none = await stripe.invoicePayments.list({invoice: open.id, status: 'paid'});
    assert.equal(none.data.length, 0, 'a declined renewal was not paid');
  });

  it('issues the renewal (POST /dev/renew) with the tax facts of the billing details as they are now', async () => {
    const email = SEEDED_EMAILS.paypal;
    const client = await login(portal, email);
    const customer = SEEDED_CUSTOMER_IDS.paypal;
    const renew = async () => {
      const answer = await client.post('/dev/renew', {email});
      assert.equal(answer.status, 200);
      return stripe.invoices.retrieve(answer.body.invoices[0].id as string);
    };
    const save = async (address: Record<string, string>, taxId: string) => {
      const answer = await client.request('PUT', '/api/billing-details', {
        body: {name: 'Sabine Hoffmann Transporte', address, shipping: null, taxId: {value: taxId}},
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    };

    await save(
      {line1: 'ul. Morska 5', postalCode: '81-225', city: 'Gdynia', country: 'PL'},
      'PL 123 456 78 90',
    );
    const polish = await renew();
    assert.equal(polish.customer, customer);
    assert.equal(polish.customer_tax_ids?.[0]?.value, 'PL1234567890');
    assert.equal(polish.total_taxes?.[0]?.taxability_reason, 'reverse_charge');
    assert.equal(polish.total_taxes?.[0]?.amount, 0);

    await save(
      {line1: 'Hafenstrasse 1', postalCode: '4057', city: 'Basel', country: 'CH'},
      'CHE-987.654.321 MWST',
    );
    const swiss = await renew();
    assert.equal(swiss.customer_tax_ids?.[0]?.type, 'ch_vat');
    assert.equal(swiss.total_taxes?.[0]?.taxability_reason, 'not_collecting');

    await save(
      {line1: 'Am Bahnhof 12', postalCode: '21614', city: 'Buxtehude', country: 'DE'},
      'DE 811 222 333',
    );
    const german = await renew();
    assert.equal(german.total_taxes?.[0]?.taxability_reason, 'standard_rated');
    assert.equal(german.total_taxes?.[0]?.amount, 2379);

    // Each e-invoice follows its own invoice, whatever the customer reads now.
    for (const [invoice, category] of [
      [polish, 'AE'],
      [swiss, 'O'],
      [german, 'S'],
    ] as const) {
      const xml = await client.get(`/api/invoices/${invoice.id}/e-invoice?format=xrechnung`);
      assert.equal(xml.status, 200);
      const body = Buffer.from(xml.body as ArrayBuffer).toString('utf8');
      assert.match(body, new RegExp(`<ram:CategoryCode>${category}</ram:CategoryCode>`));
      assert.match(body, /<ram:TypeCode>68<\/ram:TypeCode>/, 'paid by PayPal');
    }
  });
});
