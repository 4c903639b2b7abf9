import {expect} from '@open-wc/testing';
import {linkTokenParameter} from '../../widget/link-token.js';
import {
  portalWantedByLocation,
  setupReturnParameter,
  tokenFragmentParameter,
} from '../../widget/loader/location-signals.js';
import {startPortalLoader, type PortalLoader} from '../../widget/loader/portal-loader.js';
import {hasSetupReturnInLocation} from '../../widget/payment-form/setup-return.js';
import {resetMockApi, startMockApi} from './support/portal-api-mock.js';
import {waitUntil} from './support/wait-timeout.js';

// The loader: what a page with `<conroo-billing-portal>` pays until the portal is used, and the
// calls it makes meanwhile. Each test watches a tag of its own (a tag is defined once per page)
// and loads a stand-in element that records what was called on it.

let count = 0;

interface Setup {
  tag: string;
  loader: PortalLoader;
  /** How often `load` ran. */
  loads: () => number;
  /** `show`/`hide` as the loaded element received them. */
  received: string[];
  /** Makes the next load fail, like a dropped connection. */
  failNext: () => void;
}

const nextTag = () => `x-loader-portal-${++count}`;

function setup({
  wanted = false,
  tag = nextTag(),
  held,
}: {wanted?: boolean; tag?: string; held?: Promise<void>} = {}): Setup {
  const received: string[] = [];
  let loads = 0;
  let fail = false;
  const loader = startPortalLoader({
    tag,
    wantedByLocation: () => wanted,
    load: async () => {
      loads++;
      await held;
      if (fail) {
        fail = false;
        throw new TypeError('Failed to fetch dynamically imported module');
      }
      customElements.define(
        tag,
        class extends HTMLElement {
          show() {
            received.push(`show:${this.id}`);
          }
          hide() {
            received.push(`hide:${this.id}`);
          }
        },
      );
    },
  });
  return {tag, loader, loads: () => loads, received, failNext: () => (fail = true)};
}

function place(tag: string, attributes: Record<string, string>, style = '') {
  const element = document.createElement(tag) as HTMLElement & {show(): void; hide(): void};
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.style.cssText = `display: block; height: 10px; ${style}`;
  document.body.append(element);
  return element;
}

/** Lets the observers report (each reports in a later task or frame). */
async function observersRan() {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}

afterEach(() => {
  document.querySelectorAll('[id^="loader-"]').forEach((element) => element.remove());
  document.body.style.height = '';
});

