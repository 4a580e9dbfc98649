/**
 * Calendar arithmetic for Keiyaku: business dates, contract periods (SPEC G1, Civil Code
 * art. 143), Japanese business days and payment due dates (SPEC B8).
 *
 * Pure functions only: no clock reads, no `Date`. Every business date is a
 * `Temporal.PlainDate` (a calendar date in the vendor's time zone, SPEC G1), so results never
 * depend on `process.env.TZ`.
 */
import { Temporal } from 'temporal-polyfill';
import holidayJp from '@holiday-jp/holiday_jp';

/** A business date (calendar date without time zone, SPEC G1). */
export type PlainDate = Temporal.PlainDate;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a strict `YYYY-MM-DD` business date (SPEC G1).
 *
 * Throws `RangeError` on any other shape (`2026-2-3`, a time part, …) and on impossible dates
 * (`2026-02-30`): days are never clamped.
 *
 * @example
 * parseDate('2026-04-30').toString(); // '2026-04-30'
 * parseDate('2026-02-30');            // throws RangeError
 */
export function parseDate(s: string): Temporal.PlainDate {
  // A PlainDate is immutable, and a day's work (a million rows read back) parses the same few dates.
  let date = parsed.get(s);
  if (!date) {
    if (parsed.size >= 50_000) parsed.clear();
    parsed.set(s, (date = parseNew(s)));
  }
  return date;
}
const parsed = new Map<string, Temporal.PlainDate>();

function parseNew(s: string): Temporal.PlainDate {
  const m = ISO_DATE.exec(s);
  if (m === null) {
    throw new RangeError(`Invalid date "${s}": expected YYYY-MM-DD`);
  }
  const [, y, mo, d] = m;
  try {
    // The constructor rejects out-of-range fields (overflow: 'reject' semantics).
    return new Temporal.PlainDate(Number(y), Number(mo), Number(d));
  } catch {
    throw new RangeError(`Invalid date "${s}": no such calendar day`);
  }
}

/** Contract term codes used by the catalog (SPEC §2). */
export type Term = 'P1M' | 'P3M' | 'P6M' | 'P12M' | 'P1Y';

/**
 * Number of months in a contract term (`P1Y` counts as 12 months).
 *
 * @example
 * termMonths('P6M'); // 6
 * termMonths('P1Y'); // 12
 */
export function termMonths(term: Term): number {
  switch (term) {
    case 'P1M':
      return 1;
    case 'P3M':
      return 3;
    case 'P6M':
      return 6;
    case 'P12M':
    case 'P1Y':
      return 12;
    default: {
      const never: never = term;
      throw new RangeError(`Unknown term: ${String(never)}`);
    }
  }
}

function assertMonths(months: number): void {
  if (!Number.isSafeInteger(months) || months < 0) {
    throw new RangeError(`months must be a non-negative integer, got ${months}`);
  }
}

/**
 * Inclusive end of a period of `months` months starting (and counted) on `start`
 * (SPEC G1, 民法143条2項): the day before the corresponding day (応当日) `months` months later,
 * or, when that month has no corresponding day, that month's last day. Always computed from the
 * original start, never chained. `months = 0` gives the day before `start` (an empty period).
 *
 * @example
 * periodEnd(parseDate('2023-01-15'), 1).toString();  // '2023-02-14'
 * periodEnd(parseDate('2023-01-31'), 1).toString();  // '2023-02-28'
 * periodEnd(parseDate('2024-02-29'), 12).toString(); // '2025-02-28'
 */
export function periodEnd(start: PlainDate, months: number): PlainDate {
  assertMonths(months);
  // `add` with the default overflow 'constrain' clamps to the month's last day.
  const target = start.add({ months });
  if (start.day <= target.daysInMonth) {
    // A corresponding day exists: the period ends the day before it.
    return target.subtract({ days: 1 });
  }
  // No corresponding day (e.g. 01-31 → February): 143条2項ただし書, the month's last day,
  // which is exactly what the constrained `target` is.
  return target.with({ day: target.daysInMonth });
}

/**
 * Exclusive end of a period of `months` months from `start` (SPEC G1): `periodEnd + 1 day`,
 * i.e. the first day of the following period.
 *
 * @example
 * addMonthsCivil(parseDate('2023-01-31'), 1).toString(); // '2023-03-01'
 * addMonthsCivil(parseDate('2022-01-01'), 12).toString(); // '2023-01-01'
 */
