import {expect, fixture, html} from '@open-wc/testing';
import '../../widget/index.js';
import type {ConrooBillingPortal} from '../../widget/conroo-billing-portal.js';
import {checkMailPart, dashboardPart} from '../../widget/lazy-parts.js';
import {requestsTo, resetMockApi, signInAs, startMockApi} from './support/portal-api-mock.js';
import {find, textOf, waitForButton, waitForElement, waitForText} from './support/dom.js';
import {waitUntil} from './support/wait-timeout.js';

// „Prüfen Sie Ihr Postfach" and the dashboard are chunks of their own, loaded while the login
// form shows and once a session is known. This file's page has not loaded them yet (each test
// file runs in its own page), so the check-mail tests come first: any login form loads it.

describe('„Prüfen Sie Ihr Postfach" loaded on demand', () => {
  const importCheckMail = checkMailPart.importPart;

  before(() => startMockApi());
  beforeEach(() => resetMockApi());
  afterEach(() => {
    checkMailPart.importPart = importCheckMail;
  });

  it('when it cannot load, the link is still asked for and the view offers „Erneut versuchen"', async () => {
    checkMailPart.importPart = async () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    };
    const portal = await fixture<ConrooBillingPortal>(
      html`<conroo-billing-portal></conroo-billing-portal>`,
    );
    const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
    expect(checkMailPart.loaded).to.equal(false);
    input.value = 'fahrer@example.com';
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
    (await waitForButton(portal, 'Link anfordern')).click();
    await waitForText(portal, 'Ein Teil des Kundenportals konnte nicht geladen werden.');
    expect(requestsTo('POST', '/api/auth/email-link')).to.have.length(1);

    checkMailPart.importPart = importCheckMail;
    (await waitForButton(portal, 'Erneut versuchen')).click();
    await waitForText(portal, 'Prüfen Sie Ihr Postfach');
    expect(textOf(portal)).to.include('fahrer@example.com');
    expect(checkMailPart.loaded).to.equal(true);
  });
});

describe('the dashboard loaded on demand', () => {
  const importDashboard = dashboardPart.importPart;

  before(() => startMockApi());
  beforeEach(() => resetMockApi());
  afterEach(() => {
    dashboardPart.importPart = importDashboard;
  });

  it('is not loaded before a login', async () => {
    const portal = await fixture<ConrooBillingPortal>(
      html`<conroo-billing-portal></conroo-billing-portal>`,
    );
    await waitForElement(portal, 'conroo-login-form');
    expect(customElements.get('conroo-dashboard')).to.equal(undefined);
    expect(dashboardPart.loaded).to.equal(false);
  });

  it('shows the loading state, then an error with „Erneut versuchen" when it fails to load', async () => {
    let release!: () => void;
    const failed = new Promise<void>((resolve) => (release = resolve));
    dashboardPart.importPart = async () => {
      await failed;
      throw new TypeError('Failed to fetch dynamically imported module');
    };
    signInAs('fahrer@example.com');
    const portal = await fixture<ConrooBillingPortal>(
      html`<conroo-billing-portal></conroo-billing-portal>`,
    );
    const base = find(portal, '[part~="base"]')!;
    await waitUntil(() => find(portal, '[part~="loading"]'), 'the loading state');
    expect(base.getAttribute('aria-busy')).to.equal('true');

    release();
    await waitForText(portal, 'Ein Teil des Kundenportals konnte nicht geladen werden.');
    expect(find(portal, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    expect(base.getAttribute('aria-busy')).to.equal('false');

    dashboardPart.importPart = importDashboard;
    (await waitForButton(portal, 'Erneut versuchen')).click();
    const overview = await waitForElement(portal, 'conroo-overview');
    await waitUntil(() => find(overview, '.cards'), 'the overview');
    expect(textOf(portal)).not.to.include('konnte nicht geladen werden');
    expect(dashboardPart.loaded).to.equal(true);
  });
});
