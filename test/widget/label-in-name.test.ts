import {expect} from '@open-wc/testing';
import '../../widget/index.js';
import {portalLocales} from '../../widget/localization.js';
import {nameWithVisibleLabel} from '../../widget/views/billing-fragments.js';
import {findAll} from './support/dom.js';
import {portalViews, usePortalViews} from './support/portal-views.js';

// WCAG 2.5.3 Label in Name: a control named with aria-label holds the words it shows, so that
// „click Download PDF" finds it by voice — in every language, whatever its translator wrote.

const words = (text: string) => text.toLocaleLowerCase().replace(/\s+/g, ' ').trim();

/** Controls whose aria-label leaves out the words they show, as „<a> „shown" named „name"". */
function mismatches(portal: Element): string[] {
  return findAll(portal, 'a[aria-label], button[aria-label]')
    .map((control) => ({
      control,
      shown: words(control.textContent ?? ''),
      name: words(control.getAttribute('aria-label') ?? ''),
    }))
    .filter(({shown, name}) => shown && !name.includes(shown))
    .map(({control, shown, name}) => `<${control.localName}> „${shown}" named „${name}"`);
}

const withPayAndPdfLinks = [
  '„Rechnungen" with an open invoice and „Mehr laden"',
  'the overview with an open invoice',
];

describe('label in name (WCAG 2.5.3)', () => {
  usePortalViews();

  it('keeps a full sentence that holds the shown words, else names the shown words first', () => {
    expect(
      nameWithVisibleLabel('PDF herunterladen', 'Rechnung C-1 als PDF herunterladen', 'C-1'),
    ).to.equal('Rechnung C-1 als PDF herunterladen');
    expect(nameWithVisibleLabel('Download PDF', 'Download invoice C-1 as PDF', 'C-1')).to.equal(
      'Download PDF C-1',
    );
  });

  for (const locale of portalLocales) {
    for (const name of withPayAndPdfLinks) {
      it(`names „Jetzt bezahlen" and „PDF herunterladen" with their words in ${locale}: ${name}`, async () => {
        const view = portalViews.find((candidate) => candidate.name === name)!;
        const portal = await view.open(locale);
        expect(findAll(portal, '[part~="pay-link"]').length, 'pay links').to.be.above(0);
        expect(mismatches(portal)).to.deep.equal([]);
      });
    }
  }
});
