import {expect, fixture, html} from '@open-wc/testing';
import {emulateMedia, setViewport} from '@web/test-runner-commands';
import {LitElement, css} from 'lit';
import {SectionRevealController} from '../../widget/controllers/section-reveal-controller.js';
import {waitUntil} from './support/wait-timeout.js';

/** A section as the dashboard has it: a heading, then (once loaded) its first card. */
class RevealTestHost extends LitElement {
  static override styles = css`
    .area {
      position: relative;
    }
    .box {
      position: absolute;
      visibility: hidden;
      scroll-margin-block: 8px;
    }
    h2 {
      height: 40px;
      margin: 0;
    }
    .card {
      height: var(--card-height, 200px);
    }
  `;
  static override properties = {loaded: {type: Boolean}};

  loaded = false;

  readonly reveal = new SectionRevealController(this, () => {
    const root = this.renderRoot;
    const card = root.querySelector('.card');
    return {
      box: root.querySelector<HTMLElement>('.box')!,
      area: root.querySelector<HTMLElement>('.area')!,
      start: root.querySelector('h2')!,
      end: card ?? root.querySelector('.loading') ?? undefined,
      complete: card !== null,
    };
  });

  override render() {
    return html`<div class="area">
      <div class="box"></div>
      <h2>Zahlungsmethoden</h2>
      ${this.loaded ? html`<div class="card"></div>` : html`<p class="loading">…</p>`}
    </div>`;
  }
}
customElements.define('reveal-test-host', RevealTestHost);

/** The host below `above` px of page, as a phone shows the CONROO page's header and intro. */
async function hostBelow(above: number, loaded = true) {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div>
      <div style="height: ${above}px"></div>
      <reveal-test-host ?loaded=${loaded}></reveal-test-host>
      <div style="height: 2000px"></div>
    </div>`,
  );
  const host = wrapper.querySelector<RevealTestHost>('reveal-test-host')!;
  await host.updateComplete;
  return host;
}

const rect = (host: RevealTestHost, selector: string) =>
  host.renderRoot.querySelector(selector)?.getBoundingClientRect() ?? new DOMRect(0, 1e6);

/** Two frames: the controller runs in the frame after the observer reports. */
const frames = () =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe('SectionRevealController', () => {
  before(async () => {
    await setViewport({width: 360, height: 600});
    // Instant scrolling, so that each test sees where the page ends up at once.
    await emulateMedia({reducedMotion: 'reduce'});
  });
  after(async () => {
    await emulateMedia({reducedMotion: 'no-preference'});
    await setViewport({width: 800, height: 600});
  });
  beforeEach(() => window.scrollTo(0, 0));

  it('does not scroll when heading and card are in view already', async () => {
    const host = await hostBelow(100);
    host.reveal.reveal();
    await frames();
    expect(window.scrollY).to.equal(0);
  });

  it('scrolls only until the card ends at the bottom edge (less its margin)', async () => {
    const host = await hostBelow(700);
    host.reveal.reveal();
    await waitUntil(() => window.scrollY > 0, 'the page scrolls');
    // The card's bottom 8 px (its margin) above the 600 px window's, not a pixel further.
    expect(rect(host, '.card').bottom).to.equal(592);
    expect(rect(host, 'h2').top).to.equal(352);
  });

  it('puts the heading at the top when heading and card do not fit together', async () => {
    const host = await hostBelow(700);
    host.style.setProperty('--card-height', '900px');
    host.reveal.reveal();
    await waitUntil(() => window.scrollY > 0, 'the page scrolls');
    expect(rect(host, 'h2').top).to.equal(8);
  });

  it('waits for the first card, and scrolls again when it arrives', async () => {
    const host = await hostBelow(700, false);
    host.reveal.reveal();
    await waitUntil(() => window.scrollY > 0, 'the loading state comes into view');
    expect(host.reveal.active).to.equal(true);
    host.loaded = true;
    await waitUntil(() => rect(host, '.card').bottom <= 600, 'the card comes into view');
    expect(rect(host, '.card').bottom).to.equal(592);
    expect(host.reveal.active).to.equal(false);
  });

  it('stops when the user scrolls or types before the card arrives', async () => {
    const host = await hostBelow(700, false);
    host.reveal.reveal();
    await waitUntil(() => window.scrollY > 0, 'the loading state comes into view');
    window.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown'}));
    expect(host.reveal.active).to.equal(false);
    const scrolled = window.scrollY;
    host.loaded = true;
    await host.updateComplete;
    await frames();
    expect(window.scrollY).to.equal(scrolled);
  });
});
