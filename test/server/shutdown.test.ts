/**
 * SIGTERM on the real production entry (`server/index.ts`, in its own process): it stops
 * accepting connections, answers every request in flight, closes Redis and exits 0.
 */
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {connect} from 'node:net';
import {fileURLToPath} from 'node:url';
import {after, before, describe, it} from 'node:test';
import {get} from 'node:http';
import {freePort, startRedisServer, type RedisServer} from './redis-server.js';
import {startSharedServices, type SharedServices} from './instances.js';
import {tokenOf} from './harness.js';
import {SEEDED_CUSTOMER_IDS} from '../../demo/stripe-emulator/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A GET on a new connection (no keep-alive pool). */
function getJson(url: string, cookie: string): Promise<{status: number; body: any}> {
  return new Promise((resolve, reject) => {
    get(url, {agent: false, headers: {cookie}}, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({status: res.statusCode!, body: JSON.parse(text)}));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Resolves with the connection's error code, or `connected`. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIGTERM', () => {
  let redis: RedisServer;
  let services: SharedServices;
  let child: ChildProcess | undefined;
  before(async () => {
    redis = await startRedisServer();
    services = await startSharedServices();
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await services?.close();
    await redis?.stop();
  });

  it('finishes every request in flight, refuses new connections, exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        STRIPE_SECRET_KEY: 'sk_test_shutdown',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_shutdown',
        POSTMARK_SERVER_TOKEN: 'shutdown-token',
        MAIL_FROM: 'kundenportal@conroo.example',
        SESSION_SECRET: randomBytes(32).toString('hex'),
        PORTAL_URL: 'https://portal.conroo.example/kundenportal',
        ALLOWED_ORIGINS: 'https://portal.conroo.example',
        STRIPE_API_BASE: services.emulator.url,
        POSTMARK_API_BASE: services.postmark.url,
        REDIS_URL: redis.url,
        REDIS_TIMEOUT_MS: '10000',
        CACHE_TTL_SECONDS: '0',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    );
    await until(() => output.includes('"msg":"listening"'), `the server to listen:\n${output}`);

    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(base + path, {
        method: 'POST',
        headers: {'content-type': 'application/json', ...(cookie ? {cookie} : {})},
        body: JSON.stringify(body),
      });
    // Six drivers, six customers: no two requests share a Stripe call.
    const drivers = [
      ['fahrer@example.com', SEEDED_CUSTOMER_IDS.card],
      ['paypal@example.com', SEEDED_CUSTOMER_IDS.paypal],
      ['firma@example.com', SEEDED_CUSTOMER_IDS.company],
      ['offen@example.com', SEEDED_CUSTOMER_IDS.failedRenewal],
      ['ohne-abo@example.com', SEEDED_CUSTOMER_IDS.noSubscription],
      ['viele@example.com', SEEDED_CUSTOMER_IDS.manyInvoices],
    ] as const;
    const cookies: string[] = [];
    for (const [email] of drivers) {
      assert.equal((await post('/api/auth/email-link', {email})).status, 202);
      const mail = () => services.postmark.messages().find((m) => m.to === email);
      await until(() => mail() !== undefined, `the login mail to ${email}`);
      const session = await post('/api/auth/session', {token: tokenOf(mail()!.link!)});
      assert.equal(session.status, 200);
      cookies.push(session.headers.getSetCookie()[0]!.split(';')[0]!);
    }

    const state = services.emulator.state;
    state.http.latencyMs = 1500;
    state.http.arrivals = [];
    // Each on a connection of its own, as from many browsers.
    const inFlight = cookies.map((cookie) => getJson(`${base}/api/account`, cookie));
    // Every one of them is being worked on (has reached Stripe) before the signal.
    await until(
      () => drivers.every(([, id]) => state.http.arrivals!.some((a) => a.path.includes(id))),
      'all requests to be in flight',
    );
    child.kill('SIGTERM');

    await until(
      async () => (await tryConnect(port)) === 'ECONNREFUSED',
      'new connections to be refused',
    );
    let settled = 0;
    for (const request of inFlight) void request.then(() => (settled += 1));
    const refusedWhileWorking = settled < inFlight.length;

    const answers = await Promise.all(inFlight);
    answers.forEach((answer, i) => {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.customer.id, drivers[i]![1]);
    });
    assert.ok(refusedWhileWorking, 'connections were refused while requests were still answered');
    assert.equal(await exited, 0, output);
    assert.match(output, /"msg":"shutting down"/);
    assert.match(output, /"clean":true,"msg":"stopped"/);
    state.http.latencyMs = 0;
    state.http.arrivals = null;
  });
});
