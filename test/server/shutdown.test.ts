/**
 * SIGTERM on the real production entry (`server/index.ts`, in its own process) under load:
 * keep-alive clients keep sending GETs and PUTs while it shuts down, one save is in the middle
 * of its Stripe call and another one's client has gone away. Every request the server read is
 * answered in full, every answer after the signal closes its connection, `/readyz` answers 503
 * on new connections during the drain, and the process exits 0 after the last handler.
 */
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {Agent, request as httpRequest, type ClientRequest} from 'node:http';
import type {Socket} from 'node:net';
import {fileURLToPath} from 'node:url';
import {after, before, describe, it} from 'node:test';
import {freePort, startRedisServer, type RedisServer} from './redis-server.js';
import {tokenOf} from './harness.js';
import {ServerLog} from './server-log.js';
import {emulatorStripe} from './stripe-emulator-client.js';
import {startPostmarkStandin, type PostmarkStandin} from '../../demo/postmark-standin.js';
import {
  SEEDED_CUSTOMER_IDS,
  startStripeEmulator,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Long enough for the test's health checks to land inside it on a busy machine; shorter than
 * Node's keep-alive timeout (5 s, plus 1 s), so that the idle connection is closed by the
 * shutdown, not by that timeout.
 */
const DRAIN_MS = 4000;

/** What became of one request, as its client saw it. */
interface Outcome {
  id: string;
  label: string;
  /** `performance.now()` when it was sent and when its answer or error came. */
  startedAt: number;
  settledAt: number;
  /** Sent after the test had read the server's "shutting down" line. */
  afterShutdown: boolean;
  /** On a keep-alive connection that had carried an earlier request. */
  reused: boolean;
  /** The connection was established (a new one: its TCP handshake completed). */
  connected: boolean;
  /** The request's bytes were handed to the connection. */
  wrote: boolean;
  status?: number;
  connection?: string;
  setCookie?: string[];
  body?: string;
  /** The whole body arrived (as long as its Content-Length). */
  complete: boolean;
  error?: string;
}

/** Every request of the test, through Node's own client, and every connection it made. */
class Traffic {
  readonly outcomes: Outcome[] = [];
  /** New connections whose TCP handshake completed. */
  connects = 0;
  shuttingDown = false;
  #sequence = 0;
  /** Node's agent sets `reusedSocket` only for a socket from its pool, not for one it hands
   * straight to a waiting request: the test remembers the sockets it has seen. */
  #used = new WeakSet<Socket>();

  constructor(readonly port: number) {}

  send(
    agent: Agent,
    method: string,
    path: string,
    options: {cookie?: string; body?: unknown} = {},
  ): {request: ClientRequest; outcome: Promise<Outcome>} {
    const id = `shutdown-test-${(this.#sequence += 1)}`;
    const outcome: Outcome = {
      id,
      label: `${method} ${path}`,
      startedAt: performance.now(),
      settledAt: Number.POSITIVE_INFINITY,
      afterShutdown: this.shuttingDown,
      reused: false,
      connected: false,
      wrote: false,
      complete: false,
    };
    this.outcomes.push(outcome);
    const headers: Record<string, string> = {'x-request-id': id};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const request = httpRequest({host: '127.0.0.1', port: this.port, method, path, agent, headers});
    const settled = new Promise<Outcome>((resolve) => {
      const fail = (error: NodeJS.ErrnoException) => {
        outcome.error ??= error.code ?? error.message;
        outcome.settledAt = Math.min(outcome.settledAt, performance.now());
        resolve(outcome);
      };
      request.once('socket', (socket: Socket) => {
        outcome.reused = this.#used.has(socket);
        outcome.connected = outcome.reused;
        this.#used.add(socket);
        if (!outcome.reused) {
          socket.once('connect', () => {
            this.connects += 1;
            outcome.connected = true;
          });
        }
      });
      request.on('finish', () => (outcome.wrote = true));
      request.on('error', fail);
      request.on('response', (response) => {
        outcome.status = response.statusCode;
        outcome.connection = response.headers.connection;
        outcome.setCookie = response.headers['set-cookie'];
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          outcome.complete = bytes.length === Number(response.headers['content-length']);
          outcome.body = bytes.toString();
          outcome.settledAt = performance.now();
          resolve(outcome);
        });
      });
    });
    request.end(options.body === undefined ? undefined : JSON.stringify(options.body));
    return {request, outcome: settled};
  }
}

