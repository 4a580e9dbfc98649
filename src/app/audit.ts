/** Records an audit event (G5) in the transaction of the change. */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { appendEvent } from '../store/events.js';
import type { Actor, AppContext } from './context.js';
import { actorName, nowIso } from './context.js';
import { announceChange } from './state-cache.js';

export async function audit(
  ctx: AppContext,
  trx: Transaction<Database>,
  actor: Actor,
  e: { accountId: string; action: string; subjectType: string; subjectId: string; before?: unknown; after?: unknown },
): Promise<void> {
  // Every change to an account's facts is audited, and the audit announces it to the state caches.
  // (The batched paths — scheduler batches (BatchWrites) and orders (row-writes) — write their
  // events in bulk and announce their accounts themselves, in the same transaction.)
  await announceChange(trx, e.accountId);
  await appendEvent(trx, {
    accountId: e.accountId,
    at: nowIso(ctx),
    actor: actorName(actor),
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    before: e.before ?? null,
    after: e.after ?? null,
  });
}
