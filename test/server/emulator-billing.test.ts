/**
 * The Stripe emulator's billing side, through the real `stripe` SDK: customer tax IDs (every
 * format the portal offers, verification that settles after a delay), invoices that snapshot
 * the customer when finalized, and renewal like a test clock (`renewSubscriptions`).
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import {
  GATE_PASS_YEARLY_PRICE_ID,
  renewSubscriptions,
  SEEDED_CUSTOMER_IDS,
  SEEDED_EMAILS,
  startStripeEmulator,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';
import {emulatorStripe, idOf, rejects, useEmulator} from './stripe-emulator-client.js';

function addYears(ts: number, n: number): number {
  const d = new Date(ts * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime() / 1000;
}

function addMonths(ts: number, n: number): number {
  const d = new Date(ts * 1000);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime() / 1000;
}

/**
 * [type, value as sent, value as stored, country]: Stripe's examples and their variants, as the
 * portal's one table of formats (`parseTaxId` in common/billing-rules.ts) reads them.
 */
const validTaxIds: Array<[Stripe.TaxIdCreateParams.Type, string, string, string]> = [
  ['eu_vat', 'ATU12345678', 'ATU12345678', 'AT'],
  ['eu_vat', 'BE0123456789', 'BE0123456789', 'BE'],
  ['eu_vat', 'BG0123456789', 'BG0123456789', 'BG'],
  ['eu_vat', 'BG123456789', 'BG123456789', 'BG'],
  ['eu_vat', 'CY12345678Z', 'CY12345678Z', 'CY'],
  ['eu_vat', 'CZ1234567890', 'CZ1234567890', 'CZ'],
  ['eu_vat', 'CZ12345678', 'CZ12345678', 'CZ'],
  ['eu_vat', 'DE123456789', 'DE123456789', 'DE'],
  ['eu_vat', 'de 123 456 789', 'DE123456789', 'DE'],
  ['eu_vat', 'DK12345678', 'DK12345678', 'DK'],
  ['eu_vat', 'EE123456789', 'EE123456789', 'EE'],
  ['eu_vat', 'EL123456789', 'EL123456789', 'GR'],
  ['eu_vat', 'ESA1234567Z', 'ESA1234567Z', 'ES'],
  ['eu_vat', 'ES12345678Z', 'ES12345678Z', 'ES'],
  ['eu_vat', 'FI12345678', 'FI12345678', 'FI'],
  ['eu_vat', 'FRAB123456789', 'FRAB123456789', 'FR'],
  ['eu_vat', 'FR12345678901', 'FR12345678901', 'FR'],
  ['eu_vat', 'HR12345678912', 'HR12345678912', 'HR'],
  ['eu_vat', 'HU12345678', 'HU12345678', 'HU'],
  ['eu_vat', 'IE1234567AB', 'IE1234567AB', 'IE'],
  ['eu_vat', 'IE1234567T', 'IE1234567T', 'IE'],
  ['eu_vat', 'IT12345678912', 'IT12345678912', 'IT'],
  ['eu_vat', 'LT123456789123', 'LT123456789123', 'LT'],
  ['eu_vat', 'LT123456789', 'LT123456789', 'LT'],
  ['eu_vat', 'LU12345678', 'LU12345678', 'LU'],
  ['eu_vat', 'LV12345678912', 'LV12345678912', 'LV'],
  ['eu_vat', 'MT12345678', 'MT12345678', 'MT'],
  ['eu_vat', 'NL123456789B01', 'NL123456789B01', 'NL'],
  ['eu_vat', 'PL1234567890', 'PL1234567890', 'PL'],
  ['eu_vat', 'PT123456789', 'PT123456789', 'PT'],
  ['eu_vat', 'RO1234567891', 'RO1234567891', 'RO'],
  ['eu_vat', 'SE123456789123', 'SE123456789123', 'SE'],
  ['eu_vat', 'SI12345678', 'SI12345678', 'SI'],
  ['eu_vat', 'SK1234567891', 'SK1234567891', 'SK'],
  ['gb_vat', 'GB123456789', 'GB123456789', 'GB'],
  ['gb_vat', 'GB 123 4567 89', 'GB123456789', 'GB'],
  ['gb_vat', 'GB123456789012', 'GB123456789012', 'GB'],
  ['ch_vat', 'CHE-123.456.789 MWST', 'CHE-123.456.789 MWST', 'CH'],
  ['ch_vat', 'CHE-123.456.789 TVA', 'CHE-123.456.789 TVA', 'CH'],
  ['ch_vat', 'che123456789 mwst', 'CHE-123.456.789 MWST', 'CH'],
  ['no_vat', '123456789MVA', '123456789MVA', 'NO'],
  ['no_vat', '123 456 789 MVA', '123456789MVA', 'NO'],
  ['de_stn', '12/345/67890', '12/345/67890', 'DE'],
  ['de_stn', '181/815/08155', '181/815/08155', 'DE'],
  ['de_stn', '133/8150/8159', '133/8150/8159', 'DE'],
  ['de_stn', '013 815 08153', '01381508153', 'DE'],
  ['de_stn', '1234567890', '1234567890', 'DE'],
  ['de_stn', '2181508150155', '2181508150155', 'DE'],
];

