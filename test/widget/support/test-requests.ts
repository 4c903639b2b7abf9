import {HttpResponse, http, type HttpHandler} from 'msw';
import {setupWorker, type SetupWorker} from 'msw/browser';

/**
 * Which test a request to the mocked API belongs to. A test's element can have a request on the
 * way when the test ends (a section's data load, a token exchange the test did not wait for):
 * the service worker still hands it to the mock after the element is gone, and it would land in
 * the next test's request log, use up its `{once: true}` handler or change the mock's state.
 *
 * So every `fetch` of the page carries the number of the test it was made in; each test starts
 * once the requests the mock is answering have ended, and a request of an earlier test that
 * reaches the mock later is refused (a network error) before any handler sees it.
 */

/** The header that carries the number of the test a request was made in. */
const testHeader = 'x-conroo-test';

let currentTest = 0;
/** The requests the mock is answering now, by msw's request ID. */
const inFlight = new Map<string, Request>();
let settled: {promise: Promise<void>; resolve: () => void} | null = null;
/** The page's `fetch` calls that have not settled yet. */
const pendingFetches = new Set<Promise<Response>>();

/** Whether `request` was made by an earlier test (requests not made by `fetch` carry no mark). */
function isStale(request: Request) {
  const test = request.headers.get(testHeader);
  return test !== null && test !== String(currentTest);
}

/** The first handler, also before those a test adds with `worker.use()`. */
const refuseStaleRequests = http.all('*', ({request}) =>
  isStale(request) ? HttpResponse.error() : undefined,
);

function requestEnded(requestId: string) {
  inFlight.delete(requestId);
  if (inFlight.size === 0 && settled) {
    settled.resolve();
    settled = null;
  }
}

/** Resolves once the mock answers no request (at once if it answers none now). */
function requestsSettled(): Promise<void> {
  if (inFlight.size === 0) return Promise.resolve();
  if (!settled) {
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    settled = {promise, resolve};
  }
  return settled.promise;
}

/**
 * msw's `setupWorker(...handlers)` that answers only the current test's requests: every `fetch`
 * of the page is marked with the test's number, `refuseStaleRequests` stays first (also before
 * runtime handlers), and the worker counts the requests it is answering.
 */
export function setupTestWorker(...handlers: HttpHandler[]): SetupWorker {
  const worker = setupWorker(refuseStaleRequests, ...handlers);
  const fetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    request.headers.set(testHeader, String(currentTest));
    const answer = fetch(request);
    const settle = () => pendingFetches.delete(answer);
    answer.then(settle, settle);
    pendingFetches.add(answer);
    return answer;
  };
  const use = worker.use.bind(worker);
  worker.use = (...runtimeHandlers) => use(refuseStaleRequests, ...runtimeHandlers);
  worker.events.on('request:start', ({requestId, request}) => inFlight.set(requestId, request));
  worker.events.on('request:end', ({requestId}) => requestEnded(requestId));
  worker.events.on('unhandledException', ({requestId, error}) => {
    // A listener here keeps msw from printing the error: print it as msw would.
    console.error(error);
    requestEnded(requestId);
  });
  return worker;
}

/**
 * Resolves once every `fetch` the page has made so far has its answer, and so every request
 * it made is in the mock's log: after `await element.updateComplete`, the deterministic point
 * to say that the element sent nothing (its handlers and tasks call `fetch` synchronously).
 */
export async function fetchesSettled(): Promise<void> {
  while (pendingFetches.size > 0) {
    await Promise.allSettled([...pendingFetches]);
  }
}

// Mocha's root hook: it runs before every test of the page, before the tests' own hooks (and
// after @open-wc's fixture cleanup removed the last test's elements).
beforeEach(function settleEarlierTestsRequests() {
  currentTest += 1;
  return requestsSettled();
});
