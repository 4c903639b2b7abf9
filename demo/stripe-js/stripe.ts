/**
 * The Stripe.js stand-in the emulator serves at `<emulator>/js/stripe.js`: the documented
 * subset of Stripe.js the portal calls — `Stripe(pk)`, `elements({clientSecret, appearance,
 * locale})`, `elements.create('payment')`, `mount`, `on('ready' | 'change')`, `confirmSetup`,
 * `retrieveSetupIntent` — talking to the emulator in Stripe's wire format with the publishable
 * key, as Stripe.js talks to api.stripe.com. Loading it defines `window.Stripe`, so
 * `loadStripe()` of `@stripe/stripe-js` picks it up exactly as it picks up Stripe's script.
 *
 * Its "Payment Element" is a clearly labelled demo card/PayPal form; a card that needs
 * 3-D Secure opens a challenge modal (complete or fail), as Stripe.js does with test cards;
 * PayPal leaves the page for the emulator's approval page and comes back to `return_url`.
 */
import type {SetupIntent, StripeError} from '@stripe/stripe-js';
import {openChallenge} from './challenge.js';
import {messagesFor, type StandInMessages} from './messages.js';
import {
  StripeDemoPaymentElement,
  type DemoCardField,
  type DemoPaymentDetails,
} from './payment-element.js';

/** The emulator that served this script is this stand-in's api.stripe.com. */
const apiRoot = new URL('../v1/', import.meta.url);

/** Stripe.js' release train; `@stripe/stripe-js` warns when a test key meets another one. */
const RELEASE_TRAIN = 'endive';

type SetupIntentResult = {setupIntent: SetupIntent} | {error: StripeError};

interface Answer {
  status: number;
  body: Record<string, unknown> & {error?: StripeError};
}

/** What Stripe.js answers when api.stripe.com cannot be reached. */
const connectionError: StripeError = {
  type: 'api_connection_error',
  message: 'An error occurred with our connection to Stripe. Please try again.',
};

/** Calls the emulator like Stripe.js calls Stripe: form-encoded, the publishable key as `key`. */
class StripeApi {
  constructor(private readonly publishableKey: string) {}

  async request(method: 'GET' | 'POST', path: string, params: Record<string, string>) {
    const query = new URLSearchParams({...params, key: this.publishableKey});
    const url = new URL(path, apiRoot);
    if (method === 'GET') url.search = query.toString();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers:
          method === 'POST' ? {'Content-Type': 'application/x-www-form-urlencoded'} : undefined,
        body: method === 'POST' ? query : undefined,
        // Stripe.js sends no cookies to api.stripe.com.
        credentials: 'omit',
      });
    } catch {
      return null;
    }
    const body = (await response.json().catch(() => null)) as Answer['body'] | null;
    return body ? {status: response.status, body} : null;
  }
}

const idOfClientSecret = (clientSecret: string) =>
  clientSecret.slice(0, Math.max(0, clientSecret.indexOf('_secret_')));

/** Which field a card error's `param` names. */
function fieldOf(param: string | undefined): DemoCardField | undefined {
  if (!param) return undefined;
  if (/exp_(month|year)/.test(param)) return 'expiry';
  if (/number/.test(param)) return 'number';
  if (/cvc/.test(param)) return 'cvc';
  return undefined;
}

function cardLabel(number: string): string {
  const brand = /^4/.test(number)
    ? 'Visa'
    : /^(5[1-5]|2[2-7])/.test(number)
      ? 'Mastercard'
      : /^3[47]/.test(number)
        ? 'American Express'
        : '';
  return `${brand} •••• ${number.slice(-4)}`.trim();
}

type Handler = (event: Record<string, unknown>) => void;

class PaymentElementStandIn {
  private readonly handlers = new Map<string, Set<Handler>>();
  private node?: StripeDemoPaymentElement;

  constructor(private readonly group: ElementsStandIn) {}

  on(event: string, handler: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
    return this;
  }

  off(event: string, handler?: Handler) {
    if (handler) this.handlers.get(event)?.delete(handler);
    else this.handlers.delete(event);
    return this;
  }

  once(event: string, handler: Handler) {
    const wrapped: Handler = (e) => {
      this.off(event, wrapped);
      handler(e);
    };
    return this.on(event, wrapped);
  }

  private emit(event: string, detail: Record<string, unknown>) {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(detail);
  }

  private changeEvent() {
    return {elementType: 'payment', empty: false, complete: false, value: {type: this.node?.type}};
  }

