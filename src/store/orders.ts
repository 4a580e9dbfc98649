/** Orders as placed: the request, the quote it was decided on, and its status. */
import type { Selectable, Transaction } from 'kysely';
import type { Database, OrdersTable } from './tables.js';
import type { Db } from './db.js';

export interface StoredQuote {
  lines: unknown[];
  effects: unknown[];
  warnings: unknown[];
  taxBreakdown: unknown[];
  acceptance: string;
  /** The quotation issued before acceptance (B9: invoice payment). */
  quoteId?: string | null;
  /**
   * The last day the statement or quotation can be accepted as stated (B9: the end of the month it
   * was placed in); absent on orders placed before it was kept (then derived from `placedAt`).
   */
  validUntil?: string;
}

export interface OrderRecord {
  id: string;
  accountId: string;
  type: string;
  status: 'placed' | 'completed' | 'cancelled';
  request: Record<string, unknown>;
  quote: StoredQuote;
  amount: { subtotal: number; tax: number; total: number };
  period: { start: string; end: string };
  paymentMethod: string;
  invoiceId: string | null;
  dueOn: string | null;
  actor: string;
  placedAt: string;
  completedAt: string | null;
  /** When a placed order was withdrawn or lapsed, and why (`withdrawn`: the customer; `operator`; `lapsed`: not accepted in time). */
  cancelledAt?: string | null;
  cancelReason?: CancelReason | null;
}

export type CancelReason = 'withdrawn' | 'operator' | 'lapsed';

export async function insertOrder(trx: Transaction<Database>, o: OrderRecord): Promise<void> {
  await trx
    .insertInto('orders')
    .values({
      account_id: o.accountId,
      id: o.id,
      type: o.type,
      status: o.status,
      request: JSON.stringify(o.request),
      quote: JSON.stringify(o.quote),
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
    })
    .execute();
}

type Row = Selectable<OrdersTable>;

function toOrder(r: Row): OrderRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    type: r.type,
    status: r.status as OrderRecord['status'],
    request: r.request as Record<string, unknown>,
    quote: r.quote as StoredQuote,
    amount: { subtotal: Number(r.subtotal), tax: Number(r.tax), total: Number(r.total) },
    period: { start: r.period_start, end: r.period_end },
    paymentMethod: r.payment_method,
    invoiceId: r.invoice_id,
    dueOn: r.due_on,
    actor: r.actor,
    placedAt: r.placed_at.toISOString(),
    completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    cancelledAt: r.cancelled_at ? r.cancelled_at.toISOString() : null,
    cancelReason: (r.cancel_reason as CancelReason | null) ?? null,
  };
}

/** Finds an order by id; `accountId` scopes the query when known (a customer's own account). */
export async function findOrder(db: Db | Transaction<Database>, id: string, accountId?: string): Promise<OrderRecord | undefined> {
  let q = db.selectFrom('orders').selectAll().where('id', '=', id);
  if (accountId) q = q.where('account_id', '=', accountId);
  const row = await q.executeTakeFirst();
  return row ? toOrder(row) : undefined;
}

/** Orders across accounts (the operator's queue), newest first; ordered by time and id (PGlite clocks tie). */
export async function listOrders(db: Db, opts: { status?: OrderRecord['status'] | undefined; accountId?: string | undefined; limit: number }): Promise<OrderRecord[]> {
  let q = db.selectFrom('orders').selectAll().orderBy('placed_at', 'desc').orderBy('id', 'desc').limit(opts.limit);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.accountId) q = q.where('account_id', '=', opts.accountId);
  return (await q.execute()).map(toOrder);
}

/** An order placed earlier completes (accepted, B9): its invoice and due date. */
export async function completeOrderRow(trx: Transaction<Database>, o: Pick<OrderRecord, 'accountId' | 'id' | 'invoiceId' | 'dueOn' | 'completedAt'>): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ status: 'completed', invoice_id: o.invoiceId, due_on: o.dueOn, completed_at: o.completedAt })
    .where('account_id', '=', o.accountId)
    .where('id', '=', o.id)
    .execute();
}


/** Placed orders no longer awaiting acceptance become `cancelled`; only those still `placed` change. */
export async function cancelOrderRows(trx: Transaction<Database>, orders: ReadonlyArray<{ accountId: string; id: string; at: string; reason: CancelReason }>): Promise<void> {
  for (const o of orders) {
    await trx
      .updateTable('orders')
      .set({ status: 'cancelled', cancelled_at: o.at, cancel_reason: o.reason })
      .where('account_id', '=', o.accountId)
      .where('id', '=', o.id)
      .where('status', '=', 'placed')
      .execute();
  }
}

/** The orders named, locked (the scheduler's lapse of placed orders reads them with their accounts locked). */
export async function lockOrders(trx: Transaction<Database>, refs: ReadonlyArray<{ accountId: string; id: string }>): Promise<OrderRecord[]> {
  if (refs.length === 0) return [];
  const rows = await trx
    .selectFrom('orders')
    .selectAll()
    .where((eb) => eb.or(refs.map((r) => eb.and([eb('account_id', '=', r.accountId), eb('id', '=', r.id)]))))
    .forUpdate()
    .execute();
  return rows.map(toOrder);
}
