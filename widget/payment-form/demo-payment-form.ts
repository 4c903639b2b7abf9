import type {PaymentFormAdapter, PaymentFormOptions, PaymentFormResult} from './payment-form.js';
import {ConrooDemoPaymentForm, type DemoCardField} from './conroo-demo-payment-form.js';

/** The publishable key Stripe.js would send; the emulator accepts any `pk_test_…`. */
const demoPublishableKey = 'pk_test_demo';

interface StripeErrorBody {
  error?: {type?: string; code?: string; param?: string};
}

interface SetupIntentBody {
  id?: string;
  status?: string;
  next_action?: {redirect_to_url?: {url?: string}} | null;
}

/** Which demo field a Stripe error's `param` (or code) points at. */
function fieldOf(error: NonNullable<StripeErrorBody['error']>): DemoCardField | undefined {
  const param = error.param ?? '';
  if (error.code === 'expired_card' || /exp_(month|year)/.test(param)) return 'expiry';
  if (/\[number\]/.test(param) || error.code === 'incorrect_number') return 'number';
  if (/\[cvc\]/.test(param) || error.code === 'invalid_cvc') return 'cvc';
  return undefined;
}

/**
 * The demo form against the Stripe emulator at `<api-base>/dev/stripe/v1`: it confirms the
 * SetupIntent exactly as Stripe.js would (publishable key, client secret, form-encoded
 * `payment_method_data`), so the server cannot tell the difference.
 */
export class DemoPaymentForm implements PaymentFormAdapter {
  private form?: ConrooDemoPaymentForm;

  constructor(private readonly options: PaymentFormOptions) {}

  get kind() {
    return this.form?.kind;
  }

  async mount(target: HTMLElement) {
    const form = new ConrooDemoPaymentForm();
    form.addEventListener('conroo-demo-submit', () => this.options.onSubmitRequest?.());
    target.replaceChildren(form);
    this.form = form;
    await form.updateComplete;
  }

  focus() {
    this.form?.focus();
  }

  async confirm(returnUrl: string): Promise<PaymentFormResult> {
    const form = this.form;
    const details = form?.validate();
    if (!form || !details) {
      return {status: 'failed', code: 'validation_error'};
    }
    const {clientSecret, apiBase} = this.options;
    const setupIntentId = clientSecret.slice(0, clientSecret.indexOf('_secret_'));
    const body = new URLSearchParams({
      key: demoPublishableKey,
      client_secret: clientSecret,
      return_url: returnUrl,
      'payment_method_data[type]': details.type,
    });
    if (details.type === 'card') {
      body.set('payment_method_data[card][number]', details.number);
      body.set('payment_method_data[card][exp_month]', details.expMonth);
      body.set('payment_method_data[card][exp_year]', details.expYear);
      body.set('payment_method_data[card][cvc]', details.cvc);
    }

    form.disabled = true;
    let leaving = false;
    try {
      let response: Response;
      try {
        response = await fetch(
          `${apiBase}/dev/stripe/v1/setup_intents/${encodeURIComponent(setupIntentId)}/confirm`,
          {
            method: 'POST',
            headers: {'Content-Type': 'application/x-www-form-urlencoded'},
            body,
            // Like Stripe.js towards api.stripe.com: no cookies of the portal.
            credentials: 'omit',
          },
        );
      } catch {
        return {status: 'failed', code: 'network_error'};
      }
      const answer = (await response.json().catch(() => null)) as
        (SetupIntentBody & StripeErrorBody) | null;
      if (!response.ok || !answer || answer.error) {
        const error = answer?.error ?? {};
        const field = fieldOf(error);
        if (field) {
          form.markInvalid(field);
        }
        return {status: 'failed', code: error.code ?? error.type ?? 'unexpected_response'};
      }
      if (answer.status === 'succeeded' && answer.id) {
        return {status: 'succeeded', setupIntentId: answer.id};
      }
      const redirectUrl = answer.next_action?.redirect_to_url?.url;
      if (answer.status === 'requires_action' && redirectUrl) {
        leaving = true;
        this.options.navigate(redirectUrl);
        return {status: 'redirecting'};
      }
      return {status: 'failed', code: answer.status === 'processing' ? 'processing' : 'incomplete'};
    } finally {
      form.disabled = leaving;
    }
  }

  destroy() {
    this.form?.remove();
    this.form = undefined;
  }
}
