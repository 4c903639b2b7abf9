import {loadStripe as loadStripeJs} from '@stripe/stripe-js/pure';
import type {
  Appearance,
  Stripe,
  StripeElements,
  StripePaymentElement,
  StripeError,
} from '@stripe/stripe-js';
import type {
  PaymentFormAdapter,
  PaymentFormOptions,
  PaymentFormResult,
  PaymentMethodKind,
  StripeJsSource,
} from './payment-form.js';

/** Stand-ins by URL: each loads once, and two forms opened one after the other share it. */
const standIns = new Map<string, Promise<void>>();

/** Runs a Stripe.js stand-in, which defines `window.Stripe` as Stripe's own script does. */
function runStandIn(url: URL): Promise<void> {
  let loading = standIns.get(url.href);
  if (!loading) {
    loading = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.type = 'module';
      script.src = url.href;
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => {
        standIns.delete(url.href);
        script.remove();
        reject(new Error('The Stripe.js stand-in could not be loaded.'));
      });
      document.head.append(script);
    });
    standIns.set(url.href, loading);
  }
  return loading;
}

/**
 * Stripe.js, through `loadStripe` of `@stripe/stripe-js`: from js.stripe.com, or — when the
 * server names a stand-in — the stand-in's `window.Stripe`, which `loadStripe` then takes as it
 * takes Stripe's own. A stand-in is loaded only from the portal server's own origin, so a
 * tampered answer cannot bring script from anywhere else into the page.
 */
export async function loadStripeFor(source: StripeJsSource): Promise<Stripe> {
  let stripe: Stripe | null;
  if (source.loadStripe) {
    stripe = await source.loadStripe(source.publishableKey);
  } else {
    if (source.stripeJsUrl) {
      const url = new URL(source.stripeJsUrl, location.href);
      const apiOrigin = new URL(source.apiBase || location.href, location.href).origin;
      if (url.origin !== apiOrigin) {
        throw new Error('A Stripe.js stand-in is loaded only from the portal server.');
      }
      await runStandIn(url);
    }
    stripe = await loadStripeJs(source.publishableKey);
  }
  if (!stripe) {
    throw new Error('Stripe.js is not available.');
  }
  return stripe;
}

/** How a SetupIntent stands after a redirect came back, as Stripe.js reads it. */
export type SetupIntentOutcome =
  {status: 'succeeded'} | {status: 'processing'} | {status: 'failed'; code?: string};

/**
 * After PayPal or 3-D Secure sent the browser back: the SetupIntent's state, read with
 * `retrieveSetupIntent` and the client secret of the return URL (Stripe's advice: the
 * `redirect_status` parameter is only a hint). Rejects when Stripe.js cannot tell.
 */
export async function retrieveSetupOutcome(
  source: StripeJsSource,
  clientSecret: string,
): Promise<SetupIntentOutcome> {
  const stripe = await loadStripeFor(source);
  const {setupIntent, error} = await stripe.retrieveSetupIntent(clientSecret);
  if (error || !setupIntent) {
    throw new Error(error?.message ?? 'The SetupIntent cannot be read.');
  }
  switch (setupIntent.status) {
    case 'succeeded':
      return {status: 'succeeded'};
    case 'processing':
      return {status: 'processing'};
    default:
      return {status: 'failed', code: setupIntent.last_setup_error?.code};
  }
}

/** The portal's theme tokens as Stripe's Appearance API variables, read where the form shows. */
export function appearanceFrom(node: Element): Appearance {
  const style = getComputedStyle(node);
  const variables: NonNullable<Appearance['variables']> = {};
  const tokens = {
    colorPrimary: '--conroo-accent',
    colorText: '--conroo-text',
    colorBackground: '--conroo-surface',
    colorDanger: '--conroo-danger-text',
    borderRadius: '--conroo-radius',
    fontFamily: '--conroo-font',
  } as const;
  for (const [variable, property] of Object.entries(tokens)) {
    const value = style.getPropertyValue(property).trim();
    if (value) {
      variables[variable as keyof typeof tokens] = value;
    }
  }
  return {theme: 'stripe', variables};
}

/** Stripe's own error for the section: card errors carry a message Stripe localized already. */
function failure(error: StripeError): PaymentFormResult {
  if (error.type === 'validation_error') {
    // The Payment Element shows what to fix beside the field.
    return {status: 'failed', code: 'validation_error'};
  }
  if (error.type === 'card_error') {
    return {status: 'failed', code: error.code ?? 'card_declined', message: error.message};
  }
  if (error.type === 'api_connection_error') {
    return {status: 'failed', code: 'network_error'};
  }
  return {status: 'failed', code: error.code ?? error.type};
}

/**
 * Stripe's Payment Element in setup mode. Stripe.js (or the stand-in the server names) is
 * loaded when the form mounts, not before. The element must mount in the light DOM: Elements
 * cannot live in a shadow root.
 */
export class StripePaymentForm implements PaymentFormAdapter {
  private stripe?: Stripe;
  private elements?: StripeElements;
  private element?: StripePaymentElement;
  private selectedKind?: PaymentMethodKind;

  constructor(private readonly options: PaymentFormOptions) {}

  get kind() {
    return this.selectedKind;
  }

  async mount(target: HTMLElement) {
    const stripe = await loadStripeFor(this.options);
    this.stripe = stripe;
    this.elements = stripe.elements({
      clientSecret: this.options.clientSecret,
      appearance: appearanceFrom(target),
      // Stripe's Payment Element has no Ukrainian; „auto" follows the browser's language.
      locale: this.options.locale === 'uk' ? 'auto' : this.options.locale,
    });
    const element = this.elements.create('payment', {layout: 'tabs'});
    this.element = element;
    element.on('change', (event) => {
      const type = event.value?.type;
      this.selectedKind = type === 'card' || type === 'paypal' ? type : undefined;
    });
    await new Promise<void>((resolve, reject) => {
      element.on('ready', () => resolve());
      element.on('loaderror', (event) => reject(new Error(event.error.message)));
      element.mount(target);
    });
  }

  focus() {
    this.element?.focus();
  }

  async confirm(returnUrl: string): Promise<PaymentFormResult> {
    if (!this.stripe || !this.elements) {
      return {status: 'failed', code: 'not_mounted'};
    }
    let result;
    try {
      result = await this.stripe.confirmSetup({
        elements: this.elements,
        confirmParams: {return_url: returnUrl},
        redirect: 'if_required',
      });
    } catch {
      return {status: 'failed', code: 'network_error'};
    }
    if (result.error) {
      return failure(result.error);
    }
    const {setupIntent} = result;
    if (setupIntent.status === 'succeeded') {
      return {status: 'succeeded', setupIntentId: setupIntent.id};
    }
    return {
      status: 'failed',
      code: setupIntent.status === 'processing' ? 'processing' : 'incomplete',
    };
  }

  destroy() {
    this.element?.destroy();
    this.element = undefined;
    this.elements = undefined;
  }
}
