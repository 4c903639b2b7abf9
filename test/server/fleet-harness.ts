/**
 * Fleets for the fleet operations' tests: customers in the emulator that share one address,
 * which a login to that address holds all at once — a fleet without carrier access.
 */
import type Stripe from 'stripe';
import {GATE_PASS_YEARLY_PRICE_ID, type TracedRequest} from '../../demo/stripe-emulator/index.js';

/** What a fleet member is made with: its name, and whether it buys a Gate Pass (an invoice now). */
export interface FleetMemberSpec {
  name: string;
  withInvoice?: boolean;
}

/** Creates the customers of `email`, in order; answers their IDs. */
export async function createFleet(
  stripe: Stripe,
  email: string,
  members: ReadonlyArray<FleetMemberSpec>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const member of members) {
    const customer = await stripe.customers.create({
      email,
      name: member.name,
      address: {line1: 'Hafenstraße 1', postal_code: '20457', city: 'Hamburg', country: 'DE'},
    });
    if (member.withInvoice) {
      const card = await stripe.paymentMethods.attach('pm_card_visa', {customer: customer.id});
      await stripe.customers.update(customer.id, {
        invoice_settings: {default_payment_method: card.id},
      });
      await stripe.subscriptions.create({
        customer: customer.id,
        items: [{price: GATE_PASS_YEARLY_PRICE_ID}],
      });
    }
    ids.push(customer.id);
  }
  return ids;
}

/** `n` members named „Fahrer 1" … without invoices. */
export const drivers = (n: number): FleetMemberSpec[] =>
  Array.from({length: n}, (_, i) => ({name: `Fahrer ${i + 1}`}));

/** The most requests the emulator was answering at one moment, from its trace. */
export function mostAtOnce(trace: readonly TracedRequest[]): number {
  const events = trace.flatMap((r) => [
    {at: r.start, step: 1},
    {at: r.end, step: -1},
  ]);
  // An answer that ends as another starts does not overlap it.
  events.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const event of events) {
    now += event.step;
    most = Math.max(most, now);
  }
  return most;
}
