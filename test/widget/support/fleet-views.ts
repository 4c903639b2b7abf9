import {failBulkSaveOf} from './carrier-api-mock.js';
import {find, findAll, waitForElement} from './dom.js';
import {fillCompany} from './fleet.js';
import {signInAs} from './portal-api-mock.js';
import {mountInPage, type Language, type PortalView} from './portal-views.js';
import {waitTimeout, waitUntil} from './wait-timeout.js';

// The views of „Fahrer" and „Spedition", brought up as a user gets there, for the tests that
// check every view the same way (accessibility, target size) beside portal-views.ts.

/**
 * Nothing loading or busy any more. (The fleet's „Rechnungsdaten für Auswahl ändern" stays
 * disabled while no driver is chosen, so portal-views' `settled` would wait for it forever.)
 */
async function settled(portal: Element) {
  await waitUntil(
    () => !find(portal, '[part~="loading"]') && !find(portal, '[aria-busy="true"]'),
    'the portal to finish loading',
    {timeout: waitTimeout},
  );
}

async function fleet(lang: Language) {
  signInAs('spedition@example.com');
  const portal = await mountInPage(lang);
  const element = await waitForElement(portal, 'conroo-fleet');
  await waitUntil(() => findAll(element, '[data-driver]').length === 7, 'the drivers', {
    timeout: waitTimeout,
  });
  await settled(portal);
  return portal;
}

async function bulkForm(lang: Language) {
  const portal = await fleet(lang);
  const element = find(portal, 'conroo-fleet')!;
  find<HTMLInputElement>(element, '[data-driver="cus_paypal"] input.select')!.click();
  find<HTMLInputElement>(element, '[data-driver="cus_fahrer"] input.select')!.click();
  const open = find<HTMLButtonElement>(element, '[data-action="bulk-billing"]')!;
  await waitUntil(() => !open.disabled);
  open.click();
  await fillCompany(element);
  return portal;
}

async function carrierAccess(lang: Language, email: string) {
  signInAs(email);
  const portal = await mountInPage(lang);
  const entry = await waitForElement<HTMLButtonElement>(
    portal,
    'nav button[data-section="carrier-access"]',
  );
  entry.click();
  const section = await waitForElement(portal, 'conroo-carrier-access');
  await waitUntil(() => find(section, '[part~="card"]'), '„Spedition"', {timeout: waitTimeout});
  await settled(portal);
  return {portal, section};
}

export const fleetViews: PortalView[] = [
  {name: '„Fahrer" of a carrier with seven drivers', open: fleet},
  {
    name: '„Fahrer" filtered to drivers without a payment method',
    open: async (lang) => {
      const portal = await fleet(lang);
      find<HTMLButtonElement>(portal, '[data-filter="no-payment-method"]')!.click();
      await waitUntil(() => findAll(portal, '[data-driver]').length === 2);
      return portal;
    },
  },
  {name: '„Fahrer" with the bulk billing form', open: bulkForm},
  {
    name: '„Fahrer" after a bulk save that failed for one driver',
    open: async (lang) => {
      failBulkSaveOf('cus_paypal', {code: 'stripe_unavailable', message: 'down'});
      const portal = await bulkForm(lang);
      find<HTMLButtonElement>(
        find(portal, 'conroo-billing-details-form')!,
        '[part~="submit"]',
      )!.click();
      await waitForElement(portal, '[part~="bulk-results"] [part~="retry-button"]');
      await settled(portal);
      return portal;
    },
  },
  {
    name: '„Spedition" of an owner with a carrier',
    open: async (lang) => (await carrierAccess(lang, 'fahrer@example.com')).portal,
  },
  {
    name: '„Spedition" asking whether to end an access',
    open: async (lang) => {
      const {portal, section} = await carrierAccess(lang, 'fahrer@example.com');
      find<HTMLButtonElement>(section, '[data-action="end"]')!.click();
      await waitForElement(section, '.confirm');
      return portal;
    },
  },
  {
    name: '„Spedition" with a refused address',
    open: async (lang) => {
      const {portal, section} = await carrierAccess(lang, 'fahrer@example.com');
      const input = find<HTMLInputElement>(section, '#carrier-email')!;
      input.value = 'spedition@example.com';
      input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
      await waitUntil(() => input.value === 'spedition@example.com');
      find<HTMLButtonElement>(section, '[part~="submit"]')!.click();
      await waitForElement(section, '#carrier-email-error');
      await settled(portal);
      return portal;
    },
  },
  {
    name: '„Spedition" of a carrier, asking whether to give the access back',
    open: async (lang) => {
      const {portal, section} = await carrierAccess(lang, 'kleine-spedition@example.com');
      find<HTMLButtonElement>(section, '[data-action="return"]')!.click();
      await waitForElement(section, '.confirm');
      return portal;
    },
  },
];
