/**
 * How a paid invoice was paid, as Stripe records it since API 2025-03-31: an invoice payment
 * (https://docs.stripe.com/api/invoice-payment/object) linking the invoice to the PaymentIntent
 * that charged its payment method (https://docs.stripe.com/api/payment_intents/object). The
 * emulator makes both when it charges an invoice; `GET /v1/invoice_payments` lists them.
 */
import type Stripe from 'stripe';
import type {EmulatorState} from './state.js';

/** Records that `paymentMethodId` paid `invoice` in full at `paidAt`. */
export function recordInvoicePayment(
  state: EmulatorState,
  invoice: Stripe.Invoice,
  paymentMethodId: string,
  paidAt: number,
): Stripe.InvoicePayment {
  const intentId = `pi_${invoice.id.replace(/^in_/, '')}`;
  state.put({
    id: intentId,
    object: 'payment_intent',
    amount: invoice.amount_paid,
    amount_capturable: 0,
    amount_received: invoice.amount_paid,
    capture_method: 'automatic',
    client_secret: `${intentId}_secret_${state.newToken(24)}`,
    confirmation_method: 'automatic',
    created: paidAt,
    currency: invoice.currency,
    customer: typeof invoice.customer === 'string' ? invoice.customer : null,
    description: 'Subscription update',
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: {},
    next_action: null,
    off_session: true,
    payment_method: paymentMethodId,
    payment_method_types: [state.paymentMethods.get(paymentMethodId)?.type ?? 'card'],
    status: 'succeeded',
  } as unknown as Stripe.PaymentIntent);
  return state.put({
    id: `inpay_${invoice.id.replace(/^in_/, '')}`,
    object: 'invoice_payment',
    amount_paid: invoice.amount_paid,
    amount_requested: invoice.amount_due,
    created: paidAt,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: {type: 'payment_intent', payment_intent: intentId},
    status: 'paid',
    status_transitions: {canceled_at: null, paid_at: paidAt},
  } as unknown as Stripe.InvoicePayment);
}
