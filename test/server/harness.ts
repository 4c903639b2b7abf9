import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import {startDemo, type Demo} from '../../demo/boot.js';
import {createStripeClient} from '../../server/adapters/stripe.js';

/** A cookie jar of one browser: remembers Set-Cookie, sends Cookie. */
export class Client {
  cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    readonly defaultHeaders: Record<string, string> = {},
  ) {}

  /** The jar as a `Cookie` header. */
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    options: {body?: unknown; headers?: Record<string, string>; rawBody?: string} = {},
  ): Promise<{status: number; headers: Headers; body: any; setCookie: string[]}> {
    const headers: Record<string, string> = {...this.defaultHeaders, ...options.headers};
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body,
      redirect: 'manual',
    });
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json() : await response.arrayBuffer();
    return {status: response.status, headers: response.headers, body: parsed, setCookie};
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, {headers});
  }
  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('POST', path, {body, headers});
  }
  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, {headers});
  }
}

export const SESSION_COOKIE = '__Host-conroo_session';

/** The demo server (real server code, emulator, Postmark stand-in) on a random port. */
export async function startPortal(
  options: {env?: Record<string, string>; now?: () => number} = {},
): Promise<Demo & {client(): Client}> {
  const demo = await startDemo({port: 0, env: options.env ?? {}, now: options.now});
  return Object.assign(demo, {client: () => new Client(demo.url)});
}

export type Portal = Awaited<ReturnType<typeof startPortal>>;

/** A portal and a `stripe` SDK client to change things in its emulator as Stripe would. */
export async function startPortalWithStripe(
  options: Parameters<typeof startPortal>[0] = {},
): Promise<{portal: Portal; stripe: Stripe}> {
  const portal = await startPortal(options);
  return {portal, stripe: createStripeClient(portal.config)};
}

/** Asks for a link, waits for the mail and returns its token. */
export async function requestToken(portal: Demo, client: Client, email: string): Promise<string> {
  const before = (await portal.outbox.messages()).length;
  const answer = await client.post('/api/auth/email-link', {email});
  if (answer.status !== 202) throw new Error(`email-link answered ${answer.status}`);
  await portal.app.drain();
  const messages = await portal.outbox.messages();
  // Of the mails since the request, the one with a link: an owner's notice of a change made
  // just before (sent in the background) may have arrived after it.
  const mail = messages.slice(0, messages.length - before).find((m) => m.link);
  if (!mail) throw new Error(`no mail for ${email}`);
  return tokenOf(mail.link!);
}

export const tokenOf = (link: string) => new URL(link).hash.replace('#conroo-portal-token=', '');

/** A client logged in as `email`. */
export async function login(portal: Demo, email: string): Promise<Client> {
  const client = new Client(portal.url);
  const token = await requestToken(portal, client, email);
  const answer = await client.post('/api/auth/session', {token});
  if (answer.status !== 200) throw new Error(`session answered ${answer.status}`);
  return client;
}

export function decodeJwtPayload(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/** Everything the dashboard reads, as it reads it; each answer must be a 200. */
export async function loadDashboard(client: Client) {
  const [session, account, methods, invoices] = await Promise.all([
    client.get('/api/session'),
    client.get('/api/account'),
    client.get('/api/payment-methods'),
    client.get('/api/invoices?limit=10'),
  ]);
  for (const answer of [session, account, methods, invoices]) assert.equal(answer.status, 200);
  return {
    session: session.body,
    account: account.body,
    methods: methods.body,
    invoices: invoices.body,
  };
}

/** A file download's answer with its bytes (none for an error's JSON). */
export async function download(client: Client, path: string) {
  const answer = await client.get(path);
  const bytes =
    answer.body instanceof ArrayBuffer ? new Uint8Array(answer.body) : new Uint8Array(0);
  return {...answer, bytes};
}

export const isPdf = (bytes: Uint8Array) =>
  Buffer.from(bytes.subarray(0, 5)).toString() === '%PDF-';

/** Billing details of a company with a German VAT ID and no separate shipping address. */
export const companyDetails = {
  name: 'Spedition Nordlicht GmbH & Co. KG',
  phone: '+49 40 123456',
  address: {line1: 'Am Kaiserkai 10', postalCode: '20457', city: 'Hamburg', country: 'DE'},
  shipping: null,
  taxId: {value: 'DE 987 654 321'},
};
