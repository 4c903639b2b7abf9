import {html} from '@open-wc/testing';
import type {ConrooFleet} from '../../../widget/fleet/conroo-fleet.js';
import {buttonNamed, find, findAll, textOf, waitForElement} from './dom.js';
import {signInAs} from './portal-api-mock.js';
import {mountPortal} from './portal-mount.js';
import {waitUntil} from './wait-timeout.js';

// Getting to the fleet overview („Fahrer") and reading it, for the fleet's tests.

/** The carrier of the fixtures with seven drivers. */
export const carrier = 'spedition@example.com';

/** Signs in as the carrier and waits for the fleet in a container `width` px wide. */
export async function openFleet(width = 1280) {
  signInAs(carrier);
  const page = await mountPortal(
    html`<div style="width: ${width}px"><conroo-billing-portal></conroo-billing-portal></div>`,
  );
  const portal = page.querySelector('conroo-billing-portal')!;
  const fleet = await waitForElement<ConrooFleet>(portal, 'conroo-fleet');
  // Until the fleet has measured its width it lists cards; at 1280 px it then becomes the
  // table, which is what the tests mean to use.
  await waitUntil(
    () => find(fleet, width >= 1280 ? '[part~="table"] [data-driver]' : '[data-driver]'),
    'the drivers',
  );
  return {page, portal, fleet};
}

/** The customer IDs of the listed drivers, top to bottom. */
export function listedIds(fleet: Element): string[] {
  return findAll(fleet, '[data-driver]').map((row) => row.dataset.driver!);
}

export function row(fleet: Element, customerId: string): HTMLElement {
  const found = find(fleet, `[data-driver="${customerId}"]`);
  if (!found) throw new Error(`No row of ${customerId}; listed: ${listedIds(fleet).join(', ')}`);
  return found;
}

export function chip(fleet: Element, filter: string): HTMLButtonElement {
  return find<HTMLButtonElement>(fleet, `[part~="filter-chip"][data-filter="${filter}"]`)!;
}

export function search(fleet: Element, query: string) {
  const input = find<HTMLInputElement>(fleet, '#fleet-search')!;
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
}

/** What the live region says about the list. */
export function resultCount(fleet: Element): string {
  return textOf(find(fleet, '.result-count')!);
}

/** Ticks a driver's checkbox. */
export function select(fleet: Element, customerId: string) {
  find<HTMLInputElement>(row(fleet, customerId), 'input.select')!.click();
}

/** The bulk result a driver's row shows (`saved`, `failed` …), `null` before any. */
export function bulkState(fleet: Element, customerId: string): string | null {
  return find(row(fleet, customerId), '[data-bulk]')?.dataset.bulk ?? null;
}

/** Fills the bulk billing form's required fields with a company in Hamburg. */
export async function fillCompany(fleet: Element, taxId = 'DE123456789') {
  const form = await waitForElement(fleet, 'conroo-billing-details-form');
  const values: Record<string, string> = {
    'field-name': 'Spedition Hanse GmbH',
    'field-address-line1': 'Am Sandtorkai 50',
    'field-address-postalCode': '20457',
    'field-address-city': 'Hamburg',
    'field-taxId-value': taxId,
  };
  for (const [id, value] of Object.entries(values)) {
    const input = find<HTMLInputElement>(form, `#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  }
  return form;
}

export function clickButton(root: Element, label: string) {
  const button = buttonNamed(root, label);
  if (!button) throw new Error(`No button „${label}"`);
  button.click();
}
