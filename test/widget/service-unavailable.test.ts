import {expect, html} from '@open-wc/testing';
import {http} from 'msw';
import '../../widget/index.js';
import type {ConrooBillingPortal} from '../../widget/conroo-billing-portal.js';
import {
  apiError,
  customerNow,
  requestsTo,
  resetMockApi,
  signInAs,
  startMockApi,
  worker,
} from './support/portal-api-mock.js';
import {
  buttonNamed,
  find,
  textOf,
  waitForButton,
  waitForElement,
  waitForText,
} from './support/dom.js';
import {mountPortal, openSection} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

// Issue 8, element side: the server answers `503 service_unavailable` (its store, Redis, is
// down) or `503 stripe_unavailable` with `Retry-After`. Every view says so in words, offers
// „Erneut versuchen" and keeps what was typed. (A `worker.use` override answers ahead of the
// mock's recorder: only the requests that reached the mock server are recorded.)

const unavailable = () => apiError(503, 'service_unavailable', {'Retry-After': '5'});

async function type(root: Element, id: string, value: string) {
  const control = find<HTMLInputElement>(root, `#${id}`)!;
  control.value = value;
  control.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  await (root as ConrooBillingPortal).updateComplete;
}

describe('when the portal server is unavailable (503)', () => {
  before(() => startMockApi());
  beforeEach(() => {
    resetMockApi();
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  });

  it('says so on the overview, in words, and loads it with „Erneut versuchen"', async () => {
    signInAs('fahrer@example.com');
    worker.use(http.get('*/api/account', unavailable, {once: true}));
    const portal = await mountPortal();
    const overview = await waitForElement(portal, 'conroo-overview');
    await waitForText(
      overview,
      'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
    );
    expect(find(overview, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    (await waitForButton(overview, 'Erneut versuchen')).click();
    await waitUntil(() => find(overview, '.cards'), 'the overview after the retry');
    expect(textOf(overview)).not.to.include('nicht erreichbar');
    expect(requestsTo('GET', '/api/account')).to.have.length(1);
  });

  it('tries a load again by itself after Retry-After, and says when', async () => {
    signInAs('fahrer@example.com');
    worker.use(
      http.get('*/api/account', () => apiError(503, 'service_unavailable', {'Retry-After': '1'}), {
        once: true,
      }),
    );
    const portal = await mountPortal();
    const overview = await waitForElement(portal, 'conroo-overview');
    // 1 s plus up to half again, rounded up.
    await waitForText(overview, 'Wir versuchen es in 2 Sekunden automatisch erneut.');
    expect(find(overview, '[part~="retry-notice"]')!.getAttribute('role')).to.equal('status');
    await waitUntil(() => find(overview, '.cards'), 'the overview, loaded again without a click');
    expect(textOf(overview)).not.to.include('automatisch erneut');
    expect(requestsTo('GET', '/api/account')).to.have.length(1);
  });

  it('says so in the user’s language', async () => {
    signInAs('fahrer@example.com');
    worker.use(http.get('*/api/account', unavailable, {once: true}));
    const portal = await mountPortal(
      html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
    );
    const overview = await waitForElement(portal, 'conroo-overview');
    await waitForText(
      overview,
      'The service cannot be reached right now. Please try again in a moment.',
    );
    expect(buttonNamed(overview, 'Try again')).to.exist;
  });

  it('keeps the billing form as typed when saving fails, and saves with „Erneut versuchen"', async () => {
    signInAs('fahrer@example.com');
    const portal = await mountPortal();
    await openSection(portal, 'Rechnung und Versand');
    const billing = await waitForElement(portal, 'conroo-billing-shipping');
    (await waitForButton(billing, 'Informationen aktualisieren')).click();
    const form = await waitForElement(billing, 'conroo-billing-details-form');
    await type(form, 'field-name', 'Spedition Muster GmbH & Co. KG');
    await type(form, 'field-address-line1', 'Neuer Wall 1');

    worker.use(http.put('*/api/billing-details', unavailable, {once: true}));
    buttonNamed(form, 'Speichern')!.click();
    await waitForText(
      billing,
      'Der Dienst ist gerade nicht erreichbar. Es wurde nichts gespeichert',
    );
    const failure = find(billing, '[part~="form-error"]')!;
    expect(textOf(failure)).to.include('Ihre Eingaben bleiben erhalten');
    expect(failure.getAttribute('role')).to.equal('alert');
    await waitUntil(() => failure.matches(':focus'), 'focus on the message');
    expect(find<HTMLInputElement>(form, '#field-name')!.value).to.equal(
      'Spedition Muster GmbH & Co. KG',
    );
    expect(find<HTMLInputElement>(form, '#field-address-line1')!.value).to.equal('Neuer Wall 1');

    buttonNamed(billing, 'Erneut versuchen')!.click();
    await waitForText(billing, 'Ihre Rechnungsdaten wurden gespeichert.');
    expect(requestsTo('PUT', '/api/billing-details')).to.have.length(1);
    expect(customerNow('cus_fahrer').name).to.equal('Spedition Muster GmbH & Co. KG');
    expect(customerNow('cus_fahrer').address?.line1).to.equal('Neuer Wall 1');
  });

  it('keeps the address in the login form and requests the link with „Erneut versuchen"', async () => {
    const portal = await mountPortal();
    const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
    input.value = 'fahrer@example.com';
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
    worker.use(http.post('*/api/auth/email-link', unavailable, {once: true}));
    (await waitForButton(portal, 'Link anfordern')).click();

    await waitForText(
      portal,
      'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
    );
    const form = find(portal, 'conroo-login-form')!;
    expect(find(form, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    expect(find<HTMLInputElement>(form, 'input[type=email]')!.value).to.equal('fahrer@example.com');

    buttonNamed(form, 'Erneut versuchen')!.click();
    await waitForText(portal, 'Prüfen Sie Ihr Postfach');
    const asked = requestsTo('POST', '/api/auth/email-link');
    expect(asked).to.have.length(1);
    expect(asked[0].body).to.deep.equal({email: 'fahrer@example.com', locale: 'de'});
  });

  it('keeps the link’s token when exchanging it fails and exchanges it again on „Erneut versuchen"', async () => {
    history.replaceState(null, '', `${location.pathname}#conroo-portal-token=token-fahrer`);
    worker.use(http.post('*/api/auth/session', unavailable, {once: true}));
    const portal = await mountPortal();
    await waitForText(
      portal,
      'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einem Moment erneut.',
    );
    expect(location.hash).not.to.include('token');
    (await waitForButton(portal, 'Erneut versuchen')).click();
    await waitForElement(portal, 'conroo-overview');
    const exchanges = requestsTo('POST', '/api/auth/session');
    expect(exchanges).to.have.length(1);
    expect(exchanges[0].body).to.deep.equal({token: 'token-fahrer'});
  });

  it('maps a 503 without the server’s error body (a proxy’s page) to the same words', async () => {
    signInAs('fahrer@example.com');
    worker.use(
      http.get('*/api/account', () => new Response('<h1>503</h1>', {status: 503}), {once: true}),
    );
    const portal = await mountPortal();
    const overview = await waitForElement(portal, 'conroo-overview');
    await waitForText(overview, 'Der Dienst ist gerade nicht erreichbar.');
  });
});
