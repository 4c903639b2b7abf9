import {expect, fixture, html} from '@open-wc/testing';
import {http, HttpResponse} from 'msw';
import type {TemplateResult} from 'lit';
import '../../widget/index.js';
import type {ConrooBillingPortal} from '../../widget/conroo-billing-portal.js';
import type {ConrooPaymentMethods} from '../../widget/sections/conroo-payment-methods.js';
import {StripePaymentForm} from '../../widget/payment-form/stripe-payment-form.js';
import {
  apiError,
  expireSession,
  paymentMethodsOf,
  requestsTo,
  resetMockApi,
  lastSetupIntent,
  mockPublishableKey,
  setupIntentAfterRedirect,
  signInAs,
  standInPath,
  startMockApi,
  stripeApiPath,
  withoutStandIn,
  worker,
} from './support/portal-api-mock.js';
import {
  buttonNamed,
  find,
  findAll,
  textOf,
  waitForButton,
  waitForElement,
  waitForText,
} from './support/dom.js';
import {germanWords, textBesidesLanguageNames} from './support/german.js';
import {collect, mountPortal, openSection} from './support/portal-mount.js';
import {stubStripe} from './support/stripe-stub.js';
import {waitTimeout, waitUntil} from './support/wait-timeout.js';

const confirmPath = (id: string) => `${stripeApiPath}/setup_intents/${id}/confirm`;

async function openPaymentMethods(
  email: string,
  template: TemplateResult = html`<conroo-billing-portal></conroo-billing-portal>`,
  sectionLabel = 'Zahlungsmethoden',
) {
  signInAs(email);
  const portal = await mountPortal(template);
  await openSection(portal, sectionLabel);
  const section = await waitForElement<ConrooPaymentMethods>(portal, 'conroo-payment-methods');
  await waitForElement(section, '[part~="item"]');
  return {portal, section};
}

async function openAddForm(section: ConrooPaymentMethods, label = 'Zahlungsmethode hinzufügen') {
  (await waitForButton(section, label)).click();
  await waitUntil(
    () => find(section.ownerDocument, 'stripe-demo-payment-element') && isReady(section),
    "the stand-in's payment form",
    {timeout: waitTimeout},
  );
}

function isReady(section: ConrooPaymentMethods) {
  return find(section, '[part~="add-form"]')?.getAttribute('aria-busy') === 'false';
}

/** The Payment Element of the Stripe.js stand-in (the demo card/PayPal form). */
function demoForm(portal: Element) {
  return find(portal, 'stripe-demo-payment-element')!;
}

/** The stand-in's 3-D Secure challenge over the page, once it shows. */
async function challenge() {
  await waitUntil(
    () =>
      document.querySelector('stripe-demo-challenge')?.shadowRoot?.querySelector('dialog[open]'),
    'the 3-D Secure challenge',
  );
  return document.querySelector('stripe-demo-challenge')!;
}

function field(portal: Element, id: 'card-number' | 'card-expiry' | 'card-cvc') {
  return find<HTMLInputElement>(demoForm(portal), `#${id}`)!;
}

function typeCard(portal: Element, number: string, expiry = '12/34', cvc = '123') {
  for (const [id, value] of [
    ['card-number', number],
    ['card-expiry', expiry],
    ['card-cvc', cvc],
  ] as const) {
    const input = field(portal, id);
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  }
}

function submitButton(section: Element) {
  return find<HTMLButtonElement>(section, '[part~="add-form"] [part~="submit"]')!;
}

function item(section: Element, paymentMethodId: string) {
  return find(section, `[data-payment-method="${paymentMethodId}"]`);
}

/** The address bar as Stripe leaves it when it sends the browser back. */
function comeBackFromRedirect(query: Record<string, string>, fragment = 'keep') {
  const url = new URL(location.href);
  for (const [name, value] of Object.entries(query)) {
    url.searchParams.set(name, value);
  }
  url.hash = fragment;
  history.replaceState(null, '', url);
}

/** Where the stand-in is, as the mocked server names it. */
const standInUrl = () => `${location.origin}${standInPath}`;

/**
 * What the section leaves in sessionStorage before it sends the browser to Stripe; `stripe`
 * false for a browser that does not remember the Stripe.js (the return then relies on Stripe's
 * `redirect_status`).
 */
function rememberRedirect(mode: 'inline' | 'dialog', kind: 'card' | 'paypal', stripe = true) {
  const remembered = stripe
    ? {mode, kind, stripe: {publishableKey: mockPublishableKey, stripeJsUrl: standInUrl()}}
    : {mode, kind};
  sessionStorage.setItem('conroo-portal-setup-redirect', JSON.stringify(remembered));
}

