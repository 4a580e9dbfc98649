/**
 * Entitlement checks: may the vendor's app let usage grow, or use a feature? (SPEC B2, B4, B5,
 * S8; API.md `POST /v1/accounts/{id}/entitlements/check`). An answer, not a refusal: a denied
 * check carries a stable code the app branches on, and no message.
 */
import type { LimitKey } from './catalog.js';
import type { AccountState } from './contract.js';

/** Growth of a resource by `increment` (≤ 0: a decrease), or the use of a feature. */
export type EntitlementQuery = { resource: LimitKey; increment: number } | { feature: string };

/**
 * Why a check is denied:
 * - `limit_reached`: usage + increment would pass the limit;
 * - `over_limit`: usage is already past the limit (B5: storage after a downgrade), so any growth is refused;
 * - `feature_not_included`: the plan in force has no such feature;
 * - `not_in_plan`: the plan in force (or no plan) has no limit for the resource, so it cannot be used at all.
 */
export type EntitlementDenial = 'limit_reached' | 'over_limit' | 'feature_not_included' | 'not_in_plan';

export type EntitlementAnswer =
  | { allowed: true; limit?: number; usage?: number }
  | { allowed: false; code: EntitlementDenial; limit?: number; usage?: number };

/** The limit and the usage the check compares for a resource (S8: seats count active members against the seat limit). */
function measure(state: AccountState, resource: LimitKey): { limit: number | undefined; usage: number } {
  if (resource === 'seats') return { limit: state.seats?.limit, usage: state.seats?.active ?? 0 };
  return { limit: state.limits[resource], usage: state.usage[resource] ?? 0 };
}

/**
 * Whether the account in `state` may grow `resource` by `increment`, or use `feature`.
 *
 * - B2: the limits and features are those of the plan in force on the state's date.
 * - A decrease (increment ≤ 0) is always allowed, even past the limit (B5: usage must be able to get back under it).
 * - B5: usage already past the limit (a downgrade to less storage than in use) refuses any growth: `over_limit`.
 * - Otherwise growth is allowed while usage + increment ≤ limit, else `limit_reached`.
 * - A resource the plan has no limit for is `not_in_plan` (books on teamspace, anything without a plan).
 *
 * @example
 * // Business 5 (books 5) with 5 books:
 * checkEntitlement(state, { resource: 'books', increment: 1 }) // { allowed: false, code: 'limit_reached', limit: 5, usage: 5 }
 * checkEntitlement(state, { feature: 'heatmap' }) // { allowed: false, code: 'feature_not_included' }
 */
export function checkEntitlement(state: AccountState, query: EntitlementQuery): EntitlementAnswer {
  if ('feature' in query) return state.features.includes(query.feature) ? { allowed: true } : { allowed: false, code: 'feature_not_included' };
  const { limit, usage } = measure(state, query.resource);
  const facts = limit === undefined ? { usage } : { limit, usage };
  if (query.increment <= 0) return { allowed: true, ...facts };
  if (limit === undefined) return { allowed: false, code: 'not_in_plan', usage };
  if (usage > limit) return { allowed: false, code: 'over_limit', limit, usage };
  if (usage + query.increment > limit) return { allowed: false, code: 'limit_reached', limit, usage };
  return { allowed: true, limit, usage };
}
