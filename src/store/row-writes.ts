/**
 * A use case's writes in one call (issue 8: an order was 26 round trips). Each table's rows go to
 * the server as a JSON array in one argument of the database function `write_rows` (migration 13),
 * which inserts them with one statement a table; as a function its statements' plans are kept by
 * the connection instead of being parsed and planned for every call.
 *
 * `writeNumberedDocument` calls `write_numbered_document`, which takes a document's number from
 * its gapless series (SPEC §6) and writes the document and every row that shows its number (its
 * audit event, the notice naming it). Called last before COMMIT, the counter row is locked for
 * that one call and the commit only, instead of for the rest of the transaction.
 *
 * COLUMNS are the columns the functions write (test/unit/store-functions.test.ts holds them to it).
 */
import type { RawBuilder, Transaction } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Database } from './tables.js';
import { inlined, literal } from './literals.js';
import type { ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import type { AuditEvent } from './events.js';
import type { InvoiceRecord } from './invoices.js';
import type { NewNotice } from './notices.js';
import type { OrderRecord } from './orders.js';

type Column = readonly [name: string, type: string];

export const COLUMNS = {
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

/** The tables with rows, as `write_rows` takes them (one JSON object, a table's rows by name). */
function rowsJson(rows: Rows): string | undefined {
  const present = Object.fromEntries(Object.entries(rows).filter(([, r]) => Array.isArray(r) && r.length > 0));
  return Object.keys(present).length > 0 ? JSON.stringify(present) : undefined;
}

/** Writes the rows in one call of `write_rows` (migration 13). Returns how many notices were written (those not deduplicated). */
export async function writeRows(trx: Transaction<Database>, rows: Rows): Promise<{ notices: number }> {
  const json = rowsJson(rows);
  if (!json) return { notices: 0 };
  const result = await trx.executeQuery<{ notices: number }>(CompiledQuery.raw('select write_rows($1::jsonb) as notices', [json]));
  return { notices: Number(result.rows[0]?.notices ?? 0) };
}

/**
 * Takes the document's number and writes `rows`, the document and the rows that show its number,
 * in one call of `write_numbered_document` (migration 13; SPEC §6: the counter row stays locked
 * until the transaction ends, so call it last). Returns the number and how many notices were written.
 */
export async function writeNumberedDocument(trx: Transaction<Database>, doc: NumberedDocument, numbered: NumberedRows, rows: Rows = {}): Promise<{ number: string; notices: number }> {
  const result = await trx.executeQuery<{ doc_number: string; notices_written: number }>(
    CompiledQuery.raw('select * from write_numbered_document($1::jsonb, $2::jsonb, $3::jsonb)', [JSON.stringify(doc), JSON.stringify(numbered), rowsJson(rows) ?? '{}']),
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no document counter for the series ${doc.series}`);
  return { number: row.doc_number, notices: Number(row.notices_written) };
}

/**
 * The end of a transaction in one message: `writeNumberedDocument`'s call (which writes `rows`
 * first), then `also` (further statements, e.g. storing the idempotency result), the
 * notifications, and COMMIT. The server runs them one after the other without waiting for this
 * process, so the counter row is locked only while it runs the rest of the message, however busy
 * this process's event loop is (it may take milliseconds to read an answer and send the next
 * statement).
 *
 * A message of several statements cannot carry bind parameters: the values are sent as literals.
 * The store's client (src/store/db.ts, `MessageClient`) sees the message end with COMMIT and
 * answers the caller's own COMMIT itself: nothing may be written after it. The notifications
 * are sent as `pg_notify` in the message, not through `notify()`: this process's listeners are
 * not told of them (the caller tells its own cache once this returns).
 */
export async function commitWithNumberedDocument(
  trx: Transaction<Database>,
  end: { rows: Rows; doc: NumberedDocument; numbered: NumberedRows; also: ReadonlyArray<RawBuilder<unknown>>; notify: ReadonlyArray<readonly [channel: string, payload: string]> },
): Promise<void> {
  await commitWrites(trx, { rows: end.rows, documents: [{ doc: end.doc, numbered: end.numbered }], also: end.also, notify: end.notify });
}

/**
 * `commitWithNumberedDocument` for any number of documents (a group of orders, issue 8): `rows`,
 * then the documents numbered in the order given with the rows that show their numbers — one
 * call of `write_numbered_documents` (migration 15: one counter update a series, one insert a
 * table), of `write_numbered_document` for one, of `write_rows` for none —, `also`, the
 * notifications, COMMIT, all in this one message.
 */
export async function commitWrites(
  trx: Transaction<Database>,
  end: {
    rows: Rows;
    documents: ReadonlyArray<{ doc: NumberedDocument; numbered: NumberedRows }>;
    also: ReadonlyArray<RawBuilder<unknown>>;
    notify: ReadonlyArray<readonly [channel: string, payload: string]>;
  },
): Promise<void> {
  const rows = rowsJson(end.rows);
  const statements: string[] = [];
  const [only] = end.documents;
  if (end.documents.length > 1) statements.push(`select write_numbered_documents(${literal(JSON.stringify(end.documents))}::jsonb, ${literal(rows ?? '{}')}::jsonb)`);
  else if (only) statements.push(`select * from write_numbered_document(${literal(JSON.stringify(only.doc))}::jsonb, ${literal(JSON.stringify(only.numbered))}::jsonb, ${literal(rows ?? '{}')}::jsonb)`);
  else if (rows) statements.push(`select write_rows(${literal(rows)}::jsonb)`);
  // `also` are Kysely statements: compiled, with their parameters as literals.
  for (const statement of end.also) statements.push(inlined(statement.compile(trx)));
  // One statement a channel (a group's accounts in one; each statement costs the server a parse and a plan).
  const byChannel = new Map<string, string[]>();
  for (const [channel, payload] of end.notify) byChannel.set(channel, [...(byChannel.get(channel) ?? []), payload]);
  for (const [channel, payloads] of byChannel) {
    statements.push(payloads.length === 1 ? `select pg_notify(${literal(channel)}, ${literal(payloads[0]!)})` : `select pg_notify(${literal(channel)}, p) from unnest(array[${payloads.map(literal).join(', ')}]::text[]) as p`);
  }
  await trx.executeQuery(CompiledQuery.raw([...statements, 'commit'].join(';\n'), []));
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
