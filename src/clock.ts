/**
 * The one clock (SPEC G3, DESIGN 3). Nothing else reads the time: rules take "today" as a
 * parameter, the shell asks this module. Instants are `Temporal.Instant`; business dates are
 * `Temporal.PlainDate` in the vendor's time zone, converted here only.
 */
import { Temporal } from 'temporal-polyfill';

export interface Clock {
  now(): Temporal.Instant;
  readonly mode: 'system' | 'test';
}

/** The wall clock. */
export class SystemClock implements Clock {
  readonly mode = 'system' as const;
  now(): Temporal.Instant {
    return Temporal.Now.instant();
  }
}

/** A test clock (non-production): starts at an instant and moves only forward, when told to. */
export class TestClock implements Clock {
  readonly mode = 'test' as const;
  #now: Temporal.Instant;
  constructor(start: Temporal.Instant) {
    this.#now = start;
  }
  now(): Temporal.Instant {
    return this.#now;
  }
  /** Told of each move by `set` (the server processes of one start share their test clock: src/cluster.ts). */
  onSet: ((to: Temporal.Instant) => void) | undefined;
  /** Moves the clock to `to`; refuses to go back (an effect already run cannot be unrun). */
  set(to: Temporal.Instant): void {
    if (Temporal.Instant.compare(to, this.#now) < 0) throw new RangeError(`The test clock only moves forward (now ${this.#now})`);
    this.#now = to;
    this.onSet?.(to);
  }
  /** Follows a move made elsewhere (another server process): forward only, nobody told. */
  follow(to: Temporal.Instant): void {
    if (Temporal.Instant.compare(to, this.#now) > 0) this.#now = to;
  }
}

// Converting between instants and dates in a time zone is the polyfill's slowest operation (it
// asks Intl for the zone's offsets; ~10 µs each), and a request or a scheduler batch does it for a
// handful of days over and over (issue 8: 5-8 % of an order's CPU). So the days met are kept: a
// day's date with the instants it starts and ends at, found by the quarter-hour (UTC) an instant
// falls in — every zone's offset today is whole quarter-hours, so a quarter-hour lies in one day;
// one that straddles a midnight all the same (an older offset) is converted every time, uncached.
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const MAX_KEPT = 20_000;
interface Day {
  date: Temporal.PlainDate;
  from: number;
  to: number;
}
const daysByQuarter = new Map<string, Map<number, Day>>();
const midnights = new Map<string, { at: Temporal.Instant; text: string }>();

/** The business date of an instant in the vendor's time zone (G1). */
export function businessDate(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  const ms = instant.epochMilliseconds;
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let days = daysByQuarter.get(timeZone);
  const known = days?.get(quarter) ?? days?.get(quarter - 1);
  if (known && known.from <= quarter * QUARTER_HOUR_MS && (quarter + 1) * QUARTER_HOUR_MS <= known.to) {
    if (days!.size < MAX_KEPT) days!.set(quarter, known);
    return known.date;
  }
  const date = instant.toZonedDateTimeISO(timeZone).toPlainDate();
  const day = { date, from: startOfDay(date, timeZone).epochMilliseconds, to: startOfDay(date.add({ days: 1 }), timeZone).epochMilliseconds };
  if (day.from <= quarter * QUARTER_HOUR_MS && (quarter + 1) * QUARTER_HOUR_MS <= day.to) {
    if (!days || days.size >= MAX_KEPT) daysByQuarter.set(timeZone, (days = new Map()));
    days.set(quarter, day);
  }
  return date;
}

function midnightOf(date: Temporal.PlainDate, timeZone: string): { at: Temporal.Instant; text: string } {
  const key = `${timeZone}|${date.toString()}`;
  let known = midnights.get(key);
  if (!known) {
    if (midnights.size >= MAX_KEPT) midnights.clear();
    const at = date.toZonedDateTime({ timeZone }).toInstant();
    midnights.set(key, (known = { at, text: at.toString() }));
  }
  return known;
}

/** 00:00 of a business date in the vendor's time zone: when effects dated that day are due. */
export function startOfDay(date: Temporal.PlainDate, timeZone: string): Temporal.Instant {
  return midnightOf(date, timeZone).at;
}

/** `startOfDay` as ISO text (UTC), as effects store their due instant. */
export function startOfDayIso(date: Temporal.PlainDate, timeZone: string): string {
  return midnightOf(date, timeZone).text;
}

/** Wall time for operational records (lock files, migration log), never for business rules. */
export function wallTime(): string {
  return Temporal.Now.instant().toString();
}
