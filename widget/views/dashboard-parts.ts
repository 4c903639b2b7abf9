// The dashboard's own parts that load on demand, each a chunk beside the dashboard's: the fleet
// overview („Fahrer", with the bulk billing form, the yearly export and the offer of the next
// driver without a payment method) only for a session that holds a fleet, and „Spedition" when
// it is opened. Only the dashboard imports this module.
import {LazyPart} from '../lazy-part.js';
import type {DashboardSection} from '../context/navigation-context.js';

/** `<conroo-fleet>` and the fleet's other elements. */
export const fleetPart = new LazyPart('fleet', () => import('../fleet/conroo-fleet.js'));

/** `<conroo-carrier-access>` („Spedition"). */
export const carrierAccessPart = new LazyPart(
  'carrier-access',
  () => import('../sections/conroo-carrier-access.js'),
);

/** The part a section's element comes from, if it is not in the dashboard's chunk. */
export function partForSection(section: DashboardSection): LazyPart | undefined {
  return section === 'fleet'
    ? fleetPart
    : section === 'carrier-access'
      ? carrierAccessPart
      : undefined;
}
