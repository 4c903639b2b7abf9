import {expect, fixture, html} from '@open-wc/testing';
import '../../widget/index.js';
import {requestsTo, resetMockApi, signInAs, startMockApi} from './support/portal-api-mock.js';
import {find, findAll, textOf, waitForButton, waitForElement} from './support/dom.js';
import {openSection} from './support/portal-mount.js';
import {contrast} from './support/contrast.js';
import {fetchesSettled} from './support/test-requests.js';
import type {ConrooBillingPortal} from '../../widget/conroo-billing-portal.js';

// The element on somebody else's page: the page's CSS stays out, the portal's stays in, and the
// page restyles it only through the documented tokens and parts.

const watched = [
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'letter-spacing',
  'word-spacing',
  'line-height',
  'text-transform',
  'text-align',
  'white-space',
  'color',
  'background-color',
] as const;

function styleOf(element: Element): Record<string, string> {
  const style = getComputedStyle(element);
  return Object.fromEntries(watched.map((name) => [name, style.getPropertyValue(name)]));
}

/** The computed style of the login form's heading, label, field and button. */
async function loginFormStyles(portal: Element) {
  await waitForButton(portal, 'Link anfordern');
  const form = find(portal, 'conroo-login-form')!;
  return {
    heading: styleOf(find(form, 'h2')!),
    label: styleOf(find(form, 'label')!),
    input: styleOf(find(form, 'input[type=email]')!),
    button: styleOf(find(form, 'button[type=submit]')!),
  };
}

function addPageStyle(css: string): HTMLStyleElement {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  return style;
}

