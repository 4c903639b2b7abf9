import type {Stripe} from '@stripe/stripe-js';
import type {PortalLocale} from '../localization.js';

/** What a confirmation came to. A redirect (PayPal) leaves the page: `confirm` never settles. */
export type PaymentFormResult =
  | {status: 'succeeded'; setupIntentId: string}
  | {
      status: 'failed';
      /**
       * Stripe's error code (`card_declined`, `expired_card`, …), `validation_error` when the
       * form itself shows what to fix, `processing` while the method is still being checked,
       * or `network_error`.
       */
      code: string;
      /** A message already in the user's language (Stripe.js localizes card errors). */
      message?: string;
    };

/** The kinds of payment method the portal offers; remembered across a redirect. */
export type PaymentMethodKind = 'card' | 'paypal';

/**
 * The form that collects a card or PayPal for a SetupIntent: Stripe's Payment Element (or the
 * same API of the Stripe.js stand-in the demo's emulator serves). The section only sees this
 * interface.
 */
export interface PaymentFormAdapter {
  /** Shows the form in `target`, a node in the document's light DOM; resolves once it is usable. */
  mount(target: HTMLElement): Promise<void>;
  /** Puts focus on the form's first field. */
  focus(): void;
  /** Confirms the SetupIntent with what was entered; never rejects. */
  confirm(returnUrl: string): Promise<PaymentFormResult>;
  /** The kind chosen right now (tab), if the form knows it. */
  readonly kind: PaymentMethodKind | undefined;
  destroy(): void;
}

/** Loads Stripe.js; `loadStripe` from `@stripe/stripe-js/pure` by default, a stub in tests. */
export type StripeLoader = (publishableKey: string) => Promise<Stripe | null>;

/** Which Stripe.js to load, as the server's answer to a new SetupIntent says. */
export interface StripeJsSource {
  publishableKey: string;
  /** `null`: Stripe.js itself; else a stand-in, loaded only from `apiBase`'s origin. */
  stripeJsUrl: string | null;
  /** The portal server's base URL (`api-base`, empty for the page's origin). */
  apiBase: string;
  /** Replaces the whole loading in tests. */
  loadStripe?: StripeLoader;
}

export interface PaymentFormOptions extends StripeJsSource {
  clientSecret: string;
  locale: PortalLocale;
}
