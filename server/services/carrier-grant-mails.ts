import type {Mailer} from '../adapters/mailer.js';
import type {Config} from '../config.js';
import type {Logger} from '../logger.js';
import {renderCarrierGrantMail} from '../mail/carrier-grant-mail.js';
import {mailLocale} from '../mail/mail-translations.js';
import type {BackgroundTasks} from './background.js';
import {maskEmail} from './email-address.js';
import type {MagicLinkService} from './magic-links.js';

/**
 * The mail that tells a carrier a driver gave it access, with a login link for its address.
 * Limited like login mails: per IP before the grant (`429`), per address silently. Whether the
 * carrier is a CONROO customer is looked up only after the answer, for the link's accounts, so
 * the answer never tells.
 */
export class CarrierGrantMails {
  constructor(
    private readonly deps: {
      magicLinks: MagicLinkService;
      /** With retries (`withRetries`). */
      mailer: Mailer;
      background: BackgroundTasks;
      config: Config;
      log: Logger;
    },
  ) {}

  /** Counts the grant against the IP's mail limit; `429 rate_limited` over it. */
  limitIp(ip: string): Promise<void> {
    return this.deps.magicLinks.limitIp(ip);
  }

  /** Sends the mail after the answer; `customerId` (the driver's) is the link's first account. */
  send(input: {carrier: string; driver: string; customerId: string; locale?: string}): void {
    this.deps.background.run(() => this.#send(input));
  }

  async #send(input: {carrier: string; driver: string; customerId: string; locale?: string}) {
    const {magicLinks, mailer, config, log} = this.deps;
    const {carrier} = input;
    if (!(await magicLinks.withinAddressLimits('grant', carrier))) return;
    const {owned, carrierIds} = await magicLinks.accountsOf(carrier);
    const link = await magicLinks.issueLink(carrier, {
      customerIds: owned.map((customer) => customer.id),
      // The driver who just gave access first (the search may not know it yet).
      carrierIds: [input.customerId, ...carrierIds.filter((id) => id !== input.customerId)],
    });
    const locale = mailLocale(input.locale);
    const mail = renderCarrierGrantMail({
      driver: input.driver,
      link,
      locale,
      validSeconds: config.magicLinkTtlSeconds,
    });
    try {
      await mailer.send({to: carrier, ...mail});
      log.info('grant mail sent', {carrier: maskEmail(carrier)});
    } catch (error) {
      log.error('grant mail not sent', {
        carrier: maskEmail(carrier),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
