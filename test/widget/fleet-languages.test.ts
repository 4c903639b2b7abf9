import {expect, html} from '@open-wc/testing';
import '../../widget/index.js';
import {targetLocales} from '../../common/generated/locale-codes.js';
import {failBulkSaveOf} from './support/carrier-api-mock.js';
import {find, findAll, textOf, waitForElement} from './support/dom.js';
import {carrier, fillCompany, listedIds, select} from './support/fleet.js';
import {resetMockApi, signInAs, startMockApi} from './support/portal-api-mock.js';
import {sessionFor} from './support/portal-fixtures.js';
import {mountPortal} from './support/portal-mount.js';
import {germanLeftovers, translationsOf} from './support/translations.js';
import {waitUntil} from './support/wait-timeout.js';

// „Fahrer" and a carrier's „Spedition" in every language the portal speaks, as languages.test.ts
// walks the rest: nothing German where a translation exists.

describe('„Fahrer" and „Spedition" in every language', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  for (const locale of targetLocales) {
    it(`${locale}: the fleet, its bulk form and results, and a carrier's „Spedition"`, async () => {
      const translations = await translationsOf(locale);
      signInAs(carrier);
      failBulkSaveOf('cus_paypal', {code: 'stripe_unavailable', message: 'down'});
      const page = await mountPortal(
        html`<div style="width: 1280px">
          <conroo-billing-portal lang=${locale}></conroo-billing-portal>
        </div>`,
      );
      const portal = page.querySelector('conroo-billing-portal')!;
      const fleet = await waitForElement(portal, 'conroo-fleet');
      await waitUntil(() => listedIds(fleet).length === 7, 'the drivers');
      const seen = [textOf(portal)];

      select(fleet, 'cus_paypal');
      const open = await waitForElement<HTMLButtonElement>(fleet, '[data-action="bulk-billing"]');
      await waitUntil(() => !open.disabled);
      open.click();
      const form = await fillCompany(fleet);
      seen.push(textOf(portal));
      find<HTMLButtonElement>(form, '[part~="submit"]')!.click();
      await waitUntil(() => find(fleet, '[part~="bulk-results"] [part~="retry-button"]'));
      seen.push(textOf(portal));

      find<HTMLButtonElement>(portal, 'nav button[data-section="carrier-access"]')!.click();
      const section = await waitForElement(portal, 'conroo-carrier-access');
      (await waitForElement<HTMLButtonElement>(section, '[data-action="return"]')).click();
      await waitUntil(() => findAll(section, '.confirm').length === 1);
      seen.push(textOf(portal));

      // The drivers' and companies' names are data, not messages.
      const names = [
        'Spedition Hanse GmbH',
        ...sessionFor(carrier).accounts.map((account) => account.name ?? ''),
      ].filter(Boolean);
      for (const text of seen) {
        expect(germanLeftovers(translations, text, names), 'German texts').to.deep.equal([]);
      }
    });
  }
});
