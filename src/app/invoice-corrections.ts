/**
 * Correcting an issued invoice (SPEC §6, DESIGN 8: what was issued is never edited): the
 * operator gives the right lines; Keiyaku issues a credit note (適格返還請求書) reversing the
 * invoice in full and a new invoice with the right lines, both naming the one they correct, and
 * the corrected invoice becomes void (its overdue effect then does nothing).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { lockAccount } from '../store/accounts.js';
import type { InvoiceLine, InvoiceRecord } from '../store/invoices.js';
import type { AccountRecord } from '../store/accounts.js';
import { lockInvoices, setInvoiceStatus } from '../store/invoices.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { today } from './context.js';
import { audit } from './audit.js';
import type { InvoiceView } from './invoices.js';
import { invoiceView, issueInvoice } from './invoices.js';

export interface CorrectionInput {
  invoiceId: string;
  reason: string;
  lines: InvoiceLine[];
}

export interface CorrectionView {
  corrected: InvoiceView;
  creditNote: InvoiceView;
  invoice: InvoiceView;
  reason: string;
}

export async function correctInvoice(ctx: AppContext, trx: Transaction<Database>, actor: Actor, input: CorrectionInput): Promise<CorrectionView | Refusal> {
  const [found] = await lockInvoices(trx, [input.invoiceId]);
  if (!found || found.kind === 'quotation') return refuse('invoice_not_found', { id: input.invoiceId });
  const account = await lockAccount(trx, found.accountId);
  if (!account) return refuse('invoice_not_found', { id: input.invoiceId });
  // Locked again under the account lock, the order every other use case takes.
  const [original] = await lockInvoices(trx, [input.invoiceId]);
  if (!original || original.kind !== 'invoice' || (original.status !== 'open' && original.status !== 'overdue')) {
    return refuse('invoice_not_correctable', { number: found.number, status: original?.kind === 'invoice' ? original.status : found.kind });
  }
  if (original.settled > 0) return refuse('invoice_has_payments', { number: original.number, paid: original.settled });
  const day = today(ctx);
  const creditNote = await voidInvoice(ctx, trx, actor, account, original);
  const replacement = await issueInvoice(ctx, trx, actor, { account, contractId: original.contractId, orderId: original.orderId, paymentMethod: original.paymentMethod, issuedOn: day, period: original.period, corrects: original.id, lines: input.lines });
  const corrected = { ...original, status: 'void' as const };
  await audit(ctx, trx, actor, {
    accountId: original.accountId,
    action: 'invoice.corrected',
    subjectType: 'invoice',
    subjectId: original.id,
    before: { status: original.status, total: original.amount.total },
    after: { status: 'void', reason: input.reason, creditNoteId: creditNote.id, invoiceId: replacement.id, total: replacement.amount.total },
  });
  return { corrected: invoiceView(corrected), creditNote: invoiceView(creditNote), invoice: invoiceView(replacement), reason: input.reason };
}

/**
 * Voids an unpaid invoice (DESIGN 8: never edited): a credit note reversing it in full, naming it
 * in `corrects`, and the invoice becomes void (its overdue effect then does nothing). Used by a
 * correction, before its replacement, and by a cancellation that voids what is unpaid.
 */
export async function voidInvoice(ctx: AppContext, trx: Transaction<Database>, actor: Actor, account: AccountRecord, original: InvoiceRecord) {
  const creditNote = await issueInvoice(ctx, trx, actor, {
    account,
    contractId: original.contractId,
    orderId: original.orderId,
    paymentMethod: original.paymentMethod,
    issuedOn: today(ctx),
    period: original.period,
    corrects: original.id,
    lines: original.lines,
    creditNote: { subtotal: original.amount.subtotal, tax: original.amount.tax, total: original.amount.total, breakdown: original.taxBreakdown },
  });
  await setInvoiceStatus(trx, original.accountId, original.id, 'void');
  return creditNote;
}
