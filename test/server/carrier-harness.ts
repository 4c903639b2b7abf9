import assert from 'node:assert/strict';
import type {Demo} from '../../demo/boot.js';
import type {OutboxMessage} from '../../demo/postmark-standin.js';
import {Client, tokenOf} from './harness.js';

/** The mails to `to`, newest first, once the portal's background work (mails) is done. */
export async function mailsTo(portal: Demo, to: string): Promise<OutboxMessage[]> {
  await portal.app.drain();
  return portal.outbox.messages({to});
}

/** Waits until `count` more mails reached `to` than `before`; answers the newest. */
export async function nextMailTo(portal: Demo, to: string, before: number): Promise<OutboxMessage> {
  const mails = await mailsTo(portal, to);
  assert.ok(mails.length > before, `a mail to ${to}`);
  return mails[0];
}

/**
 * `owner` gives `carrier` access to its active Gate Pass; the answer must be a 201. Waits for
 * the mails it sends, so that the next login's mail is the newest one.
 */
export async function grant(portal: Demo, owner: Client, carrier: string, locale?: string) {
  const answer = await owner.post('/api/carrier-access', {
    email: carrier,
    ...(locale ? {locale} : {}),
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  await portal.app.drain();
  return answer.body as {email: string; grantedAt: number};
}

/**
 * Logs in with the newest mail to `to` that holds a login link (a grant mail or a login mail;
 * the owner's notices hold none).
 */
export async function loginWithNewestMail(portal: Demo, to: string): Promise<Client> {
  const mail = (await mailsTo(portal, to)).find((m) => m.link);
  assert.ok(mail?.link, `a mail with a link to ${to}`);
  const client = new Client(portal.url);
  const answer = await client.post('/api/auth/session', {token: tokenOf(mail.link)});
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return client;
}

/**
 * Logs in as `email` through a login link: `harness.login` reads the newest mail of all, which
 * may be a notice or grant mail that the last change sent in the background.
 */
export async function loginAs(portal: Demo, email: string): Promise<Client> {
  await portal.app.drain();
  const answer = await new Client(portal.url).post('/api/auth/email-link', {email});
  assert.equal(answer.status, 202);
  return loginWithNewestMail(portal, email);
}

/** A unique carrier address per test (grant mails are limited per address). */
let carriers = 0;
export const carrierAddress = (name = 'spedition') =>
  `${name}-${process.pid}-${++carriers}@carrier.example`;
