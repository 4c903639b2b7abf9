/**
 * The seed's carriers („Speditionen", issue 15): drivers who gave a carrier access to their
 * Gate Pass, through the customer's metadata as `docs/carrier-access.md` has it
 * (`conroo_carrier_N` = the carrier's address, `conroo_carrier_N_at` = Unix seconds). Neither
 * carrier has a Gate Pass of its own.
 *
 * - `spedition@example.com`: six drivers, each a case the fleet has to show (billed to a private
 *   person, a failed payment, PayPal, no payment method, billed to the company).
 * - `grossflotte@example.com`: 300 drivers made up from a fixed seed (the same on every start),
 *   each with a yearly Gate Pass, for the fleet's benchmark.
 */
import {address, type TestCard} from './objects.js';
import type {PassHolder} from './seed.js';

const day = 86_400;

/** The seeded carriers' sign-in addresses. */
export const SEEDED_CARRIERS = {
  /** Six drivers, one of each case the fleet shows. */
  spedition: 'spedition@example.com',
  /** 300 drivers, for the benchmark. */
  largeFleet: 'grossflotte@example.com',
} as const;

/** Another carrier some drivers also gave access to (it holds a slot before ours). */
const OTHER_CARRIER = 'disposition@example.com';

/** `spedition@example.com`'s drivers, by the case each shows. */
export const SPEDITION_DRIVERS = {
  /** Billed to a private person: name = the driver's own, no tax ID; Visa. */
  privatePerson: {customerId: 'cus_demoSpedMueller', email: 'fahrer.mueller@example.com'},
  /** Renewal failed: subscription past_due, an open invoice, a card that declines. */
  failedPayment: {customerId: 'cus_demoSpedSchroeder', email: 'fahrer.schroeder@example.com'},
  /** PayPal as default payment method, billed to the carrier. */
  paypal: {customerId: 'cus_demoSpedDemir', email: 'fahrer.demir@example.com'},
  /** No payment method at all (removed), billed to the carrier; access in slot 2. */
  noPaymentMethod: {customerId: 'cus_demoSpedNowak', email: 'fahrer.nowak@example.com'},
  /** Billed to the carrier, Mastercard, monthly Gate Pass. */
  company: {customerId: 'cus_demoSpedKrueger', email: 'fahrer.krueger@example.com'},
  /** Not yet billed to the carrier (own name, no tax ID); access in slot 3. */
  notYetCompany: {customerId: 'cus_demoSpedHansen', email: 'fahrer.hansen@example.com'},
} as const;

/** How many drivers `grossflotte@example.com` has. */
export const LARGE_FLEET_SIZE = 300;
/** The id of its `n`th driver (1 to 300): `cus_demoFlotte001` … `cus_demoFlotte300`. */
export const largeFleetCustomerId = (n: number): string =>
  `cus_demoFlotte${String(n).padStart(3, '0')}`;

interface Company {
  name: string;
  address: ReturnType<typeof address>;
  vat: string;
}

const spedition: Company = {
  name: 'Spedition Brandt & Söhne GmbH',
  address: address({
    line1: 'Barkhausenstraße 12',
    postal_code: '27568',
    city: 'Bremerhaven',
    country: 'DE',
  }),
  vat: 'DE287654321',
};

const grossflotte: Company = {
  name: 'Großflotte Nord Logistik GmbH',
  address: address({
    line1: 'Am Ballinkai 8',
    postal_code: '21129',
    city: 'Hamburg',
    country: 'DE',
  }),
  vat: 'DE301234567',
};

/**
 * Metadata giving `carrier` access in `slot` (1–3) since `at`; a lower slot, when taken, holds
 * another carrier (a free slot has no key, as Stripe deletes empty values).
 */
function grant(
  carrier: string,
  at: number,
  slot: 1 | 2 | 3 = 1,
  before: string | null = null,
): Record<string, string> {
  const metadata: Record<string, string> = {
    [`conroo_carrier_${slot}`]: carrier,
    [`conroo_carrier_${slot}_at`]: String(at),
  };
  if (before && slot > 1) {
    metadata.conroo_carrier_1 = before;
    metadata.conroo_carrier_1_at = String(at - 30 * day);
  }
  return metadata;
}

