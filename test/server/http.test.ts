import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {login, startPortal} from './harness.js';

describe('cross-origin defences', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal({env: {ALLOWED_ORIGINS: 'https://www.conroo.example'}});
  });
  after(() => portal.close());

  it('allows CORS with credentials only for an allowed origin, echoed; Vary: Origin on every answer', async () => {
    const allowed = await portal.client().request('OPTIONS', '/api/session', {
      headers: {origin: 'https://www.conroo.example', 'access-control-request-method': 'DELETE'},
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://www.conroo.example');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);
    for (const origin of [
      'https://evil.example',
      'null',
      'https://www.conroo.example.evil.example',
    ]) {
      const refused = await portal.client().get('/api/session', {origin});
      assert.equal(refused.headers.get('access-control-allow-origin'), null, origin);
      assert.match(refused.headers.get('vary') ?? '', /Origin/, origin);
    }
  });

  it('refuses a write from another origin or site, even with a valid session', async () => {
    const client = await login(portal, 'zwei@example.com');
    const id = (await client.get('/api/session')).body.accounts[1].customerId;
    const evil = await client.post(
      '/api/session/account',
      {customerId: id},
      {origin: 'https://evil.example'},
    );
    assert.equal(evil.status, 403);
    assert.equal(evil.body.error.code, 'origin_not_allowed');
    const crossSite = await client.post(
      '/api/session/account',
      {customerId: id},
      {origin: 'https://www.conroo.example', 'sec-fetch-site': 'cross-site'},
    );
    assert.equal(crossSite.status, 403);
    const fine = await client.post(
      '/api/session/account',
      {customerId: id},
      {origin: 'https://www.conroo.example', 'sec-fetch-site': 'same-site'},
    );
    assert.equal(fine.status, 200);
  });

  it('refuses a logout from another site', async () => {
    const client = await login(portal, 'fahrer@example.com');
    const answer = await client.delete('/api/session', {origin: 'https://evil.example'});
    assert.equal(answer.status, 403);
    assert.equal((await client.get('/api/session')).status, 200);
  });

  it('refuses a form-encoded or text body (what an HTML form could send) with 415', async () => {
    const answer = await portal.client().request('POST', '/api/auth/email-link', {
      rawBody: 'email=fahrer@example.com',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
    });
    assert.equal(answer.status, 415);
    assert.equal(answer.body.error.code, 'unsupported_media_type');
  });

  it('refuses a body over 16 kB with 413', async () => {
    const answer = await portal
      .client()
      .post('/api/auth/email-link', {email: 'fahrer@example.com', locale: 'x'.repeat(20_000)});
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'payload_too_large');
  });

  it('sends security headers and no-store on API answers', async () => {
    const answer = await portal.client().get('/api/session');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(answer.headers.get('content-security-policy'));
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('x-powered-by'), null);
  });

  it('sends security headers on health checks too, not only on the API', async () => {
    const answer = await portal.client().get('/healthz');
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(answer.headers.get('strict-transport-security'));
  });

  it('answers health and readiness', async () => {
    assert.deepEqual((await portal.client().get('/healthz')).body, {status: 'ok'});
    assert.equal((await portal.client().get('/readyz')).status, 200);
  });

  it('answers unknown API paths with the error body', async () => {
    const answer = await portal.client().get('/api/nothing-here');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error.code, 'not_found');
  });
});
