/**
 * Usage gauges and entitlement checks (SPEC B4, B5; API.md `PUT /v1/accounts/{id}/usage`,
 * `POST /v1/accounts/{id}/entitlements/check`): the vendor's app reports levels and asks whether
 * usage may grow.
 */
import { lockAccount } from '../store/accounts.js';
import { readUsage, writeUsage } from '../store/usage.js';
import type { LimitKey } from '../domain/catalog.js';
import { productOf } from '../domain/contract.js';
import type { EntitlementAnswer, EntitlementQuery } from '../domain/entitlements.js';
import { checkEntitlement } from '../domain/entitlements.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { Actor, AppContext, Tx } from './context.js';
import { nowIso, today } from './context.js';
import { readState } from './state.js';
import { audit } from './audit.js';

/** The gauges the vendor's app reports; seats are counted from members, connections are not gauged. */
export type Gauge = Extract<LimitKey, 'books' | 'storageMb'>;
export type GaugeReport = Partial<Record<Gauge, number>>;

export interface UsageView {
  usage: Record<string, number>;
}

/**
 * Records the reported gauges (a report replaces each named value, others keep theirs). A gauge no
 * plan of the account's product limits is refused (`usage_not_offered`). An audit event
 * `usage.reported` records the gauges before and after when a value changed (G5: a report that
 * changes nothing is not a state change).
 */
export async function reportUsage(ctx: AppContext, trx: Tx, actor: Actor, accountId: string, gauges: GaugeReport): Promise<UsageView | Refusal> {
  const account = await lockAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const product = productOf(ctx.catalog, account.productId);
  const reported = Object.entries(gauges).filter((e): e is [Gauge, number] => e[1] !== undefined);
  for (const [resource] of reported) {
    if (!product.plans.some((p) => p.limits[resource] !== undefined)) return refuse('usage_not_offered', { product: product.id, resource }, resource);
  }
  const before = await readUsage(trx, accountId);
  const changes = Object.fromEntries(reported);
  await writeUsage(trx, accountId, changes, nowIso(ctx));
  const after = { ...before, ...changes };
  if (reported.some(([resource, value]) => before[resource] !== value)) {
    await audit(ctx, trx, actor, { accountId, action: 'usage.reported', subjectType: 'account', subjectId: accountId, before, after });
  }
  return { usage: await readUsage(trx, accountId) };
}

/** Whether the account may grow a resource or use a feature today (B2: the plan in force today). */
export async function checkEntitlementFor(ctx: AppContext, accountId: string, query: EntitlementQuery): Promise<EntitlementAnswer | Refusal> {
  // From the state cache: no query when the account is hot (issue 8, src/app/state-cache.ts).
  const read = await readState(ctx, accountId, today(ctx));
  if (!read) return refuse('account_not_found', { id: accountId });
  return checkEntitlement(read.state, query);
}