const invalidTaxIds: Array<[Stripe.TaxIdCreateParams.Type, string]> = [
  ['eu_vat', 'DE12345678'],
  ['eu_vat', 'DE1234567890'],
  ['eu_vat', 'DE12345678X'],
  ['eu_vat', 'AT12345678'],
  ['eu_vat', 'ATU1234567'],
  ['eu_vat', 'GR123456789'],
  ['eu_vat', 'BE123456789'],
  ['eu_vat', 'BE2123456789'],
  ['eu_vat', 'NL123456789A01'],
  ['eu_vat', 'NL123456789B1'],
  ['eu_vat', 'FRAB12345678'],
  ['eu_vat', 'IT1234567891'],
  ['eu_vat', 'PL123456789'],
  ['eu_vat', 'SE12345678912'],
  ['eu_vat', 'CY123456789'],
  ['eu_vat', 'GB123456789'],
  ['eu_vat', 'US123456789'],
  ['eu_vat', '123456789'],
  ['gb_vat', 'GB12345678'],
  ['gb_vat', '123456789'],
  ['gb_vat', 'XI123456789'],
  ['gb_vat', 'DE123456789'],
  ['ch_vat', 'CHE-123.456.789'],
  ['ch_vat', 'CHE-123.456.78 MWST'],
  ['ch_vat', 'CH-123.456.789 MWST'],
  ['ch_vat', 'CHE-123.456.789 VAT'],
  ['no_vat', '123456789'],
  ['no_vat', '12345678MVA'],
  ['de_stn', '12/345/678'],
  ['de_stn', '123456789'],
  ['de_stn', '12345678901234'],
  ['de_stn', 'DE123456789'],
];

