import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { computeTax, REDUCED_RATE, STANDARD_RATE, taxOnInclusive, type TaxLine } from '../../src/domain/money.js';

const arbLine: fc.Arbitrary<TaxLine> = fc.record({
  amount: fc.integer({ min: 0, max: 100_000_000 }),
  rate: fc.constantFrom(STANDARD_RATE, REDUCED_RATE),
});
const arbLines = fc.array(arbLine, { maxLength: 40 });
const RUNS = { numRuns: 1000 };

/** Exact floor(a × p / 100) for non-negative a, with bigint (no float). */
const floorTax = (amount: number, percent: number): number =>
  Number((BigInt(amount) * BigInt(percent)) / 100n);

function linesOf(lines: readonly TaxLine[], percent: number): TaxLine[] {
  return lines.filter((l) => l.rate.percent === percent);
}

describe('G2 properties: tax once per rate on the per-rate total', () => {
  it('G2: tax per rate == floor(sum × p / 100)', () => {
    fc.assert(
      fc.property(arbLines, (lines) => {
        const r = computeTax(lines);
        for (const row of r.breakdown) {
          const sum = linesOf(lines, row.rate).reduce((s, l) => s + l.amount, 0);
          expect(row.taxable).toBe(sum);
          expect(row.tax).toBe(floorTax(sum, row.rate));
        }
        const rates = new Set(lines.map((l) => l.rate.percent));
        expect(r.breakdown.map((b) => b.rate)).toEqual([...rates].sort((a, b) => b - a));
      }),
      RUNS,
    );
  });

  it('G2: per-rate tax >= sum of per-line floored taxes, and < that sum + number of lines', () => {
    fc.assert(
      fc.property(arbLines, (lines) => {
        for (const row of computeTax(lines).breakdown) {
          const rateLines = linesOf(lines, row.rate);
          const perLine = rateLines.reduce((s, l) => s + floorTax(l.amount, row.rate), 0);
          expect(row.tax).toBeGreaterThanOrEqual(perLine);
          expect(row.tax).toBeLessThan(perLine + rateLines.length);
        }
      }),
      RUNS,
    );
  });

  it('G2: total == subtotal + tax, and subtotal/tax are the sums of the breakdown', () => {
    fc.assert(
      fc.property(arbLines, fc.constantFrom('floor', 'half-up', 'ceil' as const), (lines, mode) => {
        const r = computeTax(lines, mode);
        expect(r.total).toBe(r.subtotal + r.tax);
        expect(r.subtotal).toBe(lines.reduce((s, l) => s + l.amount, 0));
        expect(r.subtotal).toBe(r.breakdown.reduce((s, b) => s + b.taxable, 0));
        expect(r.tax).toBe(r.breakdown.reduce((s, b) => s + b.tax, 0));
        for (const v of [r.subtotal, r.tax, r.total]) expect(Number.isSafeInteger(v)).toBe(true);
      }),
      RUNS,
    );
  });

  it('G2: floor <= half-up <= ceil <= floor + 1 per rate', () => {
    fc.assert(
      fc.property(arbLines, (lines) => {
        const [f, h, c] = (['floor', 'half-up', 'ceil'] as const).map((m) => computeTax(lines, m).breakdown);
        f?.forEach((row, i) => {
          const hi = h?.[i]?.tax ?? Number.NaN;
          const ci = c?.[i]?.tax ?? Number.NaN;
          expect(row.tax).toBeLessThanOrEqual(hi);
          expect(hi).toBeLessThanOrEqual(ci);
          expect(ci).toBeLessThanOrEqual(row.tax + 1);
        });
      }),
      RUNS,
    );
  });

  it('G2: a credit note (all lines negated) gives exactly the negated amounts', () => {
    fc.assert(
      fc.property(arbLines, fc.constantFrom('floor', 'half-up', 'ceil' as const), (lines, mode) => {
        const pos = computeTax(lines, mode);
        const neg = computeTax(lines.map((l) => ({ ...l, amount: -l.amount })), mode);
        expect(neg.tax).toBe(-pos.tax || 0);
        expect(neg.total).toBe(-pos.total || 0);
      }),
      RUNS,
    );
  });

  it('G2: tax-included split: tax is floor(gross × p / (100 + p)) and net + tax == gross', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.constantFrom(STANDARD_RATE, REDUCED_RATE), (gross, rate) => {
        const tax = taxOnInclusive(gross, rate);
        const p = BigInt(rate.percent);
        expect(tax).toBe(Number((BigInt(gross) * p) / (100n + p)));
        const net = gross - tax;
        // Re-taxing the derived net exclusively lands on the included tax or one yen above.
        expect(floorTax(net, rate.percent) - tax).toBeGreaterThanOrEqual(0);
        expect(floorTax(net, rate.percent) - tax).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });
});
