/** Issuing invoices as records (SPEC §6, G2, B8) and reading them. */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import type { InvoiceLine, InvoiceRecord } from '../store/invoices.js';
import { findInvoice, insertInvoice, listInvoices as listInvoiceRows, nextDocumentNumber } from '../store/invoices.js';
import type { AccountRecord } from '../store/accounts.js';
import type { PaymentMethod, PlainDate } from '../domain/calendar.js';
import { dueDate } from '../domain/calendar.js';
import type { TaxComputation } from '../domain/money.js';
import { computeTax } from '../domain/money.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { newId, nowIso } from './context.js';
import { audit } from './audit.js';
import { Temporal } from 'temporal-polyfill';
import { startOfDay } from '../clock.js';
import { scheduleEffect } from '../store/effects.js';

/** Formats an invoice number of the gapless series: INV-000001. */
export function invoiceNumber(n: number): string {
  return `INV-${String(n).padStart(6, '0')}`;
}

/** Credit notes have their own gapless series: CN-000001. */
export function creditNoteNumber(n: number): string {
  return `CN-${String(n).padStart(6, '0')}`;
}

/** What a document to issue is made of (an invoice, a credit note or a quotation). */
export interface InvoiceInput {
  account: AccountRecord;
  contractId: string | null;
  orderId: string | null;
  lines: InvoiceLine[];
  paymentMethod: PaymentMethod;
  issuedOn: PlainDate;
  period: { start: string; end: string } | null;
  /** A credit note (refund) instead of an invoice; its tax is given, computed from the tax-included refund. */
  creditNote?: TaxComputation;
  /** A quotation (B9) instead of an invoice: numbered in its own series, nothing is due. */
  quotation?: boolean;
  /** The invoice this document corrects (a credit note reversing it, or the invoice replacing it). */
  corrects?: string;
}

export function documentKind(i: Pick<InvoiceInput, 'creditNote' | 'quotation'>): InvoiceRecord['kind'] {
  return i.creditNote ? 'credit-note' : i.quotation ? 'quotation' : 'invoice';
}

/** The counter series a kind of document is numbered in. */
export function seriesOf(kind: InvoiceRecord['kind']): 'invoice' | 'quote' | 'credit-note' {
  return kind === 'quotation' ? 'quote' : kind;
}

/** A document's number in its series: INV-000001, CN-000001, QT-000001. */
export function documentNumber(kind: InvoiceRecord['kind'], n: number): string {
  return kind === 'credit-note' ? creditNoteNumber(n) : kind === 'quotation' ? `QT-${String(n).padStart(6, '0')}` : invoiceNumber(n);
}

/**
 * The document as issued, given its number (pure): tax once per rate on the per-rate total (G2),
 * due date by payment method in business days (B8).
 */
export function buildInvoice(ctx: AppContext, i: InvoiceInput, n: number, dueOn?: PlainDate): InvoiceRecord {
  const tax = i.creditNote ?? computeTax(i.lines.map((l) => ({ amount: l.amount, rate: { percent: l.taxRate } })));
  const kind = documentKind(i);
  return {
    id: newId(kind === 'credit-note' ? 'crn' : kind === 'quotation' ? 'qt' : 'inv'),
    kind,
    contractId: i.contractId,
    accountId: i.account.id,
    number: documentNumber(kind, n),
    orderId: i.orderId,
    issuedOn: i.issuedOn.toString(),
    // A refund is due to the customer when issued; an invoice by payment method (B8).
    dueOn: (i.creditNote ? i.issuedOn : (dueOn ?? dueDate(i.issuedOn, i.paymentMethod, ctx.settings.businessCalendar))).toString(),
    // Only an invoice is owed; a quotation and a credit note are documents issued (a refund is
    // paid out outside Keiyaku, docs/payments.md).
    status: kind === 'invoice' ? 'open' : 'issued',
    paymentMethod: i.paymentMethod,
    customerName: i.account.name,
    issuerName: ctx.settings.issuerName,
    registrationNumber: ctx.settings.registrationNumber,
    bankAccount: kind === 'credit-note' ? null : ctx.settings.bankAccount,
    lines: i.lines,
    amount: { subtotal: tax.subtotal, tax: tax.tax, total: tax.total },
    taxBreakdown: tax.breakdown,
    period: i.period,
    createdAt: nowIso(ctx),
    settled: 0,
    corrects: i.corrects ?? null,
  };
}

/** SPEC §6: an unpaid invoice becomes overdue at 00:00 on the day after its due date, once. */
export function overdueAt(ctx: AppContext, dueOn: string): string {
  return startOfDay(Temporal.PlainDate.from(dueOn).add({ days: 1 }), ctx.settings.timeZone).toString();
}

/**
 * Issues an invoice in the caller's transaction: number from the gapless series, tax once per
 * rate on the per-rate total (G2), due date by payment method in business days (B8), status open.
 */
export async function issueInvoice(ctx: AppContext, trx: Transaction<Database>, actor: Actor, i: InvoiceInput): Promise<InvoiceRecord> {
  const kind = documentKind(i);
  const invoice = buildInvoice(ctx, i, await nextDocumentNumber(trx, seriesOf(kind)));
  await insertInvoice(trx, invoice);
  if (kind === 'invoice') {
    await scheduleEffect(trx, { accountId: invoice.accountId, kind: 'invoice-overdue', dueAt: overdueAt(ctx, invoice.dueOn), payload: { invoiceId: invoice.id }, createdAt: invoice.createdAt });
  }
  await audit(ctx, trx, actor, { accountId: i.account.id, action: `${kind}.issued`, subjectType: 'invoice', subjectId: invoice.id, after: invoiceView(invoice) });
  return invoice;
}

/** The API's invoice (API.md `GET /v1/invoices/{id}`). */
export function invoiceView(i: InvoiceRecord) {
  return {
    id: i.id,
    kind: i.kind,
    contractId: i.contractId,
    accountId: i.accountId,
    number: i.number,
    orderId: i.orderId,
    issuedOn: i.issuedOn,
    dueOn: i.dueOn,
    status: i.status,
    paymentMethod: i.paymentMethod,
    customerName: i.customerName,
    issuerName: i.issuerName,
    registrationNumber: i.registrationNumber,
    period: i.period,
    lines: i.lines,
    amount: { ...i.amount, currency: 'JPY' as const },
    taxBreakdown: i.taxBreakdown,
    /** Received plus bank fees accepted; the balance is what is still owed (invoices only). */
    corrects: i.corrects,
    paidAmount: i.kind === 'invoice' ? i.settled : 0,
    balance: i.kind === 'invoice' ? Math.max(0, i.amount.total - i.settled) : 0,
  };
}
export type InvoiceView = ReturnType<typeof invoiceView>;

export async function getInvoice(ctx: AppContext, id: string, accountId?: string): Promise<InvoiceView | Refusal> {
  const i = await findInvoice(ctx.db, id, accountId);
  return i ? invoiceView(i) : refuse('invoice_not_found', { id });
}

/** A quotation (B9), by id. */
export async function getQuote(ctx: AppContext, id: string, accountId?: string): Promise<InvoiceView | Refusal> {
  const q = await findInvoice(ctx.db, id, accountId, ['quotation']);
  return q ? invoiceView(q) : refuse('quote_not_found', { id });
}

export async function listInvoices(ctx: AppContext, accountId: string): Promise<InvoiceView[]> {
  return (await listInvoiceRows(ctx.db, accountId)).map(invoiceView);
}
