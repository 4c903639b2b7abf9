import type {
  AccountResponse,
  CarrierGrant,
  Invoice,
  PaymentMethod,
  SessionInfo,
  SubscriptionStatus,
} from '../../../common/contract.js';

// The demo addresses of the issue, as the portal API would describe them.

const day = 24 * 60 * 60;
const now = Math.floor(Date.now() / 1000);
/** 2025-01-15 00:00 UTC, start of the current yearly period in most fixtures. */
const periodStart = 1736899200;
const periodEnd = periodStart + 365 * day;

export interface FixtureCustomer {
  account: AccountResponse;
  paymentMethods: PaymentMethod[];
  invoices: Invoice[];
}

function invoice(id: string, number: string, overrides: Partial<Invoice> = {}): Invoice {
  return {
    id,
    number,
    status: 'paid',
    total: 9900,
    currency: 'eur',
    created: periodStart - 365 * day,
    periodStart: periodStart - 365 * day,
    periodEnd: periodStart,
    dueDate: null,
    customerName: 'Max Mustermann',
    ...overrides,
  };
}

const visa: PaymentMethod = {
  id: 'pm_visa',
  type: 'card',
  card: {brand: 'visa', last4: '4242', expMonth: 8, expYear: 2028},
  isDefault: true,
};

const expiredMastercard: PaymentMethod = {
  id: 'pm_mc_old',
  type: 'card',
  card: {brand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2023},
  isDefault: false,
};

const gatePass = (status: SubscriptionStatus = 'active') => ({
  id: 'sub_1',
  status,
  planName: 'Gate Pass',
  amount: 9900,
  currency: 'eur',
  interval: 'year' as const,
  intervalCount: 1,
  currentPeriodStart: periodStart,
  currentPeriodEnd: periodEnd,
  cancelAtPeriodEnd: false,
  canceledAt: null,
});

const hamburg = {
  line1: 'Am Sandtorkai 50',
  line2: null,
  postalCode: '20457',
  city: 'Hamburg',
  state: null,
  country: 'DE',
};

const fahrerInvoices = [
  invoice('in_fahrer_2', 'CONROO-0002', {created: periodStart, periodStart, periodEnd}),
  invoice('in_fahrer_1', 'CONROO-0001'),
];

const offenInvoices = [
  invoice('in_offen_open', 'CONROO-0100', {
    status: 'open',
    created: now - 20 * day,
    periodStart: now - 20 * day,
    periodEnd: now + 345 * day,
    dueDate: now - 6 * day,
    customerName: 'Olaf Offen',
    payUrl: 'https://invoice.stripe.com/i/acct_123/test_open',
  }),
  invoice('in_offen_evil', 'CONROO-0099', {
    status: 'open',
    dueDate: now + 10 * day,
    customerName: 'Olaf Offen',
    payUrl: 'https://stripe.com.evil.example/pay',
  }),
  invoice('in_offen_void', 'CONROO-0098', {status: 'void', customerName: 'Olaf Offen'}),
];

/** An invoice of the fixtures' shape, for tests that need one of their own. */
export function fixtureInvoice(id: string, number: string, overrides: Partial<Invoice> = {}) {
  return invoice(id, number, overrides);
}

