/**
 * The subset of Stripe's search query language (https://docs.stripe.com/search#search-query-language)
 * the portal uses on customers: `email:'a@b.de'`, `name~'Hafen'`, `phone:'...'`,
 * `metadata['key']:'v'`, `-field:'v'`, `created>1700000000`. Clauses are joined by spaces or
 * `AND` (both AND) or by `OR`, the keywords in any case; AND and OR do not mix, and there are
 * at most 10 clauses ("You can combine up to 10 query clauses"). Quoted values may hold spaces
 * and the keywords. String matches are case-insensitive like Stripe's. How far the index lags
 * behind the customers is `search-index.ts`.
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

/** Stripe's documented limit of clauses in one query. */
export const MAX_SEARCH_CLAUSES = 10;

/**
 * The query cut into clauses and the keywords between them (`AND` where only space separates
 * two clauses). A clause runs to the first space outside quotes; inside quotes a backslash
 * escapes the next character.
 */
function splitQuery(query: string): {clauses: string[]; joins: Array<'AND' | 'OR'>} {
  const clauses: string[] = [];
  const joins: Array<'AND' | 'OR'> = [];
  let i = 0;
  const skipSpace = () => {
    while (i < query.length && /\s/.test(query.charAt(i))) i++;
  };
  const word = (): string => {
    const start = i;
    let quote: string | null = null;
    for (; i < query.length; i++) {
      const ch = query.charAt(i);
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
      } else if (ch === "'" || ch === '"') {
        quote = ch;
      } else if (/\s/.test(ch)) {
        break;
      }
    }
    if (quote) parseError(query);
    return query.slice(start, i);
  };
  skipSpace();
  while (i < query.length) {
    if (clauses.length > 0) {
      const at = i;
      const keyword = word().toUpperCase();
      if (keyword === 'AND' || keyword === 'OR') {
        joins.push(keyword);
        skipSpace();
        if (i >= query.length) parseError(query);
      } else {
        joins.push('AND');
        i = at;
      }
    }
    clauses.push(word());
    skipSpace();
  }
  return {clauses, joins};
}

export function parseCustomerQuery(query: string): Clause {
  const {clauses: parts, joins} = splitQuery(query);
  if (parts.length === 0) parseError(query);
  const or = joins.includes('OR');
  if (or && joins.includes('AND')) {
    throw invalidRequest('Search queries cannot mix AND and OR in the same query.', 'query');
  }
  if (parts.length > MAX_SEARCH_CLAUSES) {
    // Stripe documents the limit, not its message; this one is worded like its others.
    throw invalidRequest(
      `Your search query has ${parts.length} clauses, but a query can have at most ${MAX_SEARCH_CLAUSES}. Query: ${query}`,
      'query',
    );
  }
  const clauses = parts.map((p) => parseClause(p, query));
  return or ? (c) => clauses.some((t) => t(c)) : (c) => clauses.every((t) => t(c));
}

/** Where a customer stands in search results: its `created`, then the order it was stored in. */
export type SearchPosition = [created: number, order: number];

/** Newest first: negative when `a` comes before `b`. */
export function comparePositions(a: SearchPosition, b: SearchPosition): number {
  return b[0] - a[0] || b[1] - a[1];
}

/** A `next_page` cursor: opaque to callers, like Stripe's; it names the last result given. */
export function encodeSearchPage(position: SearchPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeSearchPage(page: string): SearchPosition {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(page, 'base64url').toString('utf8'));
  } catch {
    position = null;
  }
  if (
    !Array.isArray(position) ||
    position.length !== 2 ||
    !position.every((n) => Number.isInteger(n))
  ) {
    throw invalidRequest(`Invalid page: ${page}`, 'page');
  }
  return position as SearchPosition;
}
