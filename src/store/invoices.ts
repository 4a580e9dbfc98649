/** Invoices as issued: never edited once written (DESIGN 8); numbers from a gapless series. */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, InvoicesTable } from './tables.js';
import type { Db } from './db.js';
import type { PaymentMethod } from '../domain/calendar.js';

export interface InvoiceLine {
  description: string;
  /** The item in Japanese (documents issued before it was kept have none). */
  descriptionJa?: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxRate: number;
}

export interface InvoiceRecord {
  id: string;
  /** `invoice`, `credit-note` (適格返還請求書: a refund, amounts positive) or `quotation` (見積書, B9). */
  kind: 'invoice' | 'credit-note' | 'quotation';
  contractId: string | null;
  accountId: string;
  number: string;
  orderId: string | null;
  issuedOn: string;
  dueOn: string;
  status: 'open' | 'paid' | 'overdue' | 'void' | 'issued';
  paymentMethod: PaymentMethod;
  customerName: string;
  issuerName: string;
  registrationNumber: string;
  /** The vendor's account for transfers, as at issue (null on documents issued before it was kept). */
  bankAccount: string | null;
  lines: InvoiceLine[];
  amount: { subtotal: number; tax: number; total: number };
  taxBreakdown: Array<{ rate: number; taxable: number; tax: number }>;
  period: { start: string; end: string } | null;
  createdAt: string;
  /** Yen received plus bank fees accepted (payments); 0 for a document just issued. */
  settled: number;
  /** The invoice this credit note reverses or this invoice replaces (a correction), if any. */
  corrects: string | null;
}

type Row = Selectable<InvoicesTable> & { settled: string | number | null };

/** What the invoice's payments settle: received amounts plus accepted bank fees. */
const settledSql = sql<string>`(select coalesce(sum(p.amount + p.bank_fee), 0) from payments p where p.account_id = invoices.account_id and p.invoice_id = invoices.id)`;

function toInvoice(r: Row): InvoiceRecord {
  return {
    id: r.id,
    kind: r.kind as InvoiceRecord['kind'],
    contractId: r.contract_id,
    accountId: r.account_id,
    number: r.number,
    orderId: r.order_id,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    status: r.status as InvoiceRecord['status'],
    paymentMethod: r.payment_method as PaymentMethod,
    customerName: r.customer_name,
    issuerName: r.issuer_name,
    registrationNumber: r.registration_number,
    bankAccount: r.bank_account,
    lines: r.lines as InvoiceLine[],
    amount: { subtotal: Number(r.subtotal), tax: Number(r.tax), total: Number(r.total) },
    taxBreakdown: r.tax_breakdown as InvoiceRecord['taxBreakdown'],
    period: r.period_start && r.period_end ? { start: r.period_start, end: r.period_end } : null,
    createdAt: r.created_at.toISOString(),
    settled: Number(r.settled ?? 0),
    corrects: r.corrects,
  };
}

export async function findInvoice(db: Db, id: string, accountId?: string, kinds: ReadonlyArray<InvoiceRecord['kind']> = ['invoice', 'credit-note']): Promise<InvoiceRecord | undefined> {
  let q = db.selectFrom('invoices').selectAll().select(settledSql.as('settled')).where('id', '=', id).where('kind', 'in', kinds);
  if (accountId) q = q.where('account_id', '=', accountId);
  const row = await q.executeTakeFirst();
  return row ? toInvoice(row) : undefined;
}

/** An account's invoices, newest first (API.md). */
/** Tax-included totals invoiced and refunded for a contract. */
/**
 * What the customer paid for a contract's invoices (payments, with the bank fees the vendor bore)
 * and what its cancellations refunded (credit notes that correct no invoice: a correction's
 * credit note voids an unpaid invoice and gave nothing back).
 */
export async function contractTotals(trx: Transaction<Database>, accountId: string, contractId: string): Promise<{ paid: number; refunded: number }> {
  const paid = await trx
    .selectFrom('payments as p')
    .innerJoin('invoices as i', (j) => j.onRef('i.account_id', '=', 'p.account_id').onRef('i.id', '=', 'p.invoice_id'))
    .select(sql<string>`coalesce(sum(p.amount + p.bank_fee), 0)`.as('total'))
    .where('p.account_id', '=', accountId)
    .where('i.contract_id', '=', contractId)
    .where('i.kind', '=', 'invoice')
    .executeTakeFirstOrThrow();
  const refunded = await trx
    .selectFrom('invoices')
    .select(sql<string>`coalesce(sum(total), 0)`.as('total'))
    .where('account_id', '=', accountId)
    .where('contract_id', '=', contractId)
    .where('kind', '=', 'credit-note')
    .where('corrects', 'is', null)
    .executeTakeFirstOrThrow();
  return { paid: Number(paid.total), refunded: Number(refunded.total) };
}

