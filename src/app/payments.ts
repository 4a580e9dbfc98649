/**
 * Payments (SPEC §6): the operator records bank transfers (one invoice or several, partial, short
 * by the bank fee), customers pay by card or PayPal through the payment provider, and an unpaid
 * invoice becomes overdue the day after its due date. The rules are in src/domain/payments.ts.
 */
import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../store/tables.js';
import type { AccountRecord } from '../store/accounts.js';
import { findAccount, lockAccount } from '../store/accounts.js';
import type { InvoiceRecord } from '../store/invoices.js';
import { accountsOfInvoices, lockInvoices, setInvoiceStatus } from '../store/invoices.js';
import type { BatchWrites } from './batch-writes.js';
import type { PaymentRecord } from '../store/payments.js';
import { insertPayment, paymentsOfInvoice } from '../store/payments.js';
import type { Allocation, PayableInvoice, PaymentMethodPaid } from '../domain/payments.js';
import { allocatePayment, balanceOf } from '../domain/payments.js';
import type { Refusal } from '../domain/refusals.js';
import { isRefusal, refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { actorName, newId, nowIso, today } from './context.js';
import { audit } from './audit.js';
import { invoiceView } from './invoices.js';
import type { InvoiceView } from './invoices.js';
import { sendNotice } from './notices.js';
import { sandboxProvider } from './payment-provider.js';

export interface RecordPaymentInput {
  invoiceIds: readonly string[];
  amount: number;
  bankFee?: number | undefined;
  method: PaymentMethodPaid;
  paidOn: string;
  reference?: string | undefined;
}

export interface PaymentView {
  id: string;
  invoiceId: string;
  transferId: string;
  amount: number;
  bankFee: number;
  method: PaymentMethodPaid;
  paidOn: string;
  reference: string | null;
  provider: string | null;
  providerRef: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface PaymentOutcome {
  transferId: string;
  payments: PaymentView[];
  invoices: InvoiceView[];
}

export function paymentView(p: PaymentRecord): PaymentView {
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    transferId: p.transferId,
    amount: p.amount,
    bankFee: p.bankFee,
    method: p.method,
    paidOn: p.paidOn,
    reference: p.reference,
    provider: p.provider,
    providerRef: p.providerRef,
    recordedBy: p.actor,
    recordedAt: p.createdAt,
  };
}

function payable(i: InvoiceRecord): PayableInvoice {
  return {
    id: i.id,
    number: i.number,
    kind: i.kind,
    status: i.status,
    issuedOn: Temporal.PlainDate.from(i.issuedOn),
    dueOn: Temporal.PlainDate.from(i.dueOn),
    total: i.amount.total,
    settled: i.settled,
  };
}

/**
 * Locks the account, then the invoices (one account's only). `scope` limits a customer to their
 * own account: another account's invoice is "not found".
 */
async function lockPayable(trx: Transaction<Database>, ids: readonly string[], scope: string | undefined): Promise<InvoiceRecord[] | Refusal> {
  const accounts = (await accountsOfInvoices(trx, ids)).filter((a) => !scope || a === scope);
  if (accounts.length > 1) return refuse('invoices_of_different_accounts', { accounts: accounts.join(', ') }, 'invoiceIds');
  const [accountId] = accounts;
  if (!accountId || !(await lockAccount(trx, accountId))) return refuse('invoice_not_found', { id: ids[0] });
  const invoices = (await lockInvoices(trx, ids)).filter((i) => i.accountId === accountId && i.kind !== 'quotation');
  const missing = ids.find((id) => !invoices.some((i) => i.id === id));
  if (missing) return refuse('invoice_not_found', { id: missing }, 'invoiceIds');
  return invoices;
}

/** Writes the payments an allocation decided, moves statuses, audits and tells the customer. */
async function applyAllocations(
  ctx: AppContext,
  trx: Transaction<Database>,
  actor: Actor,
  invoices: readonly InvoiceRecord[],
  allocations: readonly Allocation[],
  p: { method: PaymentMethodPaid; paidOn: string; reference: string | null; provider: string | null; providerRef: string | null },
): Promise<PaymentOutcome> {
  const transferId = newId('trf');
  const createdAt = nowIso(ctx);
  const payments: PaymentView[] = [];
  const after: InvoiceView[] = [];
  for (const a of allocations) {
    const invoice = invoices.find((i) => i.id === a.invoiceId)!;
    const record: PaymentRecord = {
      accountId: invoice.accountId,
      id: newId('pay'),
      invoiceId: invoice.id,
      transferId,
      amount: a.amount,
      bankFee: a.bankFee,
      method: p.method,
      paidOn: p.paidOn,
      reference: p.reference,
      provider: p.provider,
      providerRef: p.providerRef,
      actor: actorName(actor),
      createdAt,
    };
    await insertPayment(trx, record);
    if (a.status !== invoice.status && a.status !== 'open') await setInvoiceStatus(trx, invoice.accountId, invoice.id, a.status);
    const updated: InvoiceRecord = { ...invoice, status: a.status, settled: invoice.settled + a.amount + a.bankFee };
    await audit(ctx, trx, actor, {
      accountId: invoice.accountId,
      action: 'payment.recorded',
      subjectType: 'invoice',
      subjectId: invoice.id,
      before: { status: invoice.status, paidAmount: invoice.settled, balance: balanceOf({ total: invoice.amount.total, settled: invoice.settled }) },
      after: { status: a.status, paidAmount: updated.settled, balance: a.balance, paymentId: record.id, transferId, amount: a.amount, bankFee: a.bankFee, method: p.method, paidOn: p.paidOn },
    });
    await sendNotice(ctx, trx, {
      accountId: invoice.accountId,
      kind: 'payment-received',
      params: { invoiceId: invoice.id, invoiceNumber: invoice.number, amount: a.amount + a.bankFee, paidOn: p.paidOn, balance: a.balance },
      dedupeKey: `payment-received:${record.id}`,
    });
    payments.push(paymentView(record));
    after.push(invoiceView(updated));
  }
  return { transferId, payments, invoices: after };
}

/** The operator records a payment received (usually a bank transfer) against one or more invoices. */
export async function recordPayment(ctx: AppContext, trx: Transaction<Database>, actor: Actor, input: RecordPaymentInput): Promise<PaymentOutcome | Refusal> {
  const ids = [...new Set(input.invoiceIds)];
  const invoices = await lockPayable(trx, ids, undefined);
  if (isRefusal(invoices)) return invoices;
  const bankFee = input.bankFee ?? 0;
  const allocations = allocatePayment(invoices.map(payable), { amount: input.amount, bankFee, method: input.method, paidOn: Temporal.PlainDate.from(input.paidOn) }, today(ctx), ctx.settings.bankFeeAllowance);
  if (isRefusal(allocations)) return allocations;
  return applyAllocations(ctx, trx, actor, invoices, allocations, { method: input.method, paidOn: input.paidOn, reference: input.reference ?? null, provider: null, providerRef: null });
}

/**
 * The customer (or the operator for them) pays an invoice's balance by card or PayPal through the
 * payment provider. The invoice stays locked during the charge, so two clicks never charge twice;
 * a declined charge records nothing.
 */
export async function payInvoice(
  ctx: AppContext,
  trx: Transaction<Database>,
  actor: Actor,
  invoiceId: string,
  input: { method: 'card' | 'paypal'; token?: string | undefined },
  scope: string | undefined,
): Promise<PaymentOutcome | Refusal> {
  const invoices = await lockPayable(trx, [invoiceId], scope);
  if (isRefusal(invoices)) return invoices;
  const invoice = invoices[0]!;
  const balance = balanceOf({ total: invoice.amount.total, settled: invoice.settled });
  const paidOn = today(ctx);
  const allocations = allocatePayment([payable(invoice)], { amount: balance, bankFee: 0, method: input.method, paidOn }, paidOn, ctx.settings.bankFeeAllowance);
  if (isRefusal(allocations)) return allocations;
  const provider = ctx.paymentProvider ?? sandboxProvider;
  const charge = await provider.charge({ accountId: invoice.accountId, invoiceId: invoice.id, amount: balance, method: input.method, token: input.token, idempotencyKey: `${invoice.id}:${invoice.settled}` });
  if (charge.status === 'declined') return refuse('payment_declined', { method: input.method, reason: charge.reason }, 'token');
  return applyAllocations(ctx, trx, actor, invoices, allocations, { method: input.method, paidOn: paidOn.toString(), reference: null, provider: provider.name, providerRef: charge.providerRef });
}

/** An invoice's payments, oldest first. */
export async function invoicePayments(ctx: AppContext, accountId: string, invoiceId: string): Promise<PaymentView[]> {
  return (await paymentsOfInvoice(ctx.db, accountId, invoiceId)).map(paymentView);
}

const SCHEDULER: Actor = { kind: 'system', name: 'scheduler' };

/**
 * The effect `invoice-overdue` (planned for the scheduler's batch): the day after its due date an
 * unpaid invoice becomes overdue, once, with a notice. `invoice` is the effect's invoice, locked.
 */
export function planOverdue(w: BatchWrites, account: AccountRecord, invoice: InvoiceRecord | undefined): void {
  if (!invoice || invoice.accountId !== account.id || invoice.status !== 'open') return;
  const balance = balanceOf({ total: invoice.amount.total, settled: invoice.settled });
  if (balance === 0) return;
  w.invoiceStatus(invoice, 'overdue');
  w.audit(SCHEDULER, {
    accountId: invoice.accountId,
    action: 'invoice.overdue',
    subjectType: 'invoice',
    subjectId: invoice.id,
    before: { status: 'open', balance },
    after: { status: 'overdue', balance, dueOn: invoice.dueOn },
  });
  w.notice(account, {
    kind: 'invoice-overdue',
    params: { invoiceId: invoice.id, invoiceNumber: invoice.number, total: invoice.amount.total, balance, dueOn: invoice.dueOn },
    dedupeKey: `invoice-overdue:${invoice.id}`,
  });
}

export interface ReminderSent {
  invoiceId: string;
  number: string;
  status: InvoiceRecord['status'];
  balance: number;
  sentTo: string;
  sentOn: string;
}

/**
 * The operator reminds the customer of an unpaid invoice (SPEC §6; 督促): a `payment-reminder`
 * notice to the account's address with the invoice's PDF attached, worded for an invoice still
 * before its due date or past it. Only while something is owed (409 `reminder_not_needed`), and
 * once a day an invoice (409 `reminder_already_sent`: the notice's dedupe key holds the day, so two
 * clicks at once send one). Audited `invoice.reminded`.
 */
export async function remindInvoice(ctx: AppContext, trx: Transaction<Database>, actor: Actor, invoiceId: string): Promise<ReminderSent | Refusal> {
  const invoices = await lockPayable(trx, [invoiceId], undefined);
  if (isRefusal(invoices)) return invoices;
  const invoice = invoices[0]!;
  const balance = invoice.kind === 'invoice' && (invoice.status === 'open' || invoice.status === 'overdue') ? balanceOf({ total: invoice.amount.total, settled: invoice.settled }) : 0;
  if (balance === 0) return refuse('reminder_not_needed', { number: invoice.number, status: invoice.status });
  const day = today(ctx).toString();
  const sent = await sendNotice(ctx, trx, {
    accountId: invoice.accountId,
    kind: 'payment-reminder',
    params: { invoiceId: invoice.id, invoiceNumber: invoice.number, total: invoice.amount.total, balance, dueOn: invoice.dueOn, overdue: invoice.status === 'overdue' },
    dedupeKey: `payment-reminder:${invoice.id}:${day}`,
    attachDocumentId: invoice.id,
  });
  if (!sent) return refuse('reminder_already_sent', { number: invoice.number, date: day });
  const account = await findAccount(trx, invoice.accountId); // locked by lockPayable
  await audit(ctx, trx, actor, { accountId: invoice.accountId, action: 'invoice.reminded', subjectType: 'invoice', subjectId: invoice.id, after: { number: invoice.number, status: invoice.status, balance, sentTo: account!.email } });
  return { invoiceId: invoice.id, number: invoice.number, status: invoice.status, balance, sentTo: account!.email, sentOn: day };
}
