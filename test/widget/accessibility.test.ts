import {expect} from '@open-wc/testing';
import '../../widget/index.js';
import {expectNoAxeViolations} from './support/axe.js';
import {fleetViews} from './support/fleet-views.js';
import {
  portalViews as viewsBeforeFleet,
  usePortalViews,
  type Language,
} from './support/portal-views.js';

const portalViews = [...viewsBeforeFleet, ...fleetViews];

describe('accessibility: axe finds no WCAG 2.2 A/AA violation', () => {
  usePortalViews();

  for (const lang of ['de', 'en'] as Language[]) {
    describe(lang === 'de' ? 'in German' : 'in English (lang="en")', () => {
      for (const view of portalViews) {
        it(`in ${view.name}`, async () => {
          const portal = await view.open(lang);
          expect(portal.isConnected).to.equal(true);
          await expectNoAxeViolations(portal, view.name);
        });
      }
    });
  }
});
