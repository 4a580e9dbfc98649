/** The invoice line of a contract term: "Starter 100 (12 months)", "Plan 10 (1 year)". */
import { jaMonths } from './line-text.js';
import { termMonths } from './calendar.js';
import type { Term } from './calendar.js';
import { STANDARD_RATE } from './money.js';
import type { QuoteLine } from './orders/quote.js';

export interface TermLineInput {
  planName: string;
  license: { size: number } | null;
  licenses: number;
  term: Term;
  /** Price of one license for the whole term. */
  unitPrice: number;
  /** Whether the plan is priced per year (its term then reads in years). */
  yearly: boolean;
}

/**
 * @example termLine({ planName: 'Starter', license: { size: 100 }, licenses: 2, term: 'P12M', unitPrice: 60000, yearly: false })
 * // { description: 'Starter 200 (12 months)', quantity: 2, unitPrice: 60000, amount: 120000, taxRate: 10 }
 */
export function termLine(t: TermLineInput): QuoteLine {
  const months = termMonths(t.term);
  const label = t.license ? `${t.planName} ${t.license.size * t.licenses}` : t.planName;
  const duration = t.yearly ? `${months / 12} year${months === 12 ? '' : 's'}` : `${months} month${months === 1 ? '' : 's'}`;
  const durationJa = t.yearly ? `${months / 12}年` : jaMonths(months);
  return { description: `${label} (${duration})`, descriptionJa: `${label}（${durationJa}）`, quantity: t.licenses, unitPrice: t.unitPrice, amount: t.unitPrice * t.licenses, taxRate: STANDARD_RATE.percent };
}