/** A driver billed to `company`: its name, address and VAT ID; the driver is the shipping name. */
function billedTo(
  company: Company,
  driver: {name: string; address: ReturnType<typeof address>},
): Pick<PassHolder, 'name' | 'holderName' | 'address' | 'shipping' | 'taxId'> {
  const a = company.address;
  return {
    name: company.name,
    holderName: driver.name,
    address: company.address,
    shipping: {name: driver.name, phone: null, address: driver.address},
    taxId: {
      value: company.vat,
      verifiedName: company.name,
      verifiedAddress: `${a.line1 ?? ''}\n${a.postal_code ?? ''} ${a.city ?? ''}`,
    },
  };
}

/** The seed's time: now (Unix seconds), and the current year and month (1–12), UTC. */
export interface SeedClock {
  now: number;
  year: number;
  month: number;
}

/**
 * A Visa that expired last month: it attached once; charging it fails (`expired_card`), like
 * Stripe's pm_card_chargeCustomerFail.
 */
export function expiredVisa(
  id: string,
  {year, month}: Omit<SeedClock, 'now'>,
): NonNullable<PassHolder['payment']> {
  return {
    kind: 'card',
    id,
    card: {brand: 'visa', last4: '0341', declineCode: 'expired_card'},
    expMonth: month === 1 ? 12 : month - 1,
    expYear: month === 1 ? year - 1 : year,
  };
}

function speditionHolders({now, year, month}: SeedClock): PassHolder[] {
  const d = SPEDITION_DRIVERS;
  const carrier = SEEDED_CARRIERS.spedition;
  return [
    {
      ...d.privatePerson,
      name: 'Klaus Müller',
      phone: '+49 421 6690 1123',
      address: address({
        line1: 'Gerhard-Rohlfs-Straße 40',
        postal_code: '28757',
        city: 'Bremen',
        country: 'DE',
      }),
      metadata: grant(carrier, now - 41 * day),
      price: 'yearly',
      currentPeriodDaysAgo: 75,
      earlierPeriods: 1,
      payment: {
        kind: 'card',
        id: 'pm_demoSpedMuellerVisa',
        card: {brand: 'visa', last4: '4242'},
        expMonth: 6,
        expYear: year + 2,
      },
    },
    {
      ...d.failedPayment,
      ...billedTo(spedition, {
        name: 'Dirk Schröder',
        address: address({
          line1: 'Langener Landstraße 212',
          postal_code: '27580',
          city: 'Bremerhaven',
          country: 'DE',
        }),
      }),
      phone: '+49 471 8023 554',
      metadata: grant(carrier, now - 120 * day),
      price: 'yearly',
      currentPeriodDaysAgo: 4,
      earlierPeriods: 1,
      // Like offen@'s card: the renewal's charge failed.
      payment: expiredVisa('pm_demoSpedSchroederVisa', {year, month}),
      failedRenewal: true,
    },
    {
      ...d.paypal,
      ...billedTo(spedition, {
        name: 'Ayşe Demir',
        address: address({
          line1: 'Hafenstraße 77',
          postal_code: '27576',
          city: 'Bremerhaven',
          country: 'DE',
        }),
      }),
      phone: '+49 157 3344 8102',
      preferredLocales: ['tr', 'de'],
      metadata: grant(carrier, now - 200 * day),
      price: 'yearly',
      currentPeriodDaysAgo: 150,
      earlierPeriods: 0,
      payment: {
        kind: 'paypal',
        id: 'pm_demoSpedDemirPaypal',
        payerEmail: d.paypal.email,
        payerId: 'DEMOPAYER4DMR8',
      },
    },
    {
      ...d.noPaymentMethod,
      ...billedTo(spedition, {
        name: 'Piotr Nowak',
        address: address({
          line1: 'Bürgermeister-Smidt-Straße 95',
          postal_code: '27568',
          city: 'Bremerhaven',
          country: 'DE',
        }),
      }),
      phone: '+49 176 5521 0087',
      preferredLocales: ['pl', 'de'],
      metadata: grant(carrier, now - 9 * day, 2, OTHER_CARRIER),
      price: 'yearly',
      currentPeriodDaysAgo: 230,
      earlierPeriods: 0,
      payment: null,
    },
    {
      ...d.company,
      ...billedTo(spedition, {
        name: 'Sven Krüger',
        address: address({
          line1: 'Stader Straße 31',
          postal_code: '27432',
          city: 'Bremervörde',
          country: 'DE',
        }),
      }),
      phone: '+49 4761 9920 44',
      metadata: grant(carrier, now - 300 * day),
      price: 'monthly',
      currentPeriodDaysAgo: 12,
      earlierPeriods: 4,
      payment: {
        kind: 'card',
        id: 'pm_demoSpedKruegerMastercard',
        card: {brand: 'mastercard', last4: '4444'},
        expMonth: 10,
        expYear: year + 1,
      },
    },
    {
      ...d.notYetCompany,
      name: 'Jens Hansen',
      phone: '+49 4721 5503 19',
      address: address({
        line1: 'Neue Reihe 4',
        postal_code: '27472',
        city: 'Cuxhaven',
        country: 'DE',
      }),
      metadata: grant(carrier, now - 2 * day, 3),
      price: 'yearly',
      currentPeriodDaysAgo: 310,
      earlierPeriods: 2,
      payment: {
        kind: 'card',
        id: 'pm_demoSpedHansenMastercard',
        card: {brand: 'mastercard', last4: '8210', funding: 'debit'},
        expMonth: 2,
        expYear: year + 3,
      },
    },
  ];
}

