/**
 * Stripe's file hosts, reached the way production reaches them. An invoice's `invoice_pdf`
 * (`https://pay.stripe.com/invoice/acct_…/test_…/pdf?s=ap`) answers with a redirect to Stripe's
 * file storage; the redirects are followed here, not by `fetch`, so that every hop is checked
 * against `STRIPE_PDF_HOSTS` before anything is sent to it.
 */

/**
 * How the bytes travel (default: the global `fetch`). The demo and the tests hand in one that
 * carries Stripe's hosts to the emulator: the URLs checked here stay Stripe's either way.
 */
export type FetchStripeFile = (url: URL, init: RequestInit) => Promise<Response>;

/** More than Stripe ever uses (one), few enough that a loop ends quickly. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** A hop off the allow-list: no request was sent to it. `host` is safe to log, the URL is not. */
export class RefusedStripeFileHop extends Error {
  constructor(
    readonly host: string,
    readonly reason:
      'not_https' | 'port_or_userinfo' | 'host_not_allowed' | 'too_many_redirects' | 'bad_location',
  ) {
    super(`Refused to fetch a Stripe file from ${host}: ${reason}`);
    this.name = 'RefusedStripeFileHop';
  }
}

/** `pay.stripe.com` against `*.stripe.com` (any sub-domain, not the domain) or an exact name. */
export function hostAllowed(hosts: readonly string[], hostname: string): boolean {
  return hosts.some((pattern) =>
    pattern.startsWith('*.')
      ? hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1
      : hostname === pattern,
  );
}

function check(url: URL, hosts: readonly string[]): void {
  if (url.protocol !== 'https:') throw new RefusedStripeFileHop(url.hostname, 'not_https');
  // Either would reach something other than the host's own HTTPS service.
  if (url.port !== '' || url.username || url.password) {
    throw new RefusedStripeFileHop(url.hostname, 'port_or_userinfo');
  }
  if (!hostAllowed(hosts, url.hostname)) {
    throw new RefusedStripeFileHop(url.hostname, 'host_not_allowed');
  }
}

/**
 * Fetches `source`, following at most {@link MAX_REDIRECTS} redirects, each `Location` resolved
 * against the URL that sent it. Answers the first response that is not a redirect (the caller
 * looks at its status); throws {@link RefusedStripeFileHop} for a hop it will not take, and
 * whatever the transport throws (unreachable, timed out, aborted).
 */
export async function fetchStripeFileChecked(
  source: string,
  options: {hosts: readonly string[]; fetchFile: FetchStripeFile; signal: AbortSignal},
): Promise<Response> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new RefusedStripeFileHop('(none)', 'bad_location');
  }
  for (let redirects = 0; ; redirects++) {
    check(url, options.hosts);
    const answer = await options.fetchFile(url, {redirect: 'manual', signal: options.signal});
    if (!REDIRECT_STATUSES.has(answer.status)) return answer;
    await answer.body?.cancel().catch(() => {});
    if (redirects === MAX_REDIRECTS) {
      throw new RefusedStripeFileHop(url.hostname, 'too_many_redirects');
    }
    const location = answer.headers.get('location');
    if (!location) throw new RefusedStripeFileHop(url.hostname, 'bad_location');
    try {
      url = new URL(location, url);
    } catch {
      throw new RefusedStripeFileHop(url.hostname, 'bad_location');
    }
  }
}
