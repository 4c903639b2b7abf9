import assert from 'node:assert/strict';
import {copyFile, mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import express from 'express';
import type {Browser, Page} from 'playwright-core';
import {build, type Rolldown} from 'vite';
import {elementCaching, type Demo} from '../../demo/boot.js';
import {launchChromium} from './browser.js';
import {useDemo} from './flows.js';

/** The JS files of the element a page requested, as paths below `/widget/`. */
function widgetRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/widget/')) seen.push(path.slice('/widget/'.length));
  });
  return seen;
}

/** The page's requests so far (Resource Timing): path, when asked for, when answered (ms). */
function fetchesOf(page: Page): Promise<Array<{path: string; start: number; end: number}>> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry as PerformanceResourceTiming)
      .map((entry) => ({
        path: new URL(entry.name).pathname,
        start: entry.startTime,
        end: entry.responseEnd,
      })),
  );
}

describe('the yellow button costs the page only the loader', () => {
  let demo: Demo;
  let browser: Browser;
  useDemo({port: 0}, (started) => ({demo, browser} = started));

  it('loads nothing but the loader until the button is pressed, then the login form', async () => {
    const page = await (await browser.newContext({locale: 'de-DE'})).newPage();
    const requested = widgetRequests(page);
    const loader = page.waitForResponse((r) => r.url().endsWith('/conroo-billing-portal.js'));
    await page.goto(`${demo.url}/`, {waitUntil: 'networkidle'});
    assert.deepEqual(requested, ['conroo-billing-portal.js']);
    assert.equal((await loader).headers()['cache-control'], 'no-cache');
    assert.equal(
      await page.evaluate(() => customElements.get('conroo-billing-portal') === undefined),
      true,
    );

    const element = page.waitForResponse((r) => /\/chunks\/portal-[\w-]+\.js$/.test(r.url()));
    await page.locator('.support-button').click();
    await page.getByRole('dialog').getByLabel('E-Mail-Adresse').waitFor();
    assert.equal((await element).headers()['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(
      requested.every((path) => path === 'conroo-billing-portal.js' || /^chunks\//.test(path)),
    );
    // In one round: what the element imports was asked for before the element had arrived, not
    // once it was there and parsed (vite.config.ts, loadElementInOneRound).
    const timings = await fetchesOf(page);
    const portal = timings.find(({path}) => /\/chunks\/portal-[\w-]+\.js$/.test(path))!;
    const lit = timings.find(({path}) => /\/chunks\/lit-[\w-]+\.js$/.test(path))!;
    assert.ok(
      lit.start < portal.end,
      `lit asked for at ${lit.start} ms, the element there at ${portal.end} ms`,
    );
  });

  it('loads an inline portal on a page that shows it', async () => {
    const page = await (await browser.newContext({locale: 'de-DE'})).newPage();
    await page.goto(`${demo.url}/kundenportal`);
    await page.getByLabel('E-Mail-Adresse').waitFor();
  });

  it('has the inline page fetch the element with the page, by the build’s hints, once', async () => {
    const {modulepreload} = JSON.parse(
      await readFile(
        new URL('../../dist/conroo-billing-portal.preload.json', import.meta.url),
        'utf8',
      ),
    ) as {modulepreload: string[]};
    assert.ok(modulepreload.some((file) => /^chunks\/portal-[\w-]+\.js$/.test(file)));
    const page = await (await browser.newContext({locale: 'de-DE'})).newPage();
    await page.goto(`${demo.url}/kundenportal`);
    await page.getByLabel('E-Mail-Adresse').first().waitFor();
    const hints = await page.$$eval('link[rel="modulepreload"]', (links) =>
      links.map((link) => new URL((link as HTMLLinkElement).href).pathname),
    );
    assert.deepEqual(
      hints,
      modulepreload.map((file) => `/widget/${file}`),
    );
    // Each fetched once, and asked for before the loader had arrived: by its hint, since the
    // loader's import() cannot ask before the loader is there.
    const fetched = await fetchesOf(page);
    const loader = fetched.filter(({path}) => path === '/widget/conroo-billing-portal.js');
    assert.equal(loader.length, 1);
    for (const hint of hints) {
      const requests = fetched.filter(({path}) => path === hint);
      assert.equal(requests.length, 1, hint);
      assert.ok(requests[0].start < loader[0].end, `${hint} asked for with the page`);
    }
  });
});

/**
 * A deploy puts a new release's files next to the old ones. A browser that still runs the old
 * loader (the page was open, or it had it cached) must get the old release whole, and the new
 * loader the new one: never one release's chunk with the other's.
 */
describe('a deploy never mixes two releases in one browser', () => {
  it('an old loader loads only old chunks, the new loader only new ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conroo-deploy-'));
    const server = express()
      .get('/', (req, res) => {
        const loader = typeof req.query.loader === 'string' ? req.query.loader : '';
        res
          .type('html')
          .send(
            `<!doctype html><html lang="de"><body><conroo-billing-portal mode="dialog"></conroo-billing-portal>` +
              `<script type="module" src="/files/${loader}"></script></body></html>`,
          );
      })
      .use('/files', express.static(dir, {setHeaders: elementCaching}))
      .listen(0);
    const browser = await launchChromium();
    try {
      const releases: Record<string, Set<string>> = {};
      for (const release of ['A', 'B']) {
        const result = await build({
          configFile: 'vite.config.ts',
          logLevel: 'warn',
          plugins: [
            {
              // What changes from one release to the next: the element's own code.
              name: 'release',
              enforce: 'post',
              transform: (code, id) =>
                id.endsWith('widget/index.ts')
                  ? `${code}\nglobalThis.conrooRelease = '${release}';`
                  : undefined,
            },
          ],
          build: {
            outDir: dir,
            // The deploy adds files; the previous release's chunks stay where they are.
            emptyOutDir: release === 'A',
          },
        });
        const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
        releases[release] = new Set(
          outputs.flatMap((output) => output.output.map((file) => file.fileName)),
        );
        // What a browser still holds of the release's loader.
        await copyFile(join(dir, 'conroo-billing-portal.js'), join(dir, `loader-${release}.js`));
      }
      const portals = (await readdir(join(dir, 'chunks'))).filter((name) =>
        name.startsWith('portal-'),
      );
      assert.equal(portals.length, 2, `two releases' elements side by side: ${portals.join(', ')}`);

      for (const release of ['A', 'B']) {
        const page = await browser.newPage();
        const loaded: string[] = [];
        page.on('response', (response) => {
          if (response.url().includes('/files/')) loaded.push(response.url());
        });
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await page.goto(`${base}/?loader=loader-${release}.js`);
        await page.evaluate(() =>
          (document.querySelector('conroo-billing-portal') as HTMLElement & {show(): void}).show(),
        );
        await page.waitForFunction(() => customElements.get('conroo-billing-portal') !== undefined);
        const files = loaded.map((url) => new URL(url).pathname.replace('/files/', ''));
        assert.ok(
          files.some((file) => file.startsWith('chunks/portal-')),
          files.join(', '),
        );
        // The release's loader, then its chunks, each of them of this release; never the
        // loader's stable URL, which by now holds the other release's.
        for (const file of files) {
          assert.ok(
            file === `loader-${release}.js` ||
              (file.startsWith('chunks/') && releases[release].has(file)),
            `${file} is of release ${release}`,
          );
        }
        assert.equal(
          await page.evaluate(() => (globalThis as {conrooRelease?: string}).conrooRelease),
          release,
        );
        await page.close();
      }
    } finally {
      await browser.close();
      server.close();
      await rm(dir, {recursive: true, force: true});
    }
  });
});