export const customers: Record<string, FixtureCustomer> = {
  cus_fahrer: {
    account: {
      customer: {
        id: 'cus_fahrer',
        name: 'Max Mustermann',
        email: 'fahrer@example.com',
        phone: '+49 40 123456',
        address: hamburg,
        shipping: {name: 'Max Mustermann', phone: null, address: hamburg},
        taxIds: [],
        reference: null,
      },
      subscription: gatePass(),
      defaultPaymentMethod: visa,
      upcomingInvoice: {date: periodEnd, total: 9900, currency: 'eur'},
      recentInvoices: fahrerInvoices,
    },
    paymentMethods: [expiredMastercard, visa],
    invoices: fahrerInvoices,
  },
  cus_paypal: {
    account: {
      customer: {
        id: 'cus_paypal',
        name: 'Petra Paypal',
        email: 'paypal@example.com',
        phone: null,
        address: {...hamburg, line1: 'Großer Grasbrook 9'},
        shipping: null,
        taxIds: [],
        reference: null,
      },
      subscription: gatePass(),
      defaultPaymentMethod: {
        id: 'pm_paypal',
        type: 'paypal',
        paypal: {email: 'petra@paypal.example'},
        isDefault: true,
      },
      upcomingInvoice: {date: periodEnd, total: 9900, currency: 'eur'},
      recentInvoices: [],
    },
    paymentMethods: [
      {id: 'pm_paypal', type: 'paypal', paypal: {email: 'petra@paypal.example'}, isDefault: true},
    ],
    invoices: [],
  },
  cus_firma: {
    account: {
      customer: {
        id: 'cus_firma',
        name: 'Spedition Nord GmbH',
        email: 'firma@example.com',
        phone: '+49 40 999000',
        address: {
          line1: 'Hafenstraße 1',
          line2: '3. OG',
          postalCode: '28195',
          city: 'Bremen',
          state: null,
          country: 'DE',
        },
        shipping: {
          name: 'Spedition Nord GmbH – Lager',
          phone: null,
          address: {
            line1: 'Containerweg 7',
            line2: null,
            postalCode: '27568',
            city: 'Bremerhaven',
            state: null,
            country: 'DE',
          },
        },
        taxIds: [
          {
            id: 'txi_1',
            type: 'eu_vat',
            value: 'DE123456789',
            verification: {status: 'verified', verifiedName: 'Spedition Nord GmbH'},
          },
        ],
        reference: null,
      },
      subscription: gatePass(),
      defaultPaymentMethod: visa,
      upcomingInvoice: {date: periodEnd, total: 9900, currency: 'eur'},
      recentInvoices: [],
    },
    paymentMethods: [visa],
    invoices: [],
  },
  cus_zwei_a: {
    account: {
      customer: {
        id: 'cus_zwei_a',
        name: 'Zwei Fahrer – LKW 1',
        email: 'zwei@example.com',
        phone: null,
        address: hamburg,
        shipping: null,
        taxIds: [],
        reference: null,
      },
      subscription: {...gatePass(), planName: 'Gate Pass LKW 1'},
      defaultPaymentMethod: visa,
      upcomingInvoice: {date: periodEnd, total: 9900, currency: 'eur'},
      recentInvoices: [],
    },
    paymentMethods: [visa],
    invoices: [],
  },
  cus_zwei_b: {
    account: {
      customer: {
        id: 'cus_zwei_b',
        name: 'Zwei Fahrer – LKW 2',
        email: 'zwei@example.com',
        phone: null,
        address: hamburg,
        shipping: null,
        taxIds: [],
        reference: null,
      },
      subscription: {...gatePass(), planName: 'Gate Pass LKW 2', amount: 14900},
      defaultPaymentMethod: expiredMastercard,
      upcomingInvoice: {date: periodEnd, total: 14900, currency: 'eur'},
      recentInvoices: [],
    },
    paymentMethods: [{...expiredMastercard, isDefault: true}],
    invoices: [],
  },
  cus_offen: {
    account: {
      customer: {
        id: 'cus_offen',
        name: 'Olaf Offen',
        email: 'offen@example.com',
        phone: null,
        address: hamburg,
        shipping: null,
        taxIds: [
          {
            id: 'txi_2',
            type: 'eu_vat',
            value: 'DE987654321',
            verification: {status: 'pending', verifiedName: null},
          },
        ],
        reference: null,
      },
      subscription: gatePass('past_due'),
      defaultPaymentMethod: expiredMastercard,
      upcomingInvoice: null,
      recentInvoices: [offenInvoices[0], offenInvoices[2]],
    },
    paymentMethods: [{...expiredMastercard, isDefault: true}],
    invoices: offenInvoices,
  },
  cus_nowak: {
    account: {
      customer: {
        id: 'cus_nowak',
        name: 'Jan Nowak',
        email: 'nowak@example.com',
        phone: null,
        address: {
          line1: 'ul. Portowa 3',
          line2: null,
          postalCode: '81-001',
          city: 'Gdynia',
          state: null,
          country: 'PL',
        },
        shipping: null,
        taxIds: [],
        reference: null,
      },
      subscription: {
        ...gatePass(),
        currentPeriodStart: periodStart - 200 * day,
        currentPeriodEnd: periodEnd - 200 * day,
      },
      defaultPaymentMethod: null,
      upcomingInvoice: {date: periodEnd - 200 * day, total: 9900, currency: 'eur'},
      recentInvoices: [],
    },
    paymentMethods: [],
    invoices: [],
  },
  cus_ohne_abo: {
    account: {
      customer: {
        id: 'cus_ohne_abo',
        name: null,
        email: 'ohne-abo@example.com',
        phone: null,
        address: null,
        shipping: null,
        taxIds: [],
        reference: null,
      },
      subscription: null,
      defaultPaymentMethod: null,
      upcomingInvoice: null,
      recentInvoices: [],
    },
    paymentMethods: [],
    invoices: [],
  },
};

