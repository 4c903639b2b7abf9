import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {describe, it} from 'node:test';
import type {Browser, BrowserContextOptions, Page} from 'playwright-core';
import type {Demo} from '../../demo/boot.js';
import {askForLink, loginByMail, navigate, useDemo} from './flows.js';

/** What has focus, looking into shadow roots, e.g. `<h2> „Übersicht"`. */
function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return '<body>';
    const labels = (element as HTMLInputElement).labels;
    const name =
      element.getAttribute('aria-label') ??
      (labels?.length ? labels[0] : element).textContent?.replace(/\s+/g, ' ').trim() ??
      '';
    const type = element.localName === 'input' ? element.getAttribute('type') : null;
    return `<${element.localName}${type ? ` type=${type}` : ''}> „${name}"`;
  });
}

/** `<h2> „Übersicht"`, `<input type=email> „E-Mail-Adresse"`: what `focusedElement` says. */
const heading = (text: string) => `<h2> „${text}"`;
const button = (text: string) => `<button> „${text}"`;
const field = (type: string, label: string) => `<input type=${type}> „${label}"`;

/** Waits (up to 3 s) until focus is on `expected`; fails naming where it is instead. */
async function expectFocus(page: Page, expected: string, step: string) {
  let actual = '';
  for (let tries = 0; tries < 30; tries++) {
    actual = await focusedElement(page);
    if (actual === expected) return;
    await page.waitForTimeout(100);
  }
  assert.equal(actual, expected, `focus ${step}`);
}

/**
 * Presses Tab (or Shift+Tab) until focus is on `target`, at most `max` times; fails with every
 * stop on the way.
 */
async function tabTo(page: Page, target: string, {backwards = false, max = 40} = {}) {
  const stops: string[] = [];
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focusedElement(page);
    if (now === target) return;
    stops.push(now);
  }
  assert.fail(
    `${backwards ? 'Shift+Tab' : 'Tab'} never reached ${target}; it went:\n  ${stops.join('\n  ')}`,
  );
}

/** The link of the newest mail to `email`, opening `path` — as clicking it in the mail would. */
async function mailLink(demo: Demo, email: string, path: string): Promise<string> {
  await demo.app.drain();
  const mail = (await demo.outbox.messages({to: email}))[0];
  assert.ok(mail?.link, `a mail with a link to ${email}`);
  const link = new URL(mail.link);
  link.pathname = path;
  return link.toString();
}

/** From the section's heading, back to its sidebar entry, Enter, and focus on its heading. */
async function openSectionByKeyboard(page: Page, from: string, section: string) {
  await tabTo(page, button(section), {backwards: true});
  await page.keyboard.press('Enter');
  await expectFocus(page, heading(section), `after choosing „${section}" (from „${from}")`);
}

/**
 * Every section by keyboard alone, from the overview's heading, with the two forms opened and
 * closed on the way, then „Abmelden".
 */
async function useTheDashboard(page: Page) {
  await openSectionByKeyboard(page, 'Übersicht', 'Zahlungsmethoden');
  await tabTo(page, button('Zahlungsmethode hinzufügen'));
  await page.keyboard.press('Enter');
  await expectFocus(page, field('text', 'Kartennummer'), 'when the payment form opens');
  // The tabs of the demo form: arrow keys move between „Karte" and „PayPal".
  await tabTo(page, '<button> „Karte"', {backwards: true});
  await page.keyboard.press('ArrowRight');
  await expectFocus(page, '<button> „PayPal"', 'after ArrowRight on the tabs');
  assert.equal(
    await page.locator('#tab-paypal').getAttribute('aria-selected'),
    'true',
    'ArrowRight chooses PayPal',
  );
  // PayPal has nothing to fill in: its panel is the next stop, so its words are not skipped.
  await page.keyboard.press('Tab');
  assert.match(await focusedElement(page), /^<div> „Sie werden zu PayPal weitergeleitet/);
  await tabTo(page, button('Abbrechen'));
  await page.keyboard.press('Space');
  await expectFocus(page, button('Zahlungsmethode hinzufügen'), 'after closing the form');

  await openSectionByKeyboard(page, 'Zahlungsmethoden', 'Rechnung und Versand');
  await tabTo(page, button('Informationen aktualisieren'));
  await page.keyboard.press('Enter');
  await expectFocus(page, field('text', 'Name'), 'when „Informationen aktualisieren" opens');
  await tabTo(page, button('Abbrechen'));
  await page.keyboard.press('Enter');
  await expectFocus(page, button('Informationen aktualisieren'), 'after „Abbrechen"');

  await openSectionByKeyboard(page, 'Rechnung und Versand', 'Rechnungen');
  await tabTo(page, '<select> „Jahr"');

  await openSectionByKeyboard(page, 'Rechnungen', 'Übersicht');
  await tabTo(page, button('Abmelden'), {backwards: true});
  await page.keyboard.press('Enter');
  await page.getByText('Sie wurden abgemeldet.').waitFor();
  await expectFocus(page, field('email', 'E-Mail-Adresse'), 'after „Abmelden"');
}

