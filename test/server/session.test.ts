import assert from 'node:assert/strict';
import {CACHE_PREFIX} from '../../server/services/customer-cache.js';
import {after, before, describe, it} from 'node:test';
import jwt from 'jsonwebtoken';
import {
  Client,
  decodeJwtPayload,
  login,
  requestToken,
  SESSION_COOKIE,
  startPortal,
} from './harness.js';

describe('session', () => {
  let now = Math.floor(Date.now() / 1000);
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal({now: () => now});
  });
  after(() => portal.close());

  const copyOf = (client: Client) => {
    const copy = new Client(portal.url);
    copy.cookies = new Map(client.cookies);
    return copy;
  };

  it('answers 401 not_authenticated without a session', async () => {
    for (const path of ['/api/session', '/api/account', '/api/payment-methods', '/api/invoices']) {
      const answer = await portal.client().get(path);
      assert.equal(answer.status, 401, path);
      assert.equal(answer.body.error.code, 'not_authenticated');
    }
  });

  it('signs the session as HS256 with kid, iss and aud, carrying e-mail, customers, a jti and the store epoch', async () => {
    const client = await login(portal, 'zwei@example.com');
    const token = client.cookies.get(SESSION_COOKIE)!;
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    assert.equal(header.alg, 'HS256');
    assert.ok(header.kid);
    const payload = decodeJwtPayload(token);
    assert.equal(payload.sub, 'zwei@example.com');
    assert.equal(payload.cus.length, 2);
    assert.equal(payload.iss, 'conroo-billing-portal');
    assert.equal(payload.aud, 'conroo-billing-portal');
    assert.ok(payload.jti);
    assert.match(payload.ep, /^[A-Za-z0-9_-]{11}$/);
  });

  it('gives every login a fresh session ID', async () => {
    const first = await login(portal, 'fahrer@example.com');
    const second = await login(portal, 'fahrer@example.com');
    const jti = (c: Client) => decodeJwtPayload(c.cookies.get(SESSION_COOKIE)!).jti;
    assert.notEqual(jti(first), jti(second));
  });

  it('rejects a tampered JWT', async () => {
    const client = await login(portal, 'firma@example.com');
    const [h, p, s] = client.cookies.get(SESSION_COOKIE)!.split('.');
    const payload = decodeJwtPayload(`${h}.${p}.${s}`);
    payload.cus = ['cus_someone_else'];
    payload.act = 'cus_someone_else';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const attacker = new Client(portal.url);
    attacker.cookies.set(SESSION_COOKIE, forged);
    assert.equal((await attacker.get('/api/account')).status, 401);
  });

  it('rejects an alg:none JWT and one signed with another secret', async () => {
    const client = await login(portal, 'offen@example.com');
    const real = decodeJwtPayload(client.cookies.get(SESSION_COOKIE)!);
    const header = JSON.parse(
      Buffer.from(client.cookies.get(SESSION_COOKIE)!.split('.')[0], 'base64url').toString(),
    );
    const none = `${Buffer.from(JSON.stringify({alg: 'none', typ: 'JWT', kid: header.kid})).toString('base64url')}.${Buffer.from(JSON.stringify(real)).toString('base64url')}.`;
    const otherSecret = jwt.sign(real, 'x'.repeat(64), {algorithm: 'HS256', keyid: header.kid});
    for (const token of [none, otherSecret]) {
      const attacker = new Client(portal.url);
      attacker.cookies.set(SESSION_COOKIE, token);
      assert.equal((await attacker.get('/api/session')).status, 401);
    }
  });

  it('revokes the session on logout, so a copied cookie is dead', async () => {
    const client = await login(portal, 'ohne-abo@example.com');
    const copy = copyOf(client);
    const logout = await client.delete('/api/session');
    assert.equal(logout.status, 204);
    assert.ok(logout.setCookie.some((c) => c.startsWith(`${SESSION_COOKIE}=;`)));
    assert.equal((await client.get('/api/account')).status, 401);
    assert.equal((await copy.get('/api/account')).status, 401);
  });

  it('ends after 30 idle minutes, and slides while in use', async () => {
    const idle = await login(portal, 'viele@example.com');
    const active = await login(portal, 'paypal@example.com');
    for (let i = 0; i < 3; i++) {
      now += 20 * 60;
      assert.equal(
        (await active.get('/api/session')).status,
        200,
        `active after ${(i + 1) * 20} min`,
      );
    }
    assert.equal((await idle.get('/api/session')).status, 401);
  });

  it('ends after 8 hours however active', async () => {
    const client = await login(portal, 'fahrer@example.com');
    for (let minutes = 20; minutes < 8 * 60; minutes += 20) {
      now += 20 * 60;
      assert.equal((await client.get('/api/session')).status, 200, `at ${minutes} min`);
    }
    now += 20 * 60;
    assert.equal((await client.get('/api/session')).status, 401);
  });
});

describe('accounts of one address', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('holds every customer of the address and switches between them without a new login', async () => {
    const client = await login(portal, 'zwei@example.com');
    const session = (await client.get('/api/session')).body;
    assert.equal(session.accounts.length, 2);
    for (const account of session.accounts) assert.equal(account.subscriptionStatus, 'active');
    const [first, second] = session.accounts;
    assert.equal(session.activeCustomerId, first.customerId);
    assert.equal((await client.get('/api/account')).body.customer.id, first.customerId);

    const switched = await client.post('/api/session/account', {customerId: second.customerId});
    assert.equal(switched.status, 200);
    assert.equal(switched.body.activeCustomerId, second.customerId);
    assert.equal((await client.get('/api/account')).body.customer.id, second.customerId);
  });

  it('refuses to switch to a customer the session does not hold', async () => {
    const other = await login(portal, 'fahrer@example.com');
    const otherId = (await other.get('/api/session')).body.activeCustomerId;
    const client = await login(portal, 'zwei@example.com');
    const answer = await client.post('/api/session/account', {customerId: otherId});
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden');
    assert.notEqual((await client.get('/api/account')).body.customer.id, otherId);
  });
});

describe('session cookie races', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('does not delete a cookie from a 401 answer, which could overtake a parallel login', async () => {
    const answer = await portal.client().get('/api/session');
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.setCookie, []);
  });
});

describe('login when Stripe stumbles right after the exchange', () => {
  it('still logs in (the link is used, the cookie set) and names the accounts later', async () => {
    const portal = await startPortal();
    try {
      const client = portal.client();
      const token = await requestToken(portal, client, 'zwei@example.com');
      // Opened after what the link's search found has left the cache: the names need Stripe.
      await portal.store.cacheDelete(CACHE_PREFIX);
      portal.emulator!.injectFault({path: /^\/v1\/customers\/cus_/, fault: 500, times: 20});
      const answer = await client.post('/api/auth/session', {token});
      assert.equal(answer.status, 200);
      assert.equal(answer.body.accounts.length, 2);
      assert.equal(answer.body.accounts[0].name, null);
      portal.emulator!.clearFaults();
      const session = await client.get('/api/session');
      assert.equal(session.status, 200);
      assert.ok(session.body.accounts[0].name);
    } finally {
      await portal.close();
    }
  });
});
