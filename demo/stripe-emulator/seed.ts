/**
 * Realistic CONROO demo data: Gate Pass holders in northern Germany, each case the portal has
 * to handle (card, PayPal, company billing with VAT ID, one e-mail with two customers, a
 * failed renewal, no subscription, a long invoice history), and the drivers of two carriers
 * (`seed-carriers.ts`). Ids are fixed so tests and docs can name them; dates are relative to
 * now, so the periods are always current.
 */
import type Stripe from 'stripe';
import {
  addInterval,
  address,
  buildCardPaymentMethod,
  buildCustomer,
  buildInvoice,
  buildPaypalPaymentMethod,
  buildPrice,
  buildProduct,
  buildSubscription,
  buildTaxId,
  germanVatRate,
  type Interval,
  type Period,
  type TestCard,
} from './objects.js';
import {REFERENCE_FIELD_NAME} from '../../server/services/stripe-mappers.js';
import {recordInvoicePayment} from './payments.js';
import {carrierHolders, expiredVisa} from './seed-carriers.js';
import type {EmulatorState} from './state.js';

export const GATE_PASS_PRODUCT_ID = 'prod_gatepass';
export const GATE_PASS_YEARLY_PRICE_ID = 'price_gatepass_yearly';
export const GATE_PASS_MONTHLY_PRICE_ID = 'price_gatepass_monthly';

/** The seeded sign-in addresses, by the case each demonstrates. */
export const SEEDED_EMAILS = {
  /** Driver with a yearly Gate Pass paid by Visa, two paid invoices. */
  card: 'fahrer@example.com',
  /** Yearly Gate Pass paid by PayPal, one paid invoice. */
  paypal: 'paypal@example.com',
  /** Billed to a company (VAT ID, separate shipping address), Mastercard. */
  company: 'firma@example.com',
  /** One address, two customers (two Gate Passes, two trucks). */
  twoAccounts: 'zwei@example.com',
  /** Renewal failed: subscription past_due, open invoice, expired card. */
  failedRenewal: 'offen@example.com',
  /** A customer without subscription, invoices or payment methods. */
  noSubscription: 'ohne-abo@example.com',
  /** Monthly Gate Pass with 14 paid invoices, for pagination. */
  manyInvoices: 'viele@example.com',
  /** A Polish carrier with its EU VAT ID, `tax_exempt: reverse`: reverse charge, no VAT. */
  polishCarrier: 'spedycja@example.com',
  /** A Swiss carrier with its Swiss VAT number: Stripe collects no VAT outside the EU. */
  swissCarrier: 'transporte@example.com',
} as const;

/** Fixed customer ids of the seed. */
export const SEEDED_CUSTOMER_IDS = {
  card: 'cus_demoFahrer',
  paypal: 'cus_demoPaypal',
  company: 'cus_demoFirma',
  twoAccountsFirst: 'cus_demoZweiA',
  twoAccountsSecond: 'cus_demoZweiB',
  failedRenewal: 'cus_demoOffen',
  noSubscription: 'cus_demoOhneAbo',
  manyInvoices: 'cus_demoViele',
  polishCarrier: 'cus_demoSpedycja',
  swissCarrier: 'cus_demoSchweiz',
} as const;

const day = 86_400;

/** One Gate Pass holder of the seed: a customer with its subscription, method and invoices. */
export interface PassHolder {
  customerId: string;
  email: string;
  /** The name invoices are issued to: the driver's own, or a company's. */
  name: string;
  /** Whose card or PayPal it is, when `name` is a company's (default `name`). */
  holderName?: string;
  phone?: string;
  address: Stripe.Address;
  shipping?: Stripe.Customer.Shipping;
  /** Default `['de']`. */
  preferredLocales?: string[];
  /** Carrier access (`conroo_carrier_N`, docs/carrier-access.md) and the like. */
  metadata?: Record<string, string>;
  price: 'yearly' | 'monthly';
  /** The current period started this many days ago. */
  currentPeriodDaysAgo: number;
  /** Whole periods before the current one since the pass was bought. */
  earlierPeriods: number;
  /** The default payment method; `null`: none left (the driver removed it). */
  payment:
    | {kind: 'card'; id: string; card: TestCard; expMonth: number; expYear: number}
    | {kind: 'paypal'; id: string; payerEmail: string; payerId: string}
    | null;
  failedRenewal?: boolean;
  /**
   * A VAT ID as it reads now (default id `txi_<customer id's tail>`, type `eu_vat`, verified
   * long ago; Stripe verifies no `ch_vat`, which reads `unavailable`).
   */
  taxId?: {
    id?: string;
    type?: 'eu_vat' | 'ch_vat';
    value: string;
    verifiedName: string;
    verifiedAddress: string;
  };
  /** The customer's `tax_exempt` (default `none`). */
  taxExempt?: Stripe.Customer.TaxExempt;
  /**
   * „Ihre Referenz" (the invoice custom field the portal saves, BT-10 of the e-invoice): on
   * every invoice of the seed and each one issued later.
   */
  reference?: string;
}

