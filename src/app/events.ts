/** Reading the audit trail and the scheduler's effects. */
import { listEvents } from '../store/events.js';
import type { Temporal } from 'temporal-polyfill';
import { countDueEffects, countEffects, listEffects } from '../store/effects.js';
import type { AppContext } from './context.js';

export async function listAccountEvents(ctx: AppContext, accountId: string, limit: number) {
  return listEvents(ctx.db, accountId, limit);
}

/** The scheduler's effects for the operator: counts by status, how many pending ones are due by `dueBy`, and a page of effects. */
export async function effectsOverview(ctx: AppContext, query: { status?: string | undefined; accountId?: string | undefined; limit: number }, dueBy: Temporal.Instant) {
  return { counts: await countEffects(ctx.db), due: await countDueEffects(ctx.db, dueBy.toString()), effects: await listEffects(ctx.db, query) };
}
