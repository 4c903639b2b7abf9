/**
 * Stripe's own hosts besides the API, as the emulator serves them: an invoice's `invoice_pdf` on
 * pay.stripe.com and the file storage it redirects to on files.stripe.com (`invoice-pdf.ts`).
 * The emulator answers them under `/__stripe_hosts/<host>/<path>`, and
 * {@link stripeHostsTransport} is what a portal server is given (`createApp`'s
 * `fetchStripeFile`) to reach them there: the server keeps checking Stripe's real URLs, only the
 * bytes go to the emulator.
 */
import type {FetchStripeFile} from '../../server/adapters/stripe-files.js';

/** Where the emulator app answers for `https://<host>/…`. */
export const STRIPE_HOSTS_PATH = '/__stripe_hosts';
export const EMULATED_STRIPE_HOSTS: ReadonlySet<string> = new Set([
  'pay.stripe.com',
  'files.stripe.com',
]);

/**
 * A transport for `https://pay.stripe.com/…` and `https://files.stripe.com/…` to the emulator at
 * `emulatorUrl` (`http://127.0.0.1:12111`, or a mount such as `…/dev/stripe`). Redirects are
 * handed back, never followed, so the caller sees and checks each hop; any other URL fails like
 * an unreachable host.
 */
export function stripeHostsTransport(emulatorUrl: string): FetchStripeFile {
  const base = emulatorUrl.replace(/\/$/, '');
  return async (url, init) => {
    if (url.protocol !== 'https:' || url.port || !EMULATED_STRIPE_HOSTS.has(url.hostname)) {
      throw new TypeError('fetch failed', {cause: new Error(`${url.hostname} is unreachable`)});
    }
    const target = `${base}${STRIPE_HOSTS_PATH}/${url.hostname}${url.pathname}${url.search}`;
    return fetch(target, {...init, redirect: 'manual'});
  };
}