function clearPortalStorage() {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith('conroo')) sessionStorage.removeItem(key);
  }
}

describe('<conroo-payment-methods>', () => {
  const originalSearch = location.search;

  before(() => startMockApi());

  beforeEach(() => {
    resetMockApi();
    clearPortalStorage();
    history.replaceState(null, '', `${location.pathname}${originalSearch}`);
  });

  afterEach(() => {
    clearPortalStorage();
    history.replaceState(null, '', `${location.pathname}${originalSearch}`);
  });

  describe('the list', () => {
    it('offers „Als Standard festlegen" on every method but the default, „Entfernen" on all', async () => {
      const {section} = await openPaymentMethods('fahrer@example.com');
      const visa = item(section, 'pm_visa')!;
      const mastercard = item(section, 'pm_mc_old')!;
      expect(textOf(visa)).to.include('Visa •••• 4242 gültig bis 08/28 Standard');
      expect(buttonNamed(visa, 'Als Standard festlegen')).to.equal(null);
      expect(buttonNamed(visa, 'Entfernen')).to.exist;
      expect(textOf(mastercard)).to.include('Abgelaufen');
      expect(buttonNamed(mastercard, 'Als Standard festlegen')).to.exist;
      expect(buttonNamed(mastercard, 'Entfernen')).to.exist;
    });

    it('shows PayPal with its address', async () => {
      const {section} = await openPaymentMethods('paypal@example.com');
      expect(textOf(item(section, 'pm_paypal')!)).to.include('PayPal petra@paypal.example');
    });
  });

  describe('adding a card through the Stripe.js stand-in the server names', () => {
    it('loads nothing from Stripe when the portal and the section open', async () => {
      const {portal} = await openPaymentMethods('fahrer@example.com');
      await waitForText(portal, 'Zahlungsmethode hinzufügen');
      expect(document.querySelector('script[src*="stripe"]')).to.equal(null);
      expect((window as {Stripe?: unknown}).Stripe).to.equal(undefined);
      const stripeResources = performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.includes('stripe.com'));
      expect(stripeResources).to.deep.equal([]);
      expect(requestsTo('POST', '/api/payment-methods/setup-intents')).to.have.length(0);
    });

    it('creates a SetupIntent, loads the stand-in from the API and shows its labelled demo form', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      expect(requestsTo('POST', '/api/payment-methods/setup-intents')[0].body).to.deep.equal({});
      const scripts = [...document.querySelectorAll<HTMLScriptElement>('script[src*="stripe"]')];
      expect(scripts.map((script) => [script.type, script.src])).to.deep.equal([
        ['module', standInUrl()],
      ]);
      const form = demoForm(portal);
      expect(textOf(form)).to.include('Demo-Zahlungsformular – es wird kein echtes Geld bewegt');
      expect(findAll(form, '[role="tab"]').map((tab) => tab.textContent?.trim())).to.deep.equal([
        'Karte',
        'PayPal',
      ]);
      expect(field(portal, 'card-number').autocomplete).to.equal('cc-number');
      expect(field(portal, 'card-expiry').autocomplete).to.equal('cc-exp');
      expect(field(portal, 'card-cvc').autocomplete).to.equal('cc-csc');
      for (const id of ['card-number', 'card-expiry', 'card-cvc'] as const) {
        expect(field(portal, id).inputMode).to.equal('numeric');
      }
      expect(textOf(form)).to.include('4242 4242 4242 4242');
      expect(textOf(form)).to.include('4000 0000 0000 0002');
      expect(textOf(form)).to.include('4000 0025 0000 3155');
      // The same light-DOM node that Stripe's Payment Element would mount in.
      expect(form.getRootNode()).to.equal(document);
      expect(form.parentElement!.slot).to.equal('stripe-payment-element');
      expect(form.parentElement!.parentElement).to.equal(portal);
      await waitUntil(() => field(portal, 'card-number').matches(':focus'), 'focus on the number');
    });

    it('saves a good card: emulator, then complete, then the new default, a message and an event', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      const added = collect<{paymentMethod: {id: string}}>(portal, 'conroo-payment-method-added');
      await openAddForm(section);
      typeCard(portal, '4242 4242 4242 4242', '12/34', '123');
      submitButton(section).click();
      await waitForText(
        section,
        'Die neue Zahlungsmethode ist jetzt Standard und wird für die nächste Verlängerung Ihres Gate Pass verwendet.',
      );
      const [confirm] = requestsTo('POST', confirmPath(lastSetupIntent().id));
      const returnUrl = new URL(location.href);
      returnUrl.hash = '';
      expect(confirm.body).to.deep.equal({
        key: mockPublishableKey,
        client_secret: lastSetupIntent().clientSecret,
        use_stripe_sdk: 'true',
        return_url: returnUrl.toString(),
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': '4242424242424242',
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': '2034',
        'payment_method_data[card][cvc]': '123',
      });
      expect(confirm.credentials).to.equal('omit');
      expect(
        requestsTo('POST', '/api/payment-methods/setup-intents/complete')[0].body,
      ).to.deep.equal({setupIntentId: lastSetupIntent().id});
      const notice = find(section, '[part~="notice"]')!;
      expect(notice.getAttribute('role')).to.equal('status');
      await waitUntil(() => notice.matches(':focus'), 'focus on the message');
      await waitUntil(() => requestsTo('GET', '/api/payment-methods').length === 2, 'reloaded');
      await waitUntil(() => find(section, '[part~="item"]'));
      const first = find(section, '[part~="item"]')!;
      expect(textOf(first)).to.include('Visa •••• 4242 gültig bis 12/34 Standard');
      expect(find(section, '[part~="add-form"]')).to.equal(null);
      expect(find(portal, 'stripe-demo-payment-element')).to.equal(null);
      expect(added).to.have.length(1);
      expect(added[0].paymentMethod.id).to.equal(`pm_card_${lastSetupIntent().id}`);

      // The overview shows the new default too.
      buttonNamed(find(portal, 'nav')!, 'Übersicht')!.click();
      await waitForText(portal, 'Nächste Verlängerung');
      expect(textOf(find(portal, 'conroo-overview')!)).to.include(
        'Visa •••• 4242 gültig bis 12/34',
      );
    });

    it('tells that a declined card was declined, keeps what was typed and changes nothing', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      const added = collect(portal, 'conroo-payment-method-added');
      await openAddForm(section);
      typeCard(portal, '4000 0000 0000 0002', '11/33', '456');
      submitButton(section).click();
      await waitForText(section, 'Die Karte wurde abgelehnt.');
      expect(find(section, '[part~="form-error"]')!.getAttribute('role')).to.equal('alert');
      expect(field(portal, 'card-number').value).to.equal('4000 0000 0000 0002');
      expect(field(portal, 'card-expiry').value).to.equal('11/33');
      expect(field(portal, 'card-cvc').value).to.equal('456');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
      expect(added).to.have.length(0);
      expect(paymentMethodsOf('cus_fahrer').find((method) => method.isDefault)!.id).to.equal(
        'pm_visa',
      );

      // Fixed and tried again with the same SetupIntent.
      await waitUntil(() => !submitButton(section).disabled);
      typeCard(portal, '4242424242424242');
      submitButton(section).click();
      await waitForText(section, 'Die neue Zahlungsmethode ist jetzt Standard');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents')).to.have.length(1);
    });

    it('marks missing fields without asking the emulator', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      typeCard(portal, '4242', '13/30', '');
      submitButton(section).click();
      await waitForText(portal, 'Bitte geben Sie die Kartennummer ein.');
      expect(textOf(portal)).to.include('Bitte geben Sie das Ablaufdatum als MM/JJ ein.');
      expect(field(portal, 'card-number').getAttribute('aria-invalid')).to.equal('true');
      expect(field(portal, 'card-number').getAttribute('aria-describedby')).to.equal(
        'card-number-error',
      );
      expect(requestsTo('POST', confirmPath(lastSetupIntent().id))).to.have.length(0);
    });

    it('asks for 3-D Secure in a modal over the page and saves the card once it is completed', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      typeCard(portal, '4000 0025 0000 3155');
      submitButton(section).click();
      const modal = await challenge();
      expect(textOf(modal)).to.include('3-D Secure-Bestätigung (Demo)');
      expect(textOf(modal)).to.include('•••• 3155');
      expect(submitButton(section).disabled).to.equal(true);
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
      // Before anything could leave the page: which portal, which kind, which Stripe.js.
      const remembered = sessionStorage.getItem('conroo-portal-setup-redirect')!;
      expect(JSON.parse(remembered)).to.deep.equal({
        mode: 'inline',
        kind: 'card',
        stripe: {publishableKey: mockPublishableKey, stripeJsUrl: standInUrl()},
      });
      expect(remembered).not.to.include('secret');

      buttonNamed(modal, 'Authentifizierung abschließen')!.click();
      await waitForText(section, 'Die neue Zahlungsmethode ist jetzt Standard');
      expect(document.querySelector('stripe-demo-challenge')).to.equal(null);
      expect(requestsTo('POST', `${stripeApiPath}/3ds2/challenge_complete`)[0].body).to.include({
        source: `src_${lastSetupIntent().id}`,
        outcome: 'authenticated',
      });
      expect(
        requestsTo('POST', '/api/payment-methods/setup-intents/complete')[0].body,
      ).to.deep.equal({setupIntentId: lastSetupIntent().id});
    });

    it('says that 3-D Secure failed when the challenge fails, keeps the form and changes nothing', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      typeCard(portal, '4000 0025 0000 3155');
      submitButton(section).click();
      buttonNamed(await challenge(), 'Authentifizierung fehlschlagen lassen')!.click();
      await waitForText(section, 'Die Bestätigung der Zahlungsmethode ist fehlgeschlagen.');
      expect(document.querySelector('stripe-demo-challenge')).to.equal(null);
      expect(field(portal, 'card-number').value).to.equal('4000 0025 0000 3155');
      expect(submitButton(section).disabled).to.equal(false);
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
    });

    it('confirms PayPal with the same emulator call and follows its redirect', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      buttonNamed(demoForm(portal), 'PayPal')!.click();
      await waitForText(demoForm(portal), 'Sie werden zu PayPal weitergeleitet');
      submitButton(section).click();
      // The mocked approval page is on this page, so that following it keeps the test running.
      await waitUntil(() => location.hash === '#mock-paypal-approval', 'the redirect');
      const [confirm] = requestsTo('POST', confirmPath(lastSetupIntent().id));
      expect((confirm.body as Record<string, string>)['payment_method_data[type]']).to.equal(
        'paypal',
      );
      expect(Object.keys(confirm.body as object)).not.to.include(
        'payment_method_data[card][number]',
      );
      expect(JSON.parse(sessionStorage.getItem('conroo-portal-setup-redirect')!).kind).to.equal(
        'paypal',
      );
      // The page is leaving: nothing can be sent twice.
      expect(submitButton(section).disabled).to.equal(true);
    });

    it('disables the buttons while confirming, so a second click sends nothing', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      worker.use(
        http.post('*/demo/v1/setup_intents/:id/confirm', async () => {
          await released;
          return undefined;
        }),
      );
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      typeCard(portal, '4242424242424242');
      submitButton(section).click();
      await waitUntil(() => submitButton(section).disabled);
      expect(find(section, '[part~="add-form"]')!.getAttribute('aria-busy')).to.equal('true');
      expect(buttonNamed(section, 'Abbrechen')!.disabled).to.equal(true);
      expect(submitButton(section).textContent?.trim()).to.equal('Wird gespeichert …');
      submitButton(section).click();
      release();
      await waitForText(section, 'Die neue Zahlungsmethode ist jetzt Standard');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(1);
    });

    it('closes the form with „Abbrechen" and gives focus back to „Zahlungsmethode hinzufügen"', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      buttonNamed(find(section, '[part~="add-form"]')!, 'Abbrechen')!.click();
      await waitUntil(() => !find(section, '[part~="add-form"]'));
      expect(find(portal, 'stripe-demo-payment-element')).to.equal(null);
      await waitUntil(() => find(section, '[part~="add-button"]')!.matches(':focus'));
    });
  });

  describe('when something goes wrong', () => {
    it('says Stripe is unreachable on 503 and opens the form on „Erneut versuchen"', async () => {
      worker.use(
        http.post(
          '*/api/payment-methods/setup-intents',
          () => apiError(503, 'stripe_unavailable', {'Retry-After': '30'}),
          {once: true},
        ),
      );
      const {section} = await openPaymentMethods('fahrer@example.com');
      (await waitForButton(section, 'Zahlungsmethode hinzufügen')).click();
      await waitForText(section, 'Der Zahlungsdienst Stripe ist gerade nicht erreichbar.');
      expect(find(section, '[part~="notice"]')!.getAttribute('role')).to.equal('alert');
      buttonNamed(section, 'Erneut versuchen')!.click();
      await waitUntil(() => isReady(section), 'the form after the retry');
      expect(find(section, '[part~="notice"]')).to.equal(null);
      // The 503 came from an override ahead of the recorder: only the retry is recorded.
      expect(requestsTo('POST', '/api/payment-methods/setup-intents')).to.have.length(1);
    });

    it('says the payment service cannot be reached when the emulator call fails', async () => {
      worker.use(
        http.post('*/demo/v1/setup_intents/:id/confirm', () => HttpResponse.error(), {
          once: true,
        }),
      );
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      typeCard(portal, '4242424242424242');
      submitButton(section).click();
      await waitForText(section, 'Keine Verbindung zum Zahlungsdienst.');
      expect(field(portal, 'card-number').value).to.equal('4242424242424242');
    });

    it('retries only the completion when it failed after the card was confirmed', async () => {
      worker.use(
        http.post(
          '*/api/payment-methods/setup-intents/complete',
          () => apiError(503, 'stripe_unavailable'),
          {once: true},
        ),
      );
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      await openAddForm(section);
      typeCard(portal, '4242424242424242');
      submitButton(section).click();
      await waitForText(section, 'Der Zahlungsdienst Stripe ist gerade nicht erreichbar.');
      await waitUntil(() => !submitButton(section).disabled);
      submitButton(section).click();
      await waitForText(section, 'Die neue Zahlungsmethode ist jetzt Standard');
      expect(requestsTo('POST', confirmPath(lastSetupIntent().id))).to.have.length(1);
      // The failed attempt came from an override ahead of the recorder; this is the retry.
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(1);
    });

    it('goes to the login with the expired notice when the session ends midway, and nothing else', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      const added = collect(portal, 'conroo-payment-method-added');
      let expired = 0;
      portal.addEventListener('conroo-session-expired', () => expired++);
      await openAddForm(section);
      typeCard(portal, '4242424242424242');
      expireSession();
      submitButton(section).click();
      await waitForElement(portal, 'input[type=email]');
      expect(textOf(portal)).to.include('Ihre Sitzung ist abgelaufen');
      expect(textOf(portal)).not.to.include('Die neue Zahlungsmethode ist jetzt Standard');
      expect(find(portal, 'stripe-demo-payment-element')).to.equal(null);
      expect(added).to.have.length(0);
      expect(expired).to.equal(1);

      // Logged in again, the section works as before.
      history.replaceState(
        null,
        '',
        `${location.pathname}${location.search}#conroo-portal-token=token-fahrer`,
      );
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      await waitForText(portal, 'Angemeldet als fahrer@example.com');
      (await waitForButton(portal, 'Zahlungsmethoden')).click();
      const reopened = await waitForElement<ConrooPaymentMethods>(portal, 'conroo-payment-methods');
      await openAddForm(reopened);
    });
  });

  describe('coming back from a redirect', () => {
    it("removes Stripe's parameters at once, opens the section and makes the method the default", async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'succeeded');
      comeBackFromRedirect({
        tab: 'billing',
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      rememberRedirect('inline', 'paypal');
      signInAs('fahrer@example.com');
      const added = collect<{paymentMethod: {type: string}}>(
        document,
        'conroo-payment-method-added',
      );
      const portal = await mountPortal();
      const query = new URLSearchParams(location.search);
      expect(query.has('setup_intent')).to.equal(false);
      expect(query.has('setup_intent_client_secret')).to.equal(false);
      expect(query.has('redirect_status')).to.equal(false);
      expect(query.get('tab')).to.equal('billing');
      expect(location.hash).to.equal('#keep');
      expect(sessionStorage.getItem('conroo-portal-setup-redirect')).to.equal(null);

      const section = await waitForElement<ConrooPaymentMethods>(portal, 'conroo-payment-methods');
      expect(find(portal, 'nav button[aria-current="page"]')!.textContent?.trim()).to.equal(
        'Zahlungsmethoden',
      );
      await waitForText(
        section,
        'Die neue Zahlungsmethode ist jetzt Standard und wird für die nächste Verlängerung Ihres Gate Pass verwendet.',
      );
      expect(requestsTo('GET', '/api/session')).to.have.length(1);
      // Stripe.js read the SetupIntent with the client secret of the return URL.
      expect(requestsTo('GET', `${stripeApiPath}/setup_intents/${setupIntent.id}`)).to.have.length(
        1,
      );
      expect(
        requestsTo('POST', '/api/payment-methods/setup-intents/complete')[0].body,
      ).to.deep.equal({setupIntentId: setupIntent.id});
      await waitUntil(() => textOf(find(section, '[part~="item"]') ?? section).includes('PayPal'));
      expect(textOf(find(section, '[part~="item"]')!)).to.include('PayPal firma@paypal.example');
      expect(added.map((detail) => detail.paymentMethod.type)).to.deep.equal(['paypal']);
    });

    it('says that PayPal was cancelled and changes nothing', async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'requires_payment_method');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'failed',
      });
      rememberRedirect('inline', 'paypal');
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      expect(location.search).not.to.include('setup_intent');
      const section = await waitForElement(portal, 'conroo-payment-methods');
      await waitForText(
        section,
        'Die Freigabe bei PayPal wurde abgebrochen. Es wurde nichts geändert',
      );
      expect(find(section, '[part~="notice"]')!.getAttribute('role')).to.equal('alert');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
    });

    it('says that 3-D Secure failed when a card had left for it', async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'requires_payment_method');
      comeBackFromRedirect({setup_intent: setupIntent.id, redirect_status: 'failed'});
      rememberRedirect('inline', 'card', false);
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Die Bestätigung der Karte (3-D Secure) ist fehlgeschlagen.');
    });

    it("trusts the SetupIntent over Stripe's redirect_status", async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'requires_payment_method');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      rememberRedirect('inline', 'paypal');
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Die Freigabe bei PayPal wurde abgebrochen.');
      expect(requestsTo('GET', `${stripeApiPath}/setup_intents/${setupIntent.id}`)).to.have.length(
        1,
      );
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
    });

    it('says the method is still being checked while its SetupIntent is processing', async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'processing');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      rememberRedirect('inline', 'paypal');
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      const section = await waitForElement(portal, 'conroo-payment-methods');
      await waitForText(section, 'Die Zahlungsmethode wird noch geprüft.');
      expect(find(section, '[part~="notice"]')!.getAttribute('role')).to.equal('status');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
    });

    it("falls back to Stripe's redirect_status when this browser does not know the Stripe.js", async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'succeeded');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Die neue Zahlungsmethode ist jetzt Standard');
      expect(requestsTo('GET', `${stripeApiPath}/setup_intents/${setupIntent.id}`)).to.have.length(
        0,
      );
    });

    it('opens the dialog by itself and finishes there', async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'succeeded');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      rememberRedirect('dialog', 'paypal');
      signInAs('fahrer@example.com');
      const portal = await fixture<ConrooBillingPortal>(
        html`<conroo-billing-portal mode="dialog"></conroo-billing-portal>`,
      );
      const dialog = find<HTMLDialogElement>(portal, 'dialog')!;
      await waitUntil(() => dialog.open, 'the dialog opens');
      await waitForText(dialog, 'Die neue Zahlungsmethode ist jetzt Standard');
    });

    it('lets only the portal that left handle the return when two are on the page', async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'succeeded');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      rememberRedirect('dialog', 'card');
      signInAs('fahrer@example.com');
      const wrapper = await fixture(
        html`<div>
          <conroo-billing-portal id="inline"></conroo-billing-portal>
          <conroo-billing-portal id="dialog" mode="dialog"></conroo-billing-portal>
        </div>`,
      );
      const inline = wrapper.querySelector('#inline')!;
      const dialogPortal = wrapper.querySelector<ConrooBillingPortal>('#dialog')!;
      await waitUntil(() => dialogPortal.open, 'the dialog portal opens');
      await waitForText(dialogPortal, 'Die neue Zahlungsmethode ist jetzt Standard');
      await waitForText(inline, 'Nächste Verlängerung');
      expect(find(inline, 'conroo-payment-methods')).to.equal(null);
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(1);
    });

    it('shows the login and completes nothing while there is no session', async () => {
      const setupIntent = setupIntentAfterRedirect('cus_fahrer', 'succeeded');
      comeBackFromRedirect({
        setup_intent: setupIntent.id,
        setup_intent_client_secret: setupIntent.clientSecret,
        redirect_status: 'succeeded',
      });
      const portal = await mountPortal();
      expect(location.search).not.to.include('setup_intent');
      await waitForElement(portal, 'input[type=email]');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
    });
  });

  describe('choosing the default and removing', () => {
    it('makes another method the default with „Als Standard festlegen"', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      const changed = collect<{paymentMethod: {id: string}}>(
        portal,
        'conroo-default-payment-method-changed',
      );
      buttonNamed(item(section, 'pm_mc_old')!, 'Als Standard festlegen')!.click();
      await waitForText(
        section,
        'Mastercard •••• 4444 ist jetzt Ihre Standard-Zahlungsmethode und wird für die nächste Verlängerung Ihres Gate Pass verwendet.',
      );
      expect(requestsTo('POST', '/api/payment-methods/pm_mc_old/default')[0].body).to.deep.equal(
        {},
      );
      // The notice names Mastercard too: wait for the reloaded list itself.
      await waitUntil(
        () => find(section, '[part~="item"]')?.getAttribute('data-payment-method') === 'pm_mc_old',
        'the new default first',
      );
      expect(textOf(item(section, 'pm_mc_old')!)).to.include('Standard');
      expect(buttonNamed(item(section, 'pm_visa')!, 'Als Standard festlegen')).to.exist;
      expect(changed.map((detail) => detail.paymentMethod.id)).to.deep.equal(['pm_mc_old']);
    });

    it('removes a method only after „Entfernen" is confirmed', async () => {
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      const removed = collect<{paymentMethod: {id: string}}>(
        portal,
        'conroo-payment-method-removed',
      );
      buttonNamed(item(section, 'pm_mc_old')!, 'Entfernen')!.click();
      await waitForText(
        item(section, 'pm_mc_old')!,
        'Möchten Sie Mastercard •••• 4444 wirklich entfernen?',
      );
      const keep = find<HTMLButtonElement>(item(section, 'pm_mc_old')!, '[data-action="keep"]')!;
      await waitUntil(() => keep.matches(':focus'), 'focus on „Abbrechen"');
      keep.click();
      await waitUntil(() => !textOf(item(section, 'pm_mc_old')!).includes('wirklich entfernen'));
      expect(requestsTo('DELETE', '/api/payment-methods/pm_mc_old')).to.have.length(0);

      buttonNamed(item(section, 'pm_mc_old')!, 'Entfernen')!.click();
      (await waitForElement<HTMLButtonElement>(section, '[data-action="confirm-remove"]')).click();
      await waitForText(section, 'Mastercard •••• 4444 wurde entfernt.');
      expect(requestsTo('DELETE', '/api/payment-methods/pm_mc_old')).to.have.length(1);
      await waitUntil(
        () => !item(section, 'pm_mc_old') && item(section, 'pm_visa'),
        'list reloaded',
      );
      expect(removed.map((detail) => detail.paymentMethod.id)).to.deep.equal(['pm_mc_old']);
    });

    it('explains why the default that pays the Gate Pass cannot be removed', async () => {
      const {section} = await openPaymentMethods('fahrer@example.com');
      buttonNamed(item(section, 'pm_visa')!, 'Entfernen')!.click();
      (await waitForElement<HTMLButtonElement>(section, '[data-action="confirm-remove"]')).click();
      await waitForText(
        item(section, 'pm_visa')!,
        'Diese Zahlungsmethode bezahlt Ihren laufenden Gate Pass und kann deshalb nicht entfernt werden',
      );
      expect(textOf(item(section, 'pm_visa')!)).to.include(
        'Legen Sie zuerst eine andere Zahlungsmethode als Standard fest',
      );
      expect(find(item(section, 'pm_visa')!, '[role="alert"]')).to.exist;
      expect(paymentMethodsOf('cus_fahrer')).to.have.length(2);
    });
  });

  describe('with Stripe.js itself (no stand-in named; Stripe.js stubbed)', () => {
    it('mounts the Payment Element in the light DOM, themed and localized, and completes a confirmed setup', async () => {
      withoutStandIn();
      const {portal, section} = await openPaymentMethods('fahrer@example.com');
      const added = collect(portal, 'conroo-payment-method-added');
      const stub = stubStripe(() => {
        const setupIntent = lastSetupIntent();
        setupIntent.status = 'succeeded';
        setupIntent.paymentMethod = {
          id: 'pm_stripe_js',
          type: 'card',
          card: {brand: 'mastercard', last4: '5100', expMonth: 1, expYear: 2031},
          isDefault: false,
        };
        return {setupIntent: {id: setupIntent.id, status: 'succeeded'}} as never;
      });
      section.loadStripe = stub.loadStripe;
      (await waitForButton(section, 'Zahlungsmethode hinzufügen')).click();
      await waitUntil(() => isReady(section), 'the Payment Element');

      expect(stub.calls.loadedWith).to.deep.equal([mockPublishableKey]);
      expect(stub.calls.elementsOptions).to.deep.equal([
        {
          clientSecret: lastSetupIntent().clientSecret,
          appearance: {
            theme: 'stripe',
            variables: {
              colorPrimary: '#ffd600',
              colorText: '#1d1d1b',
              colorBackground: '#ffffff',
              colorDanger: '#9b1c1c',
              borderRadius: '12px',
              fontFamily:
                "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
            },
          },
          locale: 'de',
        },
      ]);
      expect(stub.calls.created).to.deep.equal([['payment', {layout: 'tabs'}]]);
      const node = stub.calls.mountedOn!;
      expect(node.getRootNode()).to.equal(document);
      expect(node.parentElement).to.equal(portal);
      expect(node.slot).to.equal('stripe-payment-element');
      // Slotted down through every shadow root to the form.
      expect(node.assignedSlot?.getRootNode()).to.equal(portal.shadowRoot);
      let slot: HTMLSlotElement | null = node.assignedSlot;
      while (slot?.assignedSlot) slot = slot.assignedSlot;
      expect(slot!.getRootNode()).to.equal(section.shadowRoot);
      expect(find(portal, 'stripe-demo-payment-element')).to.equal(null);

      submitButton(section).click();
      await waitForText(section, 'Die neue Zahlungsmethode ist jetzt Standard');
      const [confirmOptions] = stub.calls.confirmSetup;
      const returnUrl = new URL(location.href);
      returnUrl.hash = '';
      expect(confirmOptions.elements).to.equal(stub.elements);
      expect(confirmOptions.redirect).to.equal('if_required');
      expect(confirmOptions.confirmParams).to.deep.equal({return_url: returnUrl.toString()});
      expect(
        requestsTo('POST', '/api/payment-methods/setup-intents/complete')[0].body,
      ).to.deep.equal({setupIntentId: lastSetupIntent().id});
      expect(added).to.have.length(1);
      expect(stub.calls.destroyed).to.equal(true);
    });

    it("says a card error in the portal's words, or in Stripe's for a code it does not know", async () => {
      withoutStandIn();
      const {section} = await openPaymentMethods('fahrer@example.com');
      let code = 'card_declined';
      const stub = stubStripe(
        () =>
          ({
            error: {type: 'card_error', code, message: `Stripe sagt: ${code}`},
          }) as never,
      );
      section.loadStripe = stub.loadStripe;
      (await waitForButton(section, 'Zahlungsmethode hinzufügen')).click();
      await waitUntil(() => isReady(section));
      submitButton(section).click();
      await waitForText(section, 'Die Karte wurde abgelehnt.');
      expect(textOf(section)).not.to.include('Stripe sagt');
      await waitUntil(() => !submitButton(section).disabled);
      code = 'card_velocity_exceeded';
      submitButton(section).click();
      await waitForText(section, 'Stripe sagt: card_velocity_exceeded');
      expect(requestsTo('POST', '/api/payment-methods/setup-intents/complete')).to.have.length(0);
      expect(submitButton(section).disabled).to.equal(false);
    });

    it('leaves validation errors to the Payment Element', async () => {
      const stub = stubStripe(
        () => ({error: {type: 'validation_error', code: 'incomplete_number'}}) as never,
      );
      const form = new StripePaymentForm({
        clientSecret: 'seti_1_secret_2',
        publishableKey: 'pk_test_123',
        stripeJsUrl: null,
        apiBase: '',
        locale: 'en',
        loadStripe: stub.loadStripe,
      });
      expect(stub.calls.loadedWith).to.deep.equal([]);
      const node = document.createElement('div');
      document.body.append(node);
      try {
        await form.mount(node);
        expect(stub.calls.elementsOptions[0].locale).to.equal('en');
        expect(await form.confirm('https://example.test/page')).to.deep.equal({
          status: 'failed',
          code: 'validation_error',
        });
        expect(form.kind).to.equal('card');
      } finally {
        form.destroy();
        node.remove();
      }
    });

    it('reports a failed 3-D Secure in the page by its code', async () => {
      const stub = stubStripe(
        () =>
          ({
            error: {
              type: 'invalid_request_error',
              code: 'setup_intent_authentication_failure',
              message: 'We are unable to authenticate your payment method.',
            },
          }) as never,
      );
      const form = new StripePaymentForm({
        clientSecret: 'seti_1_secret_2',
        publishableKey: 'pk_test_123',
        stripeJsUrl: null,
        apiBase: '',
        locale: 'de',
        loadStripe: stub.loadStripe,
      });
      const node = document.createElement('div');
      document.body.append(node);
      try {
        await form.mount(node);
        expect(await form.confirm('https://example.test/page')).to.deep.equal({
          status: 'failed',
          code: 'setup_intent_authentication_failure',
        });
      } finally {
        form.destroy();
        node.remove();
      }
    });
  });

  describe('in English', () => {
    it('adds a payment method in English, errors included', async () => {
      const {portal, section} = await openPaymentMethods(
        'fahrer@example.com',
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
        'Payment methods',
      );
      expect(buttonNamed(item(section, 'pm_mc_old')!, 'Make default')).to.exist;
      expect(buttonNamed(item(section, 'pm_mc_old')!, 'Remove')).to.exist;
      await openAddForm(section, 'Add payment method');
      const form = demoForm(portal);
      expect(textOf(form)).to.include('Demo payment form – no real money moves');
      expect(findAll(form, '[role="tab"]').map((tab) => tab.textContent?.trim())).to.deep.equal([
        'Card',
        'PayPal',
      ]);
      expect(textOf(form)).to.include('Expiry date (MM/YY)');
      typeCard(portal, '4000000000000002');
      submitButton(section).click();
      await waitForText(
        section,
        'The card was declined. Please use another card or contact your bank.',
      );
      expect(textBesidesLanguageNames(portal)).not.to.match(germanWords);
    });
  });
});
