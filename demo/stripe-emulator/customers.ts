/**
 * Deleting a customer as Stripe does (https://docs.stripe.com/api/customers/delete): "It also
 * immediately cancels any active subscriptions on the customer", and the customer then reads
 * as `{id, object: 'customer', deleted: true}`. `DELETE /v1/customers/:id` and deleting a test
 * clock (`test-clocks.ts`) both end a customer this way.
 */
import type Stripe from 'stripe';
import type {EmulatorState} from './state.js';

export function deleteCustomer(
  state: EmulatorState,
  customer: Stripe.Customer,
): Stripe.DeletedCustomer {
  const now = state.nowFor(customer.id);
  for (const sub of state.subscriptions.values()) {
    if (sub.customer === customer.id && sub.status !== 'canceled') {
      state.put({...sub, status: 'canceled', canceled_at: now, ended_at: now});
    }
  }
  return state.put({id: customer.id, object: 'customer', deleted: true});
}
