import {Models, ServerClient} from 'postmark';
import type {Config} from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends one transactional mail. Tests replace it; the demo keeps the Postmark adapter and points
 * it at its Postmark stand-in (`POSTMARK_API_BASE`).
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** Postmark through its official client; `POSTMARK_API_BASE` points it at a stand-in. */
export function createPostmarkMailer(config: Config): Mailer {
  const base = config.postmark.apiBase;
  const client = new ServerClient(
    config.postmark.serverToken,
    base
      ? {requestHost: base.host, useHttps: base.protocol === 'https:', timeout: 10}
      : {timeout: 10},
  );
  return {
    async send(mail) {
      await client.sendEmail({
        From: config.mailFrom,
        To: mail.to,
        Subject: mail.subject,
        TextBody: mail.text,
        HtmlBody: mail.html,
        MessageStream: config.postmark.messageStream,
        TrackLinks: Models.LinkTrackingOptions.None,
        TrackOpens: false,
      });
    },
  };
}

/** Postmark's answer was temporary (5xx, 429) or there was none (network, timeout). */
export function isTemporaryMailFailure(error: unknown): boolean {
  const status = (error as {statusCode?: unknown})?.statusCode;
  return typeof status !== 'number' || status === 0 || status === 429 || status >= 500;
}

/**
 * Sends again after each of `delaysMs` in turn while the failure is temporary (a refused
 * address or token is not retried). Each failed try is logged with the masked recipient; the
 * last failure is thrown to the caller. Runs in the background: the person asking has had
 * their answer already.
 */
export function withRetries(
  mailer: Mailer,
  options: {
    delaysMs: readonly number[];
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Mailer {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async send(mail) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await mailer.send(mail);
        } catch (error) {
          const delay = options.delaysMs[attempt];
          if (delay === undefined || !isTemporaryMailFailure(error)) throw error;
          options.onRetry?.(error, attempt + 1, delay);
          await sleep(delay);
        }
      }
    },
  };
}