export const customersByEmail: Record<string, string[]> = {
  'fahrer@example.com': ['cus_fahrer'],
  'paypal@example.com': ['cus_paypal'],
  'firma@example.com': ['cus_firma'],
  'zwei@example.com': ['cus_zwei_a', 'cus_zwei_b'],
  'offen@example.com': ['cus_offen'],
  'ohne-abo@example.com': ['cus_ohne_abo'],
  'nowak@example.com': ['cus_nowak'],
  /**
   * A carrier („Spedition") without a Gate Pass of its own, given access by seven drivers: the
   * portal opens the fleet overview („Fahrer") for it.
   */
  'spedition@example.com': [
    'cus_fahrer',
    'cus_paypal',
    'cus_firma',
    'cus_zwei_a',
    'cus_offen',
    'cus_nowak',
    'cus_ohne_abo',
  ],
  /** A carrier given access by one driver only: no fleet, the driver's own dashboard. */
  'kleine-spedition@example.com': ['cus_nowak'],
};

/** The carriers each Gate Pass has given access (as `GET /api/carrier-access` lists them). */
export const carrierGrants: Record<string, CarrierGrant[]> = {
  cus_fahrer: [{email: 'spedition@example.com', grantedAt: periodStart + 30 * day}],
  cus_paypal: [{email: 'spedition@example.com', grantedAt: periodStart + 31 * day}],
  cus_firma: [{email: 'spedition@example.com', grantedAt: periodStart + 32 * day}],
  cus_zwei_a: [{email: 'spedition@example.com', grantedAt: periodStart + 33 * day}],
  cus_offen: [{email: 'spedition@example.com', grantedAt: periodStart + 34 * day}],
  cus_nowak: [
    {email: 'spedition@example.com', grantedAt: periodStart + 35 * day},
    {email: 'kleine-spedition@example.com', grantedAt: periodStart + 36 * day},
  ],
  cus_ohne_abo: [{email: 'spedition@example.com', grantedAt: periodStart + 37 * day}],
};

/** The session of `email`: the Gate Passes it owns, and those a driver gave it access to. */
export function sessionFor(email: string, activeCustomerId?: string): SessionInfo {
  const ids = customersByEmail[email];
  return {
    email,
    accounts: ids.map((id) => {
      const {customer, subscription} = customers[id].account;
      return {
        customerId: id,
        name: customer.name,
        email: customer.email,
        subscriptionStatus: subscription?.status ?? null,
        access: customer.email === email ? ('owner' as const) : ('carrier' as const),
      };
    }),
    activeCustomerId: activeCustomerId ?? ids[0],
    expiresAt: Math.floor(Date.now() / 1000) + 8 * 60 * 60,
  };
}

/** Twenty-three paid invoices, for paging through „Mehr laden". */
export function manyInvoices(count = 23): Invoice[] {
  return Array.from({length: count}, (_, index) =>
    invoice(`in_many_${index}`, `CONROO-${String(1000 - index).padStart(4, '0')}`, {
      created: periodStart - index * 30 * day,
    }),
  );
}