describe('the keyboard alone, from login to logout', () => {
  let demo: Demo;
  let browser: Browser;
  useDemo({port: 0}, (started) => ({demo, browser} = started));

  it('inline on /kundenportal', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 1280, height: 900},
    });
    const page = await context.newPage();
    await page.goto(`${demo.pagesUrl}/kundenportal`);
    await page.getByLabel('E-Mail-Adresse').waitFor();

    await tabTo(page, field('email', 'E-Mail-Adresse'));
    await page.keyboard.type('fahrer@example.com');
    await page.keyboard.press('Enter');
    await expectFocus(page, heading('Prüfen Sie Ihr Postfach'), 'after asking for the link');

    await page.goto(await mailLink(demo, 'fahrer@example.com', '/kundenportal'));
    await expectFocus(page, heading('Übersicht'), 'after logging in with the mail link');

    await useTheDashboard(page);
    await context.close();
  });

  it('in the dialog on /, opened from the yellow support button with Enter', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 1280, height: 900},
    });
    const page = await context.newPage();
    const supportButton = button('Hilfe und Kundenportal');
    await page.goto(`${demo.pagesUrl}/`);

    await tabTo(page, supportButton, {max: 60});
    await page.keyboard.press('Enter');
    await expectFocus(page, field('email', 'E-Mail-Adresse'), 'when the dialog opens');
    await page.keyboard.type('paypal@example.com');
    await page.keyboard.press('Enter');
    await expectFocus(page, heading('Prüfen Sie Ihr Postfach'), 'after asking for the link');
    await page.keyboard.press('Escape');
    await expectFocus(page, supportButton, 'after closing the dialog with Escape');
    assert.equal(await page.locator('dialog[open]').count(), 0, 'the dialog is closed');

    // The mail's link opens the page, and the dialog opens itself.
    await page.goto(await mailLink(demo, 'paypal@example.com', '/'));
    await expectFocus(page, heading('Übersicht'), 'after logging in with the mail link');
    await useTheDashboard(page);

    await page.keyboard.press('Escape');
    assert.equal(await page.locator('dialog[open]').count(), 0, 'Escape closes the dialog');
    await tabTo(page, supportButton, {max: 60});
    await page.keyboard.press('Enter');
    await expectFocus(page, field('email', 'E-Mail-Adresse'), 'when the dialog opens again');
    await page.keyboard.press('Escape');
    await expectFocus(page, supportButton, 'after closing the dialog again');
    await context.close();
  });
});

/**
 * Where focus is and whether it is out of sight: entirely under the dialog's sticky header or
 * outside the viewport (WCAG 2.4.11 Focus Not Obscured). `null` for the header's own controls.
 */
function focusHiddenBehindHeader(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    const header = document
      .querySelector('conroo-billing-portal[mode="dialog"]')
      ?.shadowRoot?.querySelector('.dialog-header');
    if (!element || !header || header.contains(element)) return null;
    const box = element.getBoundingClientRect();
    const headerBottom = header.getBoundingClientRect().bottom;
    const hidden = box.bottom <= headerBottom || box.top >= window.innerHeight;
    return hidden
      ? `<${element.localName}#${element.id}> at ${Math.round(box.top)}…${Math.round(box.bottom)} px, the header ends at ${Math.round(headerBottom)} px`
      : null;
  });
}

/**
 * Everything of the portal that sticks out of the viewport sideways or is cut off by its box
 * (overflow hidden, an ellipsis, a scroll box), as readable lines; plus the page's own sideways
 * scrolling.
 */
function reflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > window.innerWidth) {
      problems.push(
        `the page scrolls sideways: ${document.documentElement.scrollWidth} px in ${window.innerWidth} px`,
      );
    }
    const parentOf = (node: Element): Element | null =>
      node.assignedSlot ?? node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
    /** Hidden on purpose: for screen readers only (clipped to a pixel). */
    const clipped = (element: Element) => {
      for (let node: Element | null = element; node; node = parentOf(node)) {
        if (getComputedStyle(node).clipPath !== 'none') return true;
      }
      return false;
    };
    const describe = (element: Element) => {
      const text = element.textContent?.replace(/\s+/g, ' ').trim().slice(0, 40) ?? '';
      const part = element.getAttribute('part');
      return `<${element.localName}${element.id ? `#${element.id}` : ''}${part ? ` part=${part}` : ''}> „${text}"`;
    };
    const all: Element[] = [];
    const walk = (root: Element | ShadowRoot) => {
      for (const child of Array.from(root.children)) {
        all.push(child);
        if (child.shadowRoot) walk(child.shadowRoot);
        walk(child);
      }
    };
    for (const portal of Array.from(document.querySelectorAll('conroo-billing-portal'))) {
      all.push(portal);
      walk(portal.shadowRoot!);
      walk(portal);
    }
    const formControl = /^(input|select|textarea|option|svg|path|circle|style)$/;
    for (const element of all) {
      if (!element.checkVisibility() || formControl.test(element.localName) || clipped(element)) {
        continue;
      }
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        problems.push(
          `${describe(element)} reaches ${Math.round(box.left)}…${Math.round(box.right)} px of ${width} px`,
        );
      }
      const style = getComputedStyle(element);
      const cuts = ['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX);
      if (cuts && element.scrollWidth > element.clientWidth + 1) {
        problems.push(
          `${describe(element)} cuts off ${element.scrollWidth - element.clientWidth} px of its content`,
        );
      }
    }
    return problems;
  });
}

describe('focus is never hidden under the dialog’s sticky header (WCAG 2.4.11)', () => {
  let demo: Demo;
  let browser: Browser;
  useDemo({port: 0}, (started) => ({demo, browser} = started));

  it('at 200 % zoom, Shift+Tab from „Abbrechen" up through „Informationen aktualisieren"', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: {width: 640, height: 400},
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await loginByMail(page, demo, 'firma@example.com', '/');
    await navigate(page, 'Rechnung und Versand');
    await page.getByRole('button', {name: 'Informationen aktualisieren'}).click();
    await page.locator('conroo-billing-details-form').waitFor();
    await tabTo(page, button('Abbrechen'));
    const hidden: string[] = [];
    for (let presses = 0; presses < 20; presses++) {
      await page.keyboard.press('Shift+Tab');
      const problem = await focusHiddenBehindHeader(page);
      if (problem) hidden.push(problem);
    }
    assert.deepEqual(hidden, [], 'focused controls out of sight');
    await context.close();
  });
});

/** Waits until no part of the portal is loading or busy (shadow roots included). */
function settled(page: Page) {
  return page.waitForFunction(
    () => {
      const busy = (root: Document | ShadowRoot): boolean =>
        Boolean(root.querySelector('[aria-busy="true"], [part~="loading"]')) ||
        Array.from(root.querySelectorAll('*')).some(
          (element) => element.shadowRoot !== null && busy(element.shadowRoot),
        );
      return !busy(document);
    },
    undefined,
    {timeout: 5000},
  );
}

