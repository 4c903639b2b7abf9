import {Models, ServerClient} from 'postmark';
import type {Config} from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one transactional mail; the adapter tests and the demo replace. */
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
