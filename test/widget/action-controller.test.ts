import {expect, fixture, html as testHtml} from '@open-wc/testing';
import {LitElement, html} from 'lit';
import {ApiError} from '../../widget/api/portal-api-client.js';
import {ActionController} from '../../widget/controllers/action-controller.js';

/** A tiny host that shows what its action does, as a section would. */
class ActionHost extends LitElement {
  readonly action = new ActionController<string>(this);

  override render() {
    const {running, failure} = this.action;
    return html`<p>${running ? `busy:${running}` : 'idle'}</p>
      <p>${failure ? `failed:${failure.key}:${failure.code}` : 'ok'}</p>`;
  }
}
customElements.define('action-host', ActionHost);

/** A promise the test settles when it wants to, and the signal the action got. */
function controllable<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let signal!: AbortSignal;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const work = (given: AbortSignal) => {
    signal = given;
    return promise;
  };
  return {work, resolve, reject, signal: () => signal};
}

async function shown(host: ActionHost) {
  await host.updateComplete;
  return [...host.renderRoot.querySelectorAll('p')].map((p) => p.textContent);
}

describe('ActionController', () => {
  it('shows the host busy with the item while its action runs, and idle when it is done', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const save = controllable<string>();
    const outcome = host.action.run('pm_1', save.work);
    expect(await shown(host)).to.deep.equal(['busy:pm_1', 'ok']);
    expect(host.action.busy).to.equal(true);

    save.resolve('saved');
    expect(await outcome).to.deep.equal({status: 'done', value: 'saved'});
    expect(await shown(host)).to.deep.equal(['idle', 'ok']);
    expect(host.action.busy).to.equal(false);
  });

  it('keeps a failure as the server error code until the next run', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const outcome = await host.action.run('pm_1', () =>
      Promise.reject(new ApiError(503, 'stripe_unavailable', 'Stripe is unavailable.')),
    );
    expect(outcome).to.include({status: 'failed', code: 'stripe_unavailable'});
    expect(await shown(host)).to.deep.equal(['idle', 'failed:pm_1:stripe_unavailable']);

    const retry = controllable<void>();
    const next = host.action.run('pm_1', retry.work);
    expect(await shown(host)).to.deep.equal(['busy:pm_1', 'ok']);
    retry.resolve();
    await next;
  });

  it('names a failure that is no server answer „unexpected"', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const outcome = await host.action.run('zip', () => Promise.reject(new TypeError('boom')));
    expect(outcome).to.include({status: 'failed', code: 'unexpected'});
    expect(host.action.failure?.code).to.equal('unexpected');
  });

  it('aborts the running action when a newer one starts; only the newer one counts', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const first = controllable<string>();
    const second = controllable<string>();
    const firstOutcome = host.action.run('a.pdf', first.work);
    const secondOutcome = host.action.run('b.pdf', second.work);
    expect(first.signal().aborted).to.equal(true);
    expect(second.signal().aborted).to.equal(false);

    first.reject(new DOMException('aborted', 'AbortError'));
    expect(await firstOutcome).to.deep.equal({status: 'dropped'});
    expect(await shown(host)).to.deep.equal(['busy:b.pdf', 'ok']);

    second.resolve('b');
    expect(await secondOutcome).to.deep.equal({status: 'done', value: 'b'});
    expect(await shown(host)).to.deep.equal(['idle', 'ok']);
  });

  it('aborts the running action when the host leaves the page, and tells no failure', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const save = controllable<string>();
    const outcome = host.action.run('pm_1', save.work);
    host.remove();
    expect(save.signal().aborted).to.equal(true);
    expect(host.action.busy).to.equal(false);

    save.reject(new ApiError(0, 'network_error', 'aborted'));
    expect(await outcome).to.deep.equal({status: 'dropped'});
    expect(host.action.failure).to.equal(undefined);
  });

  it('with keepOnDisconnect, finishes the action after the host left (a dialog closed while a link is requested)', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const action = new ActionController(host, {keepOnDisconnect: true});
    const request = controllable<string>();
    const outcome = action.run(true, request.work);
    host.remove();
    expect(request.signal().aborted).to.equal(false);
    expect(action.busy).to.equal(true);

    request.resolve('sent');
    expect(await outcome).to.deep.equal({status: 'done', value: 'sent'});
    expect(action.busy).to.equal(false);
  });

  it('leaves an ended session to the portal: no failure to show', async () => {
    const host = await fixture<ActionHost>(testHtml`<action-host></action-host>`);
    const outcome = await host.action.run('pm_1', () =>
      Promise.reject(new ApiError(401, 'not_authenticated', 'The session has ended.')),
    );
    expect(outcome).to.deep.equal({status: 'dropped'});
    expect(await shown(host)).to.deep.equal(['idle', 'ok']);
  });
});