describe('Stripe emulator: tax IDs', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;
  let customerId: string;

  useEmulator({taxIdVerificationDelayMs: 200}, async (started) => {
    ({emulator, stripe} = started);
    const c = await stripe.customers.create({
      email: 'steuer@example.com',
      name: 'Spedition Nord GmbH',
      address: {line1: 'Kaiserkai 1', postal_code: '20457', city: 'Hamburg', country: 'DE'},
    });
    customerId = c.id;
  });

  it('accepts every documented format, normalised, with the country it names', async () => {
    for (const [type, sent, stored, country] of validTaxIds) {
      const t = await stripe.customers.createTaxId(customerId, {type, value: sent});
      assert.equal(t.object, 'tax_id');
      assert.equal(t.type, type, sent);
      assert.equal(t.value, stored, sent);
      assert.equal(t.country, country, sent);
      assert.equal(t.customer, customerId);
      const expected = type === 'eu_vat' || type === 'gb_vat' ? 'pending' : 'unavailable';
      assert.equal(t.verification?.status, expected, sent);
      await stripe.customers.deleteTaxId(customerId, t.id);
    }
  });

  it('refuses malformed values with tax_id_invalid on param value', async () => {
    for (const [type, value] of invalidTaxIds) {
      const err = await rejects(
        stripe.customers.createTaxId(customerId, {type, value}),
        Stripe.errors.StripeInvalidRequestError,
      );
      assert.equal(err.statusCode, 400, value);
      assert.equal(err.code, 'tax_id_invalid', `${type} ${value}`);
      assert.equal(err.param, 'value', value);
      assert.equal(err.message, `Invalid value for ${type}.`);
    }
    assert.equal((await stripe.customers.listTaxIds(customerId)).data.length, 0);
  });

  it("answers with Stripe's exact error body", async () => {
    const res = await fetch(`${emulator.url}/v1/customers/${customerId}/tax_ids`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_emulator',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({type: 'eu_vat', value: 'GR123456789'}),
    });
    assert.equal(res.status, 400);
    const {error} = (await res.json()) as {error: Record<string, string>};
    const {request_log_url: log, ...rest} = error;
    assert.deepEqual(rest, {
      type: 'invalid_request_error',
      code: 'tax_id_invalid',
      doc_url: 'https://stripe.com/docs/error-codes/tax-id-invalid',
      param: 'value',
      message: 'Invalid value for eu_vat.',
    });
    assert.match(
      log ?? '',
      new RegExp(
        `^https://dashboard\\.stripe\\.com/test/logs/${res.headers.get('request-id')}\\?t=\\d+$`,
      ),
    );
  });

  it('refuses a customer whose tax_id_data is malformed, creating nothing', async () => {
    const err = await rejects(
      stripe.customers.create({
        email: 'kaputt@example.com',
        tax_id_data: [{type: 'eu_vat', value: 'DE12'}],
      }),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(err.code, 'tax_id_invalid');
    assert.equal(err.param, 'tax_id_data[0][value]');
    assert.equal((await stripe.customers.list({email: 'kaputt@example.com'})).data.length, 0);
  });

  it('moves eu_vat from pending to verified after the delay, with the customer’s name and address', async () => {
    // The delay passes on the emulator's clock, not by waiting: a busy machine could otherwise
    // let it pass before the early read, or not yet before the later one.
    const delayMs = emulator.state.taxIdVerificationDelayMs;
    const offset = emulator.state.clockOffset;
    emulator.state.taxIdVerificationDelayMs = 60_000;
    try {
      const t = await stripe.customers.createTaxId(customerId, {
        type: 'eu_vat',
        value: 'DE813456789',
      });
      assert.equal(t.verification?.status, 'pending');
      assert.equal(t.verification?.verified_name, null);
      const early = await stripe.customers.retrieveTaxId(customerId, t.id);
      assert.equal(early.verification?.status, 'pending');
      emulator.state.clockOffset += 60;
      const later = await stripe.customers.retrieveTaxId(customerId, t.id);
      assert.deepEqual(later.verification, {
        status: 'verified',
        verified_name: 'Spedition Nord GmbH',
        verified_address: 'Kaiserkai 1\n20457 Hamburg',
      });
      // It stays so, in every read path.
      const listed = await stripe.customers.listTaxIds(customerId);
      assert.equal(listed.data.find((x) => x.id === t.id)?.verification?.status, 'verified');
      await stripe.customers.deleteTaxId(customerId, t.id);
    } finally {
      emulator.state.clockOffset = offset;
      emulator.state.taxIdVerificationDelayMs = delayMs;
    }
  });

  // https://docs.stripe.com/billing/customer/tax-ids#validation (testing): in test mode a
  // value ending in 000000000 is verified, 111111111 unverified, 222222222 stays pending.
  it('settles Stripe’s test values: 000000000 verified, 111111111 unverified, 222222222 never', async () => {
    emulator.state.taxIdVerificationDelayMs = 0;
    try {
      const verified = {
        status: 'verified',
        verified_name: 'Spedition Nord GmbH',
        verified_address: 'Kaiserkai 1\n20457 Hamburg',
      };
      const unverified = {status: 'unverified', verified_name: null, verified_address: null};
      for (const [type, value, expected] of [
        ['eu_vat', 'DE000000000', verified],
        ['gb_vat', 'GB000000000', verified],
        ['eu_vat', 'DE111111111', unverified],
        ['gb_vat', 'GB111111111', unverified],
        ['eu_vat', 'FRAB111111111', unverified],
        // Not a test value: the stand-in for the live registry verifies it.
        ['eu_vat', 'DE123456000', verified],
      ] as const) {
        const t = await stripe.customers.createTaxId(customerId, {type, value});
        assert.equal(t.verification?.status, 'pending', 'the create answer is always pending');
        const read = await stripe.customers.retrieveTaxId(customerId, t.id);
        assert.deepEqual(read.verification, expected, value);
        await stripe.customers.deleteTaxId(customerId, t.id);
      }

      const stuck = await stripe.customers.createTaxId(customerId, {
        type: 'eu_vat',
        value: 'DE222222222',
      });
      emulator.state.clockOffset += 86_400;
      const c = await stripe.customers.retrieve(customerId, {expand: ['tax_ids']});
      assert.ok(!c.deleted);
      assert.deepEqual(c.tax_ids?.data.find((x) => x.id === stuck.id)?.verification, {
        status: 'pending',
        verified_name: null,
        verified_address: null,
      });
      await stripe.customers.deleteTaxId(customerId, stuck.id);
    } finally {
      emulator.state.taxIdVerificationDelayMs = 200;
    }
  });

  it('settles by the state’s clock: moving it past the delay verifies at once', async () => {
    const own = await startStripeEmulator();
    try {
      const client = emulatorStripe(own.port);
      const t = await client.customers.createTaxId(SEEDED_CUSTOMER_IDS.card, {
        type: 'eu_vat',
        value: 'ATU12345678',
      });
      assert.equal(
        (await client.customers.retrieveTaxId(SEEDED_CUSTOMER_IDS.card, t.id)).verification?.status,
        'pending',
      );
      own.state.clockOffset += 2;
      const read = await client.customers.retrieveTaxId(SEEDED_CUSTOMER_IDS.card, t.id);
      assert.equal(read.verification?.status, 'verified');
      assert.equal(read.verification?.verified_name, 'Jan Kowalski');
      assert.equal(read.country, 'AT');
    } finally {
      await own.close();
    }
  });

  it('keeps the seeded VAT ID of firma@ verified', async () => {
    const list = await stripe.customers.listTaxIds(SEEDED_CUSTOMER_IDS.company);
    assert.equal(list.data.length, 1);
    assert.equal(list.data[0]?.value, 'DE123456789');
    assert.equal(list.data[0]?.verification?.status, 'verified');
    assert.equal(list.data[0]?.verification?.verified_name, 'Hafenlogistik Nord GmbH');
  });
});

