/**
 * The compiled production entry: `npm run build:server` emits plain JavaScript to dist-server/,
 * and `node dist-server/server/index.js` (`npm run start:prod`) runs it without tsx, configured
 * as in production but pointed at the Stripe emulator and the Postmark stand-in.
 */
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import {after, before, describe, it} from 'node:test';
import {ServerLog, type LogLine} from './server-log.js';
import {Client, tokenOf} from './harness.js';
import {startPostmarkStandin, type PostmarkStandin} from '../../demo/postmark-standin.js';
import {
  SEEDED_CUSTOMER_IDS,
  startStripeEmulator,
  type StripeEmulator,
} from '../../demo/stripe-emulator/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'dist-server/server/index.js';

/** A child process's output, its exit, and a way to wait for one of its JSON log lines. */
class Child {
  readonly exited: Promise<number | null>;
  readonly #log: ServerLog;

  constructor(readonly process: ChildProcess) {
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
    this.#log = new ServerLog(process);
  }

  /** Everything it wrote to stdout and stderr so far. */
  get output(): string {
    return this.#log.text;
  }

  /** The first log line with this `msg`; fails if the process exits before writing it. */
  async logLine(msg: string): Promise<LogLine> {
    const line = await Promise.race([this.#log.message(msg), this.exited.then(() => undefined)]);
    if (!line) {
      const code = await this.exited;
      throw new Error(`${ENTRY} exited (${code}) before logging "${msg}":\n${this.output}`);
    }
    return line;
  }
}

/** Runs `node args…` in the repository and resolves with its exit code and output. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{code: number | null; output: string}> {
  const child = new Child(
    spawn(process.execPath, args, {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']}),
  );
  return child.exited.then((code) => ({code, output: child.output}));
}

/** The environment of a production instance, without anything tsx or the tests set. */
const productionEnv = (settings: Record<string, string>): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  ...settings,
});

describe('the compiled server (npm run build:server, npm run start:prod)', () => {
  let emulator: StripeEmulator;
  let postmark: PostmarkStandin;
  const mailed = new Map<string, (link: string) => void>();
  let server: Child | undefined;

  before(async () => {
    const build = await run(
      [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-p', 'tsconfig.server.json'],
      {PATH: process.env.PATH},
    );
    assert.equal(build.code, 0, `tsc -p tsconfig.server.json failed:\n${build.output}`);
    emulator = await startStripeEmulator({port: 0});
    postmark = await startPostmarkStandin({
      port: 0,
      log: (mail) => mailed.get(mail.to)?.(mail.link!),
    });
  });

  after(async () => {
    if (server && server.process.exitCode === null) server.process.kill('SIGKILL');
    await Promise.allSettled([emulator?.close(), postmark?.close()]);
  });

  it('runs on plain node: listens, sends a login link, serves the dashboard, stops on SIGTERM', async () => {
    server = new Child(
      spawn(process.execPath, [ENTRY], {
        cwd: root,
        env: productionEnv({
          STRIPE_SECRET_KEY: 'sk_test_production_build',
          STRIPE_PUBLISHABLE_KEY: 'pk_test_production_build',
          POSTMARK_SERVER_TOKEN: 'production-build-token',
          MAIL_FROM: 'kundenportal@conroo.example',
          SESSION_SECRET: randomBytes(32).toString('hex'),
          PORTAL_URL: 'https://portal.conroo.example/kundenportal',
          ALLOWED_ORIGINS: 'https://portal.conroo.example',
          STRIPE_API_BASE: emulator.url,
          POSTMARK_API_BASE: postmark.url,
          PORT: '0',
          SHUTDOWN_DRAIN_MS: '0',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const listening = await server.logLine('listening');
    assert.equal(listening.host, '127.0.0.1');
    assert.equal(listening.store, 'memory');
    const client = new Client(`http://127.0.0.1:${String(listening.port)}`);

    assert.deepEqual((await client.get('/readyz')).body, {status: 'ready'});

    const link = new Promise<string>((resolve) => mailed.set('fahrer@example.com', resolve));
    const asked = await client.post('/api/auth/email-link', {email: 'fahrer@example.com'});
    assert.equal(asked.status, 202);
    const token = tokenOf(await link);
    assert.equal((await client.post('/api/auth/session', {token})).status, 200);
    const account = await client.get('/api/account');
    assert.equal(account.status, 200);
    assert.equal(account.body.customer.id, SEEDED_CUSTOMER_IDS.card);

    server.process.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output);
  });

  it('stops at once on a bad configuration, naming every wrong setting, without a stack', async () => {
    const {code, output} = await run(
      [ENTRY],
      productionEnv({
        STRIPE_SECRET_KEY: 'sk_test_production_build',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_production_build',
        SESSION_SECRET: 'short',
        PORT: 'abc',
      }),
    );
    assert.equal(code, 1);
    assert.equal(
      output,
      [
        'Invalid configuration:',
        '  - POSTMARK_SERVER_TOKEN is missing',
        '  - MAIL_FROM is missing',
        '  - SESSION_SECRET must be at least 32 random bytes (e.g. `openssl rand -hex 32`)',
        '  - PORTAL_URL is missing',
        '  - ALLOWED_ORIGINS is missing',
        '  - PORT is not a port',
        '',
      ].join('\n'),
    );
  });
});
