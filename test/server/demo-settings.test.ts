import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {ConfigError, readEnvironment} from '../../server/config.js';
import {demoStartSchema, emulatorMainSchema} from '../../demo/settings.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `node --import tsx <entry>` and resolves, once it has exited, with its code and stderr. */
function runEntry(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: {PATH: process.env.PATH, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{code: number | null; stderr: string}>((resolve) =>
    child.once('close', (code) => resolve({code, stderr})),
  );
}

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('no ConfigError');
};

describe("the demo's own settings", () => {
  it('npm start: PORT=abc stops the demo with one line naming PORT', async () => {
    const {code, stderr} = await runEntry('demo/start.ts', {PORT: 'abc'});
    assert.equal(code, 1);
    assert.equal(stderr, 'PORT is not a port (0 to 65535)\n');
  });

  it('npm run emulator: names every wrong variable at once, one line each', async () => {
    const {code, stderr} = await runEntry('demo/emulator-main.ts', {
      STRIPE_EMULATOR_PORT: '70000',
      STRIPE_EMULATOR_LATENCY_MS: 'slow',
    });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      'STRIPE_EMULATOR_PORT is not a port (0 to 65535)\nSTRIPE_EMULATOR_LATENCY_MS must be 0 to 60000 ms\n',
    );
  });

  it('reads the defaults and the values npm start is given', () => {
    assert.deepEqual(readEnvironment(demoStartSchema, {}), {
      PORT: 8080,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STRIPE_EMULATOR_LATENCY_MS: 0,
    });
    const set = readEnvironment(demoStartSchema, {
      PORT: ' 9000 ',
      HOST: 'localhost',
      DEMO_PAGES_PORT: '8081',
      LOG_LEVEL: 'warn',
      STRIPE_EMULATOR_RATE_LIMIT: '25',
    });
    assert.equal(set.PORT, 9000);
    assert.equal(set.HOST, 'localhost');
    assert.equal(set.DEMO_PAGES_PORT, 8081);
    assert.equal(set.LOG_LEVEL, 'warn');
    assert.equal(set.STRIPE_EMULATOR_RATE_LIMIT, 25);
  });

  it('refuses a wrong LOG_LEVEL, DEMO_PAGES_PORT and rate limit together', () => {
    assert.deepEqual(
      problemsOf(() =>
        readEnvironment(demoStartSchema, {
          DEMO_PAGES_PORT: '80a',
          LOG_LEVEL: 'loud',
          STRIPE_EMULATOR_RATE_LIMIT: '0',
        }),
      ),
      [
        'DEMO_PAGES_PORT is not a port (0 to 65535)',
        'LOG_LEVEL is not one of debug, info, warn, error, silent',
        'STRIPE_EMULATOR_RATE_LIMIT must be 1 to 100000 operations per second',
      ],
    );
  });

  it('npm run emulator: a webhook URL and its secret go together', () => {
    assert.deepEqual(
      problemsOf(() =>
        readEnvironment(emulatorMainSchema, {STRIPE_WEBHOOK_URL: 'http://127.0.0.1:8080/x'}),
      ),
      ['STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET go together'],
    );
    const set = readEnvironment(emulatorMainSchema, {
      STRIPE_WEBHOOK_URL: 'http://127.0.0.1:8080/api/stripe/webhook',
      STRIPE_WEBHOOK_SECRET: 'whsec_emulator_settings',
    });
    assert.equal(set.STRIPE_EMULATOR_PORT, 12111);
    assert.equal(set.POSTMARK_STANDIN_PORT, 12112);
    assert.equal(set.STRIPE_WEBHOOK_SECRET, 'whsec_emulator_settings');
  });
});