/** Mulberry32: a small PRNG, so the 300 drivers are the same on every start. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Names by the language the driver reads mails in (`preferred_locales`); `weight` is the share
 * of drivers. Space-separated, to keep the lists short.
 */
const nameGroups: Array<{locale: string; weight: number; first: string; last: string}> = [
  {
    locale: 'de',
    weight: 60,
    first:
      'Andreas Bernd Christian Daniel Dennis Dirk Florian Frank Holger Jan Jörg Jonas Katrin ' +
      'Kevin Lukas Marcel Markus Michael Nicole Niklas Patrick Ralf Sandra Sebastian Stefan ' +
      'Sven Tanja Thomas Timo Tobias Uwe',
    last:
      'Ahrens Albrecht Bauer Becker Braun Carstens Claußen Dierks Ehlers Fischer Friedrich ' +
      'Hahn Hartmann Hinrichs Hoffmann Jansen Koch Köhler König Krause Lange Lehmann Meyer ' +
      'Möller Neumann Peters Richter Schäfer Schmidt Schneider Schulz Vogel Weber Weiß Wolf ' +
      'Zimmermann',
  },
  {
    locale: 'pl',
    weight: 12,
    first: 'Grzegorz Krzysztof Łukasz Marek Michał Paweł Piotr Tomasz',
    last: 'Kamiński Kowalski Lewandowski Nowak Szymański Wiśniewski Wójcik',
  },
  {
    locale: 'tr',
    weight: 8,
    first: 'Ahmet Emre Hüseyin Mehmet Murat Mustafa',
    last: 'Arslan Çelik Demir Kaya Öztürk Şahin Yılmaz',
  },
  {
    locale: 'ro',
    weight: 7,
    first: 'Andrei Florin Gheorghe Ion Mihai Vasile',
    last: 'Dumitru Ionescu Munteanu Popa Popescu Stan',
  },
  {
    locale: 'uk',
    weight: 5,
    first: 'Andrii Oleksandr Serhii Volodymyr Yurii',
    last: 'Bondarenko Kovalenko Melnyk Shevchenko Tkachenko',
  },
  {locale: 'cs', weight: 3, first: 'Jiří Petr Tomáš', last: 'Černý Dvořák Novák Svoboda'},
  {locale: 'lt', weight: 2, first: 'Darius Mindaugas Tomas', last: 'Jankauskas Kazlauskas'},
  {locale: 'bg', weight: 1, first: 'Dimitar Georgi', last: 'Dimitrov Georgiev'},
  {locale: 'hu', weight: 1, first: 'István László', last: 'Kovács Nagy Tóth'},
  {locale: 'ru', weight: 1, first: 'Dmitri Sergej', last: 'Iwanow Smirnow'},
];

/** Postal code and town, in the north where the terminals are. */
const places = (
  '28195 Bremen, 28217 Bremen, 27568 Bremerhaven, 27576 Bremerhaven, 20457 Hamburg, ' +
  '21129 Hamburg, 22113 Hamburg, 21614 Buxtehude, 21682 Stade, 26382 Wilhelmshaven, ' +
  '26122 Oldenburg, 26721 Emden, 24937 Flensburg, 24103 Kiel, 23552 Lübeck, 25524 Itzehoe, ' +
  '27472 Cuxhaven, 27749 Delmenhorst, 21335 Lüneburg, 18055 Rostock, 26789 Leer, 27283 Verden'
)
  .split(', ')
  .map((place) => [place.slice(0, 5), place.slice(6)] as const);

