import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {Client, requestToken, SESSION_COOKIE, startPortal, tokenOf} from './harness.js';

describe('magic-link login', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('mails a link to the portal URL with the token in the fragment, and the link logs in', async () => {
    const client = portal.client();
    const answer = await client.post('/api/auth/email-link', {email: 'fahrer@example.com'});
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, {status: 'sent'});
    await portal.app.drain();
    const [mail] = await portal.outbox.messages();
    assert.equal(mail.to, 'fahrer@example.com');
    assert.match(mail.subject, /Kundenportal/);
    const link = new URL(mail.link!);
    assert.equal(`${link.origin}${link.pathname}`, portal.portalUrl);
    assert.equal(link.search, '', 'the token never travels in the query');
    assert.match(link.hash, /^#conroo-portal-token=[A-Za-z0-9_-]{43}$/);
    assert.ok(mail.html.includes(link.toString().replace(/&/g, '&amp;')));

    const session = await client.post('/api/auth/session', {token: tokenOf(mail.link!)});
    assert.equal(session.status, 200);
    assert.equal(session.body.email, 'fahrer@example.com');
    assert.equal(session.body.accounts.length, 1);
    assert.equal(session.body.activeCustomerId, session.body.accounts[0].customerId);
    const cookie = session.setCookie.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    assert.match(cookie, /; HttpOnly/i);
    assert.match(cookie, /; Secure/i);
    assert.match(cookie, /; SameSite=Lax/i);
    assert.match(cookie, /; Path=\//i);
    assert.doesNotMatch(cookie, /Domain=/i);

    const account = await client.get('/api/account');
    assert.equal(account.status, 200);
    assert.equal(account.body.customer.email, 'fahrer@example.com');
  });

  it('writes the mail in English when the request asks for it, German otherwise', async () => {
    const client = portal.client();
    await client.post('/api/auth/email-link', {email: 'paypal@example.com', locale: 'en-GB'});
    await portal.app.drain();
    const [english] = await portal.outbox.messages();
    assert.match(english.subject, /customer portal/);
    assert.match(english.text, /valid for 24 hours/);
  });

  it('looks the address up normalized and mails the address stored at Stripe', async () => {
    const client = portal.client();
    await client.post('/api/auth/email-link', {email: '  FIRMA@Example.COM '});
    await portal.app.drain();
    const [mail] = await portal.outbox.messages();
    assert.equal(mail.to, 'firma@example.com');
  });

  it('answers known, unknown and rate-limited addresses with the same status and body', async () => {
    const client = portal.client();
    const before = (await portal.outbox.messages()).length;
    const known = await client.post('/api/auth/email-link', {email: 'offen@example.com'});
    const unknown = await client.post('/api/auth/email-link', {email: 'niemand@example.com'});
    await portal.app.drain();
    const afterFirst = (await portal.outbox.messages()).length;
    assert.equal(afterFirst, before + 1, 'only the known address gets a mail');

    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await client.post('/api/auth/email-link', {email: 'offen@example.com'}));
    }
    await portal.app.drain();
    const afterLimit = (await portal.outbox.messages()).length;
    assert.equal(afterLimit, afterFirst + 2, 'three per 15 minutes, then silence');
    for (const answer of [unknown, ...answers]) {
      assert.equal(answer.status, known.status);
      assert.deepEqual(answer.body, known.body);
      assert.equal(answer.headers.get('content-length'), known.headers.get('content-length'));
    }
  });

  it('refuses anything that is not one plain address as invalid_email', async () => {
    const client = portal.client();
    for (const email of [
      'fahrer@example.com,chef@example.com',
      'fahrer@example.com\r\nBcc: x@example.com',
      'a@b@example.com',
      '"fahrer"@example.com',
      'fahrer @example.com',
      'fahrer@example.com\u0000',
      '<fahrer@example.com>',
      'fahrer',
      '',
    ]) {
      const answer = await client.post('/api/auth/email-link', {email});
      assert.equal(answer.status, 400, JSON.stringify(email));
      assert.equal(answer.body.error.code, 'invalid_email');
    }
    const noEmail = await client.post('/api/auth/email-link', {});
    assert.equal(noEmail.body.error.code, 'invalid_email');
  });

  it('refuses unknown fields in the request', async () => {
    const answer = await portal
      .client()
      .post('/api/auth/email-link', {email: 'fahrer@example.com', bcc: 'x@example.com'});
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'invalid_request');
  });

  it('builds the link from PORTAL_URL, never from Host or X-Forwarded-Host', async () => {
    const client = new Client(portal.url, {
      'x-forwarded-host': 'evil.example',
      host: 'evil.example',
    });
    await client.post('/api/auth/email-link', {email: 'paypal@example.com'});
    await portal.app.drain();
    const [mail] = await portal.outbox.messages();
    assert.ok(mail.link!.startsWith(portal.portalUrl), mail.link!);
    assert.ok(!mail.text.includes('evil.example'));
  });

  it('answers link_invalid for a token that was never issued', async () => {
    const answer = await portal.client().post('/api/auth/session', {token: 'A'.repeat(43)});
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'link_invalid');
    const garbage = await portal.client().post('/api/auth/session', {token: '../../x'});
    assert.equal(garbage.body.error.code, 'link_invalid');
  });
});