export async function listInvoices(db: Db, accountId: string): Promise<InvoiceRecord[]> {
  const rows = await db
    .selectFrom('invoices')
    .selectAll()
    .select(settledSql.as('settled'))
    .where('account_id', '=', accountId)
    .where('kind', '!=', 'quotation')
    .orderBy('created_at', 'desc')
    .orderBy('number', 'desc')
    .execute();
  return rows.map(toInvoice);
}

/** What the operator's list of invoices across accounts filters on (GET /v1/invoices). */
export interface InvoiceFilter {
  status?: ReadonlyArray<'open' | 'overdue' | 'paid' | 'void'> | undefined;
  kind?: 'invoice' | 'credit-note' | undefined;
  paymentMethod?: PaymentMethod | undefined;
  /** Issued on or after / on or before (inclusive business dates). */
  issuedFrom?: string | undefined;
  issuedTo?: string | undefined;
  /** Due on or before. */
  dueTo?: string | undefined;
  /** Free text: an amount in yen (the total or what is still owed), or part of the number, the customer's name or email, an account or order id. */
  q?: string | undefined;
  sort: 'dueOn' | '-issuedOn';
  limit: number;
}

export interface InvoiceSearch {
  invoices: Array<InvoiceRecord & { accountName: string; accountEmail: string }>;
  /** Over every invoice the filter matches, not only the ones listed. */
  totals: { count: number; invoiced: number; credited: number; balance: number };
}

/** `%` and `_` typed by the operator are matched as themselves. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** What is still owed: only an open or overdue invoice owes anything (a paid one is settled, a void one cancelled), so only theirs read the payments. */
const owedSql = sql<string>`(case when invoices.kind = 'invoice' and invoices.status in ('open', 'overdue') then greatest(invoices.total - ${settledSql}, 0) else 0 end)`;

/** Invoices and credit notes (with their account) that the filter matches: the list's, its sums' and the export's query. */
function matching(db: Db, f: Omit<InvoiceFilter, 'sort' | 'limit'>) {
  let q = db
    .selectFrom('invoices')
    .innerJoin('accounts', 'accounts.account_id', 'invoices.account_id')
    .where('invoices.kind', '!=', 'quotation');
  if (f.status?.length) q = q.where('invoices.status', 'in', [...f.status]);
  if (f.kind) q = q.where('invoices.kind', '=', f.kind);
  if (f.paymentMethod) q = q.where('invoices.payment_method', '=', f.paymentMethod);
  if (f.issuedFrom) q = q.where('invoices.issued_on', '>=', f.issuedFrom);
  if (f.issuedTo) q = q.where('invoices.issued_on', '<=', f.issuedTo);
  if (f.dueTo) q = q.where('invoices.due_on', '<=', f.dueTo);
  const text = f.q?.trim();
  if (text) {
    const yen = /^[¥￥]?\s*[\d,]+\s*(円)?$/.test(text) ? Number(text.replace(/[^\d]/g, '')) : null;
    if (yen !== null && Number.isSafeInteger(yen)) {
      q = q.where(sql<boolean>`(invoices.total = ${yen} or ${owedSql} = ${yen})`);
    } else {
      const like = likePattern(text);
      q = q.where((eb) =>
        eb.or([
          eb('invoices.number', 'ilike', like),
          eb('invoices.customer_name', 'ilike', like),
          eb('accounts.name', 'ilike', like),
          eb('accounts.email', 'ilike', like),
          eb('invoices.account_id', '=', text),
          eb('invoices.order_id', '=', text),
        ]),
      );
    }
  }
  return q;
}

/**
 * Invoices and credit notes across accounts (no quotations), for the operator: unpaid ones to
 * reconcile a bank transfer or chase, or a month's documents with their sums. No index serves the
 * filters beyond the account's (a list read now and then, not on a hot path: docs/decisions.md).
 */
