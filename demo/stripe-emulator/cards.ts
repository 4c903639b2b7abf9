/**
 * Stripe's test cards (https://docs.stripe.com/testing#cards), by number and by PaymentMethod
 * token (`pm_card_visa`, the "PaymentMethods" tab), and what setting one up does: succeed,
 * decline (with Stripe's codes and messages), or ask for 3-D Secure through a redirect. Any
 * other number that passes the Luhn check succeeds with the brand its prefix names.
 *
 * Setting up and attaching both check the card, so a declining card can be neither set up nor
 * attached ("The cards in the previous table can't be attached to a Customer object",
 * https://docs.stripe.com/testing#declined-payments); 4000000000000341
 * (`pm_card_chargeCustomerFail`) is the one that attaches and then fails its charges. Stripe
 * says nothing about attaching the 3-D Secure cards; here they attach (attaching checks, it does
 * not authenticate) and ask for authentication when they are set up.
 */
import type Stripe from 'stripe';
import {buildCardPaymentMethod, type TestCard} from './objects.js';
import type {EmulatorState} from './state.js';

export type Decline = {kind: 'decline'; code: string; declineCode: string; param?: string};

export type SetupOutcome = {kind: 'succeed'} | {kind: 'authenticate'} | Decline;

export interface TestCardNumber extends TestCard {
  outcome: SetupOutcome;
}

const succeed: SetupOutcome = {kind: 'succeed'};
const authenticate: SetupOutcome = {kind: 'authenticate'};
const decline = (code: string, declineCode: string, param?: string): SetupOutcome => ({
  kind: 'decline',
  code,
  declineCode,
  ...(param === undefined ? {} : {param}),
});

/** By card number, as on https://docs.stripe.com/testing. */
export const testCardNumbers: Record<string, TestCardNumber> = {
  '4242424242424242': {brand: 'visa', last4: '4242', country: 'US', outcome: succeed},
  '4000056655665556': {
    brand: 'visa',
    last4: '5556',
    funding: 'debit',
    country: 'US',
    outcome: succeed,
  },
  '4000002760000016': {brand: 'visa', last4: '0016', country: 'DE', outcome: succeed},
  '5555555555554444': {brand: 'mastercard', last4: '4444', country: 'US', outcome: succeed},
  '2223003122003222': {brand: 'mastercard', last4: '3222', country: 'US', outcome: succeed},
  '5200828282828210': {
    brand: 'mastercard',
    last4: '8210',
    funding: 'debit',
    country: 'US',
    outcome: succeed,
  },
  '378282246310005': {brand: 'amex', last4: '0005', country: 'US', outcome: succeed},
  // Setting up works, later charges fail (Stripe's "attach succeeds, charge fails" card).
  '4000000000000341': {
    brand: 'visa',
    last4: '0341',
    country: 'US',
    declineCode: 'generic_decline',
    outcome: succeed,
  },
  '4000000000000002': {
    brand: 'visa',
    last4: '0002',
    country: 'US',
    outcome: decline('card_declined', 'generic_decline'),
  },
  '4000000000009995': {
    brand: 'visa',
    last4: '9995',
    country: 'US',
    outcome: decline('card_declined', 'insufficient_funds'),
  },
  '4000000000009987': {
    brand: 'visa',
    last4: '9987',
    country: 'US',
    outcome: decline('card_declined', 'lost_card'),
  },
  '4000000000000069': {
    brand: 'visa',
    last4: '0069',
    country: 'US',
    outcome: decline('expired_card', 'expired_card', 'exp_month'),
  },
  '4000000000000127': {
    brand: 'visa',
    last4: '0127',
    country: 'US',
    outcome: decline('incorrect_cvc', 'incorrect_cvc', 'cvc'),
  },
  '4000000000000119': {
    brand: 'visa',
    last4: '0119',
    country: 'US',
    outcome: decline('processing_error', 'processing_error'),
  },
  '4000002500003155': {brand: 'visa', last4: '3155', country: 'US', outcome: authenticate},
  '4000002760003184': {brand: 'visa', last4: '3184', country: 'DE', outcome: authenticate},
  '4000000000003220': {brand: 'visa', last4: '3220', country: 'US', outcome: authenticate},
};

/**
 * Stripe's PaymentMethod tokens, by the card number each stands for. The `pm_card_visa_...`
 * names are the ones the "PaymentMethods" tab shows for the Visa declines; Stripe takes the
 * short `pm_card_chargeDeclined...` names too.
 */
const testPaymentMethodTokens: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_mastercard_debit: '5200828282828210',
  pm_card_amex: '378282246310005',
  pm_card_de: '4000002760000016',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
};

/** The test card a PaymentMethod token stands for; undefined for any other id. */
export function cardForToken(token: string): TestCardNumber | undefined {
  const number = Object.hasOwn(testPaymentMethodTokens, token)
    ? testPaymentMethodTokens[token]
    : undefined;
  return number === undefined ? undefined : testCardNumbers[number];
}

/** A fresh, unattached PaymentMethod of a token's card, as Stripe makes one from each use. */
export function paymentMethodFromToken(
  state: EmulatorState,
  card: TestCardNumber,
): Stripe.PaymentMethod {
  return buildCardPaymentMethod(state, {
    customer: null,
    card,
    expMonth: 12,
    expYear: new Date(state.now() * 1000).getUTCFullYear() + 3,
    created: state.now(),
  });
}

/** Stripe's customer-facing messages, by decline code. */
const declineMessages: Record<string, string> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  lost_card: 'Your card was declined.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
};

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(number: string): TestCard['brand'] | undefined {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return undefined;
}

/** The test card of `number` (digits only), or a succeeding card of its brand; undefined when invalid. */
export function cardForNumber(number: string): TestCardNumber | undefined {
  const known = testCardNumbers[number];
  if (known) return known;
  if (!luhnValid(number)) return undefined;
  const brand = brandOf(number);
  if (!brand) return undefined;
  return {brand, last4: number.slice(-4), country: 'DE', outcome: succeed};
}

/** What setting up an existing card PaymentMethod does, found by the test card it came from. */
export function outcomeForCard(brand: string, last4: string): SetupOutcome {
  const match = Object.values(testCardNumbers).find((c) => c.brand === brand && c.last4 === last4);
  return match?.outcome ?? succeed;
}

/**
 * A decline as Stripe words it, for the `402` answer and the SetupIntent's `last_setup_error`
 * alike.
 */
export function declineFields(outcome: Decline): {
  type: 'card_error';
  code: string;
  decline_code: string;
  message: string;
  param?: string;
} {
  return {
    type: 'card_error',
    code: outcome.code,
    decline_code: outcome.declineCode,
    message: declineMessages[outcome.declineCode] ?? 'Your card was declined.',
    ...(outcome.param === undefined ? {} : {param: outcome.param}),
  };
}
