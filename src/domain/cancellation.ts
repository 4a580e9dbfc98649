/**
 * Cancellation by the operator (SPEC P5): effective at once, with the operator's choice of refund,
 * recorded with it. A refund becomes a credit note (適格返還請求書) whose tax is computed once on
 * the tax-included refund (G2, 基本通達 1-8-15).
 */
import { Temporal } from 'temporal-polyfill';
import type { PlainDate } from './calendar.js';
import type { Contract } from './contract.js';
import { contractEnd } from './contract.js';
import type { TaxComputation } from './money.js';
import { STANDARD_RATE, taxOnInclusive } from './money.js';
import type { Decision } from './refusals.js';
import { refuse } from './refusals.js';

export interface CancellationDecision {
  cancelledFrom: PlainDate;
  /** The credit note's amounts, or null without a refund. */
  refund: TaxComputation | null;
}

/**
 * @example decideCancellation({ contract, today: 2022-06-01, refundTotal: 5500, paid: 5500, refunded: 0 })
 * // cancelled from 2022-06-01; refund 5,000 + 500 tax
 */
export function decideCancellation(input: { contract: Contract; today: PlainDate; refundTotal: number; paid: number; refunded: number }): Decision<CancellationDecision> {
  const { contract, today } = input;
  const end = contractEnd(contract);
  if (contract.cancelledFrom || !end || Temporal.PlainDate.compare(today, end) > 0) {
    return refuse('contract_not_active', { id: contract.id, today: today.toString() });
  }
  // Only money received can be given back (a credit note for an unpaid invoice would owe the
  // customer what it never paid); earlier refunds of the contract count against it.
  const refundable = Math.max(0, input.paid - input.refunded);
  if (input.refundTotal > refundable) return refuse('refund_exceeds_paid', { refund: input.refundTotal, paid: refundable }, 'refund.amount');
  if (input.refundTotal === 0) return { cancelledFrom: today, refund: null };
  const tax = taxOnInclusive(input.refundTotal, STANDARD_RATE);
  const subtotal = input.refundTotal - tax;
  return {
    cancelledFrom: today,
    refund: { subtotal, tax, total: input.refundTotal, breakdown: [{ rate: STANDARD_RATE.percent, taxable: subtotal, tax }] },
  };
}
