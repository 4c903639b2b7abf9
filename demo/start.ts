import {startDemo} from './boot.js';
import {createJsonLogger} from '../server/logger.js';

/** `npm start`: the portal on its embedded default (demo mode, no keys needed). */
const demo = await startDemo({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  env: process.env,
  log: createJsonLogger(),
  onMail: (m) =>
    console.log(`\n✉  Mail an ${m.to}: „${m.subject}"\n   ${m.link ?? '(kein Link)'}\n`),
});
console.log(`
CONROO billing portal (demo mode) running:
  ${demo.url}              demo page (support button bottom right)
  ${demo.url}/kundenportal  Kundenportal, element inline
  ${demo.url}/dev/outbox    dev outbox (mails with their login links)
Try fahrer@example.com, paypal@example.com, firma@example.com, zwei@example.com,
offen@example.com or ohne-abo@example.com. Stop with Ctrl+C.
`);
const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
