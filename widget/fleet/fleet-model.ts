import type {FleetDriver, SubscriptionStatus} from '../../common/contract.js';
import type {FleetView} from '../context/navigation-context.js';

// The fleet overview („Fahrer") without the DOM: what each filter chip means, how the list is
// searched and sorted, and who comes next without a payment method.

export type FleetSortKey = FleetView['sort']['key'];

/** The filter chips, in the order they show. */
export const fleetFilters = ['private-billing', 'payment-failed', 'no-payment-method'] as const;

export type FleetFilter = (typeof fleetFilters)[number];

/** How the fleet opens: every driver, by name. */
export const defaultFleetView: FleetView = {
  sort: {key: 'name', descending: false},
  filters: [],
  query: '',
};

/** Lower case without accents, so that „Müller" is found by „muller" and „MÜLLER". */
function normalized(text: string | null | undefined): string {
  return (text ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().trim();
}

/** Tax IDs as Stripe keeps them and as typed: letters and digits only. */
const compact = (text: string) => text.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/** What a driver is called in the list: the name, else the address, else the customer ID. */
export function driverName(driver: FleetDriver): string {
  return driver.name || driver.email || driver.customerId;
}

/**
 * „Rechnung noch an Privatperson": the next invoice still goes to the driver as a private
 * person. That is: no tax ID is on file, and the name the invoice is issued to is empty or the
 * driver's own name. A company name without a tax ID is not counted (a small business without
 * a VAT ID is a company all the same).
 */
export function billsPrivatePerson(driver: FleetDriver): boolean {
  if (driver.taxIds.length) {
    return false;
  }
  const billingName = normalized(driver.billingName);
  return !billingName || billingName === normalized(driver.name);
}

/**
 * „Zahlung fehlgeschlagen": the Gate Pass's last payment failed (`past_due`, `unpaid`) or an
 * invoice is open.
 */
export function paymentFailed(driver: FleetDriver): boolean {
  const status = driver.subscription?.status;
  return driver.openInvoice || status === 'past_due' || status === 'unpaid';
}

/** „Ohne Zahlungsmethode": no default payment method, so the next renewal cannot be charged. */
export function lacksPaymentMethod(driver: FleetDriver): boolean {
  return !driver.defaultPaymentMethod;
}

const filterTests: Record<FleetFilter, (driver: FleetDriver) => boolean> = {
  'private-billing': billsPrivatePerson,
  'payment-failed': paymentFailed,
  'no-payment-method': lacksPaymentMethod,
};

export function isFleetFilter(value: string): value is FleetFilter {
  return (fleetFilters as readonly string[]).includes(value);
}

/** Whether the driver passes the filter chip. */
export function passes(driver: FleetDriver, filter: FleetFilter): boolean {
  return filterTests[filter](driver);
}

/**
 * Whether the search finds the driver: every word of `query` in its name, e-mail address or
 * invoice name, or the query (spaces and dots left out) in one of its tax IDs.
 */
export function matchesSearch(driver: FleetDriver, query: string): boolean {
  const words = normalized(query).split(/\s+/).filter(Boolean);
  if (!words.length) {
    return true;
  }
  const text = normalized([driver.name, driver.email, driver.billingName].join(' '));
  const taxIds = driver.taxIds.map((taxId) => compact(taxId.value));
  const wanted = compact(query);
  return (
    words.every((word) => text.includes(word)) ||
    (wanted.length > 0 && taxIds.some((taxId) => taxId.includes(wanted)))
  );
}

/**
 * The order of „Status": what needs attention first (a failed payment, one still missing),
 * then running Gate Passes, then ended ones and drivers without any.
 */
const statusOrder: Record<SubscriptionStatus, number> = {
  past_due: 0,
  unpaid: 1,
  incomplete: 2,
  incomplete_expired: 3,
  paused: 4,
  trialing: 5,
  active: 6,
  canceled: 7,
};

function statusRank(driver: FleetDriver): number {
  const status = driver.subscription?.status;
  return status ? (statusOrder[status] ?? 8) : 9;
}

/** Renewal dates ascending; a driver without a Gate Pass comes last either way. */
function byRenewal(a: FleetDriver, b: FleetDriver, descending: boolean): number {
  const [x, y] = [a.subscription?.currentPeriodEnd, b.subscription?.currentPeriodEnd];
  if (x === undefined || y === undefined) {
    return x === y ? 0 : x === undefined ? 1 : -1;
  }
  return descending ? y - x : x - y;
}

/** The drivers in the order of `sort`; drivers that tie stay in the order of their names. */
export function sortDrivers(
  drivers: readonly FleetDriver[],
  sort: FleetView['sort'],
  collator: Intl.Collator,
): FleetDriver[] {
  const byName = (a: FleetDriver, b: FleetDriver) => collator.compare(driverName(a), driverName(b));
  const direction = sort.descending ? -1 : 1;
  const compare = (a: FleetDriver, b: FleetDriver): number => {
    switch (sort.key) {
      case 'name':
        return direction * byName(a, b);
      case 'renewal':
        return byRenewal(a, b, sort.descending) || byName(a, b);
      case 'status':
        return direction * (statusRank(a) - statusRank(b)) || byName(a, b);
    }
  };
  return [...drivers].sort(compare);
}

/** The drivers the fleet shows with `view`: filtered (every chip), searched, sorted. */
export function visibleDrivers(
  drivers: readonly FleetDriver[],
  view: FleetView,
  collator: Intl.Collator,
): FleetDriver[] {
  const filters = view.filters.filter(isFleetFilter);
  return sortDrivers(
    drivers.filter(
      (driver) =>
        filters.every((filter) => passes(driver, filter)) && matchesSearch(driver, view.query),
    ),
    view.sort,
    collator,
  );
}

/**
 * The next driver without a payment method after `currentId`, in the order the fleet listed
 * them (`order`; drivers it did not list come after), starting over at the top; `undefined`
 * when every other driver has one.
 */
export function nextDriverWithoutPaymentMethod(
  drivers: readonly FleetDriver[],
  order: readonly string[],
  currentId: string,
): FleetDriver | undefined {
  const byId = new Map(drivers.map((driver) => [driver.customerId, driver]));
  const ids = [
    ...order.filter((id) => byId.has(id)),
    ...drivers.map((driver) => driver.customerId).filter((id) => !order.includes(id)),
  ];
  const start = ids.indexOf(currentId);
  for (let step = 1; step <= ids.length; step += 1) {
    const driver = byId.get(ids[(start + step) % ids.length])!;
    if (driver.customerId !== currentId && lacksPaymentMethod(driver)) {
      return driver;
    }
  }
  return undefined;
}

/** `items` in chunks of `size`, in order. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    chunks.push(items.slice(index, index + size));
  }
  return chunks;
}
