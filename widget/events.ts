import type {DashboardSection} from './context/navigation-context.js';

/**
 * Events that views and sections send up to `<conroo-billing-portal>`. They bubble and are
 * composed so that they cross the nested shadow roots; the root stops them there.
 */
export interface PortalEventMap {
  /** A section asks to show another section. */
  'conroo-navigate': {section: DashboardSection};
  /** The login form asked for a link for this address. */
  'conroo-link-requested': {email: string};
  /** The check-mail view wants the login form back, to type another address. */
  'conroo-change-email': {email: string};
  /** The dashboard asks to make another of the session's accounts active. */
  'conroo-account-switch': {customerId: string};
  /** The dashboard asks to end the session. */
  'conroo-logout-request': Record<string, never>;
}

export function portalEvent<K extends keyof PortalEventMap>(
  type: K,
  detail: PortalEventMap[K],
): CustomEvent<PortalEventMap[K]> {
  return new CustomEvent(type, {detail, bubbles: true, composed: true});
}
