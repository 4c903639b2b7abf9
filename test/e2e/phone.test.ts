import assert from 'node:assert/strict';
import {describe, it, type TestContext} from 'node:test';
import type {Browser, BrowserContext, BrowserContextOptions, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {askForLink, navigate, useDemo} from './flows.js';

/**
 * Issue 17, part 1: the driver opens the mail on a phone. On /kundenportal (the page the mail's
 * link opens), the host page's header and intro come first; the portal brings what matters into
 * view itself after the mail link and after each section change, and a plain page load never
 * scrolls.
 */
const screens: Array<{name: string; options: BrowserContextOptions}> = [
  {
    name: '360 × 740 (phone)',
    options: {
      viewport: {width: 360, height: 740},
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    },
  },
  {
    name: '390 × 844 (phone)',
    options: {
      viewport: {width: 390, height: 844},
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    },
  },
  {
    name: '1280 × 800 at 200 % zoom',
    options: {viewport: {width: 640, height: 400}, deviceScaleFactor: 2},
  },
];

/** What is measured: a `label` and the selector of the first element that shows it. */
interface Piece {
  label: string;
  /** Matched in the portal's shadow roots, in document order. */
  selector: string;
}

interface Placement {
  label: string;
  top: number;
  bottom: number;
}

/** Where each piece is now, in CSS px of the viewport; `null` while one is not there yet. */
function placements(page: Page, pieces: Piece[]) {
  return page.evaluate((wanted) => {
    const firstDeep = (root: ParentNode, selector: string): Element | undefined => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element.matches(selector)) return element;
        const inner = element.shadowRoot && firstDeep(element.shadowRoot, selector);
        if (inner) return inner;
      }
      return undefined;
    };
    const portal = document.querySelector('conroo-billing-portal:not([mode="dialog"])');
    const found = wanted.map(({label, selector}) => {
      const element = portal?.shadowRoot && firstDeep(portal.shadowRoot, selector);
      if (!element) return null;
      const box = element.getBoundingClientRect();
      return {label, top: box.top, bottom: box.bottom};
    });
    return found.every(Boolean)
      ? {
          pieces: found as Placement[],
          height: window.innerHeight,
          scrollY: window.scrollY,
        }
      : null;
  }, pieces);
}

type Measured = NonNullable<Awaited<ReturnType<typeof placements>>>;

const inView = (piece: Placement, height: number) =>
  piece.top >= -0.5 && piece.bottom <= height + 0.5;

/** „Übersicht" 402…431, …: for the log and for failures. */
const describePlacements = ({pieces, height, scrollY}: Measured) =>
  `${pieces.map((p) => `${p.label} ${Math.round(p.top)}…${Math.round(p.bottom)}`).join(', ')} of ${height} px (page scrolled ${Math.round(scrollY)} px)`;

/**
 * Waits (up to 5 s, no sleeping: the page is asked again each frame) until `check` holds for the
 * pieces' places and they stay put for a frame (a smooth scroll has ended); fails with where
 * they were instead.
 */
