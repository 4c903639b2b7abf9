import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import '../../widget/index.js';
import {targetLocales} from '../../common/generated/locale-codes.js';
import {requestsTo, resetMockApi, signInAs, startMockApi} from './support/portal-api-mock.js';
import {find, findAll, textOf, waitForButton, waitForElement, waitForText} from './support/dom.js';
import {mountPortal} from './support/portal-mount.js';
import {germanLeftovers, translate, translationsOf} from './support/translations.js';
import {waitTimeout, waitUntil} from './support/wait-timeout.js';

// Every language the portal speaks, checked against what the translators wrote in xliff/*.xlf.

function navButtons(portal: Element) {
  return findAll<HTMLButtonElement>(portal, 'nav li button');
}

async function settle(portal: Element) {
  await waitUntil(() => !find(portal, '[part~="loading"]'), 'the section loaded', {
    timeout: waitTimeout,
  });
}

const chosenLanguageKey = 'conroo-portal-language';

describe('languages', () => {
  before(() => startMockApi());
  beforeEach(() => {
    resetMockApi();
    localStorage.removeItem(chosenLanguageKey);
  });
  afterEach(() => localStorage.removeItem(chosenLanguageKey));

  for (const locale of targetLocales) {
    it(`${locale}: every view speaks it, with no German left`, async () => {
      const translations = await translationsOf(locale);
      signInAs('offen@example.com');
      const portal = await mountPortal(
        html`<conroo-billing-portal lang=${locale}></conroo-billing-portal>`,
      );
      await waitUntil(() => navButtons(portal).length >= 4, 'the sidebar', {timeout: waitTimeout});
      await settle(portal);
      expect(find(portal, '.portal')!.getAttribute('lang')).to.equal(locale);
      const seen = [textOf(portal)];
      for (const button of navButtons(portal)) {
        button.click();
        await waitUntil(() => button.getAttribute('aria-current') === 'page');
        await settle(portal);
        seen.push(textOf(portal));
      }
      const billing = await translate(locale, 'Rechnung und Versand');
      navButtons(portal)
        .find((button) => button.textContent?.trim() === billing)!
        .click();
      await settle(portal);
      (await waitForButton(portal, await translate(locale, 'Informationen aktualisieren'))).click();
      await waitForElement(portal, 'conroo-billing-details-form');
      seen.push(textOf(portal));

      (await waitForButton(portal, await translate(locale, 'Abmelden'))).click();
      const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
      seen.push(textOf(portal));
      input.value = 'fahrer@example.com';
      input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
      (await waitForButton(portal, await translate(locale, 'Link anfordern'))).click();
      await waitForText(portal, await translate(locale, 'Prüfen Sie Ihr Postfach'));
      seen.push(textOf(portal));
      expect(requestsTo('POST', '/api/auth/email-link').at(-1)!.body).to.deep.equal({
        email: 'fahrer@example.com',
        locale,
      });

      for (const text of seen) {
        expect(germanLeftovers(translations, text), 'German texts in the view').to.deep.equal([]);
      }
    });
  }

  it('formats money, dates and country names in the language (Intl)', async () => {
    signInAs('fahrer@example.com');
    const portal = await mountPortal(
      html`<conroo-billing-portal lang="pl"></conroo-billing-portal>`,
    );
    await waitUntil(() => navButtons(portal).length >= 4, 'the sidebar', {timeout: waitTimeout});
    await settle(portal);
    const euros = new Intl.NumberFormat('pl-PL', {style: 'currency', currency: 'EUR'})
      .format(99)
      .replace(/\s+/g, ' ');
    expect(textOf(portal)).to.include(euros);
    navButtons(portal)[2].click();
    await settle(portal);
    const germany = new Intl.DisplayNames(['pl-PL'], {type: 'region'}).of('DE')!;
    await waitForText(portal, germany);
  });

  describe('which language', () => {
    it('takes the lang attribute first, then the page, for languages it speaks', async () => {
      const own = await fixture(
        html`<div lang="ro-RO"><conroo-billing-portal lang="cs-CZ"></conroo-billing-portal></div>`,
      );
      await waitForButton(own, await translate('cs', 'Link anfordern'));
      expect(find(own, '.portal')!.getAttribute('lang')).to.equal('cs');

      const unknown = await fixture(
        html`<div lang="ro-RO"><conroo-billing-portal lang="fr"></conroo-billing-portal></div>`,
      );
      await waitForButton(unknown, await translate('ro', 'Link anfordern'));
      expect(find(unknown, '.portal')!.getAttribute('lang')).to.equal('ro');
    });

    it('falls back to the browser’s languages when neither element nor page has one', async () => {
      document.documentElement.removeAttribute('lang');
      Object.defineProperty(navigator, 'languages', {
        value: ['fr-FR', 'tr-TR'],
        configurable: true,
      });
      try {
        const portal = await mountPortal();
        await waitForText(portal, await translate('tr', 'Link anfordern'));
        expect(find(portal, '.portal')!.getAttribute('lang')).to.equal('tr');
      } finally {
        delete (navigator as {languages?: unknown}).languages;
        document.documentElement.lang = 'de';
      }
    });

    it('follows the page when its language changes', async () => {
      const portal = await mountPortal();
      await waitForButton(portal, 'Link anfordern');
      try {
        document.documentElement.lang = 'hu';
        await waitForButton(portal, await translate('hu', 'Link anfordern'));
      } finally {
        document.documentElement.lang = 'de';
      }
      await waitForButton(portal, 'Link anfordern');
    });

    it('is German when nothing names a language it speaks', async () => {
      const wrapper = await fixture(
        html`<div lang="fr"><conroo-billing-portal lang="es"></conroo-billing-portal></div>`,
      );
      const portal = wrapper.querySelector('conroo-billing-portal')!;
      Object.defineProperty(navigator, 'languages', {value: ['es-ES'], configurable: true});
      try {
        await waitForButton(portal, 'Link anfordern');
      } finally {
        delete (navigator as {languages?: unknown}).languages;
      }
    });
  });

  describe('the language switcher', () => {
    it('lists every language in its own name and switches the portal at once', async () => {
      const portal = await mountPortal();
      await waitForButton(portal, 'Link anfordern');
      const select = find<HTMLSelectElement>(portal, 'select[part~="language-select"]')!;
      expect(select.labels?.[0]?.textContent).to.include('Sprache');
      expect([...select.options].map((option) => option.lang)).to.have.members([
        'de',
        ...targetLocales,
      ]);
      const option = [...select.options].find((candidate) => candidate.value === 'uk')!;
      expect(option.textContent.trim()).to.equal(
        new Intl.DisplayNames(['uk'], {type: 'language'})
          .of('uk')!
          .replace(/^./, (c) => c.toUpperCase()),
      );

      select.value = 'uk';
      const changed = oneEvent(portal, 'conroo-language-change');
      select.dispatchEvent(new Event('change', {bubbles: true}));
      expect((await changed).detail).to.deep.equal({locale: 'uk'});
      await waitForButton(portal, await translate('uk', 'Link anfordern'));
      expect(find(portal, '.portal')!.getAttribute('lang')).to.equal('uk');
      expect(localStorage.getItem(chosenLanguageKey)).to.equal('uk');
    });

    it('remembers the choice in this browser over the page’s language', async () => {
      localStorage.setItem(chosenLanguageKey, 'lt');
      const page = await fixture(
        html`<div lang="en"><conroo-billing-portal></conroo-billing-portal></div>`,
      );
      await waitForButton(page, await translate('lt', 'Link anfordern'));
    });

    it('leaves an explicit lang attribute (e.g. from the app) above a remembered choice', async () => {
      localStorage.setItem(chosenLanguageKey, 'lt');
      const portal = await mountPortal(
        html`<conroo-billing-portal lang="ro"></conroo-billing-portal>`,
      );
      await waitForButton(portal, await translate('ro', 'Link anfordern'));
    });

    it('keeps what was typed when the language changes', async () => {
      const portal = await mountPortal();
      const input = await waitForElement<HTMLInputElement>(portal, 'input[type=email]');
      input.value = 'fahrer@example.com';
      input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
      const select = find<HTMLSelectElement>(portal, 'select[part~="language-select"]')!;
      select.value = 'pl';
      select.dispatchEvent(new Event('change', {bubbles: true}));
      await waitForButton(portal, await translate('pl', 'Link anfordern'));
      expect(find<HTMLInputElement>(portal, 'input[type=email]')!.value).to.equal(
        'fahrer@example.com',
      );
    });

    it('keeps an open billing form and its input when the language changes', async () => {
      signInAs('fahrer@example.com');
      const portal = await mountPortal();
      await waitUntil(() => navButtons(portal).length >= 4, 'the sidebar', {timeout: waitTimeout});
      navButtons(portal)[2].click();
      (await waitForButton(portal, 'Informationen aktualisieren')).click();
      const name = await waitForElement<HTMLInputElement>(portal, '#field-name');
      name.value = 'Spedition Nowak Sp. z o.o.';
      name.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
      const select = find<HTMLSelectElement>(portal, 'select[part~="language-select"]')!;
      select.value = 'pl';
      select.dispatchEvent(new Event('change', {bubbles: true}));
      await waitForButton(portal, await translate('pl', 'Abmelden'));
      expect(find<HTMLInputElement>(portal, '#field-name')!.value).to.equal(
        'Spedition Nowak Sp. z o.o.',
      );
    });

    it('is in the dialog’s title bar too', async () => {
      const portal = await mountPortal(
        html`<conroo-billing-portal mode="dialog"></conroo-billing-portal>`,
      );
      portal.show();
      await waitForElement(portal, 'input[type=email]');
      const select = find<HTMLSelectElement>(portal, '[part~="dialog-header"] select')!;
      select.value = 'bg';
      select.dispatchEvent(new Event('change', {bubbles: true}));
      await waitForButton(portal, await translate('bg', 'Link anfordern'));
      await waitForText(portal, await translate('bg', 'CONROO Kundenportal'));
    });
  });
});
