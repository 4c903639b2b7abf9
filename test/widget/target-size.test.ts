import {expect} from '@open-wc/testing';
import {setViewport} from '@web/test-runner-commands';
import '../../widget/index.js';
import {findAll} from './support/dom.js';
import {fleetViews} from './support/fleet-views.js';
import {
  portalViews as viewsBeforeFleet,
  usePortalViews,
  type Language,
} from './support/portal-views.js';

const portalViews = [...viewsBeforeFleet, ...fleetViews];

/** WCAG 2.5.8 Target Size (Minimum): 24 × 24 CSS pixels. */
const minimum = 24;

const interactive = [
  'button',
  'input:not([type="hidden"])',
  'select',
  'textarea',
  'a[href]',
  '[role="tab"]',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** A link in the flow of a sentence, which 2.5.8 exempts; links that look like buttons are not. */
function inlineInSentence(element: Element): boolean {
  return (
    element.localName === 'a' &&
    !element.classList.contains('button') &&
    getComputedStyle(element).display === 'inline'
  );
}

function describeControl(element: Element): string {
  const labels = (element as HTMLInputElement).labels;
  const text = (labels?.length ? labels[0] : element).textContent?.replace(/\s+/g, ' ').trim();
  const name = element.getAttribute('aria-label') ?? (text || element.localName);
  return `<${element.localName}${element.id ? `#${element.id}` : ''}> „${name}"`;
}

/** Every visible control of the portal smaller than 24 × 24 px, as „<button> „Name" 80×20". */
function tooSmall(portal: Element): string[] {
  return findAll(portal, interactive)
    .filter((element) => element.checkVisibility() && !inlineInSentence(element))
    .map((element) => ({element, box: element.getBoundingClientRect()}))
    .filter(({box}) => box.width > 0 && box.height > 0)
    .filter(({box}) => box.width < minimum - 0.01 || box.height < minimum - 0.01)
    .map(
      ({element, box}) =>
        `${describeControl(element)} ${Math.round(box.width * 10) / 10}×${Math.round(box.height * 10) / 10}`,
    );
}

const screens = [
  {name: 'at 1280 px', width: 1280, height: 800, languages: ['de'] as Language[]},
  {name: 'at 320 px', width: 320, height: 640, languages: ['de', 'en'] as Language[]},
];

describe('target size: every control is at least 24 × 24 px (WCAG 2.5.8)', () => {
  usePortalViews();
  after(() => setViewport({width: 800, height: 600}));

  for (const screen of screens) {
    for (const lang of screen.languages) {
      describe(`${screen.name}${lang === 'en' ? ', in English' : ''}`, () => {
        before(() => setViewport({width: screen.width, height: screen.height}));

        for (const view of portalViews) {
          it(`in ${view.name}`, async () => {
            const portal = await view.open(lang);
            expect(tooSmall(portal), 'controls smaller than 24 × 24 px').to.deep.equal([]);
          });
        }
      });
    }
  }
});
