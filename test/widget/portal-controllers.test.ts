import {expect, fixture, html} from '@open-wc/testing';
import {LitElement} from 'lit';
import {DialogController} from '../../widget/controllers/dialog-controller.js';
import {LazyPartsController} from '../../widget/controllers/lazy-parts-controller.js';
import {LazyPart, PartLoadError} from '../../widget/lazy-part.js';
import {waitUntil} from './support/wait-timeout.js';

// The root element's controllers, each through a tiny host.

class PartsHost extends LitElement {
  view = 'login';
  lazyPart = new LazyPart('test-part', () => Promise.resolve());
  readonly parts = new LazyPartsController(this, () => ({
    view: this.view,
    now: this.view === 'next' ? this.lazyPart : undefined,
    next: this.view === 'login' ? this.lazyPart : undefined,
  }));
}
customElements.define('test-parts-host', PartsHost);

class DialogHost extends LitElement {
  static override properties = {open: {type: Boolean}};
  mode: 'inline' | 'dialog' = 'dialog';
  open = false;
  opened = 0;
  readonly dialog = new DialogController(this, () => this.opened++);
  override render() {
    return html`<dialog @close=${this.dialog.handleClose}><button>in</button></dialog>`;
  }
}
customElements.define('test-dialog-host', DialogHost);

describe('LazyPartsController', () => {
  it('loads the next view’s part ahead, once', async () => {
    let imports = 0;
    const host = await fixture<PartsHost>(html`<test-parts-host></test-parts-host>`);
    host.lazyPart = new LazyPart('test-part', () => (imports++, Promise.resolve()));
    host.requestUpdate();
    await waitUntil(() => host.lazyPart.loaded, 'the part loaded');
    host.requestUpdate();
    await host.updateComplete;
    expect(imports).to.equal(1);
  });

  it('keeps a failed load for „Erneut versuchen", which loads it again', async () => {
    let fails = true;
    const host = await fixture<PartsHost>(html`<test-parts-host></test-parts-host>`);
    host.lazyPart = new LazyPart('test-part', () =>
      fails ? Promise.reject(new TypeError('offline')) : Promise.resolve(),
    );
    host.view = 'next';
    host.requestUpdate();
    await waitUntil(() => host.parts.failed(host.lazyPart), 'the failure kept');
    expect(host.parts.error(host.lazyPart)).to.be.instanceOf(PartLoadError);

    fails = false;
    host.parts.load(host.lazyPart);
    await waitUntil(() => host.lazyPart.loaded, 'the part loaded on retry');
    expect(host.parts.failed(host.lazyPart)).to.equal(false);
  });
});

describe('DialogController', () => {
  it('opens the modal dialog with `open` and gives focus back when it closes', async () => {
    const opener = await fixture<HTMLButtonElement>(html`<button>open</button>`);
    opener.focus();
    const host = await fixture<DialogHost>(html`<test-dialog-host></test-dialog-host>`);
    const dialog = host.renderRoot.querySelector('dialog')!;
    expect(dialog.open).to.equal(false);

    host.open = true;
    await host.updateComplete;
    expect(dialog.open).to.equal(true);
    expect(host.opened).to.equal(1);

    dialog.close();
    await waitUntil(() => !host.open, 'open follows the dialog');
    expect(document.activeElement).to.equal(opener);
  });
});
