import type {Stripe, StripeElementsOptions, SetupIntentResult} from '@stripe/stripe-js';

/** What the portal asked of the stubbed Stripe.js. */
export interface StripeStubCalls {
  loadedWith: string[];
  elementsOptions: StripeElementsOptions[];
  created: Array<[string, unknown]>;
  mountedOn: HTMLElement | null;
  confirmSetup: Array<Record<string, unknown>>;
  destroyed: boolean;
}

/**
 * A stand-in for Stripe.js with just what the Payment Element flow uses: `elements()`,
 * `create('payment')`, `mount`, the `ready` event and `confirmSetup`, which answers
 * `confirmResult()`.
 */
export function stubStripe(
  confirmResult: (options: Record<string, unknown>) => Partial<SetupIntentResult>,
) {
  const calls: StripeStubCalls = {
    loadedWith: [],
    elementsOptions: [],
    created: [],
    mountedOn: null,
    confirmSetup: [],
    destroyed: false,
  };
  const handlers: Record<string, (event: unknown) => void> = {};
  const paymentElement = {
    on(type: string, handler: (event: unknown) => void) {
      handlers[type] = handler;
      return paymentElement;
    },
    mount(node: HTMLElement) {
      calls.mountedOn = node;
      const frame = document.createElement('iframe');
      frame.title = 'Stripe Payment Element (stub)';
      node.append(frame);
      setTimeout(() => {
        handlers.change?.({elementType: 'payment', value: {type: 'card'}});
        handlers.ready?.({elementType: 'payment'});
      });
    },
    focus() {},
    destroy() {
      calls.destroyed = true;
      calls.mountedOn?.replaceChildren();
    },
  };
  const elements = {
    create(type: string, options: unknown) {
      calls.created.push([type, options]);
      return paymentElement;
    },
  };
  const stripe = {
    elements(options: StripeElementsOptions) {
      calls.elementsOptions.push(options);
      return elements;
    },
    async confirmSetup(options: Record<string, unknown>) {
      calls.confirmSetup.push(options);
      return confirmResult(options);
    },
  };
  const loadStripe = async (publishableKey: string) => {
    calls.loadedWith.push(publishableKey);
    return stripe as unknown as Stripe;
  };
  return {calls, loadStripe, elements};
}