export async function searchInvoices(db: Db, f: InvoiceFilter): Promise<InvoiceSearch> {
  const q = matching(db, f);
  const [rows, sums] = await Promise.all([
    q
      .selectAll('invoices')
      .select([settledSql.as('settled'), 'accounts.name as account_name', 'accounts.email as account_email'])
      .orderBy(f.sort === 'dueOn' ? 'invoices.due_on' : 'invoices.issued_on', f.sort === 'dueOn' ? 'asc' : 'desc')
      .orderBy('invoices.number', f.sort === 'dueOn' ? 'asc' : 'desc')
      .limit(f.limit)
      .execute(),
    q
      .select([
        sql<string>`count(*)`.as('count'),
        sql<string>`coalesce(sum(case when invoices.kind = 'invoice' and invoices.status <> 'void' then invoices.total else 0 end), 0)`.as('invoiced'),
        sql<string>`coalesce(sum(case when invoices.kind = 'credit-note' then invoices.total else 0 end), 0)`.as('credited'),
        sql<string>`coalesce(sum(${owedSql}), 0)`.as('balance'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    invoices: rows.map((r) => ({ ...toInvoice(r), accountName: r.account_name, accountEmail: r.account_email })),
    totals: { count: Number(sums.count), invoiced: Number(sums.invoiced), credited: Number(sums.credited), balance: Number(sums.balance) },
  };
}

/** An invoice's columns but its lines (the export has one row a document, and lines are most of a row). */
const EXPORTED_COLUMNS = [
  'invoices.account_id', 'invoices.id', 'invoices.number', 'invoices.order_id', 'invoices.issued_on', 'invoices.due_on', 'invoices.status', 'invoices.payment_method',
  'invoices.customer_name', 'invoices.issuer_name', 'invoices.registration_number', 'invoices.subtotal', 'invoices.tax', 'invoices.total', 'invoices.tax_breakdown',
  'invoices.period_start', 'invoices.period_end', 'invoices.created_at', 'invoices.kind', 'invoices.contract_id', 'invoices.bank_account', 'invoices.corrects',
] as const;

/**
 * Every invoice and credit note the filter matches, oldest issued first, a page at a time (keyset
 * on the issue date and number): for the CSV export, however many there are, without holding them
 * all. Lines are not read (the export has one row a document).
 */
export async function* invoicesToExport(db: Db, f: Omit<InvoiceFilter, 'sort' | 'limit'>, page = 2000): AsyncGenerator<Array<Omit<InvoiceRecord, 'lines'> & { accountName: string; accountEmail: string }>> {
  let after: { issuedOn: string; number: string } | null = null;
  for (;;) {
    let q = matching(db, f);
    if (after) q = q.where(sql<boolean>`(invoices.issued_on, invoices.number) > (${after.issuedOn}::date, ${after.number})`);
    const rows = await q
      .select(EXPORTED_COLUMNS)
      .select([settledSql.as('settled'), 'accounts.name as account_name', 'accounts.email as account_email'])
      .orderBy('invoices.issued_on', 'asc')
      .orderBy('invoices.number', 'asc')
      .limit(page)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({ ...toInvoice({ ...r, lines: [] }), accountName: r.account_name, accountEmail: r.account_email }));
    const last = rows[rows.length - 1]!;
    after = { issuedOn: last.issued_on, number: last.number };
    if (rows.length < page) return;
  }
}

/**
 * Invoices locked for a payment (FOR UPDATE, in id order so two payments never deadlock), with
 * what their payments settle so far. Account rows are locked first by the caller.
 */
export async function lockInvoices(trx: Transaction<Database>, ids: readonly string[]): Promise<InvoiceRecord[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom('invoices')
    .selectAll()
    .select(settledSql.as('settled'))
    .where('id', 'in', [...ids])
    .orderBy('account_id')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toInvoice);
}

/** The accounts owning these invoices (no lock): to lock the account first. */
export async function accountsOfInvoices(db: Db | Transaction<Database>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('invoices').select('account_id').distinct().where('id', 'in', [...ids]).execute();
  return rows.map((r) => r.account_id).sort();
}

/** An invoice's status moves open → paid or overdue (and overdue → paid); nothing else changes. */
export async function setInvoiceStatus(trx: Transaction<Database>, accountId: string, id: string, status: 'paid' | 'overdue' | 'void'): Promise<void> {
  await trx.updateTable('invoices').set({ status }).where('account_id', '=', accountId).where('id', '=', id).execute();
}

/**
 * Takes `count` consecutive numbers of a series at once; returns the first. The counter row stays
 * locked until the transaction ends.
 */
export async function takeDocumentNumbers(trx: Transaction<Database>, series: 'invoice' | 'quote' | 'credit-note', count: number): Promise<number> {
  const row = await trx
    .updateTable('document_counters')
    .set({ last_value: sql`last_value + ${count}` })
    .where('series', '=', series)
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return Number(row.last_value) - count + 1;
}

/** Sets the status of many invoices (any accounts) in one statement. */
export async function setInvoiceStatuses(trx: Transaction<Database>, rows: ReadonlyArray<{ accountId: string; id: string; status: 'paid' | 'overdue' | 'void' }>): Promise<void> {
  if (rows.length === 0) return;
  await sql`update invoices set status = v.status
    from unnest(${rows.map((r) => r.accountId)}::text[], ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.status)}::text[]) as v(account_id, id, status)
    where invoices.account_id = v.account_id and invoices.id = v.id`.execute(trx);
}

/** Invoices locked by account and id (the primary key), with what their payments settle so far. */
export async function lockAccountInvoices(trx: Transaction<Database>, refs: ReadonlyArray<{ accountId: string; id: string }>): Promise<InvoiceRecord[]> {
  if (refs.length === 0) return [];
  const rows = await trx
    .selectFrom('invoices')
    .selectAll()
    .select(settledSql.as('settled'))
    .where(sql<boolean>`(account_id, id) in (select * from unnest(${refs.map((r) => r.accountId)}::text[], ${refs.map((r) => r.id)}::text[]))`)
    .orderBy('account_id')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toInvoice);
}
