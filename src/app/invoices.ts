/** Issuing invoices as records (SPEC §6, G2, B8) and reading them. */
import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import type { InvoiceFilter, InvoiceLine, InvoiceRecord } from '../store/invoices.js';
import type { Stringifier } from 'csv-stringify';
import { stringify } from 'csv-stringify';
import { once } from 'node:events';
import { findInvoice, invoicesToExport, listInvoices as listInvoiceRows, searchInvoices } from '../store/invoices.js';
import type { NumberedDocument, NumberedRows, Rows } from '../store/row-writes.js';
import { commitWithNumberedDocument, toRow, writeNumberedDocument } from '../store/row-writes.js';
import type { AccountRecord } from '../store/accounts.js';
import type { PaymentMethod, PlainDate } from '../domain/calendar.js';
import { dueDate } from '../domain/calendar.js';
import { dueDateOf } from '../domain/orders/due-dates.js';
import type { TaxComputation } from '../domain/money.js';
import { computeTax } from '../domain/money.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { actorName, newId, nowIso } from './context.js';
import { announceChange } from './state-cache.js';
import { Temporal } from 'temporal-polyfill';
import { startOfDayIso } from '../clock.js';

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
  return startOfDayIso(Temporal.PlainDate.from(dueOn).add({ days: 1 }), ctx.settings.timeZone);
}

/** A document planned for issue: everything but its number, which the last statement takes. */
export interface PlannedDocument {
  /** The record; `number` is set by `writeDocument`. */
  invoice: InvoiceRecord;
  doc: NumberedDocument;
  /** Rows that show the number (the `<kind>.issued` event; a caller adds its notice, its events after). */
  numbered: { events: NonNullable<NumberedRows['events']>; notices: NonNullable<NumberedRows['notices']> };
  /** Rows written with it that do not show the number (the overdue effect). */
  rows: { effects: NonNullable<Rows['effects']>; events: NonNullable<Rows['events']> };
}

/** Stands for a document number in a notice's text until the statement that takes it. */
export const DOCUMENT_NUMBER_PLACEHOLDER = `{{document-number:${newId('n')}}}`;

/**
 * Plans a document (pure): the record as `buildInvoice` makes it, its overdue effect (invoices)
 * and its audit event (G5), each showing the number once it is taken.
 */
export function planDocument(ctx: AppContext, actor: Actor, i: InvoiceInput): PlannedDocument {
  const kind = documentKind(i);
  const invoice = buildInvoice(ctx, i, 0, dueDateOf(i.issuedOn, i.paymentMethod, ctx.settings.businessCalendar));
  const zero = documentNumber(kind, 0);
  const prefix = zero.replace(/0+$/, '');
  const effects = kind === 'invoice' ? [toRow.effect({ accountId: invoice.accountId, kind: 'invoice-overdue', dueAt: overdueAt(ctx, invoice.dueOn), payload: { invoiceId: invoice.id }, createdAt: invoice.createdAt })] : [];
  const issued = toRow.event({ accountId: i.account.id, at: nowIso(ctx), actor: actorName(actor), action: `${kind}.issued`, subjectType: 'invoice', subjectId: invoice.id, before: null, after: invoiceIssued(invoice) });
  return {
    invoice,
    doc: { series: seriesOf(kind), prefix, width: zero.length - prefix.length, invoice: toRow.invoice(invoice), placeholder: DOCUMENT_NUMBER_PLACEHOLDER },
    numbered: { events: [{ ...issued, number_key: 'number' }], notices: [] },
    rows: { effects, events: [] },
  };
}

/**
 * Writes a planned document with the rows that show its number, taking the number from the
 * gapless series in the same call (SPEC §6): call it last, the counter row stays locked until
 * the transaction ends. The caller has announced the account's change (`announceChange`).
 */
