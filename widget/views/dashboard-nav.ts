import {msg} from '@lit/localize';
import type {AccountSummary, SessionInfo} from '../../common/contract.js';
import type {DashboardSection} from '../context/navigation-context.js';

// Which sections the dashboard's sidebar lists, where it starts and what each is called.

/** With more Gate Passes than this, the dashboard starts on the fleet overview („Fahrer"). */
export const fleetThreshold = 3;

/**
 * Whether the session holds a fleet: more than `fleetThreshold` Gate Passes, or more than one of
 * which a carrier holds some (a carrier manages drivers, not one Gate Pass of its own).
 */
export function isFleetSession({accounts}: SessionInfo): boolean {
  return (
    accounts.length > fleetThreshold ||
    (accounts.length > 1 && accounts.some((account) => account.access === 'carrier'))
  );
}

/** The sidebar's sections, in order: „Fahrer" first for a fleet, „Spedition" last. */
export function sidebarSections(session: SessionInfo): DashboardSection[] {
  return [
    ...(isFleetSession(session) ? (['fleet'] as const) : []),
    'overview',
    'payment-methods',
    'billing-shipping',
    'invoices',
    'carrier-access',
  ];
}

/** Where the dashboard starts: the fleet overview for a fleet, else the overview. */
export function landingSection(session: SessionInfo): DashboardSection {
  return isFleetSession(session) ? 'fleet' : 'overview';
}

/** The session's active account. */
export function activeAccount(session: SessionInfo): AccountSummary | undefined {
  return session.accounts.find((account) => account.customerId === session.activeCustomerId);
}

/** The sidebar label of each section; the German ones are those the help article quotes. */
export function sectionTitle(section: DashboardSection): string {
  switch (section) {
    case 'fleet':
      return msg('Fahrer');
    case 'overview':
      return msg('Übersicht');
    case 'payment-methods':
      return msg('Zahlungsmethoden');
    case 'billing-shipping':
      return msg('Rechnung und Versand');
    case 'invoices':
      return msg('Rechnungen');
    case 'carrier-access':
      return msg('Spedition');
  }
}

/** The section's heading: its sidebar label, where that says enough. */
export function sectionHeading(section: DashboardSection, account?: AccountSummary): string {
  switch (section) {
    case 'fleet':
      return msg('Ihre Fahrer');
    case 'carrier-access':
      return account?.access === 'carrier'
        ? msg('Ihr Zugriff als Spedition')
        : msg('Zugriff für Ihre Spedition');
    default:
      return sectionTitle(section);
  }
}
