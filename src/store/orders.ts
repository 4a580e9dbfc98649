/** Orders as placed: the request, the quote it was decided on, and its status. */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, OrdersTable } from './tables.js';
import type { Db } from './db.js';
import type { Contract, ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import type { PaymentMethod, Term } from '../domain/calendar.js';
import { parseDate } from '../domain/calendar.js';
import type { LimitKey, Limits } from '../domain/catalog.js';

export interface StoredQuote {
  lines: unknown[];
  effects: unknown[];
  warnings: unknown[];
  taxBreakdown: unknown[];
  acceptance: string;
  /** The quotation issued before acceptance (B9: invoice payment). */
  quoteId?: string | null;
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
}

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

/** An account's facts as one query gives them (the caller has locked the account). */
export interface LockedFacts {
  contracts: Contract[];
  activeMembers: number;
  usage: Record<string, number>;
}

/**
 * The facts an order is decided on, in one query (contracts with their terms and seat grants,
 * active members, usage) instead of five. Run it after the account's lock was taken, in its own
 * statement: it then sees every change committed before the lock was granted.
 */
export async function loadLockedFacts(trx: Transaction<Database>, accountId: string): Promise<LockedFacts> {
  const result = await sql<{ contracts: JsonContract[] | null; active_members: string | number; usage: Record<string, string | number> | null }>`
    select
      (select json_agg(json_build_object(
          'id', c.id, 'productId', c.product_id, 'renewal', c.renewal, 'cancelledFrom', c.cancelled_from,
          'terms', coalesce((select json_agg(t order by t.seq) from contract_terms t where t.account_id = c.account_id and t.contract_id = c.id), '[]'),
          'grants', coalesce((select json_agg(g order by g.start_date, g.id) from seat_grants g where g.account_id = c.account_id and g.contract_id = c.id), '[]'))
        order by c.created_at, c.id)
        from contracts c where c.account_id = ${accountId}) as contracts,
      (select count(*) from members m where m.account_id = ${accountId} and m.status = 'active') as active_members,
      (select json_object_agg(u.resource, u.value) from usage_gauges u where u.account_id = ${accountId}) as usage`.execute(trx);
  const row = result.rows[0];
  const usage = Object.fromEntries(Object.entries(row?.usage ?? {}).map(([k, v]) => [k, Number(v)]));
  return { contracts: (row?.contracts ?? []).map((c) => toContract(accountId, c)), activeMembers: Number(row?.active_members ?? 0), usage };
}

interface JsonContract {
  id: string;
  productId: string;
  renewal: string;
  cancelledFrom: string | null;
  terms: Array<Record<string, unknown>>;
  grants: Array<Record<string, unknown>>;
}

function toContract(accountId: string, c: JsonContract): Contract {
  const str = (v: unknown) => v as string;
  return {
    id: c.id,
    accountId,
    productId: c.productId,
    renewal: c.renewal as RenewalChoice,
    cancelledFrom: c.cancelledFrom ? parseDate(c.cancelledFrom) : null,
    grants: c.grants.map((g): SeatGrant => ({ id: str(g.id), contractId: str(g.contract_id), kind: g.kind as SeatGrant['kind'], seats: Number(g.seats), start: parseDate(str(g.start_date)), end: parseDate(str(g.end_date)), orderId: str(g.order_id) })),
    terms: c.terms.map(
      (t): ContractTerm => ({
        id: str(t.id),
        contractId: str(t.contract_id),
        seq: Number(t.seq),
        planId: str(t.plan_id),
        planName: str(t.plan_name),
        rank: Number(t.rank),
        limits: t.limits as Limits,
        features: t.features as string[],
        license: (t.license as { limit: LimitKey; size: number } | null) ?? null,
        licenses: Number(t.licenses),
        monthlyUnitPrice: Number(t.monthly_unit_price),
        termPrice: Number(t.term_price),
        term: t.term as Term,
        start: parseDate(str(t.start_date)),
        end: parseDate(str(t.end_date)),
        periodStart: t.period_start ? parseDate(str(t.period_start)) : undefined,
        paymentMethod: t.payment_method as PaymentMethod,
        orderId: str(t.order_id),
      }),
    ),
  };
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