describe('magic-link single use', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('lets exactly one of eight parallel exchanges of one token succeed', async () => {
    const token = await requestToken(portal, portal.client(), 'fahrer@example.com');
    const answers = await Promise.all(
      Array.from({length: 8}, () => portal.client().post('/api/auth/session', {token})),
    );
    const ok = answers.filter((a) => a.status === 200);
    assert.equal(ok.length, 1);
    for (const failed of answers.filter((a) => a.status !== 200)) {
      assert.equal(failed.status, 401);
      assert.equal(failed.body.error.code, 'link_used');
    }
  });

  it('works in another browser than the one that asked (forwarded to the carrier)', async () => {
    const token = await requestToken(portal, portal.client(), 'paypal@example.com');
    const carrier = new Client(portal.url);
    const answer = await carrier.post('/api/auth/session', {token});
    assert.equal(answer.status, 200);
    assert.equal((await carrier.get('/api/account')).body.customer.email, 'paypal@example.com');
  });
});

describe('magic-link expiry', () => {
  let now = Math.floor(Date.now() / 1000);
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal({env: {MAGIC_LINK_TTL: '24h'}, now: () => now});
  });
  after(() => portal.close());

  it('says in the mail how long the link is valid', async () => {
    await portal.client().post('/api/auth/email-link', {email: 'offen@example.com'});
    await portal.app.drain();
    assert.match((await portal.outbox.messages())[0].text, /24 Stunden gültig/);
  });

  it('rejects a link after its 24 hours as link_expired', async () => {
    const token = await requestToken(portal, portal.client(), 'fahrer@example.com');
    now += 24 * 3600 + 1;
    const answer = await portal.client().post('/api/auth/session', {token});
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'link_expired');
  });

  it('accepts a link just before its 24 hours end', async () => {
    const token = await requestToken(portal, portal.client(), 'paypal@example.com');
    now += 24 * 3600 - 5;
    const answer = await portal.client().post('/api/auth/session', {token});
    assert.equal(answer.status, 200);
  });
});

describe('rate limits per IP', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  before(async () => {
    portal = await startPortal();
  });
  after(() => portal.close());

  it('answers 429 with Retry-After when one IP asks for too many links', async () => {
    const client = portal.client();
    let answer;
    for (let i = 0; i < 60; i++) {
      answer = await client.post('/api/auth/email-link', {email: `x${i}@example.com`});
      if (answer.status === 429) break;
    }
    assert.ok(answer);
    assert.equal(answer.status, 429);
    assert.equal(answer.body.error.code, 'rate_limited');
    assert.ok(Number(answer.headers.get('retry-after')) > 0);
  });

  it('stops token guessing after repeated failed exchanges from one IP', async () => {
    const client = portal.client();
    const codes = [];
    for (let i = 0; i < 22; i++) {
      const answer = await client.post('/api/auth/session', {token: `${'B'.repeat(40)}${100 + i}`});
      codes.push(answer.status);
    }
    assert.deepEqual(codes.slice(0, 20), Array(20).fill(401));
    assert.equal(codes.at(-1), 429);
  });

  it('counts a parallel burst of guesses: of 30 at once at most 20 are tried', async () => {
    const fresh = await startPortal();
    try {
      const answers = await Promise.all(
        Array.from({length: 30}, (_, i) =>
          fresh.client().post('/api/auth/session', {token: `${'C'.repeat(40)}${100 + i}`}),
        ),
      );
      assert.equal(answers.filter((a) => a.status === 401).length, 20);
      assert.equal(answers.filter((a) => a.status === 429).length, 10);
    } finally {
      await fresh.close();
    }
  });

  it('does not count successful exchanges against the limit (a carrier with many drivers)', async () => {
    const fresh = await startPortal();
    try {
      const emails = ['fahrer', 'paypal', 'firma', 'zwei', 'offen', 'ohne-abo', 'viele'];
      for (let round = 0; round < 3; round++) {
        for (const name of emails) {
          const token = await requestToken(fresh, fresh.client(), `${name}@example.com`);
          assert.equal((await fresh.client().post('/api/auth/session', {token})).status, 200);
        }
      }
    } finally {
      await fresh.close();
    }
  });

  it('ignores a forged X-Forwarded-For when no proxy is trusted', async () => {
    const fresh = await startPortal();
    try {
      let limited = false;
      for (let i = 0; i < 60 && !limited; i++) {
        const answer = await fresh
          .client()
          .post(
            '/api/auth/email-link',
            {email: `y${i}@example.com`},
            {'x-forwarded-for': `10.0.0.${i}`},
          );
        limited = answer.status === 429;
      }
      assert.ok(limited, 'rotating X-Forwarded-For must not escape the per-IP limit');
    } finally {
      await fresh.close();
    }
  });
});

describe('a link valid for 90 minutes', () => {
  it('says 90 minutes in the mail, not a rounded number of hours', async () => {
    const portal = await startPortal({env: {MAGIC_LINK_TTL: '90m'}});
    try {
      await portal
        .client()
        .post('/api/auth/email-link', {email: 'fahrer@example.com', locale: 'en'});
      await portal.app.drain();
      assert.match((await portal.outbox.messages())[0].text, /valid for 90 minutes/);
    } finally {
      await portal.close();
    }
  });
});