  mount(target: string | HTMLElement) {
    const parent = typeof target === 'string' ? document.querySelector(target) : target;
    if (!(parent instanceof HTMLElement)) {
      throw new Error('IntegrationError: the selector you specified does not match a DOM node.');
    }
    const node = document.createElement('stripe-demo-payment-element');
    node.messages = this.group.messages;
    for (const [property, value] of this.group.appearanceProperties()) {
      node.style.setProperty(property, value);
    }
    node.addEventListener('demo-payment-element-change', () =>
      this.emit('change', this.changeEvent()),
    );
    // As Stripe's elements do: Enter in a field submits the form the element is mounted in.
    node.addEventListener('demo-payment-element-enter', () =>
      parent.closest('form')?.requestSubmit(),
    );
    parent.append(node);
    this.node = node;
    void node.updateComplete.then(() => {
      this.emit('ready', {elementType: 'payment'});
      this.emit('change', this.changeEvent());
    });
  }

  focus() {
    this.node?.focus();
  }

  blur() {
    (this.node?.shadowRoot?.activeElement as HTMLElement | null)?.blur();
  }

  unmount() {
    this.node?.remove();
    this.node = undefined;
  }

  destroy() {
    this.unmount();
    this.group.forget(this);
  }

  /** The mounted form, for `confirmSetup`. */
  get form() {
    return this.node;
  }
}

class ElementsStandIn {
  readonly messages: StandInMessages;
  private element?: PaymentElementStandIn;

  constructor(
    readonly clientSecret: string,
    private readonly appearance: {variables?: Record<string, string>} | undefined,
    locale: string | undefined,
  ) {
    this.messages = messagesFor(locale);
  }

  create(type: string, _options?: unknown) {
    if (type !== 'payment') {
      throw new Error(`IntegrationError: the stand-in creates only the "payment" element.`);
    }
    if (this.element) {
      throw new Error('IntegrationError: Can only create one Element of type payment.');
    }
    this.element = new PaymentElementStandIn(this);
    return this.element;
  }

  getElement(type: string) {
    return type === 'payment' ? (this.element ?? null) : null;
  }

  /** The Appearance API variables the stand-in's form understands, as its CSS properties. */
  appearanceProperties(): Array<[string, string]> {
    const variables = {...this.appearance?.variables};
    // Like Stripe: text on the primary colour is dark or light by the colour, unless given.
    if (variables.colorPrimary && !variables.colorPrimaryText) {
      variables.colorPrimaryText = isLight(variables.colorPrimary) ? '#1a1a1a' : '#ffffff';
    }
    const names: Record<string, string> = {
      colorPrimary: '--demo-primary',
      colorPrimaryText: '--demo-primary-text',
      colorText: '--demo-text',
      colorBackground: '--demo-background',
      colorDanger: '--demo-danger',
      borderRadius: '--demo-radius',
      fontFamily: '--demo-font',
    };
    return Object.entries(names)
      .filter(([variable]) => variables[variable])
      .map(([variable, property]) => [property, variables[variable]]);
  }

  forget(element: PaymentElementStandIn) {
    if (this.element === element) this.element = undefined;
  }

  get paymentElement() {
    return this.element;
  }
}

interface ConfirmSetupOptions {
  elements: ElementsStandIn;
  confirmParams?: {return_url?: string};
  redirect?: 'always' | 'if_required';
}

class StripeStandIn {
  private readonly api: StripeApi;

  constructor(
    publishableKey: string,
    private readonly options: {locale?: string} = {},
  ) {
    this.api = new StripeApi(publishableKey);
  }

  elements(options: {
    clientSecret: string;
    appearance?: {variables?: Record<string, string>};
    locale?: string;
  }) {
    return new ElementsStandIn(
      options.clientSecret,
      options.appearance,
      options.locale ?? this.options.locale,
    );
  }

  async retrieveSetupIntent(clientSecret: string): Promise<SetupIntentResult> {
    const answer = await this.api.request(
      'GET',
      `setup_intents/${encodeURIComponent(idOfClientSecret(clientSecret))}`,
      {client_secret: clientSecret},
    );
    if (!answer) return {error: connectionError};
    if (answer.body.error) return {error: answer.body.error};
    return {setupIntent: answer.body as unknown as SetupIntent};
  }

