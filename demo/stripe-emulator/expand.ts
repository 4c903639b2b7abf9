/**
 * `expand[]` for every endpoint, written once: an expandable field holds an id, and the id's
 * prefix says where the object lives. Paths are dotted and may go through lists and arrays
 * (`data.subscriptions.data.latest_invoice`). A few expansions are not ids but lists Stripe
 * only includes on request (`tax_ids` and `subscriptions` on a customer); those are computed
 * here.
 *
 * Depth, one rule for every endpoint (`checkExpandDepth`, applied to each request before its
 * endpoint runs, `app.ts`): "Expansions have a maximum depth of four levels. Meaning that an
 * `expand` string can contain no more than four properties:
 * `property1.property2.property3.property4`" (https://docs.stripe.com/expand), and a list's
 * `data` is one of them: "Expansions on list requests start with the `data` property. […]
 * Expansions have a maximum depth of four levels (for example, the deepest expansion allowed
 * when listing charges is `data.payment_intent.customer.default_source`)"
 * (https://docs.stripe.com/api/expanding_objects). Retrieve, list and search alike: a fifth
 * dotted segment is refused with `property_expansion_max_depth`, as Stripe refuses
 * `data.items.data.price.product` on the subscription list.
 */
import type Stripe from 'stripe';
import {invalidRequest} from './errors.js';
import {newestFirst} from './lists.js';
import type {EmulatorState} from './state.js';

type Json = Record<string, unknown>;

/** Stripe's limit of dotted levels in one expansion path, `data` included. */
export const MAX_EXPAND_LEVELS = 4;

/** A customer's subscriptions as Stripe includes them: the current ones, newest first, 10. */
function customerSubscriptions(state: EmulatorState, owner: Json) {
  const id = String(owner.id);
  const current = [...state.subscriptions.values()]
    .filter(
      (s) => s.customer === id && s.status !== 'canceled' && s.status !== 'incomplete_expired',
    )
    .sort(newestFirst(state));
  return {
    object: 'list',
    data: structuredClone(current.slice(0, 10)),
    has_more: current.length > 10,
    total_count: current.length,
    url: `/v1/customers/${id}/subscriptions`,
  } satisfies Stripe.ApiList<Stripe.Subscription> & {total_count: number};
}

/** Fields that are absent unless expanded, keyed by the owning object's `object` value. */
const includable: Record<string, Record<string, (state: EmulatorState, owner: Json) => unknown>> = {
  customer: {
    tax_ids: (state, owner) => {
      const data = state.taxIdsOf(String(owner.id));
      return {
        object: 'list',
        data: structuredClone(data),
        has_more: false,
        total_count: data.length,
        url: `/v1/customers/${String(owner.id)}/tax_ids`,
      } satisfies Stripe.ApiList<Stripe.TaxId> & {total_count: number};
    },
    subscriptions: customerSubscriptions,
  },
};

/** The `expand` parameter as qs parsed it (`expand[0]=a`, `expand[]=a`, or a lone string). */
export function expandParam(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const values =
    typeof raw === 'string'
      ? [raw]
      : Array.isArray(raw)
        ? raw
        : typeof raw === 'object'
          ? Object.values(raw)
          : [raw];
  return values.map((v) => {
    if (typeof v !== 'string' || v === '') throw invalidRequest('Invalid array', 'expand');
    return v;
  });
}

/** Refuses a path deeper than `MAX_EXPAND_LEVELS`, in Stripe's words: the one depth rule. */
export function checkExpandDepth(paths: string[]): void {
  for (const path of paths) {
    if (path.split('.').length > MAX_EXPAND_LEVELS) {
      throw invalidRequest(
        `You cannot expand more than ${MAX_EXPAND_LEVELS} levels of a property. Property: ${path}`,
        'expand',
        'property_expansion_max_depth',
      );
    }
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A copy of `value` with every path in `paths` expanded. The stored objects are never
 * touched: the root and every resolved object are cloned. The depth was checked when the
 * request came in (`checkExpandDepth`).
 */
export function expand<T>(state: EmulatorState, value: T, paths: string[]): T {
  const root = structuredClone(value);
  for (const path of new Set(paths)) walk(state, root, path.split('.'), path);
  return root;
}

function walk(state: EmulatorState, node: unknown, segments: string[], path: string): void {
  if (Array.isArray(node)) {
    for (const el of node) walk(state, el, segments, path);
    return;
  }
  if (!isObject(node)) return;
  const [field, ...rest] = segments;
  if (field === undefined) return;
  const current = node[field];
  const compute = includable[String(node.object)]?.[field];
  if (compute && (current === undefined || rest.length === 0)) {
    if (current === undefined) node[field] = compute(state, node);
  } else if (typeof current === 'string') {
    const resolved = state.lookup(current);
    // Stripe leaves ids it cannot resolve (e.g. objects of another account) as they are.
    if (resolved) node[field] = structuredClone(resolved);
  } else if (Array.isArray(current) && current.every((v) => typeof v === 'string')) {
    node[field] = current.map((id: string) => structuredClone(state.lookup(id)) ?? id);
  } else if (current === null) {
    return;
  } else if (current === undefined && node.deleted === true) {
    return;
  } else if (rest.length === 0 || current === undefined) {
    // An embedded object or a missing field is not expandable, like Stripe says.
    throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
  }
  if (rest.length > 0) walk(state, node[field], rest, path);
}
