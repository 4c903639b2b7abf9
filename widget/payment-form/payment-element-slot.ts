/**
 * The name of the slot that brings the light-DOM mount node of the payment form from
 * `<conroo-billing-portal>` down to „Zahlungsmethoden" (Stripe's Payment Element cannot mount
 * in a shadow root).
 */
export const paymentElementSlot = 'stripe-payment-element';
