/** Contracts and their terms: the facts the account's state is folded from. */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { ContractsTable, ContractTermsTable, Database, SeatGrantsTable } from './tables.js';
import type { Db } from './db.js';
import type { Contract, ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import type { PaymentMethod, Term } from '../domain/calendar.js';
import { parseDate } from '../domain/calendar.js';
import type { LimitKey, Limits } from '../domain/catalog.js';

type Handle = Db | Transaction<Database>;

type ContractRow = Selectable<ContractsTable>;
type TermRow = Selectable<ContractTermsTable>;
type GrantRow = Selectable<SeatGrantsTable>;

function toContracts(contracts: ContractRow[], terms: TermRow[], grants: GrantRow[]): Contract[] {
  return contracts.map((c) => ({
    id: c.id,
    accountId: c.account_id,
    productId: c.product_id,
    renewal: c.renewal as RenewalChoice,
    cancelledFrom: c.cancelled_from ? parseDate(c.cancelled_from) : null,
    grants: grants
      .filter((g) => g.contract_id === c.id)
      .map((g): SeatGrant => ({ id: g.id, contractId: g.contract_id, kind: g.kind as SeatGrant['kind'], seats: g.seats, start: parseDate(g.start_date), end: parseDate(g.end_date), orderId: g.order_id })),
    terms: terms
      .filter((t) => t.contract_id === c.id)
      .map(
        (t): ContractTerm => ({
          id: t.id,
          contractId: t.contract_id,
          seq: t.seq,
          planId: t.plan_id,
          planName: t.plan_name,
          rank: t.rank,
          limits: t.limits as Limits,
          features: t.features as string[],
          license: (t.license as { limit: LimitKey; size: number } | null) ?? null,
          licenses: t.licenses,
          monthlyUnitPrice: Number(t.monthly_unit_price),
          termPrice: Number(t.term_price),
          term: t.term as Term,
          start: parseDate(t.start_date),
          end: parseDate(t.end_date),
          periodStart: t.period_start ? parseDate(t.period_start) : undefined,
          paymentMethod: t.payment_method as PaymentMethod,
          orderId: t.order_id,
        }),
      ),
  }));
}

/** All contracts of an account with their terms, oldest first. */
export async function loadContracts(db: Handle, accountId: string): Promise<Contract[]> {
  const contracts = await db.selectFrom('contracts').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
  if (contracts.length === 0) return [];
  const terms = await db.selectFrom('contract_terms').selectAll().where('account_id', '=', accountId).orderBy('contract_id').orderBy('seq').execute();
  const grants = await db.selectFrom('seat_grants').selectAll().where('account_id', '=', accountId).orderBy('start_date').orderBy('id').execute();
  return toContracts(contracts, terms, grants);
}

/** The contracts of several accounts at once (three queries), by account; an account without any maps to []. */
export async function loadContractsOf(db: Handle, accountIds: readonly string[]): Promise<Map<string, Contract[]>> {
  const out = new Map<string, Contract[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return out;
  const ids = sql<string>`any(${[...accountIds]}::text[])`;
  const contracts = await db.selectFrom('contracts').selectAll().where('account_id', '=', ids).orderBy('account_id').orderBy('created_at').orderBy('id').execute();
  if (contracts.length === 0) return out;
  const terms = await db.selectFrom('contract_terms').selectAll().where('account_id', '=', ids).orderBy('account_id').orderBy('contract_id').orderBy('seq').execute();
  const grants = await db.selectFrom('seat_grants').selectAll().where('account_id', '=', ids).orderBy('account_id').orderBy('start_date').orderBy('id').execute();
  const byAccount = <R extends { account_id: string }>(rows: R[]) => {
    const m = new Map<string, R[]>();
    for (const r of rows) (m.get(r.account_id) ?? m.set(r.account_id, []).get(r.account_id)!).push(r);
    return m;
  };
  const c = byAccount(contracts);
  const t = byAccount(terms);
  const g = byAccount(grants);
  for (const [id, rows] of c) out.set(id, toContracts(rows, t.get(id) ?? [], g.get(id) ?? []));
  return out;
}

export async function insertContract(trx: Transaction<Database>, c: { id: string; accountId: string; productId: string; renewal: RenewalChoice; createdAt: string }): Promise<void> {
  await trx.insertInto('contracts').values({ account_id: c.accountId, id: c.id, product_id: c.productId, renewal: c.renewal, cancelled_from: null, cancellation: null, created_at: c.createdAt }).execute();
}

export async function insertGrant(trx: Transaction<Database>, accountId: string, g: SeatGrant): Promise<void> {
  await trx
    .insertInto('seat_grants')
    .values({ account_id: accountId, id: g.id, contract_id: g.contractId, kind: g.kind, seats: g.seats, start_date: g.start.toString(), end_date: g.end.toString(), order_id: g.orderId })
    .execute();
}

/** Changes the renewal choice of a contract (renew or return to the free plan). */
export async function setRenewal(trx: Transaction<Database>, accountId: string, contractId: string, renewal: RenewalChoice): Promise<void> {
  await trx.updateTable('contracts').set({ renewal }).where('account_id', '=', accountId).where('id', '=', contractId).execute();
}

/** Records a cancellation (P5): from `cancelledFrom` on the contract no longer applies. */
export async function cancelContractRow(trx: Transaction<Database>, accountId: string, contractId: string, cancelledFrom: string, cancellation: unknown): Promise<void> {
  await trx
    .updateTable('contracts')
    .set({ cancelled_from: cancelledFrom, cancellation: JSON.stringify(cancellation) })
    .where('account_id', '=', accountId)
    .where('id', '=', contractId)
    .execute();
}