const streets = (
  'Am Deich, Bahnhofstraße, Birkenweg, Bremer Straße, Dorfstraße, Feldstraße, ' +
  'Friesenstraße, Gartenstraße, Geestweg, Hafenstraße, Hamburger Straße, Hauptstraße, ' +
  'Industriestraße, Kirchstraße, Lindenstraße, Moorweg, Mühlenweg, Ringstraße, Schulstraße, ' +
  'Wiesenweg'
).split(', ');

/** Stripe test cards that charge fine (https://docs.stripe.com/testing#cards). */
const goodCards: TestCard[] = [
  {brand: 'visa', last4: '4242'},
  {brand: 'visa', last4: '0016', country: 'DE'},
  {brand: 'visa', last4: '5556', funding: 'debit'},
  {brand: 'mastercard', last4: '4444'},
  {brand: 'mastercard', last4: '8210', funding: 'debit'},
  {brand: 'mastercard', last4: '3222'},
  {brand: 'amex', last4: '0005'},
];

/** `jörg.claußen` → `joerg.claussen`: an address a mail provider would take. */
function mailbox(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
}

function largeFleetHolders({now, year}: Omit<SeedClock, 'month'>): PassHolder[] {
  const next = random(0xc0770);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const digits = (n: number) => Array.from({length: n}, () => between(0, 9)).join('');
  const totalWeight = nameGroups.reduce((sum, g) => sum + g.weight, 0);
  const group = () => {
    let r = next() * totalWeight;
    for (const g of nameGroups) {
      r -= g.weight;
      if (r < 0) return g;
    }
    return nameGroups[0];
  };
  const carrier = SEEDED_CARRIERS.largeFleet;
  const taken = new Set<string>();
  const holders: PassHolder[] = [];
  for (let n = 1; n <= LARGE_FLEET_SIZE; n++) {
    const g = group();
    const name = `${pick(g.first.split(' '))} ${pick(g.last.split(' '))}`;
    const base = mailbox(name.replace(' ', '.'));
    let local = base;
    for (let k = 2; taken.has(local); k++) local = `${base}${k}`;
    taken.add(local);
    const email = `${local}@example.com`;
    const [postalCode, city] = pick(places);
    const home = address({
      line1: `${pick(streets)} ${between(1, 140)}`,
      postal_code: postalCode,
      city,
      country: 'DE',
    });
    const customerId = largeFleetCustomerId(n);
    const tail = customerId.slice(4);
    // Seven in ten are billed to the carrier already; the rest still to themselves.
    const billing = next() < 0.7 ? billedTo(grossflotte, {name, address: home}) : {name};
    const failedRenewal = next() < 0.04;
    const r = next();
    const payment: PassHolder['payment'] = failedRenewal
      ? {
          kind: 'card',
          id: `pm_${tail}`,
          // Stripe's 4000000000000341: it attached, its charges fail.
          card: {brand: 'visa', last4: '0341', declineCode: 'generic_decline'},
          expMonth: between(1, 12),
          expYear: year + between(1, 3),
        }
      : r < 0.06
        ? null
        : r < 0.2
          ? {kind: 'paypal', id: `pm_${tail}`, payerEmail: email, payerId: `FLOTTE${digits(7)}`}
          : {
              kind: 'card',
              id: `pm_${tail}`,
              card: pick(goodCards),
              expMonth: between(1, 12),
              expYear: year + between(1, 4),
            };
    // Mostly slot 1; some drivers gave another carrier access first, a few an ended one.
    const s = next();
    const grantedAt = now - between(1, 400) * day;
    const metadata =
      s < 0.85
        ? grant(carrier, grantedAt)
        : s < 0.95
          ? grant(carrier, grantedAt, 2, OTHER_CARRIER)
          : grant(carrier, grantedAt, 3);
    const e = next();
    holders.push({
      customerId,
      email,
      address: home,
      ...billing,
      phone: `+49 1${pick(['51', '52', '57', '60', '62', '70', '71', '76'])} ${digits(4)} ${digits(4)}`,
      preferredLocales: [g.locale],
      metadata,
      price: 'yearly',
      currentPeriodDaysAgo: failedRenewal ? between(1, 12) : between(0, 364),
      // At most one renewal before the current period: an invoice each is what costs.
      earlierPeriods: e < 0.7 ? 0 : 1,
      payment,
      failedRenewal,
    });
  }
  return holders;
}

/** Every carrier-held driver of the seed, for `seedDemoData`. */
export function carrierHolders(clock: SeedClock): PassHolder[] {
  return [...speditionHolders(clock), ...largeFleetHolders(clock)];
}
