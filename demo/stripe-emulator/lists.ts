/**
 * Stripe list objects and cursor pagination: newest first (`created` desc, then newest
 * stored first), `limit` 1–100 (default 10), `starting_after` / `ending_before` naming any
 * object of the collection (the filter need not match it), an unknown cursor is a 400.
 */
import type Stripe from 'stripe';
import {invalidRequest, resourceMissing} from './errors.js';
import type {EmulatorState} from './state.js';

export interface Listable {
  id: string;
  created: number;
}

export function parseLimit(raw: unknown, max = 100): number {
  if (raw === undefined || raw === '') return 10;
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n))
    throw invalidRequest(
      `Invalid integer: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`,
      'limit',
    );
  if (n < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'limit');
  if (n > max) throw invalidRequest(`This value must be less than or equal to ${max}.`, 'limit');
  return n;
}

function stringParam(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(raw)}`, name);
  return raw;
}

export function newestFirst(state: EmulatorState): (a: Listable, b: Listable) => number {
  return (a, b) => b.created - a.created || state.orderOf(b.id) - state.orderOf(a.id);
}

/**
 * One page of `items` (already filtered). `lookupCursor` finds a cursor object in the whole
 * collection, so a cursor outside the filter still positions the page like on Stripe.
 */
export function paginate<T extends Listable>(
  state: EmulatorState,
  items: T[],
  query: Record<string, unknown>,
  url: string,
  lookupCursor: (id: string) => Listable | undefined,
): Stripe.ApiList<T> {
  const limit = parseLimit(query.limit);
  const startingAfter = stringParam(query.starting_after, 'starting_after');
  const endingBefore = stringParam(query.ending_before, 'ending_before');
  if (startingAfter && endingBefore) {
    throw invalidRequest(
      'You may only specify one of these parameters: ending_before, starting_after.',
      'ending_before',
    );
  }
  const order = newestFirst(state);
  const sorted = [...items].sort(order);
  let data: T[];
  let hasMore: boolean;
  if (startingAfter) {
    const cursor = lookupCursor(startingAfter);
    if (!cursor) throw resourceMissing(startingAfter, 'starting_after', 400);
    const after = sorted.filter((it) => order(it, cursor) > 0);
    data = after.slice(0, limit);
    hasMore = after.length > limit;
  } else if (endingBefore) {
    const cursor = lookupCursor(endingBefore);
    if (!cursor) throw resourceMissing(endingBefore, 'ending_before', 400);
    const before = sorted.filter((it) => order(it, cursor) < 0);
    data = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    data = sorted.slice(0, limit);
    hasMore = sorted.length > limit;
  }
  return {object: 'list', data, has_more: hasMore, url};
}

/** `created=123` or `created[gte]=...&created[lt]=...` as a predicate. */
export function createdFilter(raw: unknown, param = 'created'): (created: number) => boolean {
  if (raw === undefined || raw === '') return () => true;
  const int = (v: unknown, name: string): number => {
    if (typeof v !== 'string' || !/^\d+$/.test(v)) {
      throw invalidRequest(`Invalid integer: ${String(v)}`, name);
    }
    return Number(v);
  };
  if (typeof raw === 'string') {
    const exact = int(raw, param);
    return (c) => c === exact;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidRequest('Invalid timestamp range', param);
  }
  const range = raw as Record<string, unknown>;
  const checks: Array<(c: number) => boolean> = [];
  for (const [op, v] of Object.entries(range)) {
    const n = int(v, `${param}[${op}]`);
    if (op === 'gt') checks.push((c) => c > n);
    else if (op === 'gte') checks.push((c) => c >= n);
    else if (op === 'lt') checks.push((c) => c < n);
    else if (op === 'lte') checks.push((c) => c <= n);
    else throw invalidRequest(`Received unknown parameter: ${param}[${op}]`, `${param}[${op}]`);
  }
  return (c) => checks.every((check) => check(c));
}
