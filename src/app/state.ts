/** The account's state on a date (API.md `GET /v1/accounts/{id}/state`). */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import type { Db } from '../store/db.js';
import { loadContracts } from '../store/contracts.js';
import { countActiveMembers } from '../store/members.js';
import { readUsage } from '../store/usage.js';
import type { AccountRecord } from '../store/accounts.js';
import type { PlainDate } from '../domain/calendar.js';
import type { AccountState, Contract } from '../domain/contract.js';
import { accountState, productOf } from '../domain/contract.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { AppContext } from './context.js';
import { today } from './context.js';
import type { CachedAccount } from './state-cache.js';
import { readAccount, stateOn } from './state-cache.js';

/** What an account's state is folded from. */
export interface AccountFacts {
  account: AccountRecord;
  contracts: Contract[];
  /** Members holding a seat now (S8). */
  activeMembers: number;
  /** The usage gauges the vendor's app last reported (B4, B5). */
  usage: Record<string, number>;
}

export async function loadFacts(db: Db | Transaction<Database>, account: AccountRecord): Promise<AccountFacts> {
  return { account, contracts: await loadContracts(db, account.id), activeMembers: await countActiveMembers(db, account.id), usage: await readUsage(db, account.id) };
}

export function stateOf(ctx: AppContext, facts: AccountFacts, date: PlainDate): AccountState {
  return accountState({ product: productOf(ctx.catalog, facts.account.productId), contracts: facts.contracts, date, activeMembers: facts.activeMembers, usage: facts.usage });
}

/** JSON view of a state: dates as `YYYY-MM-DD`. */
export function stateView(s: AccountState) {
  return {
    date: s.date.toString(),
    plan: s.plan ? { id: s.plan.id, name: s.plan.name } : null,
    contract: s.contract
      ? { id: s.contract.id, start: s.contract.start.toString(), end: s.contract.end.toString(), term: s.contract.term, renewal: s.contract.renewal, paymentMethod: s.contract.paymentMethod }
      : null,
    limits: s.limits,
    features: s.features,
    seats: s.seats,
    spots: s.spots.map((g) => ({ id: g.id, seats: g.seats, start: g.start.toString(), end: g.end.toString(), orderId: g.orderId })),
    usage: s.usage,
    renewalWindow: s.renewalWindow
      ? { opens: s.renewalWindow.opens.toString(), open: s.renewalWindow.open, eligiblePlans: s.renewalWindow.eligiblePlans }
      : null,
  };
}
export type StateView = ReturnType<typeof stateView>;

/** For reads: the account's facts and members (from the state cache) and its state on `date`. */
export async function readState(ctx: AppContext, accountId: string, date: PlainDate): Promise<{ cached: CachedAccount; state: AccountState } | undefined> {
  const cached = await readAccount(ctx, accountId);
  if (!cached) return undefined;
  return { cached, state: stateOn(cached, date, () => stateOf(ctx, cached.facts, date)) };
}

export async function getAccountState(ctx: AppContext, accountId: string, at?: PlainDate): Promise<StateView | Refusal> {
  const read = await readState(ctx, accountId, at ?? today(ctx));
  if (!read) return refuse('account_not_found', { id: accountId });
  return stateView(read.state);
}
