/**
 * Products and prices, as a Dashboard (or the Stripe smoke, `scripts/smoke-stripe.ts`) makes
 * them: create, retrieve, and update what Stripe lets change afterwards — above all `active`,
 * because Stripe archives a product or price that has been used instead of deleting it
 * (https://docs.stripe.com/api/products/update, https://docs.stripe.com/api/prices/update).
 * A price's amount, currency and interval are fixed once it exists.
 */
import {Router, type Request, type Response} from 'express';
import type Stripe from 'stripe';
import {invalidRequest, resourceMissing} from './errors.js';
import {expand, expandParam} from './expand.js';
import {buildPrice, buildProduct, type Interval} from './objects.js';
import {
  allowOnly,
  applyMetadata,
  optBoolean,
  optHashParam,
  optString,
  params,
  requiredString,
  type Params,
} from './params.js';
import type {EmulatorState} from './state.js';

const intervals: readonly Interval[] = ['day', 'week', 'month', 'year'];
const taxBehaviors: readonly Stripe.Price.TaxBehavior[] = ['exclusive', 'inclusive', 'unspecified'];

function input(req: Request): Params {
  return params(req.method === 'GET' ? req.query : req.body);
}

/** A whole number of at least `min`, from a form value; `undefined` when absent. */
function optInteger(p: Params, name: string, min: number, param = name): number | undefined {
  const raw = optString(p, name, param);
  if (raw === undefined || raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw invalidRequest(`Invalid integer: ${raw}`, param);
  const n = Number(raw);
  if (n < min) {
    throw invalidRequest(`This value must be greater than or equal to ${min}.`, param);
  }
  return n;
}

export function createProductRoutes(state: EmulatorState): Router {
  const router = Router();

  const send = (req: Request, res: Response, value: unknown): void => {
    res.json(expand(state, value, expandParam(input(req).expand)));
  };

  const productOr404 = (id: string, param = 'id'): Stripe.Product => {
    const product = state.products.get(id);
    if (!product) throw resourceMissing(id, param, param === 'id' ? 404 : 400);
    return product;
  };

  const priceOr404 = (id: string): Stripe.Price => {
    const price = state.prices.get(id);
    if (!price) throw resourceMissing(id);
    return price;
  };

  // ---- Products -------------------------------------------------------------------------

  router.post('/v1/products', (req, res) => {
    const p = input(req);
    allowOnly(p, ['active', 'description', 'metadata', 'name']);
    const product = buildProduct(state, {
      name: requiredString(p, 'name'),
      description: optString(p, 'description') ?? null,
      metadata: applyMetadata({}, p),
      created: state.now(),
    });
    const active = optBoolean(p, 'active');
    send(req, res, active === false ? state.put({...product, active}) : product);
  });

  router.get('/v1/products/:id', (req, res) => {
    allowOnly(input(req), []);
    send(req, res, productOr404(String(req.params.id)));
  });

  router.post('/v1/products/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, ['active', 'description', 'metadata', 'name']);
    const product = productOr404(String(req.params.id));
    const next: Stripe.Product = {
      ...product,
      metadata: applyMetadata(product.metadata, p),
      updated: state.now(),
    };
    const active = optBoolean(p, 'active');
    if (active !== undefined) next.active = active;
    const name = optString(p, 'name');
    if (name === null) throw invalidRequest('You cannot unset the name of a product.', 'name');
    if (name !== undefined) next.name = name;
    const description = optString(p, 'description');
    if (description !== undefined) next.description = description;
    send(req, res, state.put(next));
  });

  // ---- Prices ---------------------------------------------------------------------------

  router.post('/v1/prices', (req, res) => {
    const p = input(req);
    allowOnly(p, [
      'active',
      'currency',
      'lookup_key',
      'metadata',
      'nickname',
      'product',
      'recurring',
      'tax_behavior',
      'unit_amount',
    ]);
    const product = productOr404(requiredString(p, 'product'), 'product');
    const currency = requiredString(p, 'currency').toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) {
      throw invalidRequest(`Invalid currency: ${currency}.`, 'currency');
    }
    const unitAmount = optInteger(p, 'unit_amount', 0);
    if (unitAmount === undefined) {
      throw invalidRequest('Missing required param: unit_amount.', 'unit_amount');
    }
    const recurring = optHashParam(p, 'recurring');
    let interval: Interval | null = null;
    let intervalCount: number | undefined;
    if (recurring) {
      allowOnly(recurring, ['interval', 'interval_count']);
      const raw = requiredString(recurring, 'interval', 'recurring[interval]');
      if (!(intervals as readonly string[]).includes(raw)) {
        throw invalidRequest(
          `Invalid recurring[interval]: must be one of ${intervals.join(', ')}`,
          'recurring[interval]',
        );
      }
      interval = raw as Interval;
      intervalCount = optInteger(recurring, 'interval_count', 1, 'recurring[interval_count]');
    }
    const taxBehavior = optString(p, 'tax_behavior') ?? 'unspecified';
    if (!(taxBehaviors as readonly string[]).includes(taxBehavior)) {
      throw invalidRequest(
        `Invalid tax_behavior: must be one of ${taxBehaviors.join(', ')}`,
        'tax_behavior',
      );
    }
    const price = buildPrice(state, {
      product: product.id,
      unitAmount,
      currency,
      interval,
      intervalCount,
      taxBehavior: taxBehavior,
      nickname: optString(p, 'nickname') ?? null,
      lookupKey: optString(p, 'lookup_key') ?? null,
      metadata: applyMetadata({}, p),
      created: state.now(),
    });
    const active = optBoolean(p, 'active');
    send(req, res, active === false ? state.put({...price, active}) : price);
  });

  router.get('/v1/prices/:id', (req, res) => {
    allowOnly(input(req), []);
    send(req, res, priceOr404(String(req.params.id)));
  });

  router.post('/v1/prices/:id', (req, res) => {
    const p = input(req);
    allowOnly(p, ['active', 'lookup_key', 'metadata', 'nickname']);
    const price = priceOr404(String(req.params.id));
    const next: Stripe.Price = {...price, metadata: applyMetadata(price.metadata, p)};
    const active = optBoolean(p, 'active');
    if (active !== undefined) next.active = active;
    const nickname = optString(p, 'nickname');
    if (nickname !== undefined) next.nickname = nickname;
    const lookupKey = optString(p, 'lookup_key');
    if (lookupKey !== undefined) next.lookup_key = lookupKey;
    send(req, res, state.put(next));
  });

  return router;
}
