import type Stripe from 'stripe';

/**
 * The Gate Pass holder's own name, kept in the customer's metadata once the name invoices are
 * issued to (`customer.name`) becomes another's, a company's: the fleet, the account list, the
 * grant mail and the owner's notices name the driver, the invoice names the company.
 */
export const HOLDER_NAME_KEY = 'conroo_driver_name';

/** The holder's own name: the kept one, else the customer's name (nobody else's yet). */
export function holderNameOf(customer: Pick<Stripe.Customer, 'name' | 'metadata'>): string | null {
  return customer.metadata?.[HOLDER_NAME_KEY] || customer.name || null;
}

/**
 * The metadata a save of `name` as the invoice name adds: the name the customer has now, when
 * it changes for the first time (after that the kept one stays, whatever the invoice name).
 */
export function keepHolderName(
  current: Pick<Stripe.Customer, 'name' | 'metadata'>,
  name: string,
): Stripe.MetadataParam | undefined {
  if (current.metadata?.[HOLDER_NAME_KEY] || !current.name || current.name === name) {
    return undefined;
  }
  return {[HOLDER_NAME_KEY]: current.name};
}