const details = (name: string) => ({
  name,
  phone: '+49 40 123456',
  address: {line1: 'Am Kaiserkai 10', postalCode: '20457', city: 'Hamburg', country: 'DE'},
  shipping: null,
  taxId: null,
});

describe('SIGTERM under load', () => {
  let redis: RedisServer;
  let emulator: StripeEmulator;
  let postmark: PostmarkStandin;
  const mailWaiters = new Map<string, (link: string) => void>();
  let child: ChildProcess | undefined;
  before(async () => {
    redis = await startRedisServer();
    emulator = await startStripeEmulator({port: 0});
    postmark = await startPostmarkStandin({
      port: 0,
      log: (mail) => mailWaiters.get(mail.to)?.(mail.link!),
    });
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await Promise.allSettled([emulator?.close(), postmark?.close()]);
    await redis?.stop();
  });

  it('answers every request it read, drains, and exits 0 after the last handler', async (t) => {
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
        STRIPE_API_BASE: emulator.url,
        POSTMARK_API_BASE: postmark.url,
        REDIS_URL: redis.url,
        CACHE_TTL_SECONDS: '0',
        PORT: String(port),
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        // Held calls on a busy machine must not run into a timeout: only the test lets go.
        SHUTDOWN_TIMEOUT_MS: '120000',
        STRIPE_TIMEOUT_MS: '120000',
        REDIS_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = new ServerLog(child);
    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    );
    const orExit = <T>(promise: Promise<T>, what: string): Promise<T> =>
      Promise.race([
        promise,
        exited.then(() => {
          throw new Error(`the server exited while the test waited for ${what}:\n${log.text}`);
        }),
      ]);
    const listening = await orExit(log.message('listening'), 'it to listen');
    assert.equal(listening.host, '127.0.0.1', 'HOST defaults to loopback');
    const traffic = new Traffic(port);

    // Six drivers, six customers: four keep the load busy, two make the saves that are held.
    const drivers = [
      ['fahrer@example.com', SEEDED_CUSTOMER_IDS.card],
      ['paypal@example.com', SEEDED_CUSTOMER_IDS.paypal],
      ['firma@example.com', SEEDED_CUSTOMER_IDS.company],
      ['offen@example.com', SEEDED_CUSTOMER_IDS.failedRenewal],
      ['ohne-abo@example.com', SEEDED_CUSTOMER_IDS.noSubscription],
      ['viele@example.com', SEEDED_CUSTOMER_IDS.manyInvoices],
    ] as const;
    const browser = new Agent({keepAlive: true, maxSockets: 1});
    const cookies: string[] = [];
    for (const [email] of drivers) {
      const mailed = orExit(
        new Promise<string>((resolve) => mailWaiters.set(email, resolve)),
        `the login mail to ${email}`,
      );
      const asked = await traffic.send(browser, 'POST', '/api/auth/email-link', {body: {email}})
        .outcome;
      assert.equal(asked.status, 202);
      const token = tokenOf(await mailed);
      const session = await traffic.send(browser, 'POST', '/api/auth/session', {body: {token}})
        .outcome;
      assert.equal(session.status, 200);
      cookies.push(session.setCookie![0].split(';')[0]);
    }
    const loggedIn = traffic.outcomes.length;

    // The load: 20 keep-alive clients of two connections each and three requests at a time, so
    // a connection set free is taken again at once; each keeps sending until it is refused.
    let answered = 0;
    let warm: () => void;
    const warmedUp = new Promise<void>((resolve) => (warm = resolve));
    const agents = Array.from({length: 20}, () => new Agent({keepAlive: true, maxSockets: 2}));
    const loops = agents.flatMap((agent, a) =>
      [0, 1, 2].map(async (l) => {
        const cookie = cookies[(a + l) % 4];
        for (let n = 0; ; n++) {
          const {outcome} =
            n % 3 === 0
              ? traffic.send(agent, 'PUT', '/api/billing-details', {
                  cookie,
                  body: details(`Spedition ${a}-${l}-${n}`),
                })
              : traffic.send(agent, 'GET', n % 3 === 1 ? '/api/account' : '/healthz', {cookie});
          const done = await outcome;
          if (done.status && (answered += 1) === 300) warm();
          if (done.error === 'ECONNREFUSED') return;
        }
      }),
    );
    // A load balancer's health check: keep-alive, so after the signal every check is on a new
    // connection.
    const checker = new Agent({keepAlive: true, maxSockets: 1});
    const probes: Outcome[] = [];
    const checks = (async () => {
      for (;;) {
        const probe = await traffic.send(checker, 'GET', '/readyz').outcome;
        probes.push(probe);
        if (probe.error === 'ECONNREFUSED') return;
      }
    })();
    await orExit(warmedUp, 'the load to run');

    // Two saves in the middle of their Stripe call (the customer update), on clients of their
    // own; the second one's client goes away while it is held.
    const [, heldCustomer] = drivers[4];
    const [, abandonedCustomer] = drivers[5];
    const holdSave = emulator.hold({
      method: 'POST',
      path: new RegExp(`^/v1/customers/${heldCustomer}$`),
    });
    const holdAbandoned = emulator.hold({
      method: 'POST',
      path: new RegExp(`^/v1/customers/${abandonedCustomer}$`),
    });
    // A tax ID the abandoned save removes after its update: Stripe sees the handler go on.
    await emulatorStripe(emulator.port).customers.createTaxId(abandonedCustomer, {
      type: 'eu_vat',
      value: 'DE123456789',
    });
    const arrivals: Array<{method: string; path: string}> = [];
    emulator.state.http.arrivals = arrivals;
    const save = traffic.send(new Agent({keepAlive: true}), 'PUT', '/api/billing-details', {
      cookie: cookies[4],
      body: details('Gespeichert beim Herunterfahren GmbH'),
    });
    const abandoned = traffic.send(new Agent({keepAlive: true}), 'PUT', '/api/billing-details', {
      cookie: cookies[5],
      body: details('Verlassen beim Herunterfahren GmbH'),
    });
    await orExit(Promise.all([holdSave.held, holdAbandoned.held]), 'both saves to reach Stripe');
    abandoned.request.destroy();
    const gone = await abandoned.outcome;
    await orExit(
      log.next((line) => line.requestId === gone.id && line.aborted === true),
      'the server to see the client of the held save go',
    );

    // An idle keep-alive connection, its answer just in: it stays open while the listener
    // accepts.
    const idle = new Agent({keepAlive: true, maxSockets: 1});
    const idleRequest = traffic.send(idle, 'GET', '/healthz');
    const idleSocket = await new Promise<Socket>((resolve) =>
      idleRequest.request.once('socket', resolve),
    );
    assert.equal((await idleRequest.outcome).status, 200);
    let idleClosedAt = Number.POSITIVE_INFINITY;
    const idleClosed = new Promise<void>((resolve) =>
      idleSocket.once('close', () => {
        idleClosedAt = performance.now();
        resolve();
      }),
    );

    child.kill('SIGTERM');
    const shutdownLine = await orExit(log.message('shutting down'), 'the shutdown to begin');
    traffic.shuttingDown = true;
    assert.ok(Number(shutdownLine.inFlight) >= 2, 'the held saves are in flight');

    const stoppedAccepting = await orExit(
      log.message('stopped accepting connections'),
      'the listener to close',
    );
    assert.ok(
      Number(stoppedAccepting.inFlight) >= 2,
      'the held saves were still running when the listener closed',
    );
    await orExit(idleClosed, 'the idle connection to be closed with the listener');
    await orExit(Promise.all([...loops, checks]), 'every client to be refused');
    assert.equal(child.exitCode, null, 'still running: two handlers have not finished');

    holdSave.release();
    const saved = await save.outcome;
    assert.equal(saved.status, 200, `the held save is answered: ${JSON.stringify(saved)}`);
    assert.ok(saved.complete);
    assert.equal(saved.connection, 'close');
    assert.equal(JSON.parse(saved.body!).customer.name, 'Gespeichert beim Herunterfahren GmbH');
    // Now the abandoned save is the only handler left, its client long gone.
    holdAbandoned.release();

    const code = await exited;
    assert.equal(code, 0, log.text);
    const stopped = log.indexOf((line) => line.msg === 'stopped');
    assert.equal(log.lines[stopped]?.clean, true);
    const savedLine = log.indexOf((line) => line.requestId === saved.id && line.status === 200);
    assert.ok(savedLine >= 0 && savedLine < stopped, 'the held save finished before the stop');
    // The abandoned save went on after its client had gone and every other request was done:
    // its last step (removing the old tax ID) reached Stripe, so the process waited for it.
    const updated = arrivals.findIndex(
      (a) => a.method === 'POST' && a.path === `/v1/customers/${abandonedCustomer}`,
    );
    assert.ok(updated >= 0);
    assert.ok(
      arrivals
        .slice(updated + 1)
        .some(
          (a) =>
            a.method === 'DELETE' &&
            a.path.startsWith(`/v1/customers/${abandonedCustomer}/tax_ids/`),
        ),
      'the abandoned save removed the old tax ID before the exit',
    );

    // Every request the server read (it logs each one, answered or aborted) got its whole
    // answer. The others: refused before a connection existed, or sent on a connection the
    // server process never accepted: the kernel had completed its handshake in the listener's
    // queue, and closing the listener reset it. Accepted connections add up to exactly that.
    const read = new Set(
      log.lines.filter((line) => line.msg === 'request').map((line) => line.requestId),
    );
    const all = traffic.outcomes.filter((o) => o !== gone);
    const lost = all.filter((o) => read.has(o.id) && (o.error || !o.complete));
    assert.deepEqual(lost, [], 'requests the server read but did not answer in full');
    const failed = all.filter((o) => o.error);
    const refused = failed.filter((o) => !o.connected);
    for (const o of refused) assert.equal(o.wrote, false, `${o.id} was refused, not sent`);
    const unread = failed.filter((o) => o.connected);
    for (const o of unread) {
      assert.ok(!read.has(o.id) && o.status === undefined, `${o.id}: ${JSON.stringify(o)}`);
      assert.ok(!o.reused, `${o.id} failed on a connection the server had answered on`);
    }
    assert.equal(
      unread.length,
      traffic.connects - Number(stoppedAccepting.accepted),
      'each of them was on a connection the server process never accepted',
    );
    const answers = all.filter((o) => o.status !== undefined);
    assert.equal(answers.length + failed.length, all.length);
    const expected: Record<string, number[]> = {
      'POST /api/auth/email-link': [202],
      'POST /api/auth/session': [200],
      'PUT /api/billing-details': [200, 409],
      'GET /api/account': [200],
      'GET /healthz': [200],
      'GET /readyz': [200, 503],
    };
    for (const o of answers) {
      assert.ok(o.complete, `${o.id} answered in full`);
      assert.ok(expected[o.label].includes(o.status!), `${o.id}: ${o.label} ${o.status}`);
    }
    // Every answer to a request sent after the signal closed its connection.
    const afterSignal = answers.filter((o) => o.afterShutdown);
    assert.ok(afterSignal.length > 0);
    for (const o of afterSignal) assert.equal(o.connection, 'close', `${o.id} ${o.label}`);

    // The health check got 503 on new connections while the listener still accepted (the idle
    // connection still open then), never 200 after a 503, and then it was refused.
    const firstUnready = probes.findIndex((p) => p.status === 503);
    assert.ok(firstUnready >= 0, 'a health check got 503 during the drain');
    assert.ok(probes.slice(firstUnready).every((p) => p.status !== 200));
    assert.ok(
      probes.some((p) => p.status === 503 && p.settledAt < idleClosedAt),
      'the idle keep-alive connection stayed open during the drain',
    );
    assert.equal(probes.at(-1)!.error, 'ECONNREFUSED');

    const load = all.slice(loggedIn);
    const count = (list: Outcome[]) => list.filter((o) => load.includes(o)).length;
    t.diagnostic(
      `load: ${load.length} requests sent, ${count(answers)} answered in full ` +
        `(${count(afterSignal)} sent after SIGTERM, each with Connection: close), ` +
        `${count(refused)} refused before connecting, ${count(unread)} reset with the ` +
        `connection the closing listener had queued (never accepted), ${lost.length} read ` +
        `but not answered; health checks: ${probes.filter((p) => p.status === 503).length} × 503`,
    );
    for (const agent of [...agents, browser, checker, idle]) agent.destroy();
  });
});