export interface SeedSummary {
  customers: Array<{email: string; name: string; id: string}>;
}

/** Fills an empty state with the demo account. Returns what it created, for logs and docs. */
export function seedDemoData(state: EmulatorState): SeedSummary {
  const now = state.now();
  const year = new Date(now * 1000).getUTCFullYear();
  const month = new Date(now * 1000).getUTCMonth() + 1;
  const epoch = addInterval(now, 'year', -4);

  const product = buildProduct(state, {
    id: GATE_PASS_PRODUCT_ID,
    name: 'Gate Pass',
    description: 'Zugang zu den CONROO-Terminals für ein Fahrzeug',
    created: epoch,
  });
  germanVatRate(state, epoch);
  const yearly = buildPrice(state, {
    id: GATE_PASS_YEARLY_PRICE_ID,
    product: product.id,
    unitAmount: 14900,
    interval: 'year',
    nickname: 'Gate Pass jährlich',
    lookupKey: 'gatepass_yearly',
    created: epoch,
  });
  const monthly = buildPrice(state, {
    id: GATE_PASS_MONTHLY_PRICE_ID,
    product: product.id,
    unitAmount: 1490,
    interval: 'month',
    nickname: 'Gate Pass monatlich',
    lookupKey: 'gatepass_monthly',
    created: epoch,
  });

  const holders: PassHolder[] = [
    {
      customerId: SEEDED_CUSTOMER_IDS.card,
      email: SEEDED_EMAILS.card,
      name: 'Jan Kowalski',
      phone: '+49 421 5589 2310',
      address: address({
        line1: 'Lindenstraße 5',
        postal_code: '28195',
        city: 'Bremen',
        country: 'DE',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 40,
      earlierPeriods: 1,
      payment: {
        kind: 'card',
        id: 'pm_demoFahrerVisa',
        card: {brand: 'visa', last4: '4242'},
        expMonth: 8,
        expYear: year + 3,
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.paypal,
      email: SEEDED_EMAILS.paypal,
      name: 'Sabine Hoffmann',
      address: address({
        line1: 'Am Bahnhof 12',
        postal_code: '21614',
        city: 'Buxtehude',
        country: 'DE',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 100,
      earlierPeriods: 0,
      payment: {
        kind: 'paypal',
        id: 'pm_demoPaypal',
        payerEmail: SEEDED_EMAILS.paypal,
        payerId: 'DEMOPAYER7QX2K',
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.company,
      email: SEEDED_EMAILS.company,
      name: 'Hafenlogistik Nord GmbH',
      phone: '+49 40 3009 8750',
      address: address({
        line1: 'Am Sandtorkai 50',
        line2: '3. OG',
        postal_code: '20457',
        city: 'Hamburg',
        country: 'DE',
      }),
      shipping: {
        name: 'Hafenlogistik Nord GmbH – Fuhrpark',
        phone: '+49 471 9412 300',
        address: address({
          line1: 'Senator-Borttscheller-Straße 1',
          postal_code: '27568',
          city: 'Bremerhaven',
          country: 'DE',
        }),
      },
      price: 'yearly',
      currentPeriodDaysAgo: 200,
      earlierPeriods: 1,
      // Their purchase order: each invoice names it, and so does the e-invoice (BT-10).
      reference: 'Bestellnr. 4711-K',
      // Verified long ago, so set as it reads now: Stripe's example number (the one invoices
      // and the demo show) would otherwise first read `pending`.
      taxId: {
        id: 'txi_demoFirmaVat',
        value: 'DE123456789',
        verifiedName: 'Hafenlogistik Nord GmbH',
        verifiedAddress: 'Am Sandtorkai 50\n20457 Hamburg',
      },
      payment: {
        kind: 'card',
        id: 'pm_demoFirmaMastercard',
        card: {brand: 'mastercard', last4: '4444'},
        expMonth: 3,
        expYear: year + 2,
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.twoAccountsFirst,
      email: SEEDED_EMAILS.twoAccounts,
      name: 'Mehmet Yılmaz',
      phone: '+49 176 2231 4490',
      address: address({
        line1: 'Hafenstraße 23',
        postal_code: '26382',
        city: 'Wilhelmshaven',
        country: 'DE',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 60,
      earlierPeriods: 1,
      payment: {
        kind: 'card',
        id: 'pm_demoZweiAVisa',
        card: {brand: 'visa', last4: '4242'},
        expMonth: 11,
        expYear: year + 1,
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.twoAccountsSecond,
      email: SEEDED_EMAILS.twoAccounts,
      name: 'Mehmet Yılmaz (LKW 2)',
      phone: '+49 176 2231 4490',
      address: address({
        line1: 'Hafenstraße 23',
        postal_code: '26382',
        city: 'Wilhelmshaven',
        country: 'DE',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 20,
      earlierPeriods: 0,
      payment: {
        kind: 'card',
        id: 'pm_demoZweiBMastercard',
        card: {brand: 'mastercard', last4: '4444'},
        expMonth: 5,
        expYear: year + 4,
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.failedRenewal,
      email: SEEDED_EMAILS.failedRenewal,
      name: 'Uwe Petersen',
      phone: '+49 461 7788 120',
      address: address({
        line1: 'Große Straße 9',
        postal_code: '24937',
        city: 'Flensburg',
        country: 'DE',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 6,
      earlierPeriods: 1,
      payment: expiredVisa('pm_demoOffenExpired', {year, month}),
      failedRenewal: true,
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.manyInvoices,
      email: SEEDED_EMAILS.manyInvoices,
      name: 'Thomas Becker',
      phone: '+49 4721 6655 01',
      address: address({
        line1: 'Deichstraße 41',
        postal_code: '27472',
        city: 'Cuxhaven',
        country: 'DE',
      }),
      price: 'monthly',
      currentPeriodDaysAgo: 10,
      earlierPeriods: 13,
      payment: {
        kind: 'card',
        id: 'pm_demoVieleVisa',
        card: {brand: 'visa', last4: '1881'},
        expMonth: 1,
        expYear: year + 2,
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.polishCarrier,
      email: SEEDED_EMAILS.polishCarrier,
      name: 'Trans-Bałtyk Spedycja Sp. z o.o.',
      holderName: 'Paweł Wiśniewski',
      phone: '+48 58 620 14 00',
      preferredLocales: ['pl', 'de'],
      address: address({
        line1: 'ul. Portowa 12',
        postal_code: '81-341',
        city: 'Gdynia',
        country: 'PL',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 150,
      earlierPeriods: 1,
      taxExempt: 'reverse',
      taxId: {
        id: 'txi_demoSpedycjaVat',
        value: 'PL5862251234',
        verifiedName: 'Trans-Bałtyk Spedycja Sp. z o.o.',
        verifiedAddress: 'ul. Portowa 12\n81-341 Gdynia',
      },
      payment: {
        kind: 'card',
        id: 'pm_demoSpedycjaVisa',
        card: {brand: 'visa', last4: '4242', country: 'PL'},
        expMonth: 9,
        expYear: year + 2,
      },
    },
    {
      customerId: SEEDED_CUSTOMER_IDS.swissCarrier,
      email: SEEDED_EMAILS.swissCarrier,
      name: 'Rhein-Logistik AG',
      holderName: 'Urs Meier',
      phone: '+41 61 555 12 34',
      address: address({
        line1: 'Hafenstrasse 25',
        postal_code: '4057',
        city: 'Basel',
        country: 'CH',
      }),
      price: 'yearly',
      currentPeriodDaysAgo: 30,
      earlierPeriods: 0,
      taxId: {
        id: 'txi_demoSchweizVat',
        type: 'ch_vat',
        value: 'CHE-123.456.788 MWST',
        verifiedName: 'Rhein-Logistik AG',
        verifiedAddress: 'Hafenstrasse 25\n4057 Basel',
      },
      payment: {
        kind: 'paypal',
        id: 'pm_demoSchweizPaypal',
        payerEmail: SEEDED_EMAILS.swissCarrier,
        payerId: 'DEMOPAYERCH4RL9',
      },
    },
    ...carrierHolders({now, year, month}),
  ];

  interface PendingInvoice {
    customer: Stripe.Customer;
    subscription: Stripe.Subscription;
    price: Stripe.Price;
    servicePeriod: Period;
    /** The period before, for a renewal invoice. */
    previousPeriod?: Period;
    status: 'paid' | 'open';
    billingReason: Stripe.Invoice.BillingReason;
  }
  const pending: PendingInvoice[] = [];
  const summary: SeedSummary = {customers: []};

  for (const h of holders) {
    const price = h.price === 'yearly' ? yearly : monthly;
    const interval: Interval = h.price === 'yearly' ? 'year' : 'month';
    const currentStart = now - h.currentPeriodDaysAgo * day;
    const currentEnd = addInterval(currentStart, interval, 1);
    const startDate = addInterval(currentStart, interval, -h.earlierPeriods);
    const customer = buildCustomer(state, {
      id: h.customerId,
      email: h.email,
      name: h.name,
      phone: h.phone ?? null,
      address: h.address,
      shipping: h.shipping ?? null,
      // The portal keeps the holder's own name when invoices go to a company (its
      // `conroo_driver_name`, docs/carrier-access.md), as a save through the portal leaves it.
      metadata:
        h.holderName && h.holderName !== h.name
          ? {...h.metadata, conroo_driver_name: h.holderName}
          : h.metadata,
      preferredLocales: h.preferredLocales,
      taxExempt: h.taxExempt,
      ...(h.reference ? {customFields: [{name: REFERENCE_FIELD_NAME, value: h.reference}]} : {}),
      created: startDate - 600,
    });
    const holderName = h.holderName ?? h.name;
    const pm =
      h.payment === null
        ? null
        : h.payment.kind === 'card'
          ? buildCardPaymentMethod(state, {
              id: h.payment.id,
              customer: customer.id,
              card: h.payment.card,
              expMonth: h.payment.expMonth,
              expYear: h.payment.expYear,
              billingName: holderName,
              billingEmail: h.email,
              created: startDate - 300,
            })
          : buildPaypalPaymentMethod(state, {
              id: h.payment.id,
              customer: customer.id,
              payerEmail: h.payment.payerEmail,
              payerId: h.payment.payerId,
              billingName: holderName,
              created: startDate - 300,
            });
    const withDefault = pm
      ? state.put({
          ...customer,
          invoice_settings: {...customer.invoice_settings, default_payment_method: pm.id},
        })
      : customer;
    const subscription = buildSubscription(state, {
      id: `sub_${h.customerId.slice(4)}`,
      customer: customer.id,
      price,
      status: h.failedRenewal ? 'past_due' : 'active',
      startDate,
      currentPeriodStart: currentStart,
      currentPeriodEnd: currentEnd,
      defaultPaymentMethod: pm?.id ?? null,
    });
    if (h.taxId) {
      buildTaxId(state, {
        id: h.taxId.id ?? `txi_${h.customerId.slice(4)}`,
        customer: customer.id,
        type: h.taxId.type ?? 'eu_vat',
        value: h.taxId.value,
        verification:
          h.taxId.type === 'ch_vat'
            ? {status: 'unavailable', verified_name: null, verified_address: null}
            : {
                status: 'verified',
                verified_name: h.taxId.verifiedName,
                verified_address: h.taxId.verifiedAddress,
              },
        created: startDate - 500,
      });
    }
    const period = (n: number): Period => ({
      start: addInterval(currentStart, interval, n - h.earlierPeriods),
      end: addInterval(currentStart, interval, n - h.earlierPeriods + 1),
    });
    for (let i = 0; i <= h.earlierPeriods; i++) {
      const isCurrent = i === h.earlierPeriods;
      pending.push({
        customer: withDefault,
        subscription,
        price,
        servicePeriod: period(i),
        ...(i === 0 ? {} : {previousPeriod: period(i - 1)}),
        status: isCurrent && h.failedRenewal ? 'open' : 'paid',
        billingReason: i === 0 ? 'subscription_create' : 'subscription_cycle',
      });
    }
    summary.customers.push({email: h.email, name: h.name, id: customer.id});
  }

  // Numbers are given in date order, so CONROO-YYYY-NNNN counts up through each year.
  pending.sort((a, b) => a.servicePeriod.start - b.servicePeriod.start);
  pending.forEach((p, i) => {
    const created = p.servicePeriod.start + 120;
    const invoice = buildInvoice(state, {
      id: `in_demo${String(i + 1).padStart(4, '0')}`,
      customer: p.customer,
      subscription: p.subscription,
      price: p.price,
      productName: product.name,
      servicePeriod: p.servicePeriod,
      ...(p.previousPeriod ? {previousPeriod: p.previousPeriod} : {}),
      status: p.status,
      created,
      billingReason: p.billingReason,
      paidAt: p.status === 'paid' ? created + 60 : null,
      ...(p.status === 'open'
        ? {dueDate: created + 14 * day, nextPaymentAttempt: now + 2 * day, attemptCount: 2}
        : {}),
    });
    state.put(invoice);
    const method = p.customer.invoice_settings.default_payment_method;
    if (p.status === 'paid' && typeof method === 'string') {
      recordInvoicePayment(state, invoice, method, created + 60);
    }
    const sub = state.subscriptions.get(p.subscription.id);
    if (sub) state.put({...sub, latest_invoice: invoice.id});
  });

  const noSub = buildCustomer(state, {
    id: SEEDED_CUSTOMER_IDS.noSubscription,
    email: SEEDED_EMAILS.noSubscription,
    name: 'Lena Wagner',
    address: address({line1: 'Kirchweg 3', postal_code: '25746', city: 'Heide', country: 'DE'}),
    created: now - 30 * day,
  });
  summary.customers.push({email: noSub.email ?? '', name: noSub.name ?? '', id: noSub.id});
  // All of it existed long before: searchable whatever the search lag.
  state.searchIndex.catchUp();
  return summary;
}
