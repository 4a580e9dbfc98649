/**
 * Money for Keiyaku: integer yen and consumption tax (SPEC G2).
 *
 * JPY has no minor unit, so amounts are integer yen held in a `number` (exact up to 2^53).
 * Tax rates are integer percentages and every tax is one exact integer division with an
 * explicit rounding mode — never a float multiplication by 0.1 or division by 1.1.
 */

/** An amount in integer yen (JPY has no minor unit, SPEC G2). */
export type Yen = number;

/**
 * Checks that `n` is a safe integer amount of yen and returns it.
 *
 * @example
 * assertYen(5500); // 5500
 * assertYen(1.5);  // throws RangeError
 */
export function assertYen(n: number): Yen {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Not an integer yen amount: ${n}`);
  }
  return n;
}

/** A consumption tax rate as a whole percentage (rational p/100, never a float factor). */
export interface TaxRate {
  readonly percent: number;
}

/** Standard consumption tax rate, 10 % (7.8 % national + 2.2 % local). */
export const STANDARD_RATE: TaxRate = Object.freeze({ percent: 10 });
/** Reduced consumption tax rate, 8 % (軽減税率). */
export const REDUCED_RATE: TaxRate = Object.freeze({ percent: 8 });

/**
 * How the fraction of a yen is handled (消費税法施行令70条の10: the issuer chooses;
 * 切捨て `floor` is the default, SPEC G2).
 */
export type Rounding = 'floor' | 'half-up' | 'ceil';

/** One tax-exclusive invoice line amount and its tax rate. */
export interface TaxLine {
  amount: Yen;
  rate: TaxRate;
}

/** One row of the per-rate tax breakdown (`rate` is the percentage, e.g. 10 or 8). */
export interface TaxBreakdownRow {
  rate: number;
  taxable: Yen;
  tax: Yen;
}

/** Result of {@link computeTax}. */
export interface TaxComputation {
  subtotal: Yen;
  tax: Yen;
  total: Yen;
  breakdown: TaxBreakdownRow[];
}

function assertPercent(rate: TaxRate): number {
  const p = rate.percent;
  if (!Number.isSafeInteger(p) || p < 0) {
    throw new RangeError(`Tax rate percent must be a non-negative integer, got ${p}`);
  }
  return p;
}

/**
 * round(|num| / den) with the given mode, then the sign of `num` is restored: credit notes
 * round the magnitude (notes §4), so −691.25 becomes −691 under `floor`, not −692.
 */
function divideRounded(num: bigint, den: bigint, rounding: Rounding): Yen {
  const negative = num < 0n;
  const mag = negative ? -num : num;
  const q = mag / den;
  const r = mag % den;
  let rounded: bigint;
  switch (rounding) {
    case 'floor':
      rounded = q;
      break;
    case 'ceil':
      rounded = r > 0n ? q + 1n : q;
      break;
    case 'half-up':
      rounded = 2n * r >= den ? q + 1n : q;
      break;
    default: {
      const never: never = rounding;
      throw new RangeError(`Unknown rounding: ${String(never)}`);
    }
  }
  return assertYen(Number(negative ? -rounded : rounded));
}

/** Tax on a tax-exclusive per-rate total: round(base × p / 100) (施行令70条の10 第1号). */
function taxOnExclusive(base: Yen, percent: number, rounding: Rounding): Yen {
  return divideRounded(BigInt(assertYen(base)) * BigInt(percent), 100n, rounding);
}

/**
 * Computes consumption tax on tax-exclusive lines (SPEC G2, 消費税法施行令70条の10,
 * 基本通達1-8-15): lines are totalled per rate and the tax is rounded ONCE per rate on that
 * total — never per line and summed. The breakdown is sorted by rate, highest first.
 * Negative totals (credit notes) round the magnitude, then negate.
 *
 * @example
 * const l = { amount: 105, rate: STANDARD_RATE };
 * computeTax([l, l, l]).tax; // 31 (per-line rounding would give 30)
 * computeTax([{ amount: 5000, rate: STANDARD_RATE }]);
 * // { subtotal: 5000, tax: 500, total: 5500, breakdown: [{ rate: 10, taxable: 5000, tax: 500 }] }
 */
export function computeTax(lines: readonly TaxLine[], rounding: Rounding = 'floor'): TaxComputation {
  const perRate = new Map<number, Yen>();
  for (const line of lines) {
    const p = assertPercent(line.rate);
    perRate.set(p, assertYen((perRate.get(p) ?? 0) + assertYen(line.amount)));
  }
  const breakdown: TaxBreakdownRow[] = [...perRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rate, taxable]) => ({ rate, taxable, tax: taxOnExclusive(taxable, rate, rounding) }));
  const subtotal = assertYen(breakdown.reduce((s, row) => s + row.taxable, 0));
  const tax = assertYen(breakdown.reduce((s, row) => s + row.tax, 0));
  return { subtotal, tax, total: assertYen(subtotal + tax), breakdown };
}

/**
 * Tax contained in a tax-inclusive per-rate total: round(gross × p / (100 + p))
 * (施行令70条の10 第2号: × 10/110, × 8/108). Negative amounts round the magnitude.
 *
 * @example
 * taxOnInclusive(5500, STANDARD_RATE);  // 500
 * taxOnInclusive(40000, REDUCED_RATE);  // 2962
 * taxOnInclusive(2940, STANDARD_RATE, 'ceil'); // 268
 */
export function taxOnInclusive(gross: Yen, rate: TaxRate, rounding: Rounding = 'floor'): Yen {
  const p = assertPercent(rate);
  return divideRounded(BigInt(assertYen(gross)) * BigInt(p), BigInt(100 + p), rounding);
}

/** A charged amount: tax-exclusive subtotal, tax, and tax-included total, in yen. */
export interface Money {
  subtotal: Yen;
  tax: Yen;
  total: Yen;
  currency: 'JPY';
}

/**
 * Builds a {@link Money} whose total is `subtotal + tax`.
 *
 * @example
 * money(5000, 500); // { subtotal: 5000, tax: 500, total: 5500, currency: 'JPY' }
 */
export function money(subtotal: Yen, tax: Yen): Money {
  return {
    subtotal: assertYen(subtotal),
    tax: assertYen(tax),
    total: assertYen(subtotal + tax),
    currency: 'JPY',
  };
}

// Plain grouping only: the 'currency' style would print U+FFE5 (￥) for ja-JP (notes §4).
const GROUPING = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 0 });

/**
 * Formats an amount of yen for display (SPEC G2).
 *
 * @example
 * formatYen(5500, 'ja'); // '5,500円'
 * formatYen(5500, 'en'); // '5,500 yen'
 */
export function formatYen(amount: Yen, locale: 'ja' | 'en'): string {
  const digits = GROUPING.format(assertYen(amount));
  return locale === 'ja' ? `${digits}円` : `${digits} yen`;
}

/**
 * Formats a tax-included total the way screens show it (SPEC G2).
 *
 * @example
 * formatTaxIncluded(5500, 'ja'); // '5,500円（税込）'
 * formatTaxIncluded(5500, 'en'); // '5,500 yen (tax included)'
 */
export function formatTaxIncluded(total: Yen, locale: 'ja' | 'en'): string {
  return locale === 'ja' ? `${formatYen(total, 'ja')}（税込）` : `${formatYen(total, 'en')} (tax included)`;
}
