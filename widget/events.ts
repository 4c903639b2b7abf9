import type {
  BillingDetailsRequest,
  CarrierGrant,
  Customer,
  PaymentMethod,
} from '../common/contract.js';
import type {BillingFormValues} from './billing-details/billing-details-model.js';
import type {PortalNavigation} from './context/navigation-context.js';
import type {PaymentMethodKind} from './payment-form/payment-form.js';
import type {StripeJsChoice} from './payment-form/setup-return.js';
import type {PortalLocale} from '../common/locale-tags.js';

/**
 * Events that views and sections send up to `<conroo-billing-portal>`. They bubble and are
 * composed so that they cross the nested shadow roots; the root stops them there.
 */
export interface PortalEventMap {
  /** A section asks to show another section (or, without one, where the dashboard starts). */
  'conroo-navigate': PortalNavigation;
  /** The login form asked for a link for this address. */
  'conroo-link-requested': {email: string};
  /** The check-mail view wants the login form back, to type another address. */
  'conroo-change-email': {email: string};
  /**
   * The dashboard asks to make another of the session's accounts active; `then`: where to go
   * once it is (e.g. a driver's „Zahlungsmethoden", opened from the fleet overview).
   */
  'conroo-account-switch': {customerId: string; then?: PortalNavigation};
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

  // Carrier access („Spedition") and the fleet overview („Fahrer"). These reach the host page.

  /** The owner gave a carrier access to the active Gate Pass (the server mailed the carrier). */
  'conroo-carrier-access-granted': CarrierGrant;
  /** The owner ended a carrier's access to the active Gate Pass. */
  'conroo-carrier-access-ended': {email: string};
  /** The session's carrier gave its access to a driver's Gate Pass back. */
  'conroo-carrier-access-returned': {customerId: string};
  /** The fleet overview saved the same billing details for these drivers (the ones saved). */
  'conroo-fleet-billing-details-saved': {customerIds: string[]; details: BillingDetailsRequest};

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
    'conroo-carrier-access-granted': CustomEvent<PortalEventMap['conroo-carrier-access-granted']>;
    'conroo-carrier-access-ended': CustomEvent<PortalEventMap['conroo-carrier-access-ended']>;
    'conroo-carrier-access-returned': CustomEvent<PortalEventMap['conroo-carrier-access-returned']>;
    'conroo-fleet-billing-details-saved': CustomEvent<
      PortalEventMap['conroo-fleet-billing-details-saved']
    >;
  }
}