export async function writeDocument(trx: Transaction<Database>, planned: PlannedDocument, rows: Rows = {}): Promise<{ number: string; notices: number }> {
  const written = await writeNumberedDocument(trx, planned.doc, planned.numbered, {
    ...rows,
    effects: [...planned.rows.effects, ...(rows.effects ?? [])],
    events: [...planned.rows.events, ...(rows.events ?? [])],
  });
  planned.invoice.number = written.number;
  return written;
}

/**
 * The end of the transaction: `rows`, then the planned document with the rows that show its
 * number and `also`, the notifications, and the COMMIT, in one message
 * (`commitWithNumberedDocument`). The record's `number` is not read back: nothing is written after.
 */
export async function commitWithDocument(
  trx: Transaction<Database>,
  planned: PlannedDocument,
  end: { rows: Rows; also: ReadonlyArray<RawBuilder<unknown>>; notify: ReadonlyArray<readonly [channel: string, payload: string]> },
): Promise<void> {
  const rows = { ...end.rows, effects: [...(end.rows.effects ?? []), ...planned.rows.effects], events: [...(end.rows.events ?? []), ...planned.rows.events] };
  await commitWithNumberedDocument(trx, { rows, doc: planned.doc, numbered: planned.numbered, also: end.also, notify: end.notify });
}

/**
 * Issues an invoice in the caller's transaction: number from the gapless series, tax once per
 * rate on the per-rate total (G2), due date by payment method in business days (B8), status open.
 * Two statements: the state-cache announcement and one that takes the number and writes the
 * document, its overdue effect and its audit event.
 */
export async function issueInvoice(ctx: AppContext, trx: Transaction<Database>, actor: Actor, i: InvoiceInput): Promise<InvoiceRecord> {
  const planned = planDocument(ctx, actor, i);
  await announceChange(trx, i.account.id);
  await writeDocument(trx, planned);
  return planned.invoice;
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
    balance: i.kind === 'invoice' && i.status !== 'void' ? Math.max(0, i.amount.total - i.settled) : 0,
  };
}
export type InvoiceView = ReturnType<typeof invoiceView>;

/**
 * What the `<kind>.issued` audit event keeps of a document (G5): which document, its number, what
 * is owed and when. The document itself is kept as issued and never changed (its lines, tax and
 * parties are read from it, SPEC §6); its status and payments change through audited events of
 * their own. docs/decisions.md, "What an audit event keeps".
 */
export function invoiceIssued(i: InvoiceRecord) {
  return {
    id: i.id,
    kind: i.kind,
    number: i.number,
    orderId: i.orderId,
    contractId: i.contractId,
    issuedOn: i.issuedOn,
    dueOn: i.dueOn,
    status: i.status,
    paymentMethod: i.paymentMethod,
    amount: { ...i.amount, currency: 'JPY' as const },
  };
}

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

/** The operator's invoices across accounts (GET /v1/invoices): each with its account's name and email, and the sums of all that match. */
export async function findInvoices(ctx: AppContext, filter: InvoiceFilter) {
  const found = await searchInvoices(ctx.db, filter);
  return {
    invoices: found.invoices.map((i) => ({ ...invoiceView(i), accountName: i.accountName, accountEmail: i.accountEmail })),
    totals: { ...found.totals, currency: 'JPY' as const },
  };
}

type Exported = Omit<InvoiceRecord, 'lines'> & { accountName: string; accountEmail: string };

