import {createContext} from '@lit/context';

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
}

export const navigationContext = createContext<PortalNavigation>(Symbol('conroo-navigation'));