describe('Stripe emulator: invoices carry German VAT', () => {
  let stripe: Stripe;
  useEmulator({}, (started) => ({stripe} = started));

  it('includes 19 % VAT in the Gate Pass price on seeded invoices and previews', async () => {
    const [inv] = (await stripe.invoices.list({customer: SEEDED_CUSTOMER_IDS.card, limit: 1})).data;
    assert.ok(inv);
    assert.equal(inv.total, 14900);
    assert.equal(inv.subtotal, 14900);
    assert.equal(inv.total_excluding_tax, 12521);
    assert.equal(inv.subtotal_excluding_tax, 12521);
    assert.deepEqual(inv.total_taxes, [
      {
        amount: 2379,
        tax_behavior: 'inclusive',
        tax_rate_details: {tax_rate: 'txr_demoVat19'},
        taxability_reason: 'standard_rated',
        taxable_amount: 12521,
        type: 'tax_rate_details',
      },
    ]);
    assert.equal(inv.lines.data[0]?.description, 'Gate Pass – 12 Monate');
    assert.equal(inv.lines.data[0]?.taxes?.[0]?.amount, 2379);

    const rate = await stripe.taxRates.retrieve('txr_demoVat19');
    assert.equal(rate.percentage, 19);
    assert.equal(rate.inclusive, true);
    assert.equal(rate.country, 'DE');

    const monthly = await stripe.invoices.createPreview({
      customer: SEEDED_CUSTOMER_IDS.manyInvoices,
    });
    assert.equal(monthly.total, 1490);
    assert.equal(monthly.total_taxes?.[0]?.amount, 238);
    assert.equal(monthly.total_excluding_tax, 1252);
    assert.equal(monthly.lines.data[0]?.description, 'Gate Pass – 1 Monat');
  });
});

