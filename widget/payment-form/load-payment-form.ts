import type {PaymentFormAdapter, PaymentFormOptions} from './payment-form.js';

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
