/**
 * `npm run emulator`: the Stripe emulator and the Postmark stand-in alone, so several portal
 * servers can share them. Ports from STRIPE_EMULATOR_PORT (12111) and POSTMARK_STANDIN_PORT
 * (12112), on 127.0.0.1. STRIPE_EMULATOR_LATENCY_MS delays every Stripe answer,
 * STRIPE_EMULATOR_RATE_LIMIT limits it to that many reads and writes per second; with
 * STRIPE_WEBHOOK_URL (e.g. http://127.0.0.1:8080/api/stripe/webhook) and STRIPE_WEBHOOK_SECRET
 * (`whsec_...`, the portal's own setting) every change is sent there as a signed event.
 */
import {startPostmarkStandin} from './postmark-standin.js';
import {
  emulatorLatencyMs,
  emulatorRateLimit,
  SEEDED_EMAILS,
  startStripeEmulator,
} from './stripe-emulator/index.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    console.error(`${name} must be a port number, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return n;
}

let latencyMs: number;
let rateLimitPerSecond: number | undefined;
try {
  latencyMs = emulatorLatencyMs(process.env);
  rateLimitPerSecond = emulatorRateLimit(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const webhookUrl = process.env.STRIPE_WEBHOOK_URL?.trim() || undefined;
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET?.trim() || undefined;
if (Boolean(webhookUrl) !== Boolean(webhookSecret)) {
  console.error('STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET go together');
  process.exit(1);
}
const stripe = await startStripeEmulator({
  port: port('STRIPE_EMULATOR_PORT', 12111),
  latencyMs,
  rateLimitPerSecond,
  webhookUrl,
  webhookSecret,
});
const postmark = await startPostmarkStandin({
  port: port('POSTMARK_STANDIN_PORT', 12112),
  log: (m) => console.log(`[postmark] to ${m.to}: ${m.subject}${m.link ? `\n  ${m.link}` : ''}`),
});

console.log(
  `Stripe emulator:   ${stripe.url}  (SDK: host 127.0.0.1, port ${stripe.port}, protocol http)`,
);
console.log(
  `Postmark stand-in: ${postmark.url}  (requestHost ${postmark.host}, outbox ${postmark.url}/outbox)`,
);
console.log(`Seeded customers:  ${Object.values(SEEDED_EMAILS).join(', ')}`);
if (latencyMs) console.log(`Latency:           ${latencyMs} ms before each Stripe answer`);
if (rateLimitPerSecond) {
  console.log(`Rate limit:        ${rateLimitPerSecond} reads + ${rateLimitPerSecond} writes/s`);
}
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
