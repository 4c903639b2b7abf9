/**
 * The accounting year. CONROO's books, and its customers', are kept in German time: an invoice of 1 January, 00:30
 * belongs to the new year although it is still 31 December in UTC. The server files invoices
 * by it (the yearly export), „Rechnungen" offers the years by it and the demo's invoices print
 * their dates in it.
 */
export const ACCOUNTING_TIME_ZONE = 'Europe/Berlin';

const accountingYearFormat = new Intl.DateTimeFormat('en', {
  timeZone: ACCOUNTING_TIME_ZONE,
  year: 'numeric',
});

/** The calendar year, in German time, of the moment `unixSeconds`. */
export function accountingYearOf(unixSeconds: number): number {
  return Number(accountingYearFormat.format(unixSeconds * 1000));
}

/** `[gte, lt)` in Unix seconds: the calendar year in German time. */
export function accountingYearRange(year: number): {gte: number; lt: number} {
  return {gte: startOfYear(year), lt: startOfYear(year + 1)};
}

function startOfYear(year: number): number {
  const utcMidnight = Date.UTC(year, 0, 1);
  return (utcMidnight - offsetMs(utcMidnight)) / 1000;
}

/** How far German time is ahead of UTC at `ms` (one hour on 1 January, under today's rules). */
function offsetMs(ms: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: ACCOUNTING_TIME_ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const local = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return local - ms;
}
