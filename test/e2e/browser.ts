import {chromium, type Browser, type Page} from 'playwright-core';
import {chromiumArgs, chromiumPath} from '../chromium.mjs';

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
}

/** One request of a page as it went over the wire. */
export interface WireExchange {
  method: string;
  url: string;
  /** What the browser really sent, the cookie included; lower-case names. */
  requestHeaders: Record<string, string>;
  /** `undefined` until an answer arrives (and for a request CORS stopped before sending it). */
  status?: number;
  responseHeaders: Record<string, string>;
}

/**
 * Records the requests of `page` through Chromium's DevTools protocol, with the headers that
 * were really sent and received — also for answers that CORS or CORP keep from the page, which
 * Playwright's own `response` events leave out.
 */
export async function recordWire(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const exchanges = new Map<string, WireExchange>();
  const listeners = new Set<() => void>();
  const entry = (id: string) => {
    let exchange = exchanges.get(id);
    if (!exchange) {
      exchange = {method: '', url: '', requestHeaders: {}, responseHeaders: {}};
      exchanges.set(id, exchange);
    }
    return exchange;
  };
  const lowerCase = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const changed = () => {
    for (const listener of listeners) listener();
  };
  cdp.on('Network.requestWillBeSent', (event) => {
    Object.assign(entry(event.requestId), {method: event.request.method, url: event.request.url});
    changed();
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
    entry(event.requestId).requestHeaders = lowerCase(event.headers);
    changed();
  });
  cdp.on('Network.responseReceivedExtraInfo', (event) => {
    Object.assign(entry(event.requestId), {
      status: event.statusCode,
      responseHeaders: lowerCase(event.headers),
    });
    changed();
  });
  await cdp.send('Network.enable');
  return {
    exchanges: () => [...exchanges.values()],
    /** The first answered request `method url`; fails after 5 s without one. */
    answered(method: string, url: string): Promise<WireExchange> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = [...exchanges.values()].find(
            (e) => e.method === method && e.url === url && e.status !== undefined,
          );
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`No answer to ${method} ${url} within 5 s`));
        }, 5000);
        listeners.add(check);
        check();
      });
    },
  };
}
