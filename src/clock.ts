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
  /** Moves the clock to `to`; refuses to go back (an effect already run cannot be unrun). */
  set(to: Temporal.Instant): void {
    if (Temporal.Instant.compare(to, this.#now) < 0) throw new RangeError(`The test clock only moves forward (now ${this.#now})`);
    this.#now = to;
  }
}

/** The business date of an instant in the vendor's time zone (G1). */
export function businessDate(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(timeZone).toPlainDate();
}

/** 00:00 of a business date in the vendor's time zone: when effects dated that day are due. */
export function startOfDay(date: Temporal.PlainDate, timeZone: string): Temporal.Instant {
  return date.toZonedDateTime({ timeZone }).toInstant();
}

/** Wall time for operational records (lock files, migration log), never for business rules. */
export function wallTime(): string {
  return Temporal.Now.instant().toString();
}
