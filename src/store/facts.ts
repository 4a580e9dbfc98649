/**
 * An account's facts in one call to the database (issue 8): the account with its contracts (terms
 * and seat grants), members and usage — for an order, locked (`lockAndLoadFacts`); for the state
 * cache, as they are (`loadAccountFacts`). Each is a database function (migrations 11 and 12), so
 * its statements' plans are kept by the connection instead of being parsed and planned each time,
 * and it is one round trip instead of one a table.
 */
import type { Transaction } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Database } from './tables.js';
import { literal } from './literals.js';
import type { AccountRecord, AccountRow } from './accounts.js';
import { toAccount } from './accounts.js';
import type { Db } from './db.js';
import type { MemberRecord } from './members.js';
import { toMember } from './members.js';
import type { Contract, ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import type { PaymentMethod, Term } from '../domain/calendar.js';
import { parseDate } from '../domain/calendar.js';
import type { LimitKey, Limits } from '../domain/catalog.js';

/** The facts an order is decided on, as `lock_account_facts` gives them with the account locked. */
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
  const result = await trx.executeQuery<AccountRow & FactsRow>(CompiledQuery.raw(`select * from lock_account_facts(${literal(accountId)})`, []));
  const row = result.rows[0];
  return row ? toLockedFacts(row) : undefined;
}

function toLockedFacts(row: AccountRow & FactsRow): LockedFacts & { account: AccountRecord } {
  return { account: toAccount(row), contracts: (row.contracts ?? []).map((c) => toContract(row.account_id, c)), activeMembers: Number(row.active_members), usage: usageOf(row.usage) };
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

type MemberJson = Parameters<typeof toMember>[0];

export interface LoadedFacts {
  account: AccountRecord;
  contracts: Contract[];
  members: MemberRecord[];
  usage: Record<string, number>;
}
type CachedFactsRow = AccountRow & { contracts: JsonContract[] | null; members: MemberJson[] | null; usage: Record<string, string | number> | null };

function toFacts(row: CachedFactsRow): LoadedFacts {
  const members = (row.members ?? []).map(toMember);
  return { account: toAccount(row), contracts: (row.contracts ?? []).map((c) => toContract(row.account_id, c)), members, usage: usageOf(row.usage) };
}

/**
 * What the state cache keeps of an account, read in one statement (one snapshot): the account,
 * its contracts, every member (registration order) and its usage. Undefined when there is no such
 * account.
 */
export async function loadAccountFacts(db: Db, accountId: string): Promise<LoadedFacts | undefined> {
  const result = await db.executeQuery<CachedFactsRow>(CompiledQuery.raw('select * from account_facts($1)', [accountId]));
  const row = result.rows[0];
  return row ? toFacts(row) : undefined;
}

/**
 * The same for several accounts in one statement (one round trip, one snapshot; the function runs
 * once an account with its kept plans). Accounts that do not exist are absent from the map.
 */
export async function loadAccountFactsOf(db: Db, accountIds: readonly string[]): Promise<Map<string, LoadedFacts>> {
  if (accountIds.length === 0) return new Map();
  const result = await db.executeQuery<CachedFactsRow>(CompiledQuery.raw('select f.* from unnest($1::text[]) as a(id) cross join lateral account_facts(a.id) as f', [[...accountIds]]));
  return new Map(result.rows.map((row) => [row.account_id, toFacts(row)]));
}

function usageOf(usage: Record<string, string | number> | null): Record<string, number> {
  return Object.fromEntries(Object.entries(usage ?? {}).map(([k, v]) => [k, Number(v)]));
}

/**
 * `lockAndLoadFacts` for several accounts in one statement (a group of orders, issue 8): the
 * accounts are locked one after the other in the order given — callers give them sorted, as the
 * scheduler locks its batches, so two groups never wait for each other in a circle. Sent without
 * bind parameters, so as a transaction's first statement its BEGIN goes with it. Accounts that do
 * not exist are absent from the map.
 */
export async function lockAndLoadFactsOf(trx: Transaction<Database>, accountIds: readonly string[]): Promise<Map<string, LockedFacts & { account: AccountRecord }>> {
  if (accountIds.length === 0) return new Map();
  const ids = accountIds.map(literal).join(', ');
  const result = await trx.executeQuery<AccountRow & FactsRow>(
    CompiledQuery.raw(`select f.* from unnest(array[${ids}]::text[]) with ordinality as a(id, n) cross join lateral lock_account_facts(a.id) as f order by a.n`, []),
  );
  return new Map(result.rows.map((row) => [row.account_id, toLockedFacts(row)]));
}
