import {waitUntil as waitUntilOrTimeout} from '@open-wc/testing';

/**
 * How long a test waits for what it expects to see (a text, an element, a request) before it
 * fails with its message. Generous on purpose: on a busy machine the first load of a lazy chunk
 * (transformed by the dev server on demand) takes seconds, and a passing test never waits for
 * it to run out. The test framework's own timeout (web-test-runner.config.mjs) is longer still,
 * so the failure names what was missing.
 */
export const waitTimeout = 15_000;

/** `waitUntil` of `@open-wc/testing` (whose default gives up after one second) with `waitTimeout`. */
export function waitUntil(
  predicate: () => unknown,
  message?: string,
  options: {interval?: number; timeout?: number} = {},
): Promise<void> {
  return waitUntilOrTimeout(predicate, message, {timeout: waitTimeout, ...options});
}
