import {loadStripe} from '@stripe/stripe-js/pure';
import type {
  Appearance,
  Stripe,
  StripeElements,
  StripePaymentElement,
  StripeError,
} from '@stripe/stripe-js';
import type {PortalLocale} from '../localization.js';
import type {
  PaymentFormAdapter,
  PaymentFormResult,
  PaymentMethodKind,
  StripeLoader,
} from './payment-form.js';

export interface StripePaymentFormOptions {
  clientSecret: string;
  publishableKey: string;
  locale: PortalLocale;
  loadStripe?: StripeLoader;
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
 * Stripe's Payment Element in setup mode. Stripe.js is fetched from js.stripe.com when the form
 * mounts, not before. The element must mount in the light DOM: Elements cannot live in a
 * shadow root.
 */
export class StripePaymentForm implements PaymentFormAdapter {
  private stripe?: Stripe;
  private elements?: StripeElements;
  private element?: StripePaymentElement;
  private selectedKind?: PaymentMethodKind;

  constructor(private readonly options: StripePaymentFormOptions) {}

  get kind() {
    return this.selectedKind;
  }

  async mount(target: HTMLElement) {
    const load = this.options.loadStripe ?? loadStripe;
    const stripe = await load(this.options.publishableKey);
    if (!stripe) {
      throw new Error('Stripe.js is not available.');
    }
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
