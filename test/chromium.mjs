// Debian's Chromium with the flags this machine's closed network needs, for the element tests
// (web-test-runner) and the end-to-end tests (Playwright) alike. CHROMIUM_PATH points elsewhere.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
