/** Orders as placed: the request, the quote it was decided on, and its status. */
import type { Selectable, Transaction } from 'kysely';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database, OrdersTable } from './tables.js';
import type { AccountRecord, AccountRow } from './accounts.js';
import { toAccount } from './accounts.js';
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

type FactsRow = { contracts: JsonContract[] | null; active_members: string | number; usage: Record<string, string | number> | null };

/**
 * Locks the account and loads the facts an order is decided on (contracts with their terms and
 * seat grants, active members, usage), in one round trip (issue 8): the database function
 * `lock_account_facts` (migration 11) takes the lock and then reads with a snapshot taken after
 * it, so it sees every change committed before. Sent without bind parameters (the id as a
 * literal), so as a transaction's first statement its deferred BEGIN goes in the same message
 * (src/store/db.ts). Undefined when there is no such account.
 */
export async function lockAndLoadFacts(trx: Transaction<Database>, accountId: string): Promise<(LockedFacts & { account: AccountRecord }) | undefined> {
  const result = await trx.executeQuery<AccountRow & FactsRow>(CompiledQuery.raw(`select * from lock_account_facts(${pg.escapeLiteral(accountId)})`, []));
  const row = result.rows[0];
  if (!row) return undefined;
  const usage = Object.fromEntries(Object.entries(row.usage ?? {}).map(([k, v]) => [k, Number(v)]));
  return { account: toAccount(row), contracts: (row.contracts ?? []).map((c) => toContract(row.account_id, c)), activeMembers: Number(row.active_members), usage };
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

