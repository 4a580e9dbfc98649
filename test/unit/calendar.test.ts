import { describe, it, expect } from 'vitest';
import {
  addBusinessDays,
  addMonthsCivil,
  DEFAULT_BUSINESS_CALENDAR,
  dueDate,
  endOfMonth,
  firstOfNextMonth,
  isBusinessDay,
  isNationalHoliday,
  nthPeriod,
  parseDate,
  periodEnd,
  termMonths,
  type BusinessCalendar,
  type PaymentMethod,
} from '../../src/domain/calendar.js';

const d = parseDate;
const NO_CLOSURE: BusinessCalendar = { closedDays: [] };

describe('parseDate (G1: business dates are YYYY-MM-DD)', () => {
  it('G1: parses a valid date', () => {
    const p = d('2026-04-30');
    expect([p.year, p.month, p.day]).toEqual([2026, 4, 30]);
    expect(p.toString()).toBe('2026-04-30');
  });
  it('G1: accepts 2028-02-29 (leap year)', () => {
    expect(d('2028-02-29').toString()).toBe('2028-02-29');
  });
  it.each(['2026-02-30', '2027-02-29', '2026-13-01', '2026-04-31', '2026-00-10'])(
    'G1: rejects the impossible date %s with RangeError',
    (s) => {
      expect(() => d(s)).toThrow(RangeError);
    },
  );
  it.each(['2026-2-3', '26-02-03', '2026/02/03', '2026-02-03T00:00', ' 2026-02-03', ''])(
    'G1: rejects the non-strict form "%s" with RangeError',
    (s) => {
      expect(() => d(s)).toThrow(RangeError);
    },
  );
});

describe('termMonths (catalog terms)', () => {
  it.each([
    ['P1M', 1],
    ['P3M', 3],
    ['P6M', 6],
    ['P12M', 12],
    ['P1Y', 12],
  ] as const)('%s is %i months', (term, months) => {
    expect(termMonths(term)).toBe(months);
  });
});

