/**
 * The subset of Stripe's search query language the portal uses on customers:
 * `email:'a@b.de'`, `name~'Hafen'`, `phone:'...'`, `metadata['key']:'v'`, `-field:'v'`,
 * `created>1700000000`, clauses joined by all-`AND` or all-`OR`. String matches are
 * case-insensitive like Stripe's. (Stripe's index lags up to an hour; this one does not.)
 */
import type Stripe from 'stripe';
import {invalidRequest} from './errors.js';

type Clause = (c: Stripe.Customer) => boolean;

const clausePattern =
  /^(-)?(email|name|phone|description|created|metadata\[(?:'[^']*'|"[^"]*")\])\s*(:|~|>=|<=|>|<)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\d+))$/;

function parseError(query: string): never {
  throw invalidRequest(
    `We were unable to parse your search query. Try using the format \`metadata["key"]:"value"\` to query for metadata or \`key:"value"\` to query for other fields. Query: ${query}`,
    'query',
  );
}

function fieldValue(c: Stripe.Customer, field: string): string | number | null {
  if (field.startsWith('metadata[')) return c.metadata[field.slice(10, -2)] ?? null;
  if (field === 'created') return c.created;
  const v = (c as unknown as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : null;
}

function parseClause(text: string, query: string): Clause {
  const m = clausePattern.exec(text.trim());
  if (!m) parseError(query);
  const [, negate, field = '', op, single, double, number] = m;
  const raw = (single ?? double)?.replace(/\\(.)/g, '$1');
  let test: Clause;
  if (field === 'created') {
    if (number === undefined || op === ':' || op === '~') parseError(query);
    const n = Number(number);
    test = (c) =>
      op === '>'
        ? c.created > n
        : op === '<'
          ? c.created < n
          : op === '>='
            ? c.created >= n
            : c.created <= n;
  } else {
    if (raw === undefined || (op !== ':' && op !== '~')) parseError(query);
    if (op === '~' && raw.length < 3) {
      throw invalidRequest('Substring search (~) requires at least 3 characters.', 'query');
    }
    const wanted = raw.toLowerCase();
    test = (c) => {
      const v = fieldValue(c, field);
      if (typeof v !== 'string') return false;
      return op === ':' ? v.toLowerCase() === wanted : v.toLowerCase().includes(wanted);
    };
  }
  return negate ? (c) => !test(c) : test;
}

export function parseCustomerQuery(query: string): Clause {
  if (query.trim() === '') parseError(query);
  const hasAnd = / AND /.test(query);
  const hasOr = / OR /.test(query);
  if (hasAnd && hasOr) {
    throw invalidRequest('Search queries cannot mix AND and OR in the same query.', 'query');
  }
  const parts = query.split(hasOr ? / OR / : / AND /);
  const clauses = parts.map((p) => parseClause(p, query));
  return hasOr ? (c) => clauses.some((t) => t(c)) : (c) => clauses.every((t) => t(c));
}