export function addMonthsCivil(start: PlainDate, months: number): PlainDate {
  return periodEnd(start, months).add({ days: 1 });
}

/**
 * The k-th (0-based) consecutive period of `months` months counted from the ORIGINAL `start`
 * (SPEC G1: never chained, so no drift): period k runs from the day after the end of the
 * `k × months` period to the end of the `(k+1) × months` period.
 *
 * @example
 * const s = parseDate('2027-01-31');
 * nthPeriod(s, 1, 0); // 2027-01-31 .. 2027-02-28
 * nthPeriod(s, 1, 1); // 2027-03-01 .. 2027-03-30
 * nthPeriod(s, 1, 2); // 2027-03-31 .. 2027-04-30
 */
export function nthPeriod(
  start: PlainDate,
  months: number,
  k: number,
): { start: PlainDate; end: PlainDate } {
  if (!Number.isSafeInteger(months) || months < 1) {
    throw new RangeError(`months must be a positive integer, got ${months}`);
  }
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new RangeError(`k must be a non-negative integer, got ${k}`);
  }
  // Periods are immutable values, and a day's renewals ask for the same few again and again.
  const key = `${start.toString()}|${months}|${k}`;
  let period = periods.get(key);
  if (!period) {
    if (periods.size >= 50_000) periods.clear();
    periods.set(key, (period = { start: k === 0 ? start : addMonthsCivil(start, k * months), end: periodEnd(start, (k + 1) * months) }));
  }
  return { ...period };
}
const periods = new Map<string, { start: PlainDate; end: PlainDate }>();

/**
 * Last day of the month of `d`.
 *
 * @example
 * endOfMonth(parseDate('2028-02-10')).toString(); // '2028-02-29'
 */
export function endOfMonth(d: PlainDate): PlainDate {
  return d.with({ day: d.daysInMonth });
}

/**
 * First day of the month after the month of `d` (e.g. the start of a new term, SPEC B3).
 *
 * @example
 * firstOfNextMonth(parseDate('2026-12-10')).toString(); // '2027-01-01'
 */
export function firstOfNextMonth(d: PlainDate): PlainDate {
  return d.with({ day: 1 }).add({ months: 1 });
}

/**
 * A company calendar overlay: closed ranges of `MM-DD` days, inclusive, repeating every year.
 * A range whose `from` is after its `to` wraps the year end (`12-29` … `01-03`).
 */
export interface BusinessCalendar {
  closedDays: ReadonlyArray<{ from: string; to: string }>;
}

/** SPEC B8 Decision: business days also exclude the year-end closure 12-29 〜 01-03. */
export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = Object.freeze({
  closedDays: Object.freeze([Object.freeze({ from: '12-29', to: '01-03' })]),
});

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

function monthDayKey(md: string): number {
  const m = MONTH_DAY.exec(md);
  const month = Number(m?.[1]);
  const day = Number(m?.[2]);
  // 2000 is a leap year, so 02-29 is accepted as a closed day.
  const valid =
    m !== null && month >= 1 && month <= 12 && day >= 1 && day <= new Temporal.PlainYearMonth(2000, month).daysInMonth;
  if (!valid) {
    throw new RangeError(`Invalid closed day "${md}": expected MM-DD`);
  }
  return month * 100 + day;
}

function isClosed(d: PlainDate, cal: BusinessCalendar): boolean {
  const key = d.month * 100 + d.day;
  return cal.closedDays.some(({ from, to }) => {
    const f = monthDayKey(from);
    const t = monthDayKey(to);
    return f <= t ? key >= f && key <= t : key >= f || key <= t;
  });
}

/** Years covered by the @holiday-jp/holiday_jp data table (1970-01-01 … 2050-11-23). */
const HOLIDAY_DATA_FIRST_YEAR = 1970;
const HOLIDAY_DATA_LAST_YEAR = 2050;

/**
 * The years a request may name a date in: those of the holiday data. Business days (B8) cannot
 * be told outside them, and a contract's dates far beyond them overflow what PostgreSQL stores.
 */
export const CALENDAR_YEARS = { first: HOLIDAY_DATA_FIRST_YEAR, last: HOLIDAY_DATA_LAST_YEAR } as const;

/**
 * The range a test clock may be set in: from the calendar's first day to 2050-11-30 in Japan (a
 * due date of B8 from a later completion may fall past the holiday data).
 */
