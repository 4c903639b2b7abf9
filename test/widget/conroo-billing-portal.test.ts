import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import {http, HttpResponse} from 'msw';
import '../../widget/index.js';
import {
  apiError,
  expireSession,
  requests,
  requestsTo,
  resetMockApi,
  signInAs,
  startMockApi,
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
import {mountPortal, openSection} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

async function submitEmail(portal: Element, email: string) {
  const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
  input.value = email;
  input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  (await waitForButton(portal, 'Link anfordern')).click();
}

function openLinkInAddressBar(token: string) {
  history.replaceState(
    null,
    '',
    `${location.pathname}${location.search}#conroo-portal-token=${token}`,
  );
}

describe('<conroo-billing-portal>', () => {
  before(() => startMockApi());

  beforeEach(() => {
    resetMockApi();
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  });

  describe('login', () => {
    it('shows the login form with the e-mail field first when nobody is signed in', async () => {
      const portal = await mountPortal();
      const input = await waitForElement<HTMLInputElement>(portal, 'input');
      expect(input.type).to.equal('email');
      expect(input.autocomplete).to.equal('email');
      const label = find<HTMLLabelElement>(portal, `label[for="${input.id}"]`);
      expect(label?.textContent?.trim()).to.equal('E-Mail-Adresse');
      expect(textOf(portal)).to.include('Gate Pass gekauft');
      expect(requestsTo('GET', '/api/session')).to.have.length(1);
      expect(requestsTo('GET', '/api/session')[0].credentials).to.equal('include');
    });

    it('shows the check-mail view after asking for a link', async () => {
      const portal = await mountPortal();
      await submitEmail(portal, 'fahrer@example.com');
      await waitForText(portal, 'Prüfen Sie Ihr Postfach');
      expect(requestsTo('POST', '/api/auth/email-link')[0].body).to.deep.equal({
        email: 'fahrer@example.com',
        locale: 'de',
      });
      const text = textOf(portal);
      expect(text).to.include('Wenn die Adresse fahrer@example.com zu einem Gate Pass gehört');
      expect(text).to.include('24 Stunden gültig');
      expect(text).to.include('Spediteur weiterleiten');
      expect(buttonNamed(portal, 'Andere E-Mail-Adresse')).to.exist;
      expect(buttonNamed(portal, 'Erneut senden')).to.exist;
      expect(find(portal, 'input[type=email]')).to.equal(null);
    });

    it('says the same for an address that owns no Gate Pass', async () => {
      const portal = await mountPortal();
      await submitEmail(portal, 'niemand@example.com');
      await waitForText(portal, 'Wenn die Adresse niemand@example.com zu einem Gate Pass gehört');
    });

    it('sends the link again with „Erneut senden" and confirms it', async () => {
      const portal = await mountPortal();
      await submitEmail(portal, 'fahrer@example.com');
      (await waitForButton(portal, 'Erneut senden')).click();
      await waitForText(portal, 'Die E-Mail wurde erneut gesendet.');
      expect(requestsTo('POST', '/api/auth/email-link')).to.have.length(2);
    });

    it('goes back to the form, address filled in, with „Andere E-Mail-Adresse"', async () => {
      const portal = await mountPortal();
      await submitEmail(portal, 'fahrer@example.com');
      (await waitForButton(portal, 'Andere E-Mail-Adresse')).click();
      const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
      expect(input.value).to.equal('fahrer@example.com');
    });

    it('shows a field error when the server calls the address invalid', async () => {
      const portal = await mountPortal();
      await submitEmail(portal, 'fahrer@example');
      await waitForText(portal, 'Bitte geben Sie eine gültige E-Mail-Adresse ein.');
      const input = find<HTMLInputElement>(portal, 'input[type=email]')!;
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.getAttribute('aria-describedby')).to.include('email-error');
      expect(requestsTo('POST', '/api/auth/email-link')).to.have.length(1);
      expect(textOf(portal)).not.to.include('Prüfen Sie Ihr Postfach');
    });

    it('asks for an address without calling the server when the field is empty', async () => {
      const portal = await mountPortal();
      await submitEmail(portal, '   ');
      await waitForText(portal, 'Bitte geben Sie Ihre E-Mail-Adresse ein.');
      expect(requestsTo('POST', '/api/auth/email-link')).to.have.length(0);
    });

    it('tells how long to wait when the server answers 429', async () => {
      worker.use(
        http.post('*/api/auth/email-link', () =>
          apiError(429, 'rate_limited', {'Retry-After': '120'}),
        ),
      );
      const portal = await mountPortal();
      await submitEmail(portal, 'fahrer@example.com');
      await waitForText(portal, 'Zu viele Anfragen. Bitte warten Sie 2 Minuten');
      expect(textOf(portal)).not.to.include('Prüfen Sie Ihr Postfach');
    });
  });

  describe('opening the link from the mail', () => {
    it('exchanges the token from the address bar with a POST and removes it at once', async () => {
      const search = location.search;
      openLinkInAddressBar('token-fahrer');
      const loginEvent = new Promise<CustomEvent>((resolve) =>
        document.addEventListener('conroo-login', (e) => resolve(e as CustomEvent), {once: true}),
      );
      const portal = await mountPortal();
      expect(location.hash).to.equal('');
      expect(location.search).to.equal(search);
      await waitForText(portal, 'Angemeldet als fahrer@example.com');
      expect(requestsTo('POST', '/api/auth/session')[0].body).to.deep.equal({
        token: 'token-fahrer',
      });
      expect(requestsTo('GET', '/api/session')).to.have.length(0);
      expect((await loginEvent).detail).to.deep.equal({email: 'fahrer@example.com'});
    });

    it('takes a link opened in a tab that already shows the page', async () => {
      const portal = await mountPortal();
      await waitForElement(portal, 'input[type=email]');
      location.hash = 'conroo-portal-token=token-fahrer';
      await waitForText(portal, 'Angemeldet als fahrer@example.com');
      expect(location.hash).to.equal('');
      expect(requestsTo('POST', '/api/auth/session')).to.have.length(1);
    });

    it('keeps other fragment parameters of the host page', async () => {
      history.replaceState(
        null,
        '',
        `${location.pathname}${location.search}#tab=2&conroo-portal-token=token-fahrer`,
      );
      await mountPortal();
      expect(location.hash).to.equal('#tab=2');
    });

    it('explains an expired link and offers the login form', async () => {
      openLinkInAddressBar('token-expired');
      const portal = await mountPortal();
      await waitForText(portal, 'Dieser Link ist abgelaufen');
      expect(textOf(portal)).to.include('fordern Sie einen neuen an');
      expect(find(portal, 'input[type=email]')).to.exist;
      expect(location.hash).to.equal('');
    });

    it('explains a link that was already used', async () => {
      openLinkInAddressBar('token-used');
      const portal = await mountPortal();
      await waitForText(portal, 'Dieser Link wurde bereits verwendet');
    });

    it('explains an unknown link', async () => {
      openLinkInAddressBar('token-nonsense');
      const portal = await mountPortal();
      await waitForText(portal, 'Dieser Link ist ungültig');
    });
  });

  describe('dashboard', () => {
    it('shows the Gate Pass, payment method, billing details and latest invoices', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');
      const text = textOf(portal);
      expect(text).to.include('Angemeldet als fahrer@example.com');
      expect(text).to.include('Abonnement Gate Pass Aktiv');
      expect(text).to.match(/Preis 99,00 €\s?, jährlich/);
      expect(text).to.match(/15\.01\.2025\s*–\s*15\.01\.2026/);
      expect(text).to.include('15.01.2026 über 99,00 €');
      expect(text).to.include('Visa •••• 4242 gültig bis 08/28');
      expect(text).to.include('Max Mustermann');
      expect(text).to.include('Am Sandtorkai 50');
      expect(text).to.include('20457 Hamburg');
      expect(text).to.include('Deutschland');
      expect(text).to.include('+49 40 123456');
      expect(text).to.include('CONROO-0002');
      expect(text).to.include('Bezahlt');
      expect(find(portal, '[part~="past-due-banner"]')).to.equal(null);
    });

    it('shows PayPal and its address as the payment method', async () => {
      signInAs('paypal@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'PayPal petra@paypal.example');
    });

    it('shows a verified VAT ID and a separate shipping address', async () => {
      signInAs('firma@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'USt-IdNr. DE123456789 Verifiziert');
      expect(textOf(portal)).to.include('Containerweg 7');
    });

    it('warns with a banner while the renewal payment is overdue', async () => {
      signInAs('offen@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Zahlung überfällig');
      const banner = find(portal, '[part~="past-due-banner"]');
      expect(banner).to.exist;
      expect(banner!.getAttribute('role')).to.equal('alert');
      buttonNamed(banner!, 'Zu den Rechnungen')!.click();
      await waitForText(portal, 'CONROO-0100');
    });

    it('says „Kein aktiver Gate Pass" for a customer without subscription', async () => {
      signInAs('ohne-abo@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Kein aktiver Gate Pass');
      const text = textOf(portal);
      expect(text).to.include('Keine Zahlungsmethode hinterlegt');
      expect(text).to.include('Noch keine Rechnungen');
      expect(text).to.include('Keine Adresse hinterlegt');
    });

    it('has a sidebar with the five sections and „Abmelden"', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForElement(portal, 'nav');
      const labels = findAll(portal, 'nav li button').map((button) => button.textContent?.trim());
      expect(labels).to.deep.equal([
        'Übersicht',
        'Zahlungsmethoden',
        'Rechnung und Versand',
        'Rechnungen',
        'Spedition',
      ]);
      const sidebar = find(portal, '[part~="sidebar"]')!;
      expect(buttonNamed(sidebar, 'Abmelden')).to.exist;
      expect(find(portal, 'nav button[aria-current="page"]')!.textContent?.trim()).to.equal(
        'Übersicht',
      );
    });

    it('moves between the four sections, each showing its own data', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');

      await openSection(portal, 'Zahlungsmethoden');
      const paymentMethods = await waitForElement(portal, 'conroo-payment-methods');
      await waitForElement(paymentMethods, '[part~="item"]');
      let text = textOf(paymentMethods);
      expect(text).to.include('Visa •••• 4242 gültig bis 08/28 Standard');
      expect(text).to.include('Mastercard •••• 4444 abgelaufen 03/23 Abgelaufen');
      expect(find(portal, 'conroo-overview')).to.equal(null);
      expect(buttonNamed(portal, 'Zahlungsmethode hinzufügen')).to.exist;

      await openSection(portal, 'Rechnung und Versand');
      await waitForText(portal, 'Rechnungsinformationen');
      text = textOf(find(portal, 'conroo-billing-shipping')!);
      expect(text).to.include('fahrer@example.com');
      expect(text).to.include('Wie Rechnungsadresse');
      expect(text).to.include('Keine Steuer-ID hinterlegt');
      expect(buttonNamed(portal, 'Informationen aktualisieren')).to.exist;

      await openSection(portal, 'Rechnungen');
      const invoices = await waitForElement(portal, 'conroo-invoices');
      await waitForElement(invoices, 'tbody tr');
      expect(findAll(invoices, 'tbody tr')).to.have.length(2);

      await openSection(portal, 'Übersicht');
      await waitForText(portal, 'Nächste Verlängerung');
      const heading = find(portal, '[part~="content"] > h2')!;
      expect(heading.textContent?.trim()).to.equal('Übersicht');
      expect(heading.matches(':focus')).to.equal(true);
    });

    it('switches the account with the „Konto" select and reloads the data', async () => {
      signInAs('zwei@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Gate Pass LKW 1');
      const select = find<HTMLSelectElement>(portal, 'select[part~="account-select"]')!;
      expect(select.closest('label')!.textContent).to.include('Konto');
      expect(Array.from(select.options).map((option) => option.value)).to.deep.equal([
        'cus_zwei_a',
        'cus_zwei_b',
      ]);
      select.value = 'cus_zwei_b';
      select.dispatchEvent(new Event('change'));
      await waitForText(portal, 'Gate Pass LKW 2');
      expect(requestsTo('POST', '/api/session/account')[0].body).to.deep.equal({
        customerId: 'cus_zwei_b',
      });
      expect(requestsTo('GET', '/api/account')).to.have.length(2);
      expect(textOf(portal)).to.include('149,00 €');
      expect(textOf(portal)).to.include('Angemeldet als zwei@example.com');
      expect(find<HTMLSelectElement>(portal, 'select[part~="account-select"]')!.value).to.equal(
        'cus_zwei_b',
      );
    });

    it('has no account switcher when the session holds one account', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');
      expect(find(portal, 'select[part~="account-select"]')).to.equal(null);
    });

    it('logs out with „Abmelden": DELETE /api/session, then the login form', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      const logout = await waitForButton(portal, 'Abmelden');
      const loggedOut = oneEvent(portal, 'conroo-logout');
      logout.click();
      await loggedOut;
      expect(requestsTo('DELETE', '/api/session')).to.have.length(1);
      await waitForElement(portal, 'input[type=email]');
      expect(textOf(portal)).to.include('Sie wurden abgemeldet.');
    });

    it('returns to the login form with „Ihre Sitzung ist abgelaufen" after a 401', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');
      let expiredEvents = 0;
      portal.addEventListener('conroo-session-expired', () => expiredEvents++);
      expireSession();
      await openSection(portal, 'Zahlungsmethoden');
      await waitForElement(portal, 'input[type=email]');
      expect(textOf(portal)).to.include('Ihre Sitzung ist abgelaufen');
      expect(expiredEvents).to.equal(1);
    });
  });

  describe('loading, empty and error states', () => {
    it('marks a section busy while its data loads', async () => {
      signInAs('fahrer@example.com');
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      worker.use(
        http.get('*/api/account', async () => {
          await released;
          return undefined;
        }),
      );
      const portal = await mountPortal();
      const overview = await waitForElement(portal, 'conroo-overview');
      await waitUntil(() => find(overview, '[aria-busy="true"]'));
      expect(textOf(overview)).to.include('Wird geladen');
      release();
      await waitForText(overview, 'Nächste Verlängerung');
      expect(find(overview, '[aria-busy="true"]')).to.equal(null);
    });

    it('shows an error with „Erneut versuchen" that loads the data again', async () => {
      signInAs('fahrer@example.com');
      worker.use(http.get('*/api/account', () => apiError(500, 'internal_error'), {once: true}));
      const portal = await mountPortal();
      await waitForText(portal, 'Die Daten konnten nicht geladen werden.');
      (await waitForButton(portal, 'Erneut versuchen')).click();
      await waitForText(portal, 'Nächste Verlängerung');
    });

    it('shows an error with a retry when the session check fails at start', async () => {
      worker.use(http.get('*/api/session', () => HttpResponse.error(), {once: true}));
      const portal = await mountPortal();
      await waitForText(portal, 'Keine Verbindung zum Server');
      (await waitForButton(portal, 'Erneut versuchen')).click();
      await waitForElement(portal, 'input[type=email]');
    });

    it('shows empty states for a customer without payment methods or invoices', async () => {
      signInAs('ohne-abo@example.com');
      const portal = await mountPortal();
      await waitForText(portal, 'Kein aktiver Gate Pass');
      await openSection(portal, 'Zahlungsmethoden');
      await waitForText(portal, 'Für dieses Konto ist keine Zahlungsmethode hinterlegt.');
      await openSection(portal, 'Rechnungen');
      await waitForText(portal, 'Noch keine Rechnungen. Neue Rechnungen erscheinen hier');
      await openSection(portal, 'Rechnung und Versand');
      await waitForText(portal, 'Keine Lieferadresse hinterlegt');
    });

    it('keeps the loading state while the request is slow, without flashing content', async () => {
      signInAs('fahrer@example.com');
      // Slow: the answer waits until the test has looked at the loading state.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      worker.use(
        http.get('*/api/payment-methods', async () => {
          await released;
          return undefined;
        }),
      );
      const portal = await mountPortal();
      await waitForText(portal, 'Nächste Verlängerung');
      await openSection(portal, 'Zahlungsmethoden');
      const section = find(portal, 'conroo-payment-methods')!;
      expect(find(section, '[part~="loading"]')).to.exist;
      release();
      await waitForElement(section, '[part~="item"]');
    });
  });

  describe('languages', () => {
    it('speaks English when lang="en"', async () => {
      const portal = await mountPortal(
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
      );
      await waitForText(portal, 'Email address');
      await submitEmailInEnglish(portal, 'fahrer@example.com');
      await waitForText(portal, 'Check your inbox');
      expect(requestsTo('POST', '/api/auth/email-link')[0].body).to.deep.equal({
        email: 'fahrer@example.com',
        locale: 'en',
      });
    });

    it('follows the language of the page when it has no lang of its own', async () => {
      signInAs('fahrer@example.com');
      const wrapper = await fixture(
        html`<div lang="en-GB"><conroo-billing-portal></conroo-billing-portal></div>`,
      );
      await waitForText(wrapper, 'Next renewal');
      const text = textOf(wrapper);
      expect(text).to.include('Signed in as fahrer@example.com');
      expect(text).to.include('€99.00');
      expect(text).to.include('valid until 08/28');
      expect(text).to.include('Germany');
    });

    it('shows no German words anywhere in English', async () => {
      signInAs('offen@example.com');
      const portal = await mountPortal(
        html`<conroo-billing-portal lang="en"></conroo-billing-portal>`,
      );
      await waitForText(portal, 'Payment overdue');
      const seen = [textBesidesLanguageNames(portal)];
      for (const label of ['Payment methods', 'Billing and shipping', 'Invoices']) {
        await openSection(portal, label);
        await waitUntil(() => !find(portal, '[part~="loading"]'));
        seen.push(textBesidesLanguageNames(portal));
      }
      (await waitForButton(portal, 'Log out')).click();
      await waitForElement(portal, 'input[type=email]');
      seen.push(textBesidesLanguageNames(portal));
      for (const text of seen) {
        expect(text).not.to.match(germanWords);
      }
    });
  });

  describe('dialog mode', () => {
    it('opens a modal dialog with show() and closes it with hide()', async () => {
      const portal = await mountPortal(
        html`<conroo-billing-portal mode="dialog"></conroo-billing-portal>`,
      );
      const dialog = find<HTMLDialogElement>(portal, 'dialog')!;
      expect(dialog.open).to.equal(false);
      portal.show();
      await waitUntil(() => dialog.open);
      expect(dialog.matches(':modal')).to.equal(true);
      expect(portal.open).to.equal(true);
      await waitForText(dialog, 'E-Mail-Adresse');
      await waitUntil(() => find(portal, 'input[type=email]')!.matches(':focus'));
      portal.hide();
      await waitUntil(() => !dialog.open);
      expect(portal.hasAttribute('open')).to.equal(false);
    });

    it('closes with the close button and gives focus back to the opener', async () => {
      const wrapper = await fixture(
        html`<div>
          <button id="opener">Hilfe</button>
          <conroo-billing-portal mode="dialog"></conroo-billing-portal>
        </div>`,
      );
      const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
      const portal = wrapper.querySelector('conroo-billing-portal')!;
      opener.focus();
      portal.show();
      const dialog = find<HTMLDialogElement>(portal, 'dialog')!;
      await waitUntil(() => dialog.open);
      find<HTMLButtonElement>(portal, '[part~="close-button"]')!.click();
      await waitUntil(() => !dialog.open);
      expect(portal.open).to.equal(false);
      expect(document.activeElement).to.equal(opener);
    });

    it('closes with Escape', async () => {
      const portal = await mountPortal(
        html`<conroo-billing-portal mode="dialog" open></conroo-billing-portal>`,
      );
      const dialog = find<HTMLDialogElement>(portal, 'dialog')!;
      await waitUntil(() => dialog.open);
      await waitForElement(portal, 'input[type=email]');
      await sendKeys({press: 'Escape'});
      await waitUntil(() => !dialog.open);
      expect(portal.open).to.equal(false);
    });

    it('opens itself when the page was opened from the link in the mail', async () => {
      openLinkInAddressBar('token-fahrer');
      const portal = await mountPortal(
        html`<conroo-billing-portal mode="dialog"></conroo-billing-portal>`,
      );
      const dialog = find<HTMLDialogElement>(portal, 'dialog')!;
      await waitUntil(() => dialog.open);
      await waitForText(dialog, 'Angemeldet als fahrer@example.com');
    });
  });

  describe('the API it talks to', () => {
    it('sends every request to api-base with credentials', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal(
        html`<conroo-billing-portal
          api-base="https://portal.example.test"
        ></conroo-billing-portal>`,
      );
      await waitForText(portal, 'Nächste Verlängerung');
      expect(requests.length).to.be.greaterThan(1);
      for (const request of requests) {
        expect(request.origin).to.equal('https://portal.example.test');
        expect(request.credentials).to.equal('include');
      }
    });
  });
});

async function submitEmailInEnglish(portal: Element, email: string) {
  const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
  input.value = email;
  (await waitForButton(portal, 'Request link')).click();
}
