import { describe, it, expect } from 'vitest';
import {
  assertYen,
  computeTax,
  formatTaxIncluded,
  formatYen,
  money,
  REDUCED_RATE,
  STANDARD_RATE,
  taxOnInclusive,
  type Rounding,
  type TaxLine,
} from '../../src/domain/money.js';

const std = (amount: number): TaxLine => ({ amount, rate: STANDARD_RATE });
const red = (amount: number): TaxLine => ({ amount, rate: REDUCED_RATE });

describe('assertYen (G2: integer yen)', () => {
  it('G2: accepts integers, including 0 and negatives', () => {
    expect(assertYen(5500)).toBe(5500);
    expect(assertYen(0)).toBe(0);
    expect(assertYen(-691)).toBe(-691);
  });
  it.each([1.5, 0.1, Number.NaN, Infinity, 2 ** 53])('G2: refuses %s', (n) => {
    expect(() => assertYen(n)).toThrow(RangeError);
  });
});

describe('computeTax, tax-exclusive vectors (G2; notes §1.10)', () => {
  it('G2 / S4: 5,000 @10% → tax 500, total 5,500', () => {
    expect(computeTax([std(5000)])).toEqual({
      subtotal: 5000,
      tax: 500,
      total: 5500,
      breakdown: [{ rate: 10, taxable: 5000, tax: 500 }],
    });
  });

  it.each([
    ['105 + 105 + 105', [105, 105, 105], { floor: 31, 'half-up': 32, ceil: 32 }],
    ['4,985 + 3,275', [4985, 3275], { floor: 826, 'half-up': 826, ceil: 826 }],
    ['12,345', [12345], { floor: 1234, 'half-up': 1235, ceil: 1235 }],
    ['5,000', [5000], { floor: 500, 'half-up': 500, ceil: 500 }],
  ] as const)('G2: %s @10% carries the once-per-rate tax', (_label, amounts, expected) => {
    for (const mode of ['floor', 'half-up', 'ceil'] as const satisfies readonly Rounding[]) {
      const r = computeTax(amounts.map(std), mode);
      const subtotal = amounts.reduce((a, b) => a + b, 0);
      expect(r.tax, mode).toBe(expected[mode]);
      expect(r.subtotal, mode).toBe(subtotal);
      expect(r.total, mode).toBe(subtotal + expected[mode]);
    }
  });

  it('G2: 105 + 105 + 105 @10% floors to 31, not the per-line sum 30', () => {
    const r = computeTax([std(105), std(105), std(105)]);
    expect(r.tax).toBe(31);
    expect(r.total).toBe(346);
  });

  it('G2: 4,985 + 3,275 @10% floors to 826, not the per-line sum 825', () => {
    expect(computeTax([std(4985), std(3275)]).tax).toBe(826);
  });

  it('G2: the default rounding is floor', () => {
    expect(computeTax([std(12345)]).tax).toBe(1234);
  });

  it('G2: mixed 10% + 8% gives two breakdown rows, highest rate first', () => {
    const r = computeTax([red(1000), std(2000), red(555), std(105)]);
    expect(r.breakdown).toEqual([
      { rate: 10, taxable: 2105, tax: 210 },
      { rate: 8, taxable: 1555, tax: 124 },
    ]);
    expect(r.subtotal).toBe(3660);
    expect(r.tax).toBe(334);
    expect(r.total).toBe(3994);
  });

  it('G2: no lines → all zero, empty breakdown', () => {
    expect(computeTax([])).toEqual({ subtotal: 0, tax: 0, total: 0, breakdown: [] });
  });

  it('G2: a credit note rounds the magnitude, then negates (−6,912.5 → −691 tax on floor)', () => {
    const r = computeTax([std(-6912)]);
    expect(r.tax).toBe(-691);
    expect(r.total).toBe(-7603);
    expect(computeTax([std(-12345)], 'half-up').tax).toBe(-1235);
    expect(computeTax([std(-12345)], 'ceil').tax).toBe(-1235);
  });

  it('G2: refuses fractional line amounts and non-integer rates', () => {
    expect(() => computeTax([std(333.5)])).toThrow(RangeError);
    expect(() => computeTax([{ amount: 100, rate: { percent: 6.24 } }])).toThrow(RangeError);
  });
});

