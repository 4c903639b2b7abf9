/**
 * Whatever a client gets wrong — the body's charset or encoding, the body itself, the
 * percent-encoding of a path, keys the contract does not know — is answered with a 4xx and the
 * contract's error body, on every route, the demo's own included; never with a stack.
 */
import assert from 'node:assert/strict';
import {request} from 'node:http';
import {connect} from 'node:net';
import {after, before, beforeEach, describe, it} from 'node:test';
import {gzipSync} from 'node:zlib';
import type {FieldError} from '../../common/contract.js';
import {serveDemoPages, startDemo, type Demo} from '../../demo/boot.js';
import {startStripeEmulator} from '../../demo/stripe-emulator/index.js';
import {toApiError} from '../../server/http/errors.js';
import {createLogger} from '../../server/logger.js';
import {login} from './harness.js';

interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

/** Any method with any body and headers, as fetch would not send them (a GET with a body). */
function raw(
  base: string,
  method: string,
  path: string,
  options: {headers?: Record<string, string>; body?: string | Uint8Array} = {},
): Promise<RawAnswer> {
  const headers = {...options.headers};
  // Node frames a GET's or DELETE's body only when told its length.
  if (options.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), {method, headers}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const contentType = res.headers['content-type'] ?? '';
        let json: unknown = null;
        if (contentType.includes('json')) json = JSON.parse(text);
        resolve({status: res.statusCode!, contentType, text, json});
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** No `at fn (file:line:col)` frames, no file paths, nothing from node_modules. */
function assertNoStack(answer: RawAnswer, what: string): void {
  assert.doesNotMatch(answer.text, /\bat [\w.<>[\] ]+\(|\bat (file:\/\/)?\//, `${what}: a stack`);
  assert.doesNotMatch(answer.text, /node_modules|\.(ts|js|mjs):\d+|\/work\//, `${what}: a path`);
}

/** The API's error body with `code`, and nothing of what the client sent echoed back. */
function assertApiError(answer: RawAnswer, status: number, code: string, what: string): void {
  assert.equal(answer.status, status, `${what}: ${answer.text}`);
  assert.match(answer.contentType, /^application\/json/, what);
  assert.equal(answer.json.error.code, code, what);
  assert.equal(typeof answer.json.error.message, 'string', what);
  assert.doesNotMatch(answer.json.error.message, /latin1|compress|%|param|incorrect/i, what);
  assertNoStack(answer, what);
}

/** Every route of the API, each as it is called (ids where the path takes one). */
const API_ROUTES: Array<[string, string]> = [
  ['POST', '/api/auth/email-link'],
  ['POST', '/api/auth/session'],
  ['GET', '/api/session'],
  ['POST', '/api/session/account'],
  ['DELETE', '/api/session'],
  ['GET', '/api/account'],
  ['GET', '/api/payment-methods'],
  ['POST', '/api/payment-methods/setup-intents'],
  ['POST', '/api/payment-methods/setup-intents/complete'],
  ['POST', '/api/payment-methods/pm_demo/default'],
  ['DELETE', '/api/payment-methods/pm_demo'],
  ['PUT', '/api/billing-details'],
  ['GET', '/api/invoices'],
  ['GET', '/api/invoices/export?year=2026'],
  ['GET', '/api/invoices/in_demo/pdf'],
];

const BODY_MISTAKES: Array<{
  what: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  status: number;
  code: string;
}> = [
  {
    what: 'an unsupported charset',
    headers: {'content-type': 'application/json; charset=latin1'},
    body: '{"email":"fahrer@example.com"}',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    what: 'an unsupported Content-Encoding',
    headers: {'content-type': 'application/json', 'content-encoding': 'compress'},
    body: '{"email":"fahrer@example.com"}',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    what: 'a gzip body that is not gzip',
    headers: {'content-type': 'application/json', 'content-encoding': 'gzip'},
    body: 'not gzip at all',
    status: 400,
    code: 'invalid_request',
  },
  {
    what: 'a gzip body that unpacks beyond 16 kB',
    headers: {'content-type': 'application/json', 'content-encoding': 'gzip'},
    body: gzipSync(JSON.stringify({email: 'x'.repeat(40_000)})),
    status: 413,
    code: 'payload_too_large',
  },
  {
    what: 'malformed JSON',
    headers: {'content-type': 'application/json'},
    body: '{"email": ',
    status: 400,
    code: 'invalid_request',
  },
];

const PATH_MISTAKES: Array<[string, string]> = [
  ['GET', '/api/invoices/%E0%A4%A/pdf'],
  ['GET', '/api/invoices/%zz/pdf'],
  ['GET', '/api/payment-methods/%E0%A4%A/default'],
  ['POST', '/api/payment-methods/%E0%A4%A/default'],
  ['POST', '/api/payment-methods/%zz/default'],
  ['DELETE', '/api/payment-methods/%zz'],
  ['DELETE', '/api/payment-methods/%E0%A4%A'],
];

describe('client mistakes on the API', () => {
  let demo: Demo;
  let logText = '';
  const logLines = () =>
    logText
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  before(async () => {
    const log = createLogger({destination: {write: (line: string) => void (logText += line)}});
    demo = await startDemo({port: 0, log});
  });
  after(() => demo.close());
  beforeEach(() => {
    logText = '';
  });

  for (const mistake of BODY_MISTAKES) {
    it(`answers ${mistake.what} with ${mistake.status} ${mistake.code} on every route`, async () => {
      for (const [method, path] of API_ROUTES) {
        const answer = await raw(demo.url, method, path, mistake);
        assertApiError(answer, mistake.status, mistake.code, `${method} ${path}`);
      }
      assert.deepEqual(
        logLines().filter((line) => line.level === 'error'),
        [],
        'a client mistake is no server error',
      );
    });
  }

  it('answers the webhook a body it cannot decode with a 4xx too', async () => {
    const answer = await raw(demo.url, 'POST', '/api/stripe/webhook', {
      headers: {'content-type': 'application/json', 'content-encoding': 'compress'},
      body: '{}',
    });
    assertApiError(answer, 415, 'unsupported_media_type', 'webhook');
  });

  it('answers a path parameter that is not valid percent-encoding with 400', async () => {
    const client = await login(demo, 'fahrer@example.com');
    for (const cookie of [undefined, client.cookieHeader]) {
      for (const [method, path] of PATH_MISTAKES) {
        const answer = await raw(demo.url, method, path, {
          headers: {
            'content-type': 'application/json',
            ...(cookie ? {cookie} : {}),
          },
          body: method === 'POST' ? '{}' : undefined,
        });
        assertApiError(answer, 400, 'invalid_request', `${method} ${path}`);
      }
    }
  });

  it('answers a body that ends early with 400, not as a server error', async () => {
    const {port} = new URL(demo.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /api/auth/email-link HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
        );
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
    // The server logs the request once it has given up on its body.
    for (let waited = 0; !logLines().some((line) => line.msg === 'request'); waited += 10) {
      if (waited > 10_000) throw new Error('the request was never logged');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const lines = logLines();
    const logged = lines.find((line) => line.msg === 'request');
    assert.equal(logged?.status, 400);
    assert.deepEqual(
      lines.filter((line) => line.level === 'error'),
      [],
    );
  });

  it('names __proto__, constructor and every other refused key in error.fields', async () => {
    const client = await login(demo, 'paypal@example.com');
    const body =
      '{"__proto__": {"x": 1}, "constructor": 1, "toString": "x", "name": "Nord GmbH", ' +
      '"address": {"line1": "Am Kai 1", "postalCode": "20457", "city": "Hamburg", ' +
      '"country": "DE", "__proto__": {"y": 1}}, "shipping": null, "taxId": null}';
    const answer = await raw(demo.url, 'PUT', '/api/billing-details', {
      headers: {'content-type': 'application/json', cookie: client.cookieHeader},
      body,
    });
    assert.equal(answer.status, 422);
    assert.equal(answer.json.error.code, 'validation_failed');
    const fields = answer.json.error.fields as Record<string, FieldError>;
    for (const key of ['__proto__', 'constructor', 'toString', 'address.__proto__']) {
      assert.ok(Object.hasOwn(fields, key), `names ${key}: ${answer.text}`);
      assert.equal(fields[key].code, 'unknown_field', key);
    }
    assert.equal(Object.keys(fields).length, 4, answer.text);

    const exchange = await raw(demo.url, 'POST', '/api/auth/session', {
      headers: {'content-type': 'application/json'},
      body: '{"__proto__": {"token": "x"}, "token": "abc"}',
    });
    assert.equal(exchange.status, 400);
    assert.deepEqual(Object.keys(exchange.json.error.fields), ['__proto__']);
  });
});

describe('toApiError', () => {
  const httpError = (status: number, type: string, extra: object = {}) =>
    Object.assign(new Error(`raw message about ${type}`), {
      status,
      statusCode: status,
      expose: status < 500,
      type,
      ...extra,
    });

  it('maps the body stream errors a wire cannot easily produce to their 4xx', () => {
    for (const [error, status, code] of [
      [httpError(400, 'request.aborted'), 400, 'invalid_request'],
      [httpError(400, 'request.size.invalid'), 400, 'invalid_request'],
      [httpError(413, 'entity.too.large', {limit: 2048}), 413, 'payload_too_large'],
      [httpError(413, 'parameters.too.many'), 413, 'payload_too_large'],
      [httpError(403, 'entity.verify.failed'), 403, 'forbidden'],
      [httpError(404, 'not.found', {expose: false}), 404, 'not_found'],
      [
        Object.assign(new URIError('Failed to decode param'), {status: 400}),
        400,
        'invalid_request',
      ],
    ] as const) {
      const apiError = toApiError(error);
      assert.deepEqual([apiError.status, apiError.code], [status, code], error.message);
      assert.doesNotMatch(apiError.message, /raw message|decode param/);
    }
    assert.equal(
      toApiError(httpError(413, 'entity.too.large', {limit: 2048})).message,
      'The body is larger than 2048 bytes',
    );
  });

  it('keeps what is not the client’s mistake a 500', () => {
    for (const error of [
      httpError(500, 'stream.encoding.set'),
      new URIError('URI malformed'),
      // Stripe refusing a request of ours: a 4xx statusCode, but no http-errors `expose`.
      Object.assign(new Error('Invalid integer'), {
        type: 'StripeInvalidRequestError',
        statusCode: 400,
      }),
    ]) {
      const apiError = toApiError(error);
      assert.deepEqual([apiError.status, apiError.code], [500, 'internal_error'], error.message);
    }
  });
});

describe('client mistakes on the demo routes', () => {
  let demo: Demo;
  let logText = '';
  before(async () => {
    const log = createLogger({destination: {write: (line: string) => void (logText += line)}});
    demo = await startDemo({port: 0, log});
  });
  after(() => demo.close());

  it('answers malformed JSON, a wrong charset or encoding to POST /dev/renew with JSON 4xx', async () => {
    for (const mistake of BODY_MISTAKES.filter((m) => m.status !== 413)) {
      const answer = await raw(demo.url, 'POST', '/dev/renew', mistake);
      assertApiError(answer, mistake.status, mistake.code, `/dev/renew: ${mistake.what}`);
    }
    const tooLarge = await raw(demo.url, 'POST', '/dev/renew', {
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({email: 'x'.repeat(4000)}),
    });
    assertApiError(tooLarge, 413, 'payload_too_large', '/dev/renew too large');
  });

  it('answers a bad percent-encoding or a missing file of the pages with JSON 4xx', async () => {
    assertApiError(await raw(demo.url, 'GET', '/widget/%zz'), 400, 'invalid_request', '%zz');
    assertApiError(
      await raw(demo.url, 'GET', '/widget/nothing-here.js'),
      404,
      'not_found',
      'missing',
    );
  });

  it('does the same on a pages server of its own (cross-origin mode)', async () => {
    const pages = await serveDemoPages({apiBase: demo.url, hostname: '127.0.0.1'});
    try {
      assertApiError(await raw(pages.url, 'GET', '/widget/%zz'), 400, 'invalid_request', 'pages');
      const renew = await raw(pages.url, 'POST', '/dev/renew', BODY_MISTAKES.at(-1));
      assert.equal(renew.status, 404, 'no dev tools given, none served');
    } finally {
      await pages.close();
    }
  });

  it('lets the emulator at /dev/stripe and on its own port answer Stripe-shaped 400s', async () => {
    for (const base of [`${demo.url}/dev/stripe`, demo.emulator!.url]) {
      const auth = {authorization: 'Bearer sk_test_demo_conroo'};
      for (const [method, path, headers, body] of [
        ['GET', '/v1/customers/%zz', auth, undefined],
        ['GET', '/v1/customers/%E0%A4%A', auth, undefined],
        [
          'POST',
          '/v1/customers',
          {...auth, 'content-type': 'application/x-www-form-urlencoded; charset=latin1'},
          'name=x',
        ],
        [
          'POST',
          '/v1/customers',
          {
            ...auth,
            'content-type': 'application/x-www-form-urlencoded',
            'content-encoding': 'compress',
          },
          'name=x',
        ],
      ] as const) {
        const answer = await raw(base.replace(/\/?$/, '/'), method, path.slice(1), {
          headers,
          body,
        });
        const what = `${base} ${method} ${path}`;
        assert.equal(answer.status, 400, `${what}: ${answer.text}`);
        assert.equal(answer.json.error.type, 'invalid_request_error', what);
        assertNoStack(answer, what);
      }
    }
  });
});

describe('server errors on the demo routes', () => {
  it('answers POST /dev/renew 500 internal_error without a stack, logged, when renewing fails', async () => {
    const emulator = await startStripeEmulator();
    let logText = '';
    const log = createLogger({destination: {write: (line: string) => void (logText += line)}});
    const demo = await startDemo({port: 0, log, env: {STRIPE_API_BASE: emulator.url}});
    try {
      await emulator.close();
      const answer = await raw(demo.url, 'POST', '/dev/renew', {
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({email: 'fahrer@example.com'}),
      });
      assertApiError(answer, 500, 'internal_error', 'renew');
      const failed = logText
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'request failed');
      assert.equal(failed.length, 1, logText);
      assert.equal(failed[0].path, '/dev/renew');
      assert.equal(failed[0].level, 'error');
    } finally {
      await demo.close();
    }
  });
});
