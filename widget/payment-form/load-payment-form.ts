import type {PaymentFormAdapter, PaymentFormOptions, StripeLoader} from './payment-form.js';
import type {SetupReturn} from './setup-return.js';

/**
 * Stripe's Payment Element, as a chunk of its own; Stripe.js itself comes from js.stripe.com
 * only when it mounts. Imported from the dashboard's chunk, so that no module of the entry
 * imports a section's code back (payment-form.ts keeps only the types).
 */
export const importStripePaymentForm = () => import('./stripe-payment-form.js');

/**
 * Creates the form. Its code is imported on demand, so the portal loads no Stripe code until a
 * user opens the form (and Stripe.js itself comes from js.stripe.com only then).
 */
export async function createPaymentForm(options: PaymentFormOptions): Promise<PaymentFormAdapter> {
  const {StripePaymentForm} = await importStripePaymentForm();
  return new StripePaymentForm(options);
}

/**
 * Back from PayPal (or a 3-D Secure redirect): the SetupIntent's own state, read with Stripe.js;
 * Stripe's `redirect_status` only when Stripe.js cannot tell (another browser, no storage, Stripe
 * not reachable just now: the server checks the SetupIntent itself anyway).
 */
export async function redirectOutcome(
  setupReturn: SetupReturn,
  apiBase: string,
  loadStripe?: StripeLoader,
): Promise<'succeeded' | 'processing' | 'failed'> {
  const {stripe, clientSecret} = setupReturn;
  if (stripe && clientSecret) {
    try {
      const {retrieveSetupOutcome} = await importStripePaymentForm();
      const {status} = await retrieveSetupOutcome({...stripe, apiBase, loadStripe}, clientSecret);
      return status;
    } catch {
      // Falls back to Stripe's hint below.
    }
  }
  return setupReturn.redirectStatus;
}