async function waitForPlacement(
  page: Page,
  pieces: Piece[],
  check: (measured: Measured) => boolean,
  what: string,
): Promise<Measured> {
  const deadline = Date.now() + 5000;
  let last: Measured | null = null;
  while (Date.now() < deadline) {
    const now = await placements(page, pieces);
    if (now && check(now) && JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
  assert.fail(`${what}: ${last ? describePlacements(last) : 'not all there'}`);
}

/**
 * The section's heading and its first card are in view: the card whole, or, when heading and
 * card together are taller than the screen, the heading at the top and the card starting below
 * it. (That it scrolls no further than needed is the reveal controller's widget test: here the
 * browser moves the page too, clamping it to a shorter section while one loads.)
 */
function sectionInView({pieces: [heading, card], height}: Measured): boolean {
  const margin = 24;
  const fits = card.bottom - heading.top <= height - margin;
  const shown = inView(heading, height) && card.top >= 0 && card.top < height - margin;
  return shown && (fits ? card.bottom <= height + 0.5 : heading.top <= margin);
}

const heading = (label: string): Piece => ({label: `„${label}"`, selector: '.content > h2'});

const sections: Array<{label: string; card: Piece}> = [
  {
    label: 'Zahlungsmethoden',
    card: {label: 'first payment method', selector: '[part~="item"]'},
  },
  {
    label: 'Rechnung und Versand',
    card: {label: 'billing details card', selector: '[part~="card"]'},
  },
  {
    label: 'Rechnungen',
    card: {label: 'first invoice', selector: '[part~="table"] tbody tr'},
  },
  {
    label: 'Übersicht',
    card: {label: 'Gate Pass card', selector: '[part~="card"]'},
  },
];

for (const screen of screens) {
  describe(`on a phone: ${screen.name}`, () => {
    let demo: Demo;
    let browser: Browser;
    let context: BrowserContext;
    /** The tab the mail's link opened. */
    let page: Page;
    useDemo({port: 0}, async (started) => {
      ({demo, browser} = started);
      context = await browser.newContext({locale: 'de-DE', ...screen.options});
      // tsx names the functions below with a helper of its own, which the page does not have.
      await context.addInitScript('globalThis.__name ??= (fn) => fn;');
    });

    it('after the mail link, the Gate Pass status and renewal date are in view without scrolling', async (t: TestContext) => {
      // The driver asks for the link on the page, then opens it from the mail app: a new tab.
      const asking = await context.newPage();
      await asking.goto(`${demo.pagesUrl}/kundenportal`);
      await askForLink(asking, 'firma@example.com');
      await demo.app.drain();
      const [mail] = await demo.outbox.messages({to: 'firma@example.com'});
      const link = new URL(mail.link!);
      link.pathname = '/kundenportal';
      await asking.close();
      page = await context.newPage();
      await page.goto(link.toString());
      const measured = await waitForPlacement(
        page,
        [
          heading('Übersicht'),
          {label: 'Gate Pass status', selector: '[data-status]'},
          {label: 'renewal date', selector: '[data-next-renewal]'},
          {label: 'Gate Pass card', selector: '[part~="card"]'},
        ],
        // All in view, and scrolled no further than needed: not at all, or until the card ends
        // at the bottom edge, or the heading starts at the top.
        ({pieces: [title, status, renewal, card], height, scrollY}) =>
          [title, status, renewal].every((piece) => inView(piece, height)) &&
          (scrollY === 0 || card.bottom >= height - 24 || title.top <= 24),
        'heading, status and renewal in view after the mail link',
      );
      t.diagnostic(`after the mail link: ${describePlacements(measured)}`);
    });

    it('after each section change from the compact navigation, its heading and first card are in view', async (t: TestContext) => {
      for (const {label, card} of sections) {
        await navigate(page, label);
        await page.getByRole('heading', {name: label, exact: true}).waitFor();
        const measured = await waitForPlacement(
          page,
          [heading(label), card],
          sectionInView,
          `„${label}" and its first card in view`,
        );
        t.diagnostic(`„${label}": ${describePlacements(measured)}`);
      }
    });

    it('a plain page load with a session (no mail link) does not scroll', async (t: TestContext) => {
      const fresh = await context.newPage();
      await fresh.goto(`${demo.pagesUrl}/kundenportal`);
      const card: Piece = {label: 'Gate Pass status', selector: '[data-status]'};
      const measured = await waitForPlacement(
        fresh,
        [heading('Übersicht'), card],
        () => true,
        'the overview',
      );
      // Two frames more: a reveal would have started by then.
      await fresh.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      assert.equal(await fresh.evaluate(() => window.scrollY), 0, 'the page stays at its top');
      t.diagnostic(`plain load: ${describePlacements(measured)}`);
      await fresh.close();
    });
  });
}
