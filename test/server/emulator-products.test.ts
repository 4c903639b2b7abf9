/**
 * Products and prices in the Stripe emulator, through the real `stripe` SDK: created as the
 * Stripe smoke creates its own, and archived (`active: false`) the way Stripe lets a used
 * product or price go.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import Stripe from 'stripe';
import {rejects, useEmulator} from './stripe-emulator-client.js';

describe('Stripe emulator: products and prices', () => {
  let stripe: Stripe;

  useEmulator({seed: false}, (started) => ({stripe} = started));

  // https://docs.stripe.com/api/products/create, https://docs.stripe.com/api/prices/create
  it('creates a product and a yearly price for it', async () => {
    const product = await stripe.products.create({
      name: 'Smoke Pass',
      metadata: {conroo_smoke: 'run1'},
    });
    assert.match(product.id, /^prod_/);
    assert.equal(product.object, 'product');
    assert.equal(product.active, true);
    assert.deepEqual(product.metadata, {conroo_smoke: 'run1'});

    const price = await stripe.prices.create({
      product: product.id,
      unit_amount: 14900,
      currency: 'EUR',
      recurring: {interval: 'year'},
      tax_behavior: 'inclusive',
      metadata: {conroo_smoke: 'run1'},
    });
    assert.match(price.id, /^price_/);
    assert.equal(price.active, true);
    assert.equal(price.currency, 'eur', 'Stripe stores currencies in lower case');
    assert.equal(price.unit_amount, 14900);
    assert.equal(price.type, 'recurring');
    assert.equal(price.recurring?.interval, 'year');
    assert.equal(price.recurring?.interval_count, 1);
    assert.equal(price.tax_behavior, 'inclusive');

    const read = await stripe.prices.retrieve(price.id, {expand: ['product']});
    assert.equal((read.product as Stripe.Product).name, 'Smoke Pass');
  });

  // https://docs.stripe.com/api/prices/create#create_price-tax_behavior: one of inclusive,
  // exclusive or unspecified, needed only without a default in the account's tax settings —
  // which the emulated account does not have.
  it('leaves tax_behavior unspecified unless it is given', async () => {
    const product = await stripe.products.create({name: 'One-off'});
    const price = await stripe.prices.create({
      product: product.id,
      unit_amount: 500,
      currency: 'eur',
    });
    assert.equal(price.tax_behavior, 'unspecified');
    assert.equal(price.type, 'one_time');
    assert.equal(price.recurring, null);
  });

  it('refuses a price without a known product, a currency or an amount', async () => {
    const product = await stripe.products.create({name: 'Checks'});
    const missing = await rejects(
      stripe.prices.create({product: 'prod_missing', unit_amount: 100, currency: 'eur'}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.param, 'product');
    const noAmount = await rejects(
      stripe.prices.create({product: product.id, currency: 'eur'}),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(noAmount.param, 'unit_amount');
    const badInterval = await rejects(
      stripe.prices.create({
        product: product.id,
        unit_amount: 100,
        currency: 'eur',
        recurring: {interval: 'decade' as Stripe.PriceCreateParams.Recurring.Interval},
      }),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(badInterval.param, 'recurring[interval]');
  });

  // https://docs.stripe.com/api/products/update, https://docs.stripe.com/api/prices/update:
  // `active: false` archives; an amount cannot change once the price exists.
  it('archives a price and its product, and keeps a price’s amount fixed', async () => {
    const product = await stripe.products.create({name: 'To archive'});
    const price = await stripe.prices.create({
      product: product.id,
      unit_amount: 14900,
      currency: 'eur',
      recurring: {interval: 'year'},
    });
    const archivedPrice = await stripe.prices.update(price.id, {active: false});
    assert.equal(archivedPrice.active, false);
    const archivedProduct = await stripe.products.update(product.id, {active: false});
    assert.equal(archivedProduct.active, false);
    assert.equal((await stripe.products.retrieve(product.id)).active, false);

    const fixed = await rejects(
      stripe.prices.update(price.id, {unit_amount: 100} as Stripe.PriceUpdateParams),
      Stripe.errors.StripeInvalidRequestError,
    );
    assert.equal(fixed.code, 'parameter_unknown');
    assert.equal(fixed.param, 'unit_amount');
  });
});