const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * What axe-core (WCAG 2.0–2.2 A/AA and best practices) finds in the portal on the real page, as
 * built and laid out at this size: one line per rule and place.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({path: axeScript});
  }
  return page.evaluate(async () => {
    type Axe = {
      run(
        context: string,
        options: object,
      ): Promise<{
        violations: Array<{id: string; nodes: Array<{target: unknown; failureSummary?: string}>}>;
      }>;
    };
    const {violations} = await (window as unknown as {axe: Axe}).axe.run('conroo-billing-portal', {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return violations.flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} at ${JSON.stringify(node.target)}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`,
      ),
    );
  });
}

/**
 * WCAG 1.4.10 and 1.4.4: at 320 CSS px, and at 200 % zoom of a 1280 px window (640 CSS px
 * wide, two device pixels each), every view reflows: no sideways scrolling, nothing cut off.
 */
const screens: Array<{name: string; options: BrowserContextOptions; textSpacing?: boolean}> = [
  {name: '320 px wide', options: {viewport: {width: 320, height: 640}}},
  {
    name: '1280 px at 200 % zoom',
    options: {viewport: {width: 640, height: 400}, deviceScaleFactor: 2},
  },
  {
    name: '320 px wide with the text spacing of WCAG 1.4.12',
    options: {viewport: {width: 320, height: 640}},
    textSpacing: true,
  },
];

/**
 * WCAG 1.4.12's spacing (line height 1.5, paragraphs 2 em apart, letters 0.12 em, words 0.16 em),
 * as a reader's style sheet would set it, in the page and in every shadow root of the portal.
 */
function applyTextSpacing(page: Page) {
  return page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
      word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`);
    const apply = (root: Document | ShadowRoot) => {
      if (
        !root.adoptedStyleSheets.some((adopted) => adopted.cssRules[0]?.cssText.includes('0.12em'))
      ) {
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      }
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element.shadowRoot) apply(element.shadowRoot);
      }
    };
    apply(document);
  });
}

for (const screen of screens) {
  describe(`every view reflows at ${screen.name}`, () => {
    let demo: Demo;
    let browser: Browser;
    let page: Page;
    /** A browser of its own, logged out. */
    const newPage = async () => {
      // bypassCSP: the demo's Content-Security-Policy would refuse axe's script tag.
      const context = await browser.newContext({
        locale: 'de-DE',
        bypassCSP: true,
        ...screen.options,
      });
      // tsx names the functions below with a helper of its own, which the page does not have.
      await context.addInitScript('globalThis.__name ??= (fn) => fn;');
      return context.newPage();
    };
    useDemo({port: 0}, async (started) => {
      ({demo, browser} = started);
      page = await newPage();
    });

    const expectReflow = async (view: string) => {
      await settled(page);
      if (screen.textSpacing) await applyTextSpacing(page);
      assert.deepEqual(await reflowProblems(page), [], `${view} at ${screen.name}`);
      assert.deepEqual(await axeViolations(page), [], `axe in ${view} at ${screen.name}`);
    };

    it('the login form, with an error, and „Prüfen Sie Ihr Postfach"', async () => {
      await page.goto(`${demo.pagesUrl}/kundenportal`);
      await page.getByLabel('E-Mail-Adresse').fill('fahrer@example');
      await page.getByRole('button', {name: 'Link anfordern'}).click();
      await page.getByText('Bitte geben Sie eine gültige E-Mail-Adresse ein.').waitFor();
      await expectReflow('the login form with a field error');
      await askForLink(page, 'firma@example.com');
      await expectReflow('„Prüfen Sie Ihr Postfach"');
    });

    it('each section of the dashboard and both forms', async () => {
      await loginByMail(page, demo, 'firma@example.com');
      await page.getByRole('heading', {name: 'Übersicht'}).waitFor();
      await expectReflow('„Übersicht"');

      await navigate(page, 'Zahlungsmethoden');
      await page.locator('conroo-payment-methods [part~="item"]').first().waitFor();
      await expectReflow('„Zahlungsmethoden"');
      await page.getByRole('button', {name: 'Zahlungsmethode hinzufügen'}).click();
      await page.locator('#card-number').waitFor();
      await expectReflow('„Zahlungsmethode hinzufügen"');

      await navigate(page, 'Rechnung und Versand');
      await page.getByRole('button', {name: 'Informationen aktualisieren'}).click();
      await page.locator('conroo-billing-details-form').waitFor();
      await expectReflow('„Informationen aktualisieren"');

      await navigate(page, 'Rechnungen');
      await page.locator('conroo-invoices table').waitFor();
      await expectReflow('„Rechnungen"');
    });

    it('the dialog with the dashboard', async () => {
      page = await newPage();
      await loginByMail(page, demo, 'offen@example.com', '/');
      await page.getByRole('heading', {name: 'Übersicht'}).waitFor();
      await expectReflow('the dialog with „Übersicht"');
      await navigate(page, 'Rechnungen');
      await page.locator('conroo-invoices table').waitFor();
      await expectReflow('the dialog with „Rechnungen"');
    });
  });
}
