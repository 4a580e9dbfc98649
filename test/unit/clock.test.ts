/**
 * G1: the business date of an instant and the instant a date starts at, in the vendor's time zone.
 * src/clock.ts keeps the days it has converted (issue 8); these tests hold every answer to the
 * polyfill's own conversion, across midnights, daylight-saving changes, half- and quarter-hour
 * offsets and the old local mean times whose offsets are not whole minutes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { businessDate, startOfDay, startOfDayIso } from '../../src/clock.js';

const ZONES = ['Asia/Tokyo', 'UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Pacific/Apia'];
const FIRST = Temporal.Instant.from('1880-01-01T00:00:00Z').epochMilliseconds;
const LAST = Temporal.Instant.from('2060-01-01T00:00:00Z').epochMilliseconds;

const slowDate = (i: Temporal.Instant, tz: string) => i.toZonedDateTimeISO(tz).toPlainDate().toString();
const slowStart = (d: Temporal.PlainDate, tz: string) => d.toZonedDateTime({ timeZone: tz }).toInstant().toString();

/** An instant at `ms` plus `ns` nanoseconds (0 … 999,999): the fraction of a millisecond matters at a midnight. */
const instantAt = (ms: number, ns: number) => Temporal.Instant.fromEpochNanoseconds(BigInt(ms) * 1_000_000n + BigInt(ns));

describe('the clock in the vendor time zone (G1, issue 8)', () => {
  it('G1: the business date of any instant equals the time-zone conversion, asked in any order, over and over', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: FIRST, max: LAST }), fc.integer({ min: 0, max: 999_999 }), (tz, ms, ns) => {
        const at = instantAt(ms, ns);
        expect(businessDate(at, tz).toString()).toBe(slowDate(at, tz));
        expect(businessDate(at, tz).toString()).toBe(slowDate(at, tz));
      }),
      { numRuns: 3000 },
    );
  });

  it('G1: around each midnight of a year of days (DST changes included) the date turns exactly at 00:00 vendor time', () => {
    for (const tz of ZONES) {
      for (let d = Temporal.PlainDate.from('2026-01-01'); d.year === 2026; d = d.add({ days: 1 })) {
        const midnight = Temporal.Instant.from(slowStart(d, tz));
        expect(startOfDay(d, tz).toString()).toBe(midnight.toString());
        expect(startOfDayIso(d, tz)).toBe(midnight.toString());
        const ms = midnight.epochMilliseconds;
        for (const [offsetMs, ns] of [[-1, 999_999], [-1, 0], [0, 0], [0, 1], [1, 0], [-15 * 60_000, 0], [15 * 60_000 - 1, 999_999]] as const) {
          const at = instantAt(ms + offsetMs, ns);
          expect(businessDate(at, tz).toString(), `${tz} ${at}`).toBe(slowDate(at, tz));
        }
      }
    }
  });

  it('G1: a zone whose old offset is not whole quarter-hours (Tokyo before 1888: +09:18:59) still turns its date at its own midnight', () => {
    const tz = 'Asia/Tokyo';
    const d = Temporal.PlainDate.from('1885-06-01');
    const midnight = Temporal.Instant.from(slowStart(d, tz));
    expect(midnight.toString()).toBe('1885-05-31T14:41:01Z');
    expect(startOfDay(d, tz).toString()).toBe(midnight.toString());
    for (const delta of [-2, -1, 0, 1, 2]) {
      const at = midnight.add({ milliseconds: delta });
      expect(businessDate(at, tz).toString()).toBe(delta < 0 ? '1885-05-31' : '1885-06-01');
    }
  });

  it('G1: a fraction of a millisecond before a midnight is the day before, also before 1970 (milliseconds round down)', () => {
    for (const [tz, date] of [['UTC', '1970-01-01'], ['Asia/Tokyo', '1960-04-01'], ['America/New_York', '1950-11-30']] as const) {
      const midnight = Temporal.Instant.from(slowStart(Temporal.PlainDate.from(date), tz));
      businessDate(midnight, tz); // the day after is known first
      const justBefore = midnight.subtract({ nanoseconds: 500_000 });
      expect(businessDate(justBefore, tz).toString()).toBe(Temporal.PlainDate.from(date).subtract({ days: 1 }).toString());
      expect(businessDate(midnight, tz).toString()).toBe(date);
    }
  });
});
