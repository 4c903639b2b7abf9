import {expect} from '@open-wc/testing';
import {http, HttpResponse} from 'msw';
import '../../widget/index.js';
import {
  mockPublishableKey,
  resetMockApi,
  signInAs,
  startMockApi,
  withoutStandIn,
  worker,
} from './support/portal-api-mock.js';
import {waitForButton, waitForElement, waitForText} from './support/dom.js';
import {mountPortal, openSection} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

// Which Stripe.js the element loads, as the server's answer says. A page of its own: Stripe.js
// (or a stand-in) once loaded stays on the page for good, as it does on CONROO's pages.

async function openAddForm() {
  signInAs('fahrer@example.com');
  const portal = await mountPortal();
  await openSection(portal, 'Zahlungsmethoden');
  const section = await waitForElement(portal, 'conroo-payment-methods');
  (await waitForButton(section, 'Zahlungsmethode hinzufügen')).click();
  return section;
}

const stripeScripts = () =>
  [...document.querySelectorAll<HTMLScriptElement>('script[src]')]
    .map((script) => script.src)
    .filter((src) => !src.includes('/test/') && !src.includes('web-test-runner'));

describe('the Stripe.js the payment form runs on', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('refuses a stand-in on any other origin than the API, and loads no script from there', async () => {
    worker.use(
      http.post('*/api/payment-methods/setup-intents', () =>
        HttpResponse.json(
          {
            clientSecret: 'seti_x_secret_y',
            publishableKey: mockPublishableKey,
            stripeJsUrl: 'https://stripe-js.evil.example/stripe.js',
          },
          {status: 201},
        ),
      ),
    );
    const section = await openAddForm();
    await waitForText(section, 'Das Zahlungsformular konnte nicht geladen werden.');
    expect(stripeScripts().filter((src) => src.includes('evil'))).to.deep.equal([]);
    expect((window as {Stripe?: unknown}).Stripe).to.equal(undefined);
  });

  it('asks js.stripe.com for Stripe.js when the server names no stand-in', async () => {
    withoutStandIn();
    await openAddForm();
    await waitUntil(
      () => stripeScripts().some((src) => src.startsWith('https://js.stripe.com/')),
      'a script from js.stripe.com',
    );
    expect(stripeScripts().filter((src) => src.includes('stripe'))).to.deep.equal([
      'https://js.stripe.com/endive/stripe.js',
    ]);
  });
});