describe('the portal loader', () => {
  it('loads nothing for a dialog nobody opens', async () => {
    const {tag, loads} = setup();
    const dialog = place(tag, {mode: 'dialog', id: 'loader-a'});
    await observersRan();
    expect(loads()).to.equal(0);
    expect(customElements.get(tag)).to.equal(undefined);
    expect(typeof dialog.show).to.equal('function');
  });

  it('loads on show() and makes the calls made meanwhile on the element, in order', async () => {
    // The page's markup is there before the loader runs (a module script runs deferred).
    const tag = nextTag();
    const dialog = place(tag, {mode: 'dialog', id: 'loader-b'});
    const {loader, loads, received} = setup({tag});
    dialog.show();
    dialog.hide();
    dialog.show();
    await loader.loading;
    expect(loads()).to.equal(1);
    expect(received).to.deep.equal(['show:loader-b', 'hide:loader-b', 'show:loader-b']);
    // The element's own methods from now on.
    expect(Object.prototype.hasOwnProperty.call(dialog, 'show')).to.equal(false);
    dialog.hide();
    expect(received.at(-1)).to.equal('hide:loader-b');
  });

  it('loads for a dialog with the open attribute, also when the page sets it later', async () => {
    const {tag, loader, loads} = setup();
    const dialog = place(tag, {mode: 'dialog', id: 'loader-c'});
    await observersRan();
    expect(loads()).to.equal(0);
    dialog.setAttribute('open', '');
    await waitUntil(() => loader.loading !== undefined, 'a load');
    await loader.loading;
    expect(loads()).to.equal(1);
    expect(customElements.get(tag)).to.exist;
  });

  it('loads an inline portal only when it comes near the viewport', async () => {
    const {tag, loader, loads} = setup();
    const inline = place(tag, {id: 'loader-d'}, 'margin-top: 3000px');
    await observersRan();
    expect(loads()).to.equal(0);
    inline.scrollIntoView();
    await waitUntil(() => loader.loading !== undefined, 'a load once in view');
    await loader.loading;
    expect(loads()).to.equal(1);
    window.scrollTo(0, 0);
  });

  it('loads at once when the address bar holds a mail link or a redirect result', async () => {
    const {tag, loader} = setup({wanted: true});
    place(tag, {mode: 'dialog', id: 'loader-e'});
    await waitUntil(() => loader.loading !== undefined, 'a load');
    await loader.loading;
    expect(customElements.get(tag)).to.exist;
  });

  it('gives a tag added later its methods too', async () => {
    const {tag, loader, received} = setup();
    await observersRan();
    const late = place(tag, {mode: 'dialog', id: 'loader-f'});
    await waitUntil(() => typeof late.show === 'function', 'show() on the new tag');
    late.show();
    await loader.loading;
    expect(received).to.deep.equal(['show:loader-f']);
  });

  it('tries again on the next use when the load failed, and keeps the calls', async () => {
    const tag = nextTag();
    const dialog = place(tag, {mode: 'dialog', id: 'loader-g'});
    const {loader, loads, received, failNext} = setup({tag});
    failNext();
    dialog.show();
    await loader.loading?.catch(() => undefined);
    expect(customElements.get(tag)).to.equal(undefined);
    expect(received).to.deep.equal([]);
    dialog.show();
    await loader.loading;
    expect(loads()).to.equal(2);
    expect(received).to.deep.equal(['show:loader-g', 'show:loader-g']);
  });

  it('makes the calls of the tags still on the page when one was removed while it loaded', async () => {
    const tag = nextTag();
    const gone = place(tag, {mode: 'dialog', id: 'loader-h1'});
    const stays = place(tag, {mode: 'dialog', id: 'loader-h2'});
    let arrive!: () => void;
    const {loader, received} = setup({tag, held: new Promise((resolve) => (arrive = resolve))});
    gone.show();
    gone.remove();
    stays.show();
    arrive();
    await loader.loading;
    expect(received).to.deep.equal(['show:loader-h2']);
    // The removed tag becomes the element once it is back, and its stand-in calls it.
    document.body.append(gone);
    gone.show();
    expect(received.at(-1)).to.equal('show:loader-h1');
  });

  it('a stand-in kept by reference calls the element after the load', async () => {
    const tag = nextTag();
    const dialog = place(tag, {mode: 'dialog', id: 'loader-i'});
    const {loader, received} = setup({tag});
    const show = dialog.show.bind(dialog);
    dialog.show();
    await loader.loading;
    show();
    expect(received).to.deep.equal(['show:loader-i', 'show:loader-i']);
  });

  it('loads a dialog whose open property the page sets, and hands the value on', async () => {
    const tag = nextTag();
    const dialog = place(tag, {mode: 'dialog', id: 'loader-j'}) as unknown as HTMLElement & {
      open: boolean;
    };
    const {loader} = setup({tag});
    expect(dialog.open).to.equal(false);
    dialog.open = true;
    await waitUntil(() => loader.loading !== undefined, 'a load');
    await loader.loading;
    expect(dialog.open).to.equal(true);
  });

  it('reads the address bar by the names the element uses', () => {
    expect(tokenFragmentParameter).to.equal(linkTokenParameter);
    const before = location.href;
    try {
      history.replaceState(null, '', `${location.pathname}?${setupReturnParameter}=seti_1`);
      expect(hasSetupReturnInLocation()).to.equal(true);
      expect(portalWantedByLocation()).to.equal(true);
      history.replaceState(null, '', `${location.pathname}#${linkTokenParameter}=abc`);
      expect(portalWantedByLocation()).to.equal(true);
      history.replaceState(null, '', location.pathname);
      expect(portalWantedByLocation()).to.equal(false);
    } finally {
      history.replaceState(null, '', before);
    }
  });
});

describe('the loader of <conroo-billing-portal>', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('opens the real dialogs on show() and on the open property, both before it was there', async () => {
    const shown = place('conroo-billing-portal', {mode: 'dialog', id: 'loader-real-1'});
    const opened = place('conroo-billing-portal', {mode: 'dialog', id: 'loader-real-2'});
    const closed = place('conroo-billing-portal', {mode: 'dialog', id: 'loader-real-3'});
    await import('../../widget/loader.js');
    expect(customElements.get('conroo-billing-portal')).to.equal(undefined);
    (opened as unknown as HTMLElement & {open: boolean}).open = true;
    shown.show();
    await customElements.whenDefined('conroo-billing-portal');
    for (const dialog of [shown, opened]) {
      await waitUntil(() => dialog.shadowRoot?.querySelector('dialog')?.open, dialog.id);
      expect(dialog.hasAttribute('open')).to.equal(true);
    }
    expect(closed.hasAttribute('open')).to.equal(false);
    for (const dialog of [shown, opened, closed]) dialog.remove();
  });
});
