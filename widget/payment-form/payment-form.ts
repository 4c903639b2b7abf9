import type {Stripe} from '@stripe/stripe-js';
import {importDemoPaymentForm, importStripePaymentForm} from '../lazy-parts.js';
import type {PortalLocale} from '../localization.js';

/** What a confirmation came to. `redirecting`: the page is leaving (3-D Secure, PayPal). */
export type PaymentFormResult =
  | {status: 'succeeded'; setupIntentId: string}
  | {status: 'redirecting'}
  | {
      status: 'failed';
      /**
       * Stripe's error code (`card_declined`, `expired_card`, …), `validation_error` when the
       * form itself shows what to fix, or `network_error`.
       */
      code: string;
      /** A message already in the user's language (Stripe.js localizes card errors). */
      message?: string;
    };

/** The kinds of payment method the portal offers; remembered across a redirect. */
export type PaymentMethodKind = 'card' | 'paypal';

/**
 * The form that collects a card or PayPal for a SetupIntent: Stripe's Payment Element, or the
 * demo form when the server talks to the Stripe emulator. The section only sees this interface,
 * so nothing else can tell which one was used.
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

export interface PaymentFormOptions {
  clientSecret: string;
  /** `null` in demo mode: the server talks to the Stripe emulator. */
  publishableKey: string | null;
  /** The portal server's base URL, which also serves the emulator at `/dev/stripe` in demo mode. */
  apiBase: string;
  locale: PortalLocale;
  loadStripe?: StripeLoader;
  /** Leaves the page for a redirect (3-D Secure, PayPal); `location.assign` by default. */
  navigate: (url: string) => void;
  /** The user pressed Enter in the form. */
  onSubmitRequest?: () => void;
}

/**
 * Creates the form that fits the SetupIntent. Its code is imported on demand, so the portal
 * loads no Stripe code until a user opens the form (and Stripe.js itself comes from
 * js.stripe.com only then).
 */
export async function createPaymentForm(options: PaymentFormOptions): Promise<PaymentFormAdapter> {
  if (options.publishableKey === null) {
    const {DemoPaymentForm} = await importDemoPaymentForm();
    return new DemoPaymentForm(options);
  }
  const {StripePaymentForm} = await importStripePaymentForm();
  return new StripePaymentForm({...options, publishableKey: options.publishableKey});
}
