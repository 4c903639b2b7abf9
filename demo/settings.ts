import {z} from 'zod';
import {environmentSettings, setting, wholeNumber} from '../server/config.js';
import {MAX_SEARCH_LAG_MS} from './stripe-emulator/search-index.js';

// The demo's own environment variables, checked like the server's (`server/config.ts`): read
// with `readEnvironment`, a problem reads `<NAME> <message>`, all of them at once. What the
// server itself reads, the demo passes on to `parseConfig` (`boot.ts`).

const NOT_A_PORT = 'is not a port (0 to 65535)';
const portNumber = z.coerce
  .number({error: NOT_A_PORT})
  .int({error: NOT_A_PORT})
  .min(0, {error: NOT_A_PORT})
  .max(65_535, {error: NOT_A_PORT});

/** `STRIPE_EMULATOR_LATENCY_MS`: a delay before every answer of the emulator; unset: none. */
export const emulatorLatencySetting = wholeNumber(0, 0, 60_000, 'must be 0 to 60000 ms');

const OPERATIONS = 'must be 1 to 100000 operations per second';
/**
 * `STRIPE_EMULATOR_RATE_LIMIT`: reads and writes per second the emulator answers before
 * `429 rate_limit`, like Stripe's sandbox (25); unset: no limit.
 */
export const emulatorRateLimitSetting = setting(
  z.coerce
    .number({error: OPERATIONS})
    .int({error: OPERATIONS})
    .min(1, {error: OPERATIONS})
    .max(100_000, {error: OPERATIONS})
    .optional(),
);

const LAG = `must be 0 to ${MAX_SEARCH_LAG_MS} ms`;
/**
 * `STRIPE_EMULATOR_SEARCH_LAG_MS`: how far the emulator's customer search lags behind the
 * customers, like Stripe's search index ("under 1 minute", longer in an outage); unset: none.
 */
export const emulatorSearchLagSetting = setting(
  z.coerce
    .number({error: LAG})
    .int({error: LAG})
    .min(0, {error: LAG})
    .max(MAX_SEARCH_LAG_MS, {error: LAG})
    .optional(),
);

/** `npm start` (`start.ts`); the emulator's settings `startDemo` reads from its env. */
export const demoStartSchema = z.object({
  PORT: setting(portNumber.default(8080)),
  // Unlike the server's HOST a name (`localhost`) will do: the demo passes on the address bound.
  HOST: setting(z.string().default('127.0.0.1')),
  DEMO_PAGES_PORT: setting(portNumber.optional()),
  LOG_LEVEL: environmentSettings.LOG_LEVEL,
  STRIPE_EMULATOR_LATENCY_MS: emulatorLatencySetting,
  STRIPE_EMULATOR_RATE_LIMIT: emulatorRateLimitSetting,
  STRIPE_EMULATOR_SEARCH_LAG_MS: emulatorSearchLagSetting,
});

/** `npm run emulator` (`emulator-main.ts`). */
export const emulatorMainSchema = z
  .object({
    STRIPE_EMULATOR_PORT: setting(portNumber.default(12111)),
    POSTMARK_STANDIN_PORT: setting(portNumber.default(12112)),
    STRIPE_EMULATOR_LATENCY_MS: emulatorLatencySetting,
    STRIPE_EMULATOR_RATE_LIMIT: emulatorRateLimitSetting,
    STRIPE_EMULATOR_SEARCH_LAG_MS: emulatorSearchLagSetting,
    STRIPE_WEBHOOK_URL: setting(
      z.url({protocol: /^https?$/, error: 'is not an http(s) URL'}).optional(),
    ),
    STRIPE_WEBHOOK_SECRET: environmentSettings.STRIPE_WEBHOOK_SECRET,
  })
  .refine((env) => Boolean(env.STRIPE_WEBHOOK_URL) === Boolean(env.STRIPE_WEBHOOK_SECRET), {
    error: 'and STRIPE_WEBHOOK_SECRET go together',
    path: ['STRIPE_WEBHOOK_URL'],
  });
