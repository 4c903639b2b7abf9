/**
 * Faults from outside the server, for the fault suite and `npm run chaos`: portal instances as
 * real processes of the production entry (`server/index.ts`) that can be killed at an exact
 * point, and a Stripe-speaking proxy between them and the emulator that loses Stripe's answer
 * or kills an instance exactly before or after Stripe applied a request. Nothing in the server
 * knows about either.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createServer, request as httpRequest, type IncomingMessage, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {fileURLToPath} from 'node:url';
import {freePort} from './redis-server.js';
import type {SharedServices} from './instances.js';
import {SHARED_SESSION_SECRET} from './instances.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Polls `check` (a state another process changes) until it holds; fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * What the proxy does with a matching request: lose Stripe's answer after Stripe applied it
 * (`drop`), or run `then` (kill an instance) before the request reaches Stripe (`before`) or
 * after Stripe applied it and before the instance hears of it (`after`).
 */
export interface ProxyRule {
  method: string;
  path: RegExp;
  action: 'drop' | 'before' | 'after';
  /** How many matching requests it takes (the SDK retries a lost answer); default 1. */
  times?: number;
  then?: () => void;
}

export interface StripeProxy {
  url: string;
  /** Rules in order; each is removed once it took `times` requests. */
  rules: ProxyRule[];
  /** Requests seen, as `METHOD /path`. */
  seen: string[];
  close(): Promise<void>;
}

export async function startStripeProxy(emulatorUrl: string): Promise<StripeProxy> {
  const target = new URL(emulatorUrl);
  const rules: ProxyRule[] = [];
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    seen.push(`${req.method} ${path}`);
    const index = rules.findIndex((r) => r.method === req.method && r.path.test(path));
    const rule = index >= 0 ? rules[index] : undefined;
    if (rule) {
      rule.times = (rule.times ?? 1) - 1;
      if (rule.times <= 0) rules.splice(index, 1);
    }
    if (rule?.action === 'before') {
      // Never answered: the instance is gone before it could hear anything.
      rule.then?.();
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          // Stripe has applied the request by now; whoever asked never hears of it: the answer
          // is lost on the way (`drop`), or the instance is killed first (`after`).
          if (rule?.action === 'drop') {
            req.socket.destroy();
            return;
          }
          if (rule) {
            rule.then?.();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rules,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface PortalProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed. */
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** The production entry in a process of its own, on one Redis and one emulator with the others. */
export async function startPortalProcess(options: {
  services: SharedServices;
  stripeApiBase: string;
  redisUrl: string;
  env?: Record<string, string>;
}): Promise<PortalProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      STRIPE_SECRET_KEY: 'sk_test_faults',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_faults',
      POSTMARK_SERVER_TOKEN: 'faults-token',
      MAIL_FROM: 'kundenportal@conroo.example',
      SESSION_SECRET: SHARED_SESSION_SECRET,
      PORTAL_URL: 'https://portal.conroo.example/kundenportal',
      ALLOWED_ORIGINS: 'https://portal.conroo.example',
      STRIPE_API_BASE: options.stripeApiBase,
      POSTMARK_API_BASE: options.services.postmark.url,
      REDIS_URL: options.redisUrl,
      REDIS_TIMEOUT_MS: '10000',
      CACHE_TTL_SECONDS: '0',
      STRIPE_TIMEOUT_MS: '5000',
      PORT: String(port),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  await until(
    () => gone || output.includes('"msg":"listening"'),
    `the portal process to listen:\n${output}`,
  );
  if (gone) throw new Error(`the portal process ended at start:\n${output}`);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null) child.kill(signal);
    },
  };
}