describe('taxOnInclusive, tax-included vectors (G2; 施行令70条の10 第2号; notes §1.10)', () => {
  it.each([
    ['5,500 @10%', 5500, STANDARD_RATE, { floor: 500, 'half-up': 500, ceil: 500 }],
    ['NTA Q&A 60,000 @10%', 60000, STANDARD_RATE, { floor: 5454, 'half-up': 5455, ceil: 5455 }],
    ['NTA Q&A 40,000 @8%', 40000, REDUCED_RATE, { floor: 2962, 'half-up': 2963, ceil: 2963 }],
    ['1,234 + 5,678 @10%', 1234 + 5678, STANDARD_RATE, { floor: 628, 'half-up': 628, ceil: 629 }],
    ['980 × 3 @10%', 980 * 3, STANDARD_RATE, { floor: 267, 'half-up': 267, ceil: 268 }],
  ] as const)('G2: %s (incl.)', (_label, gross, rate, expected) => {
    for (const mode of ['floor', 'half-up', 'ceil'] as const) {
      expect(taxOnInclusive(gross, rate, mode), mode).toBe(expected[mode]);
    }
  });

  it('G2: NTA Q&A 60,000 @10% + 40,000 @8% (incl.) → 5,454 + 2,962 = 8,416 on floor', () => {
    expect(taxOnInclusive(60000, STANDARD_RATE) + taxOnInclusive(40000, REDUCED_RATE)).toBe(8416);
  });

  it('G2: a negative tax-included amount rounds the magnitude', () => {
    expect(taxOnInclusive(-5500, STANDARD_RATE)).toBe(-500);
    expect(taxOnInclusive(-2940, STANDARD_RATE)).toBe(-267);
  });
});

describe('money (G2)', () => {
  it('G2: total = subtotal + tax, currency JPY', () => {
    expect(money(5000, 500)).toEqual({ subtotal: 5000, tax: 500, total: 5500, currency: 'JPY' });
  });
  it('G2: refuses fractional yen', () => {
    expect(() => money(5000, 0.5)).toThrow(RangeError);
  });
});

describe('formatting (G2: screens show tax-included amounts)', () => {
  it('G2: formatYen groups thousands with ASCII commas', () => {
    expect(formatYen(5500, 'ja')).toBe('5,500円');
    expect(formatYen(5500, 'en')).toBe('5,500 yen');
    expect(formatYen(0, 'ja')).toBe('0円');
    expect(formatYen(1234567, 'en')).toBe('1,234,567 yen');
    expect(formatYen(500, 'ja')).toBe('500円');
  });
  it('G2: formatTaxIncluded renders 5,500円（税込） and 5,500 yen (tax included)', () => {
    expect(formatTaxIncluded(5500, 'ja')).toBe('5,500円（税込）');
    expect(formatTaxIncluded(5500, 'en')).toBe('5,500 yen (tax included)');
  });
  it('G2 / S4: a 5,000 yen charge is shown as 5,500円（税込）', () => {
    expect(formatTaxIncluded(computeTax([std(5000)]).total, 'ja')).toBe('5,500円（税込）');
  });
  it('G2: never uses a yen sign (no U+FFE5 / U+00A5)', () => {
    for (const s of [formatYen(5500, 'ja'), formatYen(5500, 'en'), formatTaxIncluded(5500, 'ja')]) {
      expect(s).not.toMatch(/[\uFFE5\u00A5]/);
    }
  });
  it('G2: refuses fractional amounts', () => {
    expect(() => formatYen(1.5, 'ja')).toThrow(RangeError);
  });
});
