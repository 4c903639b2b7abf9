import {expect} from '@open-wc/testing';
import '../../widget/index.js';
import {find, findAll} from './support/dom.js';
import {contrast} from './support/contrast.js';
import {portalViews, usePortalViews} from './support/portal-views.js';
import {waitUntil} from './support/wait-timeout.js';

// The default theme's contrast where axe does not look: placeholders (text, 4.5:1), and what
// tells a control or its state apart (WCAG 1.4.11, 3:1): field borders, the focus ring, the
// marks of the current section and of the chosen payment tab.

/** The first colour of a `box-shadow`, e.g. the bar that marks the current section. */
function shadowColor(element: Element): string {
  return /rgba?\([^)]*\)/.exec(getComputedStyle(element).boxShadow)?.[0] ?? 'none';
}

function view(name: string) {
  const found = portalViews.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No view „${name}"`);
  return found;
}

describe('the default theme’s contrast beyond text', () => {
  usePortalViews();

  it('shows placeholders at 4.5:1 against the field', async () => {
    const portal = await view('„Zahlungsmethode hinzufügen" with the demo card form').open('de');
    const inputs = findAll<HTMLInputElement>(portal, 'input[placeholder]');
    expect(inputs.length).to.be.above(0);
    for (const input of inputs) {
      const placeholder = getComputedStyle(input, '::placeholder');
      const ratio = contrast(placeholder.color, getComputedStyle(input).backgroundColor);
      expect(Number(placeholder.opacity), `opacity of #${input.id}'s placeholder`).to.equal(1);
      expect(ratio, `#${input.id}'s placeholder`).to.be.at.least(4.5);
    }
  });

  it('draws every field’s border at 3:1 against the field and the card', async () => {
    const portal = await view(
      '„Informationen aktualisieren" with a separate shipping address',
    ).open('de');
    const fields = findAll<HTMLElement>(portal, 'input:not([type="checkbox"]), select');
    expect(fields.length).to.be.above(5);
    for (const field of fields) {
      const style = getComputedStyle(field);
      expect(contrast(style.borderTopColor, style.backgroundColor), `#${field.id}`).to.be.at.least(
        3,
      );
    }
  });

  it('rings keyboard focus at 3:1 against the surface and the yellow', async () => {
    const portal = await view('the overview with a Gate Pass').open('de');
    const current = find(portal, 'nav button[aria-current="page"]')!;
    current.focus();
    const ring = getComputedStyle(current).outlineColor;
    expect(contrast(ring, 'rgb(255, 255, 255)'), 'against white').to.be.at.least(3);
    expect(
      contrast(ring, getComputedStyle(current).backgroundColor),
      'against the yellow',
    ).to.be.at.least(3);
  });

  it('marks the current section by more than its yellow (3:1 against the sidebar)', async () => {
    const portal = await view('the overview with a Gate Pass').open('de');
    const current = find(portal, 'nav button[aria-current="page"]')!;
    const sidebar = find(portal, '[part~="sidebar"]')!;
    const mark = shadowColor(current);
    expect(mark, 'a bar on the current entry').not.to.equal('none');
    expect(contrast(mark, getComputedStyle(current).backgroundColor)).to.be.at.least(3);
    expect(contrast(mark, getComputedStyle(sidebar).backgroundColor)).to.be.at.least(3);
  });

  it('marks the chosen payment tab by more than its yellow (3:1 against the other tab)', async () => {
    const portal = await view('„Zahlungsmethode hinzufügen" with the demo card form').open('de');
    const chosen = find(portal, '[role="tab"][aria-selected="true"]')!;
    const other = find(portal, '[role="tab"][aria-selected="false"]')!;
    await waitUntil(() => chosen.isConnected && other.isConnected);
    expect(contrast(shadowColor(chosen), getComputedStyle(chosen).backgroundColor)).to.be.at.least(
      3,
    );
    expect(
      contrast(getComputedStyle(chosen).borderTopColor, getComputedStyle(other).borderTopColor),
      'border of the chosen tab against the other’s',
    ).to.be.at.least(3);
  });
});
