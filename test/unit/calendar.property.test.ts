import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { addMonthsCivil, nthPeriod, periodEnd, type PlainDate } from '../../src/domain/calendar.js';

const EPOCH = new Temporal.PlainDate(1970, 1, 1);
const LAST = new Temporal.PlainDate(2049, 12, 31);
const SPAN_DAYS = EPOCH.until(LAST).days;

/** Any calendar date from 1970-01-01 to 2049-12-31. */
const arbDate: fc.Arbitrary<PlainDate> = fc
  .integer({ min: 0, max: SPAN_DAYS })
  .map((n) => EPOCH.add({ days: n }));
const arbMonths = fc.integer({ min: 1, max: 36 });
const RUNS = { numRuns: 1000 };

const cmp = (a: PlainDate, b: PlainDate): number => Temporal.PlainDate.compare(a, b);

/** Independent oracle for Civil Code art. 143(2), written without Temporal month arithmetic. */
function oracleEnd(start: PlainDate, months: number): string {
  const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = (y: number, m: number): number =>
    m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  const idx = start.year * 12 + (start.month - 1) + months;
  let y = Math.floor(idx / 12);
  let m = (idx % 12) + 1;
  let day: number;
  if (start.day > dim(y, m)) {
    day = dim(y, m); // no corresponding day: that month's last day
  } else if (start.day > 1) {
    day = start.day - 1; // the day before the corresponding day
  } else {
    m -= 1; // corresponding day is the 1st: the last day of the previous month
    if (m === 0) {
      m = 12;
      y -= 1;
    }
    day = dim(y, m);
  }
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(day, 2)}`;
}

describe('G1 properties of Civil Code art. 143 periods', () => {
  it('G1: periodEnd(start, m) is on or after start', () => {
    fc.assert(
      fc.property(arbDate, arbMonths, (start, m) => {
        expect(cmp(periodEnd(start, m), start)).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('G1: the next period starts the day after the end', () => {
    fc.assert(
      fc.property(arbDate, arbMonths, (start, m) => {
        expect(addMonthsCivil(start, m).equals(periodEnd(start, m).add({ days: 1 }))).toBe(true);
        expect(nthPeriod(start, m, 1).start.equals(periodEnd(start, m).add({ days: 1 }))).toBe(true);
      }),
      RUNS,
    );
  });

  it('G1: the end is its month\'s last day, or day start.day-1 in the month m months later', () => {
    fc.assert(
      fc.property(arbDate, arbMonths, (start, m) => {
        const end = periodEnd(start, m);
        const target = start.toPlainYearMonth().add({ months: m });
        const isLastDay = end.day === end.daysInMonth;
        const isDayBefore = end.day === start.day - 1 && end.toPlainYearMonth().equals(target);
        expect(isLastDay || isDayBefore).toBe(true);
      }),
      RUNS,
    );
  });

  it('G1: periodEnd agrees with an independent art. 143 oracle', () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 0, max: 600 }), (start, m) => {
        expect(periodEnd(start, m).toString()).toBe(oracleEnd(start, m));
      }),
      RUNS,
    );
  });

  it('G1: nthPeriod periods tile without gaps or overlaps, each non-empty', () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), (start, m, count) => {
        let prev = nthPeriod(start, m, 0);
        expect(prev.start.equals(start)).toBe(true);
        for (let k = 1; k < count; k++) {
          const p = nthPeriod(start, m, k);
          expect(cmp(p.start, p.end)).toBeLessThanOrEqual(0);
          expect(p.start.equals(prev.end.add({ days: 1 }))).toBe(true);
          prev = p;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('G1: periodEnd(start, 12k) equals the end of yearly period k-1 (no chaining drift)', () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 1, max: 30 }), (start, k) => {
        expect(periodEnd(start, 12 * k).equals(nthPeriod(start, 12, k - 1).end)).toBe(true);
      }),
      RUNS,
    );
  });
});
