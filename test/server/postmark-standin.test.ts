/**
 * The Postmark stand-in, driven through the real `postmark` client exactly as the portal
 * server configures it (`requestHost`, `useHttps: false`).
 */
import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import * as postmark from 'postmark';
import {
  findPortalLink,
  startPostmarkStandin,
  type OutboxMessage,
  type PostmarkStandin,
} from '../../demo/postmark-standin.js';

const link = 'http://127.0.0.1:8080/portal#conroo-portal-token=abc.DEF-123_x';

function magicLinkMail(to = 'fahrer@example.com') {
  return {
    From: 'CONROO <noreply@conroo.com>',
    To: to,
    Subject: 'Ihr Link zum Kundenportal',
    TextBody: `Hallo,\n\nöffnen Sie das Kundenportal: ${link}\n\nDer Link gilt 15 Minuten.`,
    HtmlBody: `<p><a href="${link}">Kundenportal öffnen</a></p>`,
    MessageStream: 'outbound',
  };
}

describe('Postmark stand-in', () => {
  let standin: PostmarkStandin;
  let client: postmark.ServerClient;
  const logged: OutboxMessage[] = [];

  before(async () => {
    standin = await startPostmarkStandin({port: 0, log: (m) => logged.push(m)});
    client = new postmark.ServerClient('server-token', {
      requestHost: standin.host,
      useHttps: false,
    });
  });
  after(() => standin.close());
  beforeEach(() => standin.clear());

  it('accepts a mail from the official client and answers like Postmark', async () => {
    const res = await client.sendEmail(magicLinkMail());
    assert.equal(res.ErrorCode, 0);
    assert.equal(res.Message, 'OK');
    assert.equal(res.To, 'fahrer@example.com');
    assert.match(res.MessageID, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(String(res.SubmittedAt))));
  });

  it('keeps the mail in messages() with the portal link, newest first', async () => {
    await client.sendEmail(magicLinkMail('erste@example.com'));
    await client.sendEmail(magicLinkMail('zweite@example.com'));
    const messages = standin.messages();
    assert.deepEqual(
      messages.map((m) => m.to),
      ['zweite@example.com', 'erste@example.com'],
    );
    const [newest] = messages;
    assert.equal(newest?.subject, 'Ihr Link zum Kundenportal');
    assert.equal(newest?.link, link);
    assert.match(newest?.text ?? '', /15 Minuten/);
    assert.match(newest?.html ?? '', /<a href=/);
    assert.ok(Math.abs((newest?.createdAt ?? 0) - Date.now() / 1000) < 5);
    assert.equal(logged.at(-1)?.to, 'zweite@example.com');
  });

  it('serves the outbox as JSON for a demo server in another process', async () => {
    await client.sendEmail(magicLinkMail());
    const res = await fetch(`${standin.url}/outbox`);
    const body = (await res.json()) as {messages: OutboxMessage[]};
    assert.equal(body.messages.length, 1);
    assert.equal(body.messages[0]?.link, link);
  });

  it('sends batches', async () => {
    const results = await client.sendEmailBatch([
      magicLinkMail('a@example.com'),
      magicLinkMail('b@example.com'),
    ]);
    assert.deepEqual(
      results.map((r) => r.ErrorCode),
      [0, 0],
    );
    assert.equal(standin.messages().length, 2);
  });

  it('makes the client throw when the server token is wrong', async () => {
    const strict = await startPostmarkStandin({token: 'the-right-token'});
    try {
      const wrong = new postmark.ServerClient('a-wrong-token', {
        requestHost: strict.host,
        useHttps: false,
      });
      await assert.rejects(wrong.sendEmail(magicLinkMail()), (err: unknown) => {
        assert.ok(err instanceof postmark.Errors.InvalidAPIKeyError);
        assert.equal(err.statusCode, 401);
        assert.equal(err.code, 10);
        return true;
      });
      assert.equal(strict.messages().length, 0);
    } finally {
      await strict.close();
    }
  });

  it('answers a request without X-Postmark-Server-Token with 401 and ErrorCode 10', async () => {
    const res = await fetch(`${standin.url}/email`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify(magicLinkMail()),
    });
    assert.equal(res.status, 401);
    const body = (await res.json()) as {ErrorCode: number; Message: string};
    assert.equal(body.ErrorCode, 10);
    assert.match(body.Message, /X-Postmark-Server-Token/);
    assert.equal(standin.messages().length, 0);
  });

  it('refuses a mail without recipient with a 422 the client raises', async () => {
    await assert.rejects(
      client.sendEmail({...magicLinkMail(), To: ''}),
      (err: unknown) => err instanceof postmark.Errors.ApiInputError && err.statusCode === 422,
    );
  });

  it('fails the next n sends with a 500 when asked (for fault tests)', async () => {
    standin.failNext(1);
    await assert.rejects(
      client.sendEmail(magicLinkMail()),
      (err: unknown) => err instanceof postmark.Errors.InternalServerError,
    );
    await client.sendEmail(magicLinkMail());
    assert.equal(standin.messages().length, 1);
  });

  it('finds the portal link only in URLs that carry the token fragment', () => {
    assert.equal(findPortalLink(`Impressum: https://conroo.com/impressum\nLink: ${link}.`), link);
    assert.equal(findPortalLink('Kein Link hier: https://conroo.com'), null);
    assert.equal(findPortalLink('', `<a href="${link}">öffnen</a>`), link);
  });
});
