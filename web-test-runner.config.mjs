import {chromeLauncher} from '@web/test-runner-chrome';
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {chromiumArgs, chromiumPath} from './test/chromium.mjs';

// Element tests in Chromium; the portal API is mocked with msw's service worker.
export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: {exportConditions: ['browser', 'production']},
  plugins: [esbuildPlugin({ts: true, tsconfig: './tsconfig.json'})],
  browsers: [
    chromeLauncher({
      launchOptions: {executablePath: chromiumPath, args: chromiumArgs},
    }),
  ],
  middleware: [
    // msw's worker lives in test/widget/ but must control the test pages at `/`.
    function serviceWorkerScope(context, next) {
      if (context.path === '/test/widget/mockServiceWorker.js') {
        context.set('Service-Worker-Allowed', '/');
      }
      return next();
    },
  ],
  // CONROO's pages are German (`<html lang="de">`): the portal follows the page's language.
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html lang="de"><head><meta charset="utf-8"></head><body><script type="module" src="${testFramework}"></script></body></html>`,
  // Longer than a wait for what a test expects (test/widget/support/wait-timeout.ts).
  testFramework: {config: {timeout: 20_000}},
};
