import {createContext} from '@lit/context';
import type {SetupReturn} from '../payment-form/setup-return.js';

/** The dashboard's sections, in sidebar order. */
export const dashboardSections = [
  'overview',
  'payment-methods',
  'billing-shipping',
  'invoices',
] as const;

export type DashboardSection = (typeof dashboardSections)[number];

/** Where the dashboard is. Sections ask to move with a `conroo-navigate` event. */
export interface PortalNavigation {
  readonly section: DashboardSection;
  /** With „Zahlungsmethoden": the result of a redirect (PayPal, 3-D Secure) to finish there. */
  readonly setupReturn?: SetupReturn;
}

export const navigationContext = createContext<PortalNavigation>(Symbol('conroo-navigation'));
