/**
 * The name of the slot that brings the light-DOM mount node of the payment form from
 * `<conroo-billing-portal>` down to „Zahlungsmethoden" (Stripe's Payment Element cannot mount
 * in a shadow root).
 */
export const paymentElementSlot = 'stripe-payment-element';

/**
 * Appends to the portal's host, once, the light-DOM node Stripe's Payment Element mounts in (a
 * form: Stripe's elements submit the form around them on Enter); see the portal's class comment.
 */
export function ensurePaymentElementNode(host: Element) {
  if (!Array.from(host.children).some((child) => child.slot === paymentElementSlot)) {
    const node = document.createElement('form');
    node.slot = paymentElementSlot;
    host.append(node);
  }
}
