import {fixture, html} from '@open-wc/testing';
import type {TemplateResult} from 'lit';
import type {ConrooBillingPortal} from '../../../widget/conroo-billing-portal.js';
import {findAll} from './dom.js';
import {waitTimeout, waitUntil} from './wait-timeout.js';

// Mounting the portal and moving around in it, the way the section tests start.

/** The portal as the test's fixture: `<conroo-billing-portal>` unless `template` says otherwise. */
export function mountPortal(
  template: TemplateResult = html`<conroo-billing-portal></conroo-billing-portal>`,
) {
  return fixture<ConrooBillingPortal>(template);
}

/** Waits for the sidebar, clicks its entry `label` and waits until that section is current. */
export async function openSection(portal: Element, label: string) {
  await waitUntil(
    () =>
      findAll<HTMLButtonElement>(portal, 'nav button').some(
        (candidate) => candidate.textContent?.trim() === label,
      ),
    'the sidebar',
    {timeout: waitTimeout},
  );
  const button = findAll<HTMLButtonElement>(portal, 'nav button').find(
    (candidate) => candidate.textContent?.trim() === label,
  )!;
  button.click();
  await waitUntil(() => button.getAttribute('aria-current') === 'page');
}

/** Collects the `detail` of every `type` event on `target`, in order. */
export function collect<T>(target: EventTarget, type: string): T[] {
  const details: T[] = [];
  target.addEventListener(type, (event) => details.push((event as CustomEvent<T>).detail));
  return details;
}
