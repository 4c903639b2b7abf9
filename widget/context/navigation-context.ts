import {createContext} from '@lit/context';
import type {SetupReturn} from '../payment-form/setup-return.js';

/**
 * The dashboard's sections. Which of them the sidebar lists, in which order, is the dashboard's
 * business (views/dashboard-nav.ts): the fleet („Fahrer") only for a session that holds many
 * Gate Passes.
 */
export type DashboardSection =
  'fleet' | 'overview' | 'payment-methods' | 'billing-shipping' | 'invoices' | 'carrier-access';

/** How the fleet overview („Fahrer") was left: sorted, filtered and searched as it was. */
export interface FleetView {
  readonly sort: {readonly key: 'name' | 'renewal' | 'status'; readonly descending: boolean};
  readonly filters: readonly string[];
  readonly query: string;
}

/** A driver's section opened from the fleet overview: the way back, and who comes next. */
export interface FleetTrip {
  /** The fleet as it was left (restored by „Zurück zur Fahrerliste"). */
  readonly view: FleetView;
  /** The drivers as the fleet listed them then, for „Weiter zum nächsten Fahrer …". */
  readonly order: readonly string[];
}

/** Where the dashboard is. Sections ask to move with a `conroo-navigate` event. */
export interface PortalNavigation {
  /** `undefined`: where the dashboard starts (the fleet for a fleet session, else the overview). */
  readonly section?: DashboardSection;
  /** With „Zahlungsmethoden": the result of a redirect (PayPal, 3-D Secure) to finish there. */
  readonly setupReturn?: SetupReturn;
  /** Opened from the fleet overview. */
  readonly fleetTrip?: FleetTrip;
  /** With „Fahrer": the fleet as it was left. */
  readonly fleetView?: FleetView;
  /** With „Zahlungsmethoden": „Zahlungsmethode hinzufügen" opens at once. */
  readonly addPaymentMethod?: boolean;
}

export const navigationContext = createContext<PortalNavigation>(Symbol('conroo-navigation'));
