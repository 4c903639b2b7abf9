/**
 * `npm run emulator`: the Stripe emulator and the Postmark stand-in alone, so several portal
 * servers can share them. Ports from STRIPE_EMULATOR_PORT (12111) and POSTMARK_STANDIN_PORT
 * (12112), on 127.0.0.1. STRIPE_EMULATOR_LATENCY_MS delays every Stripe answer,
 * STRIPE_EMULATOR_RATE_LIMIT limits it to that many reads and writes per second,
 * STRIPE_EMULATOR_SEARCH_LAG_MS makes customer search lag that far behind the customers; with
 * STRIPE_WEBHOOK_URL (e.g. http://127.0.0.1:8080/api/stripe/webhook) and STRIPE_WEBHOOK_SECRET
 * (`whsec_...`, the portal's own setting) every change is sent there as a signed event.
 */
import {startPostmarkStandin} from './postmark-standin.js';
import {ConfigError, readEnvironment} from '../server/config.js';
import {emulatorMainSchema} from './settings.js';
import {SEEDED_CARRIERS, SEEDED_EMAILS, startStripeEmulator} from './stripe-emulator/index.js';

let settings;
try {
  settings = readEnvironment(emulatorMainSchema, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.problems.join('\n'));
  process.exit(1);
}
const latencyMs = settings.STRIPE_EMULATOR_LATENCY_MS;
const rateLimitPerSecond = settings.STRIPE_EMULATOR_RATE_LIMIT;
const searchLagMs = settings.STRIPE_EMULATOR_SEARCH_LAG_MS;
const webhookUrl = settings.STRIPE_WEBHOOK_URL;
const webhookSecret = settings.STRIPE_WEBHOOK_SECRET ?? undefined;
const stripe = await startStripeEmulator({
  port: settings.STRIPE_EMULATOR_PORT,
  latencyMs,
  rateLimitPerSecond,
  searchLagMs,
  webhookUrl,
  webhookSecret,
});
const postmark = await startPostmarkStandin({
  port: settings.POSTMARK_STANDIN_PORT,
  log: (m) => console.log(`[postmark] to ${m.to}: ${m.subject}${m.link ? `\n  ${m.link}` : ''}`),
});

console.log(
  `Stripe emulator:   ${stripe.url}  (SDK: host 127.0.0.1, port ${stripe.port}, protocol http)`,
);
console.log(
  `Postmark stand-in: ${postmark.url}  (requestHost ${postmark.host}, outbox ${postmark.url}/outbox)`,
);
console.log(`Seeded customers:  ${Object.values(SEEDED_EMAILS).join(', ')}`);
console.log(`Seeded carriers:   ${Object.values(SEEDED_CARRIERS).join(', ')}`);
if (latencyMs) console.log(`Latency:           ${latencyMs} ms before each Stripe answer`);
if (rateLimitPerSecond) {
  console.log(`Rate limit:        ${rateLimitPerSecond} reads + ${rateLimitPerSecond} writes/s`);
}
if (searchLagMs) console.log(`Search lag:        ${searchLagMs} ms behind the customers`);
if (webhookUrl) console.log(`Webhooks:          ${webhookUrl}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  await Promise.allSettled([stripe.close(), postmark.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
