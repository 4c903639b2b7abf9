/**
 * Structured logs (pino): one line per request with its ID, and never a token, a cookie or a
 * full e-mail address, whatever the request carries.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {startDemo, type Demo} from '../../demo/boot.js';
import {createLogger} from '../../server/logger.js';
import {Client, SESSION_COOKIE, tokenOf} from './harness.js';

describe('logs', () => {
  let portal: Demo;
  let text = '';
  const lines = () =>
    text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
  before(async () => {
    const log = createLogger({destination: {write: (line: string) => void (text += line)}});
    portal = await startDemo({port: 0, log});
  });
  after(() => portal.close());

  it('logs a login flow without a token, a cookie or a full e-mail address', async () => {
    const email = 'fahrer@example.com';
    const client = new Client(portal.url);
    const asked = await client.post('/api/auth/email-link', {email: ' Fahrer@Example.com '});
    assert.equal(asked.status, 202);
    await portal.app.drain();
    const link = (await portal.outbox.messages({to: email}))[0].link!;
    const token = tokenOf(link);
    const exchanged = await client.post('/api/auth/session', {token});
    assert.equal(exchanged.status, 200);
    const jwt = client.cookies.get(SESSION_COOKIE)!;
    assert.ok(jwt.length > 20);
    // A used token, an unknown route with an address in its path, a query with one: all logged.
    assert.equal((await new Client(portal.url).post('/api/auth/session', {token})).status, 401);
    await client.get(`/api/invoices?email=${encodeURIComponent(email)}&token=${token}`);
    await client.get(`/api/nothing/${email}`);
    await client.get('/api/account', {'x-request-id': `${email}`});
    assert.equal((await client.delete('/api/session')).status, 204);

    const all = lines();
    assert.ok(all.length >= 8);
    for (const secret of [token, jwt, email, 'Fahrer@Example.com', link]) {
      assert.equal(text.includes(secret), false, `the log holds ${secret.slice(0, 12)}…`);
    }
    assert.ok(text.includes('f***@example.com'), 'masked addresses tell lines apart');

    const requests = all.filter((l) => l.msg === 'request');
    assert.deepEqual(
      requests.map((l) => `${l.method} ${l.path} ${l.status}`),
      [
        'POST /api/auth/email-link 202',
        'POST /api/auth/session 200',
        'POST /api/auth/session 401',
        'GET /api/invoices 400',
        'GET /api/nothing/f***@example.com 404',
        'GET /api/account 200',
        'DELETE /api/session 204',
      ],
    );
    for (const line of requests) {
      assert.equal(typeof line.durationMs, 'number');
      assert.match(line.requestId, /^[0-9a-f-]{36}$/, 'an invalid incoming ID is replaced');
      assert.equal(line.level, 'info');
      assert.match(line.time, /^\d{4}-\d\d-\d\dT/);
    }
    assert.ok(all.some((l) => l.msg === 'login link sent' && l.email === 'f***@example.com'));
  });

  it('takes X-Request-Id from the caller, or makes one, and answers with it', async () => {
    const client = new Client(portal.url);
    const given = await client.get('/healthz', {'x-request-id': 'lb-7f3a.42'});
    assert.equal(given.headers.get('x-request-id'), 'lb-7f3a.42');
    const made = await client.get('/healthz');
    assert.match(made.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
    const line = lines().findLast((l) => l.msg === 'request' && l.path === '/healthz');
    assert.equal(line?.requestId, made.headers.get('x-request-id'));
    assert.ok(lines().some((l) => l.requestId === 'lb-7f3a.42'));
  });

  it('redacts secret fields and masks e-mail fields whoever logs them', () => {
    let out = '';
    const log = createLogger({destination: {write: (l: string) => void (out += l)}});
    log.error('mail to max@firma.de failed #conroo-portal-token=abc', {
      token: 'abc',
      cookie: '__Host-conroo_session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      to: 'Max <max@firma.de>',
      error: new Error('Invalid To: max@firma.de'),
      nested: {authorization: 'Bearer sk_live_x', email: 'max@firma.de'},
    });
    assert.equal(out.includes('max@firma.de'), false, out);
    assert.equal(out.includes('abc'), false, out);
    assert.equal(out.includes('eyJ'), false, out);
    assert.equal(out.includes('sk_live_x'), false, out);
    assert.match(out, /m\*\*\*@firma\.de/);
  });
});