export const TEST_CLOCK_RANGE = { first: '1970-01-01T00:00:00+09:00', last: '2050-11-30T23:59:59+09:00' } as const;

/**
 * Whether `d` is a Japanese national holiday under 国民の祝日に関する法律 art. 3: 国民の祝日,
 * 振替休日 (substitute) and 国民の休日 (a day between two holidays), from the
 * @holiday-jp/holiday_jp table. Throws `RangeError` outside 1970–2050: the table ends there and
 * silently answering `false` would misplace due dates.
 *
 * The lookup passes the `YYYY-MM-DD` string, never a `Date` (a `Date` is read in the process
 * time zone and gives wrong answers under `TZ=UTC`).
 *
 * @example
 * isNationalHoliday(parseDate('2026-09-22')); // true (国民の休日)
 * isNationalHoliday(parseDate('2027-03-22')); // true (振替休日)
 */
export function isNationalHoliday(d: PlainDate): boolean {
  if (d.year < HOLIDAY_DATA_FIRST_YEAR || d.year > HOLIDAY_DATA_LAST_YEAR) {
    throw new RangeError(
      `No Japanese holiday data for ${d.toString()}: only ${HOLIDAY_DATA_FIRST_YEAR}–${HOLIDAY_DATA_LAST_YEAR} are known`,
    );
  }
  return holidayJp.isHoliday(d.toString());
}

/**
 * Whether `d` is a business day (SPEC B8): Monday–Friday, not a national holiday (incl.
 * substitute holidays and 国民の休日), and not in one of the calendar's closed ranges
 * (by default 12-29 〜 01-03).
 *
 * @example
 * isBusinessDay(parseDate('2026-12-28')); // true
 * isBusinessDay(parseDate('2026-12-29')); // false (year-end closure)
 * isBusinessDay(parseDate('2026-12-29'), { closedDays: [] }); // true
 */
export function isBusinessDay(d: PlainDate, cal: BusinessCalendar = DEFAULT_BUSINESS_CALENDAR): boolean {
  // ISO dayOfWeek: 1 = Monday … 7 = Sunday.
  if (d.dayOfWeek >= 6) return false;
  if (isClosed(d, cal)) return false;
  return !isNationalHoliday(d);
}

/**
 * The `n`-th business day after `d` (`n ≥ 1`; `d` itself is not counted) (SPEC B8).
 *
 * @example
 * addBusinessDays(parseDate('2026-04-30'), 3).toString(); // '2026-05-08' (Golden Week)
 * addBusinessDays(parseDate('2026-12-25'), 3).toString(); // '2027-01-05'
 */
export function addBusinessDays(
  d: PlainDate,
  n: number,
  cal: BusinessCalendar = DEFAULT_BUSINESS_CALENDAR,
): PlainDate {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer, got ${n}`);
  }
  let day = d;
  let remaining = n;
  while (remaining > 0) {
    day = day.add({ days: 1 });
    if (isBusinessDay(day, cal)) remaining -= 1;
  }
  return day;
}

/** Payment methods (SPEC §2, B7, B8). */
export type PaymentMethod = 'bank-transfer' | 'card' | 'paypal' | 'invoice';

/**
 * Payment due date from the order's completion date (SPEC B8, and §6 for every invoice):
 * bank transfer — end of the same month; card/PayPal — 3 business days later; invoice
 * payment — end of the next month. Month ends are calendar month ends (no bank-day shift).
 *
 * @example
 * dueDate(parseDate('2026-12-10'), 'bank-transfer').toString(); // '2026-12-31'
 * dueDate(parseDate('2026-12-25'), 'card').toString();          // '2027-01-05'
 * dueDate(parseDate('2026-12-10'), 'invoice').toString();       // '2027-01-31'
 */
export function dueDate(
  completedOn: PlainDate,
  method: PaymentMethod,
  cal: BusinessCalendar = DEFAULT_BUSINESS_CALENDAR,
): PlainDate {
  switch (method) {
    case 'bank-transfer':
      return endOfMonth(completedOn);
    case 'card':
    case 'paypal':
      return addBusinessDays(completedOn, 3, cal);
    case 'invoice':
      return endOfMonth(firstOfNextMonth(completedOn));
    default: {
      const never: never = method;
      throw new RangeError(`Unknown payment method: ${String(never)}`);
    }
  }
}
