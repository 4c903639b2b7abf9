import type {Customer, PaymentMethod} from '../common/contract.js';
import type {BillingFormValues} from './billing-details/billing-details-model.js';
import type {DashboardSection} from './context/navigation-context.js';
import type {PaymentMethodKind} from './payment-form/payment-form.js';
import type {StripeJsChoice} from './payment-form/setup-return.js';
import type {PortalLocale} from '../common/locale-tags.js';

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
  /**
   * „Zahlungsmethoden" is about to confirm a new method, which may leave the page (PayPal), with
   * the Stripe.js to read the SetupIntent with when the browser comes back.
   */
  'conroo-setup-confirming': {kind: PaymentMethodKind | undefined; stripe: StripeJsChoice};

  // What the portal tells the host page.

  /** A magic link was exchanged for a session. */
  'conroo-login': {email: string};
  /** The user logged out with „Abmelden". */
  'conroo-logout': Record<string, never>;
  /** The session ended while the dashboard was open; the login form shows again. */
  'conroo-session-expired': Record<string, never>;
  /** The user picked another language in the portal's switcher. */
  'conroo-language-change': {locale: PortalLocale};

  // The account's payment methods changed. These three reach the host page; the portal
  // reloads the data of every section on them.

  /** A new payment method was saved and is now the default. */
  'conroo-payment-method-added': {paymentMethod: PaymentMethod};
  /** Another payment method became the default. */
  'conroo-default-payment-method-changed': {paymentMethod: PaymentMethod};
  /** A payment method was removed. */
  'conroo-payment-method-removed': {paymentMethod: PaymentMethod};

  /**
   * „Informationen aktualisieren" saved the billing details (reaches the host page; the portal
   * reloads every section). `customer` as the server has it now.
   */
  'conroo-billing-details-saved': {customer: Customer};

  // From the billing form to „Rechnung und Versand", which stops them.

  /** The form passed its checks and asks to be saved. */
  'conroo-billing-details-submit': {values: BillingFormValues};
  /** „Abbrechen" in the form. */
  'conroo-billing-details-cancel': Record<string, never>;
}

export function portalEvent<K extends keyof PortalEventMap>(
  type: K,
  detail: PortalEventMap[K],
): CustomEvent<PortalEventMap[K]> {
  return new CustomEvent(type, {detail, bubbles: true, composed: true});
}

declare global {
  interface HTMLElementEventMap {
    'conroo-login': CustomEvent<PortalEventMap['conroo-login']>;
    'conroo-logout': CustomEvent<PortalEventMap['conroo-logout']>;
    'conroo-session-expired': CustomEvent<PortalEventMap['conroo-session-expired']>;
    'conroo-language-change': CustomEvent<PortalEventMap['conroo-language-change']>;
    'conroo-payment-method-added': CustomEvent<PortalEventMap['conroo-payment-method-added']>;
    'conroo-default-payment-method-changed': CustomEvent<
      PortalEventMap['conroo-default-payment-method-changed']
    >;
    'conroo-payment-method-removed': CustomEvent<PortalEventMap['conroo-payment-method-removed']>;
    'conroo-billing-details-saved': CustomEvent<PortalEventMap['conroo-billing-details-saved']>;
  }
}