describe('Stripe emulator: renewal (renewSubscriptions)', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  useEmulator({taxIdVerificationDelayMs: 0}, (started) => ({emulator, stripe} = started));

  const subOf = (customerId: string) => `sub_${customerId.slice(4)}`;

  async function allNumbers(client: Stripe): Promise<string[]> {
    const all = await client.invoices.list({limit: 100}).autoPagingToArray({limit: 1000});
    return all.map((i) => i.number ?? '');
  }

  it('finalizes a paid renewal invoice with the customer’s details at renewal time', async () => {
    const customerId = SEEDED_CUSTOMER_IDS.card;
    const before = await stripe.subscriptions.retrieve(subOf(customerId));
    const oldStart = before.items.data[0].current_period_start;
    const oldEnd = before.items.data[0].current_period_end;
    const numbersBefore = await allNumbers(stripe);

    // The driver becomes a company first.
    await stripe.customers.update(customerId, {
      name: 'Kowalski Transporte GmbH',
      phone: '+49 421 000 111',
      address: {
        line1: 'Überseestraße 7',
        line2: 'Halle 3',
        postal_code: '28217',
        city: 'Bremen',
        country: 'DE',
      },
      shipping: {
        name: 'Kowalski Transporte – Fuhrpark',
        address: {line1: 'Hafenkante 2', postal_code: '27568', city: 'Bremerhaven', country: 'DE'},
      },
    });
    const vat = await stripe.customers.createTaxId(customerId, {
      type: 'eu_vat',
      value: 'DE298765432',
    });

    emulator.state.clockOffset += 3600;
    const now = emulator.state.now();
    const {invoices} = renewSubscriptions(emulator.state, 'Fahrer@Example.COM');
    assert.equal(invoices.length, 1);
    const renewal = invoices[0];

    const listed = await stripe.invoices.list({customer: customerId});
    assert.equal(listed.data[0]?.id, renewal.id, 'the renewal invoice is listed first');
    const inv = await stripe.invoices.retrieve(renewal.id);
    assert.equal(inv.status, 'paid');
    assert.equal(inv.created, now);
    assert.equal(inv.billing_reason, 'subscription_cycle');
    // Stripe: the invoice's own period "looks back one period for a subscription invoice"
    // (https://docs.stripe.com/api/invoices/object#invoice_object-period_end); the line's
    // period is the service period.
    assert.equal(inv.period_start, oldStart);
    assert.equal(inv.period_end, oldEnd);
    assert.equal(inv.lines.data.length, 1);
    assert.equal(inv.lines.data[0]?.description, 'Gate Pass – 12 Monate');
    assert.equal(inv.lines.data[0]?.amount, 14900);
    assert.deepEqual(inv.lines.data[0]?.period, {start: oldEnd, end: addYears(oldEnd, 1)});
    assert.equal(inv.total, 14900);
    assert.equal(inv.total_excluding_tax, 12521);
    assert.equal(inv.total_taxes?.[0]?.amount, 2379);
    assert.equal(inv.amount_paid, 14900);
    assert.equal(inv.amount_remaining, 0);
    assert.equal(inv.status_transitions.paid_at, now);
    assert.equal(inv.status_transitions.finalized_at, now);
    assert.equal(inv.parent?.subscription_details?.subscription, subOf(customerId));
    assert.match(inv.hosted_invoice_url ?? '', /^https:\/\/invoice\.stripe\.com\/i\/acct_demo\//);
    // A bearer link shaped like Stripe's, which the emulator serves (`invoice-pdf.ts`).
    assert.match(
      inv.invoice_pdf ?? '',
      /^https:\/\/pay\.stripe\.com\/invoice\/acct_demo\/test_[A-Za-z0-9]{40}\/pdf\?s=ap$/,
    );

    // Next in the CONROO-<year>-<nnnn> sequence.
    const year = new Date(now * 1000).getUTCFullYear();
    const sameYear = numbersBefore
      .filter((n) => n.startsWith(`CONROO-${year}-`))
      .map((n) => Number(n.slice(-4)));
    const expected = `CONROO-${year}-${String(Math.max(0, ...sameYear) + 1).padStart(4, '0')}`;
    assert.equal(inv.number, expected);

    // The snapshot: the details as they were when it was finalized.
    assert.equal(inv.customer_name, 'Kowalski Transporte GmbH');
    assert.equal(inv.customer_email, SEEDED_EMAILS.card);
    assert.equal(inv.customer_phone, '+49 421 000 111');
    assert.deepEqual(inv.customer_address, {
      line1: 'Überseestraße 7',
      line2: 'Halle 3',
      postal_code: '28217',
      city: 'Bremen',
      state: null,
      country: 'DE',
    });
    assert.equal(inv.customer_shipping?.name, 'Kowalski Transporte – Fuhrpark');
    assert.equal(inv.customer_shipping?.address?.city, 'Bremerhaven');
    assert.deepEqual(inv.customer_tax_ids, [{type: 'eu_vat', value: 'DE298765432'}]);

    // The subscription is in its next period, paid.
    const sub = await stripe.subscriptions.retrieve(subOf(customerId));
    assert.equal(sub.status, 'active');
    assert.equal(sub.items.data[0]?.current_period_start, oldEnd);
    assert.equal(sub.items.data[0]?.current_period_end, addYears(oldEnd, 1));
    assert.equal(sub.latest_invoice, inv.id);

    // Later changes of the customer leave the issued invoice alone.
    await stripe.customers.update(customerId, {
      name: 'Jan Kowalski',
      address: {line1: 'Lindenstraße 5', postal_code: '28195', city: 'Bremen', country: 'DE'},
      shipping: '',
    });
    await stripe.customers.deleteTaxId(customerId, vat.id);
    await stripe.customers.createTaxId(customerId, {type: 'de_stn', value: '12/345/67890'});
    const again = await stripe.invoices.retrieve(renewal.id);
    assert.deepEqual(again, inv);

    // The preview now points to the following period, with the details of today.
    const preview = await stripe.invoices.createPreview({customer: customerId});
    assert.deepEqual(preview.lines.data[0]?.period, {
      start: addYears(oldEnd, 1),
      end: addYears(oldEnd, 2),
    });
    assert.equal(preview.period_start, oldEnd, 'looking back on the current period');
    assert.equal(preview.period_end, addYears(oldEnd, 1));
    assert.equal(preview.customer_name, 'Jan Kowalski');
    assert.deepEqual(preview.customer_tax_ids, [{type: 'de_stn', value: '12/345/67890'}]);
  });

  it('leaves the invoice open and the subscription past_due when the default card declines', async () => {
    const customerId = SEEDED_CUSTOMER_IDS.company;
    const subId = subOf(customerId);
    const declining = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customerId,
    });
    // The subscription's own default wins over the customer's (a working Mastercard).
    await stripe.subscriptions.update(subId, {default_payment_method: declining.id});
    const before = await stripe.subscriptions.retrieve(subId);
    const oldEnd = before.items.data[0].current_period_end;

    const now = emulator.state.now();
    const {invoices} = renewSubscriptions(emulator.state, SEEDED_EMAILS.company);
    assert.equal(invoices.length, 1);
    const inv = await stripe.invoices.retrieve(invoices[0].id);
    assert.equal(inv.status, 'open');
    assert.equal(inv.due_date, now + 7 * 86_400);
    assert.equal(inv.amount_paid, 0);
    assert.equal(inv.amount_remaining, 14900);
    assert.equal(inv.status_transitions.paid_at, null);
    assert.equal(inv.attempted, true);
    assert.match(inv.hosted_invoice_url ?? '', /^https:\/\/invoice\.stripe\.com\/i\/acct_demo\//);
    assert.equal(inv.customer_name, 'Hafenlogistik Nord GmbH');
    assert.deepEqual(inv.customer_tax_ids, [{type: 'eu_vat', value: 'DE123456789'}]);

    const sub = await stripe.subscriptions.retrieve(subId);
    assert.equal(sub.status, 'past_due');
    assert.equal(sub.latest_invoice, inv.id);
    assert.equal(sub.items.data[0]?.current_period_start, oldEnd);
    assert.equal(sub.items.data[0]?.current_period_end, addYears(oldEnd, 1));
    const open = await stripe.invoices.list({customer: customerId, status: 'open'});
    assert.deepEqual(
      open.data.map((i) => i.id),
      [inv.id],
    );

    const preview = await stripe.invoices.createPreview({customer: customerId});
    assert.deepEqual(preview.lines.data[0]?.period, {
      start: addYears(oldEnd, 1),
      end: addYears(oldEnd, 2),
    });

    // Without its own default, the customer's working card pays the next one: active again.
    await stripe.subscriptions.update(subId, {default_payment_method: ''});
    const next = renewSubscriptions(emulator.state, SEEDED_EMAILS.company).invoices[0];
    assert.equal(next?.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(subId)).status, 'active');
  });

  it('charges an expired card in vain (offen@ stays past_due)', async () => {
    const {invoices} = renewSubscriptions(emulator.state, SEEDED_EMAILS.failedRenewal);
    assert.equal(invoices.length, 1);
    assert.equal(invoices[0]?.status, 'open');
    const sub = await stripe.subscriptions.retrieve(subOf(SEEDED_CUSTOMER_IDS.failedRenewal));
    assert.equal(sub.status, 'past_due');
    const open = await stripe.invoices.list({
      customer: SEEDED_CUSTOMER_IDS.failedRenewal,
      status: 'open',
    });
    assert.equal(open.data.length, 2, 'the earlier open invoice stays open');
  });

  it('leaves the invoice open when there is no payment method at all', async () => {
    const own = await startStripeEmulator();
    try {
      const client = emulatorStripe(own.port);
      const pms = await client.customers.listPaymentMethods(SEEDED_CUSTOMER_IDS.paypal);
      for (const pm of pms.data) await client.paymentMethods.detach(pm.id);
      const {invoices} = renewSubscriptions(own.state, SEEDED_EMAILS.paypal);
      assert.equal(invoices[0]?.status, 'open');
      const sub = await client.subscriptions.retrieve(subOf(SEEDED_CUSTOMER_IDS.paypal));
      assert.equal(sub.status, 'past_due');
    } finally {
      await own.close();
    }
  });

  it('renews a monthly pass by one month with „Gate Pass – 1 Monat"', async () => {
    const customerId = SEEDED_CUSTOMER_IDS.manyInvoices;
    const item = (await stripe.subscriptions.retrieve(subOf(customerId))).items.data[0];
    const oldEnd = item.current_period_end;
    const {invoices} = renewSubscriptions(emulator.state, SEEDED_EMAILS.manyInvoices);
    const inv = invoices[0];
    assert.equal(inv.status, 'paid');
    assert.equal(inv.lines.data[0]?.description, 'Gate Pass – 1 Monat');
    assert.equal(inv.total, 1490);
    assert.equal(inv.total_taxes?.[0]?.amount, 238);
    assert.deepEqual(inv.lines.data[0]?.period, {start: oldEnd, end: addMonths(oldEnd, 1)});
    assert.equal(inv.period_start, item.current_period_start);
    assert.equal(inv.period_end, oldEnd);
    const list = await stripe.invoices.list({customer: customerId, limit: 100});
    assert.equal(list.data.length, 15);
    assert.equal(list.data[0]?.id, inv.id);
  });

  it('renews every customer of an address, and ends a pass set to cancel instead', async () => {
    const [first, second] = [
      SEEDED_CUSTOMER_IDS.twoAccountsFirst,
      SEEDED_CUSTOMER_IDS.twoAccountsSecond,
    ];
    await stripe.subscriptions.update(subOf(second), {cancel_at_period_end: true});
    const {invoices} = renewSubscriptions(emulator.state, SEEDED_EMAILS.twoAccounts);
    assert.deepEqual(
      invoices.map((i) => idOf(i.customer)),
      [first],
    );
    const ended = await stripe.subscriptions.retrieve(subOf(second));
    assert.equal(ended.status, 'canceled');
    assert.equal(ended.ended_at, ended.items.data[0]?.current_period_end);
    assert.equal(renewSubscriptions(emulator.state, 'niemand@example.com').invoices.length, 0);
    assert.equal(
      renewSubscriptions(emulator.state, SEEDED_EMAILS.noSubscription).invoices.length,
      0,
    );
  });

  it('offers the renewal over HTTP for an emulator in another process', async () => {
    const own = await startStripeEmulator();
    try {
      const res = await fetch(`${own.url}/v1/test_helpers/emulator/renew`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sk_test_emulator',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({email: SEEDED_EMAILS.card}),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Stripe.ApiList<Stripe.Invoice>;
      assert.equal(body.object, 'list');
      assert.equal(body.data.length, 1);
      assert.equal(body.data[0]?.status, 'paid');
      assert.equal(
        body.data[0]?.lines.data[0]?.pricing?.price_details?.price,
        GATE_PASS_YEARLY_PRICE_ID,
      );
    } finally {
      await own.close();
    }
  });
});
