/**
 * `expand[]` for every endpoint, written once: an expandable field holds an id, and the id's
 * prefix says where the object lives. Paths are dotted and may go through lists and arrays
 * (`data.items.data.price.product`). A few expansions are not ids but lists Stripe only
 * includes on request (`tax_ids` on a customer); those are computed here.
 */
import type Stripe from 'stripe';
import {invalidRequest} from './errors.js';
import type {EmulatorState} from './state.js';

type Json = Record<string, unknown>;

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
    // "The customer's current subscriptions, if any": all but the ended ones, newest first.
    subscriptions: (state, owner) => {
      const data = [...state.subscriptions.values()]
        .filter(
          (s) =>
            s.customer === owner.id && s.status !== 'canceled' && s.status !== 'incomplete_expired',
        )
        .sort((a, b) => b.created - a.created);
      return {
        object: 'list',
        data: structuredClone(data),
        has_more: false,
        total_count: data.length,
        url: `/v1/customers/${String(owner.id)}/subscriptions`,
      } satisfies Stripe.ApiList<Stripe.Subscription> & {total_count: number};
    },
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

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A copy of `value` with every path in `paths` expanded. The stored objects are never
 * touched: the root and every resolved object are cloned.
 */
export function expand<T>(state: EmulatorState, value: T, paths: string[]): T {
  const root = structuredClone(value);
  for (const path of new Set(paths)) {
    if (path.split('.').length > 5) {
      throw invalidRequest(
        `You cannot expand more than 4 levels of a property. Property: ${path}`,
        'expand',
      );
    }
    walk(state, root, path.split('.'), path);
  }
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