  async confirmSetup({
    elements,
    confirmParams = {},
    redirect = 'always',
  }: ConfirmSetupOptions): Promise<SetupIntentResult> {
    const form = elements?.paymentElement?.form;
    if (!form) {
      throw new Error(
        'IntegrationError: stripe.confirmSetup(): the Payment Element of `elements` is not mounted.',
      );
    }
    const returnUrl = confirmParams.return_url;
    const details = form.collect();
    if ('invalid' in details) {
      return {
        error: {
          type: 'validation_error',
          code: details.invalid,
          message: 'Your payment details are incomplete.',
        },
      };
    }
    if (!returnUrl && (redirect === 'always' || details.type === 'paypal')) {
      throw new Error(
        'IntegrationError: stripe.confirmSetup(): the `confirmParams.return_url` argument is required when using `redirect: "always"` or a payment method that redirects.',
      );
    }
    const clientSecret = elements.clientSecret;
    form.disabled = true;
    try {
      const answer = await this.api.request(
        'POST',
        `setup_intents/${encodeURIComponent(idOfClientSecret(clientSecret))}/confirm`,
        {
          client_secret: clientSecret,
          use_stripe_sdk: 'true',
          ...(returnUrl ? {return_url: returnUrl} : {}),
          ...paymentMethodData(details),
        },
      );
      if (!answer) return {error: connectionError};
      if (answer.body.error) {
        const field = fieldOf(answer.body.error.param);
        if (field) form.markInvalid(field);
        return {error: answer.body.error};
      }
      let setupIntent = answer.body as unknown as SetupIntent;
      const action = setupIntent.next_action;
      if (setupIntent.status === 'requires_action' && action?.type === 'redirect_to_url') {
        return await this.leave(action.redirect_to_url!.url!);
      }
      if (setupIntent.status === 'requires_action' && action?.type === 'use_stripe_sdk') {
        const after = await this.challenge(
          clientSecret,
          action.use_stripe_sdk as {three_d_secure_2_source?: string},
          details.type === 'card' ? cardLabel(details.number) : '',
          elements.messages,
        );
        if ('error' in after) return after;
        setupIntent = after.setupIntent;
      }
      const failed = setupIntent.last_setup_error;
      if (setupIntent.status === 'requires_payment_method' && failed) {
        return {error: {...failed, setup_intent: setupIntent}};
      }
      if (redirect === 'always' && returnUrl) {
        const back = new URL(returnUrl);
        back.searchParams.set('setup_intent', setupIntent.id);
        back.searchParams.set('setup_intent_client_secret', clientSecret);
        back.searchParams.set(
          'redirect_status',
          setupIntent.status === 'succeeded' ? 'succeeded' : 'failed',
        );
        return await this.leave(back.toString());
      }
      return {setupIntent};
    } finally {
      form.disabled = false;
    }
  }

  /** The 3-D Secure challenge in a modal; then the SetupIntent as the issuer's answer left it. */
  private async challenge(
    clientSecret: string,
    action: {three_d_secure_2_source?: string},
    label: string,
    messages: StandInMessages,
  ): Promise<SetupIntentResult> {
    const outcome = await openChallenge(messages, label);
    const answer = await this.api.request('POST', '3ds2/challenge_complete', {
      source: action.three_d_secure_2_source ?? '',
      outcome,
    });
    if (!answer) return {error: connectionError};
    if (answer.body.error) return {error: answer.body.error};
    return this.retrieveSetupIntent(clientSecret);
  }

  /**
   * Stripe.js leaves the page itself; its promise never settles then (awaited where it is
   * called, so that the form stays disabled while the page goes).
   */
  private leave(url: string): Promise<never> {
    window.location.assign(url);
    return new Promise<never>(() => {});
  }

  /** Called by `@stripe/stripe-js` to say which wrapper loaded Stripe.js. */
  _registerWrapper() {}
}

/** Whether a `#rgb`, `#rrggbb` or `rgb(…)` colour is light (dark text reads better on it). */
function isLight(color: string): boolean {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  const channels = hex
    ? (hex.length === 3 ? [...hex].map((c) => c + c) : (hex.match(/../g) ?? [])).map((c) =>
        parseInt(c, 16),
      )
    : (/^rgba?\(([^)]+)\)$/
        .exec(color.trim())?.[1]
        .split(/[\s,/]+/)
        .slice(0, 3)
        .map(Number) ?? []);
  if (channels.length !== 3 || channels.some(Number.isNaN)) return true;
  const [r, g, b] = channels.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18;
}

function paymentMethodData(details: DemoPaymentDetails): Record<string, string> {
  const data: Record<string, string> = {'payment_method_data[type]': details.type};
  if (details.type === 'card') {
    data['payment_method_data[card][number]'] = details.number;
    data['payment_method_data[card][exp_month]'] = details.expMonth;
    data['payment_method_data[card][exp_year]'] = details.expYear;
    data['payment_method_data[card][cvc]'] = details.cvc;
  }
  return data;
}

/** `Stripe(publishableKey, options)`, Stripe.js' global. */
function Stripe(publishableKey: string, options?: {locale?: string}) {
  if (typeof publishableKey !== 'string' || !/^pk_(test|live)_/.test(publishableKey)) {
    throw new Error(
      'IntegrationError: Invalid value for Stripe(): apiKey should be a publishable key (pk_…).',
    );
  }
  return new StripeStandIn(publishableKey, options);
}
Stripe.version = RELEASE_TRAIN;

const page = window as unknown as {Stripe?: typeof Stripe};
page.Stripe ??= Stripe;