/** The CSV's columns: a heading in each language and the value of a document. */
const CSV_COLUMNS: ReadonlyArray<{ ja: string; en: string; value: (i: Exported, lang: 'ja' | 'en') => string | number }> = [
  { ja: '番号', en: 'Number', value: (i) => i.number },
  { ja: '種類', en: 'Kind', value: (i, l) => CSV_WORDS[i.kind]?.[l] ?? i.kind },
  { ja: '発行日', en: 'Issued on', value: (i) => i.issuedOn },
  { ja: '支払期限', en: 'Due on', value: (i) => (i.kind === 'invoice' ? i.dueOn : '') },
  { ja: '状態', en: 'Status', value: (i, l) => { const s = i.kind === 'credit-note' && i.status === 'open' ? 'issued' : i.status; return CSV_WORDS[s]?.[l] ?? s; } },
  { ja: 'お支払い方法', en: 'Payment method', value: (i, l) => CSV_WORDS[i.paymentMethod]?.[l] ?? i.paymentMethod },
  { ja: 'アカウントID', en: 'Account id', value: (i) => i.accountId },
  { ja: 'アカウント名', en: 'Account name', value: (i) => i.accountName },
  { ja: 'メールアドレス', en: 'Email', value: (i) => i.accountEmail },
  { ja: '宛名', en: 'Addressed to', value: (i) => i.customerName },
  { ja: '対象期間（開始）', en: 'Period start', value: (i) => i.period?.start ?? '' },
  { ja: '対象期間（終了）', en: 'Period end', value: (i) => i.period?.end ?? '' },
  { ja: '小計（税抜）', en: 'Subtotal (excl. tax)', value: (i) => i.amount.subtotal },
  { ja: '消費税', en: 'Consumption tax', value: (i) => i.amount.tax },
  { ja: '合計（税込）', en: 'Total (tax incl.)', value: (i) => i.amount.total },
  ...[10, 8].flatMap((rate) => [
    { ja: `${rate}%対象（税抜）`, en: `Taxable at ${rate}%`, value: (i: Exported) => i.taxBreakdown.find((b) => b.rate === rate)?.taxable ?? 0 },
    { ja: `${rate}%消費税`, en: `Tax at ${rate}%`, value: (i: Exported) => i.taxBreakdown.find((b) => b.rate === rate)?.tax ?? 0 },
  ]),
  { ja: '入金済額', en: 'Paid', value: (i) => (i.kind === 'invoice' ? i.settled : 0) },
  { ja: '未払残高', en: 'Balance', value: (i) => (i.kind === 'invoice' && (i.status === 'open' || i.status === 'overdue') ? Math.max(0, i.amount.total - i.settled) : 0) },
  { ja: '訂正元', en: 'Corrects', value: (i) => i.corrects ?? '' },
];
const CSV_WORDS: Record<string, { ja: string; en: string }> = {
  invoice: { ja: '請求書', en: 'Invoice' },
  'credit-note': { ja: '返還請求書', en: 'Credit note' },
  open: { ja: '未払い', en: 'Open' },
  overdue: { ja: '支払期限超過', en: 'Overdue' },
  paid: { ja: '支払済', en: 'Paid' },
  void: { ja: '無効', en: 'Void' },
  issued: { ja: '発行済', en: 'Issued' },
  'bank-transfer': { ja: '銀行振込', en: 'Bank transfer' },
  card: { ja: 'クレジットカード', en: 'Card' },
  paypal: { ja: 'PayPal', en: 'PayPal' },
};

/**
 * The documents as CSV for the vendor's accounting (docs/payments.md): a heading row, then a row
 * a document as its pages arrive. UTF-8 with a byte order mark and CRLF (what Excel in Japan opens
 * as UTF-8); a value starting with = + - @ is escaped (csv-stringify's escape_formulas), so a
 * customer's name cannot become a formula. A failure part-way ends the stream with the error.
 */
export function invoicesCsv(ctx: AppContext, filter: Omit<InvoiceFilter, 'sort' | 'limit'>, lang: 'ja' | 'en'): Stringifier {
  const pages = invoicesToExport(ctx.db, filter);
  const csv = stringify({ bom: true, record_delimiter: 'windows', escape_formulas: true });
  csv.write(CSV_COLUMNS.map((c) => c[lang]));
  void (async () => {
    try {
      for await (const page of pages) {
        for (const i of page) if (!csv.write(CSV_COLUMNS.map((c) => c.value(i, lang)))) await once(csv, 'drain');
      }
      csv.end();
    } catch (err) {
      csv.destroy(err as Error);
    }
  })();
  return csv;
}