describe('periodEnd (G1, Civil Code art. 143; notes §3.3)', () => {
  it.each([
    ['2022-01-01', 12, '2022-12-31'],
    ['2023-01-28', 1, '2023-02-27'],
    ['2023-01-29', 1, '2023-02-28'],
    ['2023-01-30', 1, '2023-02-28'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-01-29', 1, '2024-02-28'],
    ['2023-03-31', 1, '2023-04-30'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2023-01-15', 1, '2023-02-14'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 48, '2028-02-28'],
    ['2026-12-01', 1, '2026-12-31'],
    ['2026-11-30', 3, '2027-02-28'],
  ] as const)('G1: %s + %i month(s) ends %s', (start, months, end) => {
    expect(periodEnd(d(start), months).toString()).toBe(end);
  });

  it('G1 / P1: a plan bought 2022-01-01 for 1 year ends 2022-12-31', () => {
    expect(periodEnd(d('2022-01-01'), termMonths('P1Y')).toString()).toBe('2022-12-31');
  });

  it('G1: rejects negative or fractional months', () => {
    expect(() => periodEnd(d('2026-01-01'), -1)).toThrow(RangeError);
    expect(() => periodEnd(d('2026-01-01'), 1.5)).toThrow(RangeError);
  });
});

describe('addMonthsCivil (G1: exclusive end)', () => {
  it.each([
    ['2023-01-31', 1, '2023-03-01'],
    ['2023-01-15', 1, '2023-02-15'],
    ['2022-01-01', 12, '2023-01-01'],
    ['2024-02-29', 12, '2025-03-01'],
  ] as const)('G1: %s + %i month(s) → next period starts %s', (start, months, next) => {
    expect(addMonthsCivil(d(start), months).toString()).toBe(next);
  });
});

describe('nthPeriod (G1: always from the original start, no drift; notes §3.4)', () => {
  it('G1: start 2027-01-31 monthly tiles 01-31..02-28, 03-01..03-30, 03-31..04-30, 05-01..05-30', () => {
    const s = d('2027-01-31');
    const got = [0, 1, 2, 3].map((k) => {
      const p = nthPeriod(s, 1, k);
      return `${p.start.toString()}..${p.end.toString()}`;
    });
    expect(got).toEqual([
      '2027-01-31..2027-02-28',
      '2027-03-01..2027-03-30',
      '2027-03-31..2027-04-30',
      '2027-05-01..2027-05-30',
    ]);
  });
  it('G1: yearly periods from 2024-02-29 end 2025-02-28, then 2026-02-28', () => {
    const s = d('2024-02-29');
    expect(nthPeriod(s, 12, 0).end.toString()).toBe('2025-02-28');
    expect(nthPeriod(s, 12, 1).start.toString()).toBe('2025-03-01');
    expect(nthPeriod(s, 12, 1).end.toString()).toBe('2026-02-28');
  });
  it('G1: rejects months < 1 and negative k', () => {
    expect(() => nthPeriod(d('2026-01-01'), 0, 0)).toThrow(RangeError);
    expect(() => nthPeriod(d('2026-01-01'), 1, -1)).toThrow(RangeError);
  });
});

describe('month helpers', () => {
  it('endOfMonth handles leap and common Februaries', () => {
    expect(endOfMonth(d('2028-02-10')).toString()).toBe('2028-02-29');
    expect(endOfMonth(d('2027-02-10')).toString()).toBe('2027-02-28');
    expect(endOfMonth(d('2026-12-31')).toString()).toBe('2026-12-31');
  });
  it('B3: firstOfNextMonth rolls over the year and from the 31st', () => {
    expect(firstOfNextMonth(d('2026-12-10')).toString()).toBe('2027-01-01');
    expect(firstOfNextMonth(d('2027-01-31')).toString()).toBe('2027-02-01');
  });
});

describe('isNationalHoliday (B8: Japanese national holidays; notes §2.5)', () => {
  const HOLIDAYS_2026 = [
    '01-01', '01-12', '02-11', '02-23', '03-20', '04-29', '05-03', '05-04', '05-05', '05-06',
    '07-20', '08-11', '09-21', '09-22', '09-23', '10-12', '11-03', '11-23',
  ];
  const HOLIDAYS_2027 = [
    '01-01', '01-11', '02-11', '02-23', '03-21', '03-22', '04-29', '05-03', '05-04', '05-05',
    '07-19', '08-11', '09-20', '09-23', '10-11', '11-03', '11-23',
  ];

  function holidaysOf(year: number): string[] {
    const out: string[] = [];
    for (let day = d(`${year}-01-01`); day.year === year; day = day.add({ days: 1 })) {
      if (isNationalHoliday(day)) out.push(day.toString().slice(5));
    }
    return out;
  }

  it('B8: the 2026 holidays are exactly the official list (incl. 09-22 国民の休日, 05-06 振替休日)', () => {
    expect(holidaysOf(2026)).toEqual(HOLIDAYS_2026);
  });
  it('B8: the 2027 holidays are exactly the official list (incl. 03-22 振替休日)', () => {
    expect(holidaysOf(2027)).toEqual(HOLIDAYS_2027);
  });
  it.each(['2026-09-22', '2027-03-22', '2025-02-24', '2025-05-06', '2025-11-24', '2032-09-21', '2049-09-21'])(
    'B8: %s (substitute / 国民の休日) is a holiday',
    (s) => {
      expect(isNationalHoliday(d(s))).toBe(true);
    },
  );
  it('B8: ordinary days are not holidays', () => {
    expect(isNationalHoliday(d('2026-09-24'))).toBe(false);
    expect(isNationalHoliday(d('2026-12-29'))).toBe(false);
  });
  it.each(['2051-01-01', '2051-06-15', '1969-12-31'])('B8: %s is outside the holiday data and throws', (s) => {
    expect(() => isNationalHoliday(d(s))).toThrow(RangeError);
  });
  it('B8: 1970 and 2050 are still covered', () => {
    expect(isNationalHoliday(d('1970-01-01'))).toBe(true);
    expect(isNationalHoliday(d('2050-11-23'))).toBe(true);
  });
});

describe('isBusinessDay (B8: weekdays, not holidays, not 12-29〜01-03)', () => {
  it('B8: weekends and holidays are not business days', () => {
    expect(isBusinessDay(d('2026-05-02'))).toBe(false); // Saturday
    expect(isBusinessDay(d('2026-05-03'))).toBe(false); // Sunday, holiday
    expect(isBusinessDay(d('2026-05-06'))).toBe(false); // Wednesday, 振替休日
    expect(isBusinessDay(d('2026-05-07'))).toBe(true);
  });
  it('B8 Decision: 12-29〜01-03 is closed by default, open with an empty calendar', () => {
    for (const s of ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04']) {
      const expected = s === '2027-01-04';
      expect(isBusinessDay(d(s)), s).toBe(expected);
      expect(isBusinessDay(d(s), DEFAULT_BUSINESS_CALENDAR), s).toBe(expected);
    }
    expect(isBusinessDay(d('2026-12-29'), NO_CLOSURE)).toBe(true);
    expect(isBusinessDay(d('2026-12-31'), NO_CLOSURE)).toBe(true);
  });
  it('B8: a non-wrapping closed range is honoured', () => {
    const cal: BusinessCalendar = { closedDays: [{ from: '08-13', to: '08-16' }] };
    expect(isBusinessDay(d('2027-08-13'), cal)).toBe(false);
    expect(isBusinessDay(d('2027-08-16'), cal)).toBe(false);
    expect(isBusinessDay(d('2027-08-17'), cal)).toBe(true);
    expect(isBusinessDay(d('2027-01-04'), cal)).toBe(true);
  });
  it('B8: a malformed closed day throws', () => {
    expect(() => isBusinessDay(d('2027-08-13'), { closedDays: [{ from: '8-13', to: '08-16' }] })).toThrow(RangeError);
  });
});

describe('addBusinessDays (B8: +3 business days; notes §2.5)', () => {
  it.each([
    ['2026-04-28', '2026-05-07', '2026-05-07'],
    ['2026-04-30', '2026-05-08', '2026-05-08'],
    ['2026-05-01', '2026-05-11', '2026-05-11'],
    ['2026-09-18', '2026-09-28', '2026-09-28'],
    ['2026-11-20', '2026-11-26', '2026-11-26'],
    ['2026-12-25', '2027-01-05', '2026-12-30'],
    ['2026-12-28', '2027-01-06', '2026-12-31'],
    ['2027-03-19', '2027-03-25', '2027-03-25'],
  ] as const)('B8: %s + 3 business days is %s (%s without the year-end closure)', (start, withClosure, without) => {
    expect(addBusinessDays(d(start), 3).toString()).toBe(withClosure);
    expect(addBusinessDays(d(start), 3, DEFAULT_BUSINESS_CALENDAR).toString()).toBe(withClosure);
    expect(addBusinessDays(d(start), 3, NO_CLOSURE).toString()).toBe(without);
  });
  it('B8: +1 business day from Friday is Monday', () => {
    expect(addBusinessDays(d('2026-11-13'), 1).toString()).toBe('2026-11-16');
  });
  it('B8: n < 1 is refused', () => {
    expect(() => addBusinessDays(d('2026-11-13'), 0)).toThrow(RangeError);
  });
});

describe('dueDate (B8: due date from the completion date)', () => {
  it.each([
    ['2026-12-10', 'bank-transfer', '2026-12-31'],
    ['2026-04-30', 'bank-transfer', '2026-04-30'],
    ['2027-02-01', 'bank-transfer', '2027-02-28'],
    ['2026-05-15', 'bank-transfer', '2026-05-31'],
    ['2026-04-30', 'card', '2026-05-08'],
    ['2026-04-30', 'paypal', '2026-05-08'],
    ['2026-04-28', 'card', '2026-05-07'],
    ['2026-12-25', 'card', '2027-01-05'],
    ['2026-12-25', 'paypal', '2027-01-05'],
    ['2026-12-28', 'card', '2027-01-06'],
    ['2026-12-10', 'invoice', '2027-01-31'],
    ['2027-01-31', 'invoice', '2027-02-28'],
    ['2027-01-05', 'invoice', '2027-02-28'],
    ['2028-01-20', 'invoice', '2028-02-29'],
  ] as const satisfies ReadonlyArray<readonly [string, PaymentMethod, string]>)(
    'B8: completed %s by %s is due %s',
    (completed, method, due) => {
      expect(dueDate(d(completed), method).toString()).toBe(due);
    },
  );
  it('B8: card due date honours the calendar passed in', () => {
    expect(dueDate(d('2026-12-25'), 'card', NO_CLOSURE).toString()).toBe('2026-12-30');
  });
});
