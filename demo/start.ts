import {startDemo} from './boot.js';
import {ConfigError, readEnvironment} from '../server/config.js';
import {createLogger} from '../server/logger.js';
import {demoStartSchema} from './settings.js';

/**
 * `npm start`: the portal on its embedded default (demo mode, no keys needed). With
 * DEMO_PAGES_PORT the demo pages get an origin of their own (`http://www.conroo.localhost:<it>`)
 * and the API stays on `http://billing.conroo.localhost:<PORT>`, as in production.
 */
let settings;
let demo;
try {
  settings = readEnvironment(demoStartSchema, process.env);
  demo = await startDemo({
    port: settings.PORT,
    host: settings.HOST,
    pages: settings.DEMO_PAGES_PORT === undefined ? undefined : {port: settings.DEMO_PAGES_PORT},
    env: process.env,
    log: createLogger({level: settings.LOG_LEVEL}),
    onMail: (m) =>
      console.log(`\n✉  Mail an ${m.to}: „${m.subject}"\n   ${m.link ?? '(kein Link)'}\n`),
  });
} catch (error) {
  // A wrong setting, the demo's or the server's: its lines alone, no stack.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.problems.join('\n'));
  process.exit(1);
}
const crossOrigin =
  demo.pagesUrl === demo.url ? '' : `\n  The element on this page talks to the API at ${demo.url}.`;
console.log(`
CONROO billing portal (demo mode, no keys needed): ${demo.pagesUrl}${crossOrigin}
  The page links the Kundenportal and the dev outbox (/dev/outbox); login links also appear here.
  Demo addresses: fahrer@, paypal@, firma@, zwei@, offen@, ohne-abo@, viele@example.com
  Carriers: spedition@example.com (6 drivers), grossflotte@example.com (300 drivers)
`);
// As the production entry: drain (SHUTDOWN_DRAIN_MS, 0 here unless set), answer what was read
// (at most SHUTDOWN_TIMEOUT_MS), finish mail, close the store, exit.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await demo.close({
    drainMs: demo.config.shutdownDrainMs,
    graceMs: demo.config.shutdownTimeoutMs,
  });
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
