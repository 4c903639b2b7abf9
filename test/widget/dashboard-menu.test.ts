import {expect, html} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../widget/index.js';
import {resetMockApi, signInAs, startMockApi} from './support/portal-api-mock.js';
import {find, findAll, waitForElement} from './support/dom.js';
import {mountPortal} from './support/portal-mount.js';
import {waitUntil} from './support/wait-timeout.js';

/** The portal signed in, in a column `width` px wide. */
async function dashboardIn(width: number) {
  signInAs('fahrer@example.com');
  const wrapper = await mountPortal(
    html`<div style="width: ${width}px"><conroo-billing-portal></conroo-billing-portal></div>`,
  );
  const portal = wrapper.querySelector('conroo-billing-portal')!;
  await waitForElement(portal, '.content > h2');
  return portal;
}

const menuButton = (portal: Element) => find<HTMLButtonElement>(portal, '[part~="menu-button"]')!;
const entries = (portal: Element) => findAll<HTMLButtonElement>(portal, 'nav li button');
const entry = (portal: Element, label: string) =>
  entries(portal).find((button) => button.textContent?.trim() === label)!;

/** What has focus, looking into shadow roots. */
function focused(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

describe('the dashboard’s navigation in a narrow container (a phone)', () => {
  before(() => startMockApi());
  beforeEach(() => resetMockApi());

  it('is one bar: „Menü" and „Abmelden", the sections behind „Menü"', async () => {
    const portal = await dashboardIn(360);
    const sidebar = find(portal, '[part~="sidebar"]')!;
    expect(menuButton(portal).checkVisibility()).to.equal(true);
    expect(menuButton(portal).getAttribute('aria-expanded')).to.equal('false');
    expect(menuButton(portal).textContent?.trim()).to.equal('Menü');
    expect(find(portal, '[part~="logout-button"]')!.checkVisibility()).to.equal(true);
    expect(entries(portal).some((button) => button.checkVisibility())).to.equal(false);
    // One row of 44 px targets, in its padding.
    expect(sidebar.getBoundingClientRect().height).to.be.below(64);
    expect(menuButton(portal).getBoundingClientRect().height).to.be.at.least(44);
    expect(find(portal, 'nav')!.getAttribute('aria-label')).to.equal('Kundenportal');
  });

  it('opens the sections and who is signed in with „Menü", and closes with Escape', async () => {
    const portal = await dashboardIn(360);
    menuButton(portal).click();
    await waitUntil(() => menuButton(portal).getAttribute('aria-expanded') === 'true');
    await waitUntil(() => entries(portal).every((button) => button.checkVisibility()));
    expect(entries(portal).map((button) => button.textContent?.trim())).to.deep.equal([
      'Übersicht',
      'Zahlungsmethoden',
      'Rechnung und Versand',
      'Rechnungen',
      'Spedition',
    ]);
    expect(entry(portal, 'Übersicht').getAttribute('aria-current')).to.equal('page');
    expect(find(portal, '.identity')!.checkVisibility()).to.equal(true);
    for (const button of entries(portal)) {
      expect(button.getBoundingClientRect().height).to.be.at.least(44);
    }

    entry(portal, 'Zahlungsmethoden').focus();
    await sendKeys({press: 'Escape'});
    await waitUntil(() => menuButton(portal).getAttribute('aria-expanded') === 'false');
    expect(focused()).to.equal(menuButton(portal));
  });

  it('closes when a section is chosen, and focus goes to its heading', async () => {
    const portal = await dashboardIn(360);
    menuButton(portal).click();
    await waitUntil(() => entry(portal, 'Rechnungen').checkVisibility());
    entry(portal, 'Rechnungen').click();
    await waitUntil(() => find(portal, '.content > h2')?.textContent?.trim() === 'Rechnungen');
    await waitUntil(() => focused() === find(portal, '.content > h2'), 'focus on the heading');
    expect(menuButton(portal).getAttribute('aria-expanded')).to.equal('false');
  });

  it('is the sidebar of the help article in a wide container, without „Menü"', async () => {
    const portal = await dashboardIn(1000);
    expect(menuButton(portal).checkVisibility()).to.equal(false);
    expect(entries(portal).every((button) => button.checkVisibility())).to.equal(true);
    expect(find(portal, '.identity')!.checkVisibility()).to.equal(true);
    const nav = find(portal, 'nav')!.getBoundingClientRect();
    const content = find(portal, '[part~="content"]')!.getBoundingClientRect();
    expect(nav.right).to.be.at.most(content.left);
  });
});
