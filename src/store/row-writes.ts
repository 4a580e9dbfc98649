/**
 * A use case's writes in one statement (issue 8: an order was 26 round trips). Each table's rows
 * go to the server as one JSON parameter and are inserted by a data-modifying CTE
 * (`insert … select … from jsonb_to_recordset($n)`), so a statement's text depends only on which
 * tables it writes, not on how many rows.
 *
 * `writeNumberedDocument` is the statement that takes a document's number from its gapless series
 * (SPEC §6): the counter update, the document and every row that shows its number (its audit
 * event, the notice naming it) in one statement. Called last before COMMIT, the counter row is
 * locked for that one statement and the commit only, instead of for the rest of the transaction.
 */
import type { RawBuilder, Transaction } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.js';
import type { ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import type { AuditEvent } from './events.js';
import type { InvoiceRecord } from './invoices.js';
import type { NewNotice } from './notices.js';
import type { OrderRecord } from './orders.js';

type Column = readonly [name: string, type: string];

const COLUMNS = {
  orders: [
    ['account_id', 'text'], ['id', 'text'], ['type', 'text'], ['status', 'text'], ['request', 'jsonb'], ['quote', 'jsonb'], ['subtotal', 'bigint'], ['tax', 'bigint'],
    ['total', 'bigint'], ['period_start', 'date'], ['period_end', 'date'], ['payment_method', 'text'], ['invoice_id', 'text'], ['due_on', 'date'], ['actor', 'text'],
    ['placed_at', 'timestamptz'], ['completed_at', 'timestamptz'],
  ],
  contracts: [['account_id', 'text'], ['id', 'text'], ['product_id', 'text'], ['renewal', 'text'], ['cancelled_from', 'date'], ['cancellation', 'jsonb'], ['created_at', 'timestamptz']],
  contract_terms: [
    ['account_id', 'text'], ['id', 'text'], ['contract_id', 'text'], ['seq', 'integer'], ['plan_id', 'text'], ['plan_name', 'text'], ['rank', 'integer'], ['limits', 'jsonb'],
    ['features', 'jsonb'], ['license', 'jsonb'], ['licenses', 'integer'], ['monthly_unit_price', 'bigint'], ['term_price', 'bigint'], ['term', 'text'], ['start_date', 'date'],
    ['end_date', 'date'], ['payment_method', 'text'], ['order_id', 'text'], ['period_start', 'date'],
  ],
  seat_grants: [['account_id', 'text'], ['id', 'text'], ['contract_id', 'text'], ['kind', 'text'], ['seats', 'integer'], ['start_date', 'date'], ['end_date', 'date'], ['order_id', 'text']],
  effects: [['account_id', 'text'], ['kind', 'text'], ['due_at', 'timestamptz'], ['payload', 'jsonb'], ['created_at', 'timestamptz']],
  events: [['account_id', 'text'], ['at', 'timestamptz'], ['actor', 'text'], ['action', 'text'], ['subject_type', 'text'], ['subject_id', 'text'], ['before', 'jsonb'], ['after', 'jsonb']],
  notices: [
    ['account_id', 'text'], ['id', 'text'], ['kind', 'text'], ['lang', 'text'], ['to_email', 'text'], ['subject', 'text'], ['body', 'text'], ['params', 'jsonb'], ['dedupe_key', 'text'],
    ['sent_at', 'timestamptz'], ['attachment_document_id', 'text'], ['delivery_status', 'text'], ['next_attempt_at', 'timestamptz'],
  ],
  invoices: [
    ['account_id', 'text'], ['id', 'text'], ['order_id', 'text'], ['issued_on', 'date'], ['due_on', 'date'], ['status', 'text'], ['payment_method', 'text'], ['customer_name', 'text'],
    ['issuer_name', 'text'], ['registration_number', 'text'], ['bank_account', 'text'], ['corrects', 'text'], ['lines', 'jsonb'], ['subtotal', 'bigint'], ['tax', 'bigint'],
    ['total', 'bigint'], ['tax_breakdown', 'jsonb'], ['period_start', 'date'], ['period_end', 'date'], ['created_at', 'timestamptz'], ['kind', 'text'], ['contract_id', 'text'],
  ],
} as const satisfies Record<string, readonly Column[]>;

type Table = keyof typeof COLUMNS;
export type Row<T extends Table> = { [C in (typeof COLUMNS)[T][number][0]]: unknown };

/** Rows by table, written in one statement; events are appended in the order given (their `seq`). */
export interface Rows {
  orders?: Array<Row<'orders'>>;
  contracts?: Array<Row<'contracts'>>;
  contract_terms?: Array<Row<'contract_terms'>>;
  seat_grants?: Array<Row<'seat_grants'>>;
  effects?: Array<Row<'effects'>>;
  events?: Array<Row<'events'>>;
  /** Documents already numbered (the scheduler takes a batch's numbers in one counter update). */
  invoices?: Array<Row<'invoices'> & { number: string }>;
  /** A notice whose account already has its dedupe key is skipped (as `insertNotice`). */
  notices?: Array<Row<'notices'>>;
}

/** Where a document's number goes in the rows that show it. */
export interface NumberedRows {
  /** Events whose `after` gets the number at this key (e.g. `number` of the invoice's view). */
  events?: Array<Row<'events'> & { number_key: string | null }>;
  /** Notices whose subject and body show the number as `placeholder`, and whose params get it at this key. */
  notices?: Array<Row<'notices'> & { number_key: string | null }>;
}

export interface NumberedDocument {
  series: 'invoice' | 'quote' | 'credit-note';
  /** The number is `prefix` + the counter's value left-padded with zeros to `width` digits. */
  prefix: string;
  width: number;
  /** The document, all but its number. */
  invoice: Row<'invoices'>;
  /** Stands for the number in notice texts; replaced in the statement. */
  placeholder: string;
}

const ident = (name: string) => sql.raw(`"${name}"`);
const list = (cols: readonly Column[], f: (c: Column) => RawBuilder<unknown>) => sql.join(cols.map(f));

/** `x(col type, …)`: the record type of a JSON array of rows. */
function recordType(cols: readonly Column[]): RawBuilder<unknown> {
  return sql.join(cols.map(([name, type]) => sql`${ident(name)} ${sql.raw(type)}`));
}

/** `insert into table (cols) select x.cols from jsonb_to_recordset($json) x`, keeping the rows' order. */
function insertFromJson(
  table: Table,
  rows: readonly object[],
  opts: { extra?: readonly Column[]; insertExtra?: boolean; from?: RawBuilder<unknown>; values?: (c: Column) => RawBuilder<unknown>; tail?: RawBuilder<unknown> } = {},
): RawBuilder<unknown> {
  const all = [...COLUMNS[table], ...(opts.extra ?? [])];
  const cols: readonly Column[] = opts.insertExtra ? all : COLUMNS[table];
  const value = opts.values ?? (([name]: Column) => sql`x.${ident(name)}`);
  return sql`insert into ${ident(table)} (${list(cols, ([name]) => ident(name))})
    select ${list(cols, value)} from ${opts.from ?? sql``} rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as (${recordType(all)})) with ordinality as x(${list(all, ([name]) => ident(name))}, ord)
    order by x.ord ${opts.tail ?? sql``}`;
}

function ctes(rows: Rows): Array<RawBuilder<unknown>> {
  const out: Array<RawBuilder<unknown>> = [];
  // Parents before children (contracts before their terms and grants): all are checked at the
  // end of the statement, so the order only keeps the statement readable.
  for (const table of ['orders', 'contracts', 'contract_terms', 'seat_grants', 'effects', 'events'] as const) {
    const r = rows[table];
    if (r && r.length > 0) out.push(sql`${sql.raw(`w_${table}`)} as (${insertFromJson(table, r)} returning 1)`);
  }
  if (rows.invoices && rows.invoices.length > 0) out.push(sql`w_invoices as (${insertFromJson('invoices', rows.invoices, { extra: [['number', 'text']], insertExtra: true })} returning 1)`);
  if (rows.notices && rows.notices.length > 0) {
    out.push(sql`w_notices as (${insertFromJson('notices', rows.notices, { tail: sql`on conflict (account_id, dedupe_key) do nothing` })} returning 1)`);
  }
  return out;
}

/** Writes the rows in one statement. Returns how many notices were written (those not deduplicated). */
export async function writeRows(trx: Transaction<Database>, rows: Rows): Promise<{ notices: number }> {
  const statement = rowsStatement(rows);
  if (!statement) return { notices: 0 };
  const result = await statement.execute(trx);
  return { notices: Number(result.rows[0]?.notices ?? 0) };
}

function rowsStatement(rows: Rows): RawBuilder<{ notices: string | number }> | undefined {
  const parts = ctes(rows);
  if (parts.length === 0) return undefined;
  const noticesWritten = rows.notices && rows.notices.length > 0 ? sql`(select count(*) from w_notices)` : sql`0`;
  return sql<{ notices: string | number }>`with ${sql.join(parts)} select ${noticesWritten} as notices`;
}

/**
 * Takes the document's number and writes the document, the rows that show its number and any
 * other rows, in one statement (SPEC §6: the counter row stays locked until the transaction
 * ends, so call it last). Returns the number and how many notices were written.
 */
export async function writeNumberedDocument(trx: Transaction<Database>, doc: NumberedDocument, numbered: NumberedRows, rows: Rows = {}): Promise<{ number: string; notices: number }> {
  const result = await numberedStatement(doc, numbered, rows, []).execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error(`no document counter for the series ${doc.series}`);
  return { number: row.number, notices: Number(row.notices) };
}

/**
 * The end of a transaction in one message: `rows` (one statement), then the statement of
 * `writeNumberedDocument` with `also` (further data-modifying statements, e.g. storing the
 * idempotency result) in it, the notifications, and COMMIT. The server runs them one after the
 * other without waiting for this process, so the counter row is locked only while it runs the
 * last statement and the commit, however busy this process's event loop is (it may take
 * milliseconds to read an answer and send the next statement).
 *
 * A message of several statements cannot carry bind parameters: the values are sent as literals
 * (`escapeLiteral`). A new, empty transaction is opened after the COMMIT for the caller's own
 * COMMIT to close: nothing may be written in it. The notifications are sent as `pg_notify` in the
 * message, not through `notify()`: this process's listeners are not told of them (the caller
 * tells its own cache once this returns).
 */
export async function commitWithNumberedDocument(
  trx: Transaction<Database>,
  end: { rows: Rows; doc: NumberedDocument; numbered: NumberedRows; also: ReadonlyArray<RawBuilder<unknown>>; notify: ReadonlyArray<readonly [channel: string, payload: string]> },
): Promise<void> {
  const statements: Array<RawBuilder<unknown>> = [];
  const rows = rowsStatement(end.rows);
  if (rows) statements.push(rows);
  statements.push(numberedStatement(end.doc, end.numbered, {}, end.also));
  for (const [channel, payload] of end.notify) statements.push(sql`select pg_notify(${channel}, ${payload})`);
  const text = statements.map((statement) => {
    const compiled = statement.compile(trx);
    return compiled.sql.replace(/\$(\d+)/g, (_, n: string) => literal(compiled.parameters[Number(n) - 1]));
  });
  await trx.executeQuery(CompiledQuery.raw(`${text.join(';\n')};\ncommit;\nbegin`, []));
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return pg.escapeLiteral(v);
  throw new Error(`no literal for a ${typeof v}`);
}

function numberedStatement(doc: NumberedDocument, numbered: NumberedRows, rows: Rows, also: ReadonlyArray<RawBuilder<unknown>>): RawBuilder<{ number: string; notices: string | number }> {
  const parts: Array<RawBuilder<unknown>> = [
    sql`n as (update document_counters set last_value = last_value + 1 where series = ${doc.series}
      returning ${doc.prefix}::text || lpad(last_value::text, greatest(${doc.width}::int, length(last_value::text)), '0') as number)`,
    sql`w_invoice as (insert into invoices (${list(COLUMNS.invoices, ([name]) => ident(name))}, number)
      select ${list(COLUMNS.invoices, ([name]) => sql`x.${ident(name)}`)}, n.number from n, jsonb_to_recordset(${JSON.stringify([doc.invoice])}::jsonb) as x(${recordType(COLUMNS.invoices)}) returning 1)`,
  ];
  const withNumber = (column: string) => sql`case when x.number_key is null then x.${ident(column)} else jsonb_set(x.${ident(column)}, array[x.number_key], to_jsonb(n.number)) end`;
  const key: Column = ['number_key', 'text'];
  if (numbered.events && numbered.events.length > 0) {
    const values = (c: Column) => (c[0] === 'after' ? withNumber('after') : sql`x.${ident(c[0])}`);
    parts.push(sql`w_numbered_events as (${insertFromJson('events', numbered.events, { extra: [key], from: sql`n,`, values })} returning 1)`);
  }
  if (numbered.notices && numbered.notices.length > 0) {
    const values = (c: Column) =>
      c[0] === 'params' ? withNumber('params') : c[0] === 'subject' || c[0] === 'body' ? sql`replace(x.${ident(c[0])}, ${doc.placeholder}::text, n.number)` : sql`x.${ident(c[0])}`;
    parts.push(sql`w_numbered_notices as (${insertFromJson('notices', numbered.notices, { extra: [key], from: sql`n,`, values, tail: sql`on conflict (account_id, dedupe_key) do nothing` })} returning 1)`);
  }
  parts.push(...ctes(rows));
  also.forEach((statement, i) => parts.push(sql`${sql.raw(`w_also_${i}`)} as (${statement})`));
  const counted = [numbered.notices && numbered.notices.length > 0 ? sql`(select count(*) from w_numbered_notices)` : sql`0`, rows.notices && rows.notices.length > 0 ? sql`(select count(*) from w_notices)` : sql`0`];
  return sql<{ number: string; notices: string | number }>`with ${sql.join(parts)} select n.number, ${counted[0]} + ${counted[1]} as notices from n`;
}

/** The rows of records (as the single-row inserts of the other store modules write them). */
export const toRow = {
  order: (o: OrderRecord): Row<'orders'> => ({
    account_id: o.accountId,
    id: o.id,
    type: o.type,
    status: o.status,
    request: o.request,
    quote: o.quote,
    subtotal: o.amount.subtotal,
    tax: o.amount.tax,
    total: o.amount.total,
    period_start: o.period.start,
    period_end: o.period.end,
    payment_method: o.paymentMethod,
    invoice_id: o.invoiceId,
    due_on: o.dueOn,
    actor: o.actor,
    placed_at: o.placedAt,
    completed_at: o.completedAt,
  }),
  contract: (c: { id: string; accountId: string; productId: string; renewal: RenewalChoice; createdAt: string }): Row<'contracts'> => ({
    account_id: c.accountId,
    id: c.id,
    product_id: c.productId,
    renewal: c.renewal,
    cancelled_from: null,
    cancellation: null,
    created_at: c.createdAt,
  }),
  term: (accountId: string, t: ContractTerm): Row<'contract_terms'> => ({
    account_id: accountId,
    id: t.id,
    contract_id: t.contractId,
    seq: t.seq,
    plan_id: t.planId,
    plan_name: t.planName,
    rank: t.rank,
    limits: t.limits,
    features: t.features,
    license: t.license ?? null,
    licenses: t.licenses,
    monthly_unit_price: t.monthlyUnitPrice,
    term_price: t.termPrice,
    term: t.term,
    start_date: t.start.toString(),
    end_date: t.end.toString(),
    payment_method: t.paymentMethod,
    order_id: t.orderId,
    period_start: t.periodStart ? t.periodStart.toString() : null,
  }),
  grant: (accountId: string, g: SeatGrant): Row<'seat_grants'> => ({
    account_id: accountId,
    id: g.id,
    contract_id: g.contractId,
    kind: g.kind,
    seats: g.seats,
    start_date: g.start.toString(),
    end_date: g.end.toString(),
    order_id: g.orderId,
  }),
  effect: (e: { accountId: string; kind: string; dueAt: string; payload: Record<string, unknown>; createdAt: string }): Row<'effects'> => ({
    account_id: e.accountId,
    kind: e.kind,
    due_at: e.dueAt,
    payload: e.payload,
    created_at: e.createdAt,
  }),
  event: (e: AuditEvent): Row<'events'> => ({
    account_id: e.accountId,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    before: e.before ?? null,
    after: e.after ?? null,
  }),
  notice: (n: NewNotice): Row<'notices'> => ({
    account_id: n.accountId,
    id: n.id,
    kind: n.kind,
    lang: n.lang,
    to_email: n.toEmail,
    subject: n.subject,
    body: n.body,
    params: n.params,
    dedupe_key: n.dedupeKey,
    sent_at: n.sentAt,
    attachment_document_id: n.attachmentDocumentId,
    delivery_status: n.delivery.status,
    next_attempt_at: n.delivery.nextAttemptAt,
  }),
  invoice: (i: InvoiceRecord): Row<'invoices'> => ({
    account_id: i.accountId,
    id: i.id,
    order_id: i.orderId,
    issued_on: i.issuedOn,
    due_on: i.dueOn,
    status: i.status,
    payment_method: i.paymentMethod,
    customer_name: i.customerName,
    issuer_name: i.issuerName,
    registration_number: i.registrationNumber,
    bank_account: i.bankAccount,
    corrects: i.corrects,
    lines: i.lines,
    subtotal: i.amount.subtotal,
    tax: i.amount.tax,
    total: i.amount.total,
    tax_breakdown: i.taxBreakdown,
    period_start: i.period?.start ?? null,
    period_end: i.period?.end ?? null,
    created_at: i.createdAt,
    kind: i.kind,
    contract_id: i.contractId,
  }),
};
