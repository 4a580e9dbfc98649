/**
 * Payments against invoices (SPEC §6): how a received amount settles open invoices. Pure: the
 * caller loads the invoices (locked) and records what this decides.
 *
 * The rules, one per case the operator meets when reconciling bank transfers:
 * - **Partial payment**: an amount below the balance is applied; the invoice stays open (or
 *   overdue) with the rest as its balance.
 * - **One transfer, several invoices**: the amount is applied to the invoices oldest due date
 *   first (then by number), each up to its balance; the last one may be left partly paid.
 * - **Short by the bank fee** (振込手数料): the operator states the fee the bank kept. It is
 *   accepted, and borne by the vendor, only when it settles what it is applied to exactly
 *   (received + fee = the balance of all the invoices) and is at most the vendor's allowance.
 *   Otherwise it is a partial payment and the customer still owes the rest.
 * - **Overpayment** is refused: the operator records at most the balance and refunds the rest
 *   outside Keiyaku (or applies it to another invoice in the same transfer).
 */
import { Temporal } from 'temporal-polyfill';
import type { PlainDate } from './calendar.js';
import type { Decision } from './refusals.js';
import { refuse } from './refusals.js';

export type PaymentMethodPaid = 'bank-transfer' | 'card' | 'paypal';

/** An invoice as far as paying it is concerned. */
export interface PayableInvoice {
  id: string;
  number: string;
  kind: 'invoice' | 'credit-note' | 'quotation';
  status: 'open' | 'paid' | 'overdue' | 'void' | 'issued';
  issuedOn: PlainDate;
  dueOn: PlainDate;
  total: number;
  /** Received so far plus bank fees accepted. */
  settled: number;
}

export interface PaymentRequest {
  amount: number;
  bankFee: number;
  method: PaymentMethodPaid;
  paidOn: PlainDate;
}

export interface Allocation {
  invoiceId: string;
  /** Yen of the received amount applied to this invoice. */
  amount: number;
  /** Bank fee accepted on this invoice (borne by the vendor). */
  bankFee: number;
  /** The invoice's balance after this payment. */
  balance: number;
  /** The invoice's status after this payment. */
  status: 'open' | 'paid' | 'overdue';
}

export function balanceOf(i: Pick<PayableInvoice, 'total' | 'settled'>): number {
  return Math.max(0, i.total - i.settled);
}

/** Decides how a payment settles `invoices` (one or several, all of one account) on `today`. */
export function allocatePayment(invoices: readonly PayableInvoice[], p: PaymentRequest, today: PlainDate, bankFeeAllowance: number): Decision<Allocation[]> {
  if (Temporal.PlainDate.compare(p.paidOn, today) > 0) return refuse('paid_on_in_future', { paidOn: p.paidOn.toString(), today: today.toString() }, 'paidOn');
  for (const i of invoices) {
    if (i.kind !== 'invoice' || (i.status !== 'open' && i.status !== 'overdue')) {
      return refuse('invoice_not_payable', { number: i.number, status: i.kind === 'invoice' ? i.status : i.kind }, 'invoiceIds');
    }
    if (Temporal.PlainDate.compare(p.paidOn, i.issuedOn) < 0) return refuse('paid_on_before_issue', { paidOn: p.paidOn.toString(), number: i.number, issuedOn: i.issuedOn.toString() }, 'paidOn');
  }
  const owed = invoices.reduce((sum, i) => sum + balanceOf(i), 0);
  if (p.amount + p.bankFee > owed) return refuse('payment_exceeds_balance', { amount: p.amount + p.bankFee, balance: owed, numbers: invoices.map((i) => i.number).join(', ') }, 'amount');
  if (p.bankFee > 0) {
    if (p.method !== 'bank-transfer') return refuse('bank_fee_only_for_transfers', { method: p.method }, 'bankFee');
    if (p.bankFee > bankFeeAllowance) return refuse('bank_fee_too_large', { bankFee: p.bankFee, allowance: bankFeeAllowance }, 'bankFee');
    if (p.amount + p.bankFee !== owed) return refuse('bank_fee_without_settlement', { amount: p.amount, bankFee: p.bankFee, balance: owed, short: owed - p.amount }, 'bankFee');
  }
  const ordered = [...invoices].sort((a, b) => Temporal.PlainDate.compare(a.dueOn, b.dueOn) || a.number.localeCompare(b.number));
  let received = p.amount;
  let fee = p.bankFee;
  const allocations: Allocation[] = [];
  for (const i of ordered) {
    const balance = balanceOf(i);
    const amount = Math.min(received, balance);
    received -= amount;
    const feeHere = Math.min(fee, balance - amount);
    fee -= feeHere;
    const after = balance - amount - feeHere;
    if (amount === 0 && feeHere === 0) continue;
    allocations.push({ invoiceId: i.id, amount, bankFee: feeHere, balance: after, status: after === 0 ? 'paid' : i.status === 'overdue' ? 'overdue' : 'open' });
  }
  return allocations;
}