describe('embedding', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('is not affected by the host page’s CSS', async () => {
    const plain = await fixture(html`<div><conroo-billing-portal></conroo-billing-portal></div>`);
    const expected = await loginFormStyles(plain);
    plain.remove();

    const hostile = addPageStyle(`
      * { letter-spacing: 3px; word-spacing: 12px; text-transform: uppercase; font-style: italic; }
      body, div, conroo-billing-portal {
        color: rgb(255, 0, 0); font-family: cursive; font-size: 30px; font-weight: 900;
        line-height: 4; white-space: pre; text-align: right; background-color: rgb(0, 0, 255);
      }
      h2, label, input, button { all: unset; color: rgb(255, 0, 0); }
    `);
    try {
      const page = await fixture(html`<div><conroo-billing-portal></conroo-billing-portal></div>`);
      expect(await loginFormStyles(page)).to.deep.equal(expected);
    } finally {
      hostile.remove();
    }
  });

  it('keeps the host page’s CSS out of the payment form too, which lives in the page’s DOM', async () => {
    const paymentForm = async () => {
      signInAs('fahrer@example.com');
      const portal = await fixture<ConrooBillingPortal>(
        html`<conroo-billing-portal></conroo-billing-portal>`,
      );
      await openSection(portal, 'Zahlungsmethoden');
      (await waitForButton(portal, 'Zahlungsmethode hinzufügen')).click();
      const form = await waitForElement(portal, 'stripe-demo-payment-element');
      const number = await waitForElement(form, '#card-number');
      const styles = {
        number: styleOf(number),
        label: styleOf(find(form, 'label')!),
        slot: getComputedStyle(portal.querySelector('[slot="stripe-payment-element"]')!).padding,
      };
      portal.remove();
      resetMockApi();
      return styles;
    };
    const expected = await paymentForm();
    const hostile = addPageStyle(`
      * { letter-spacing: 3px; text-transform: uppercase; font-family: cursive; line-height: 4; }
      div { padding: 40px; color: rgb(255, 0, 0); }
    `);
    try {
      expect(await paymentForm()).to.deep.equal(expected);
    } finally {
      hostile.remove();
    }
  });

  it('does not change how the rest of the page looks', async () => {
    const page = await fixture(
      html`<div>
        <h2>Slots buchen</h2>
        <p>Text der Seite</p>
        <button>Hilfe</button>
        <input />
      </div>`,
    );
    const elements = [...page.children];
    const before = elements.map(styleOf);
    const portal = document.createElement('conroo-billing-portal');
    page.append(portal);
    await waitForButton(portal, 'Link anfordern');
    expect(elements.map(styleOf)).to.deep.equal(before);
  });

  it('takes its colours and font from the --conroo-* tokens the page sets', async () => {
    const portal = await fixture<ConrooBillingPortal>(
      html`<conroo-billing-portal
        style="--conroo-accent: rgb(0, 90, 200); --conroo-accent-text: rgb(255, 255, 255); --conroo-font: monospace; --conroo-radius: 0px"
      ></conroo-billing-portal>`,
    );
    const button = await waitForButton(portal, 'Link anfordern');
    const style = getComputedStyle(button);
    expect(style.backgroundColor).to.equal('rgb(0, 90, 200)');
    expect(style.color).to.equal('rgb(255, 255, 255)');
    expect(style.fontFamily).to.equal('monospace');
    expect(style.borderTopLeftRadius).to.equal('0px');
  });

  it('lets the page style its main pieces with ::part(), through every nested shadow root', async () => {
    const marked = 'rgb(1, 2, 3)';
    const style = addPageStyle(
      ['submit', 'card', 'sidebar', 'nav', 'preview', 'pdf-link', 'language-select']
        .map((part) => `conroo-billing-portal::part(${part}) { outline: 3px solid ${marked}; }`)
        .join('\n'),
    );
    const outlined = (element: Element | null | undefined) =>
      element ? getComputedStyle(element).outlineColor === marked : false;
    try {
      signInAs('fahrer@example.com');
      const portal = await fixture<ConrooBillingPortal>(
        html`<conroo-billing-portal></conroo-billing-portal>`,
      );
      const overview = await waitForElement(portal, 'conroo-overview');
      await waitForElement(overview, '[part~="card"]');
      expect(outlined(find(overview, '[part~="card"]')), 'a card of the overview').to.equal(true);
      expect(outlined(find(portal, '[part~="sidebar"]')), 'the sidebar').to.equal(true);
      expect(outlined(find(portal, '[part~="language-select"]')), 'the language').to.equal(true);

      await openSection(portal, 'Rechnung und Versand');
      (await waitForButton(portal, 'Informationen aktualisieren')).click();
      const form = await waitForElement(portal, 'conroo-billing-details-form');
      await waitForElement(form, '[part~="preview"]');
      expect(outlined(find(form, '[part~="preview"]')), 'the billing form preview').to.equal(true);
      expect(outlined(find(form, '[part~="submit"]')), 'the billing form submit').to.equal(true);

      await openSection(portal, 'Rechnungen');
      const invoices = await waitForElement(portal, 'conroo-invoices');
      await waitForElement(invoices, '[part~="pdf-link"]');
      expect(findAll(invoices, '[part~="pdf-link"]').every(outlined), 'PDF links').to.equal(true);
    } finally {
      style.remove();
    }
  });

  it('spaces cards and sections by the --conroo-space token', async () => {
    signInAs('fahrer@example.com');
    const portal = await fixture<ConrooBillingPortal>(
      html`<conroo-billing-portal style="--conroo-space: 2rem"></conroo-billing-portal>`,
    );
    const overview = await waitForElement(portal, 'conroo-overview');
    const card = await waitForElement(overview, '[part~="card"]');
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
    expect(getComputedStyle(card).paddingTop).to.equal(`${2 * rem}px`);
    expect(getComputedStyle(card).paddingLeft).to.equal(`${2.5 * rem}px`);
  });

  it('stays readable on a dark page: it paints its own surface', async () => {
    const page = await fixture(
      html`<div style="background: rgb(17, 17, 17); color: rgb(238, 238, 238); padding: 1rem">
        <conroo-billing-portal></conroo-billing-portal>
      </div>`,
    );
    const portal = page.querySelector('conroo-billing-portal')!;
    await waitForButton(portal, 'Link anfordern');
    const surface = getComputedStyle(find(portal, '.portal')!).backgroundColor;
    expect(surface, 'an opaque background').to.match(/^rgb\(/);
    const heading = getComputedStyle(find(find(portal, 'conroo-login-form')!, 'h2')!).color;
    expect(contrast(heading, surface)).to.be.at.least(4.5);
  });

  it('fits a narrow column: nothing sticks out of the element', async () => {
    const column = await fixture(
      html`<div style="width: 280px"><conroo-billing-portal></conroo-billing-portal></div>`,
    );
    const portal = column.querySelector('conroo-billing-portal')!;
    await waitForButton(portal, 'Link anfordern');
    const edge = column.getBoundingClientRect().right;
    for (const control of ['input[type=email]', 'button[type=submit]', 'select']) {
      const right = find(portal, control)!.getBoundingClientRect().right;
      expect(right, control).to.be.at.most(edge);
    }
  });

  it('works inside another component’s shadow root: „Abmelden" leaves the login form with its notice', async () => {
    if (!customElements.get('test-shadow-host')) {
      customElements.define(
        'test-shadow-host',
        class extends HTMLElement {
          constructor() {
            super();
            this.attachShadow({mode: 'open'}).innerHTML =
              '<conroo-billing-portal></conroo-billing-portal>';
          }
        },
      );
    }
    signInAs('fahrer@example.com');
    const host = await fixture(html`<test-shadow-host></test-shadow-host>`);
    const portal = host.shadowRoot!.querySelector('conroo-billing-portal')!;
    (await waitForButton(portal, 'Abmelden')).click();
    await waitForElement(portal, 'input[type=email]');
    const sessionReads = requestsTo('GET', '/api/session').length;
    // Its own conroo-logout, seen from the page, has the outer host as its target: the portal
    // must not take it for another portal's and start over (which clears the notice).
    // Starting over would call fetch in the event's listener: once the portal has updated and
    // every fetch is answered, the log and the view show whether it did.
    await portal.updateComplete;
    await fetchesSettled();
    expect(textOf(portal)).to.include('Sie wurden abgemeldet.');
    expect(requestsTo('GET', '/api/session')).to.have.length(sessionReads);
  });

  it('can be hidden by the page with the hidden attribute', async () => {
    const portal = await fixture<ConrooBillingPortal>(
      html`<conroo-billing-portal hidden></conroo-billing-portal>`,
    );
    await waitForElement(portal, 'input[type=email]');
    expect(getComputedStyle(portal).display).to.equal('none');
  });
});
