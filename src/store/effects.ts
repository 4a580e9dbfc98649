/**
 * Scheduled effects (SPEC G3): rows with a due instant, claimed with FOR UPDATE SKIP LOCKED so
 * any number of processes share the work, and marked done in the transaction that runs them.
 */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, EffectsTable } from './tables.js';
import type { Db } from './db.js';
import { chunks } from './db.js';

export interface EffectRecord {
  accountId: string;
  id: number;
  kind: string;
  dueAt: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'done' | 'failed' | 'skipped';
  attempts: number;
  lastError: string | null;
  doneAt: string | null;
}

type Row = Selectable<EffectsTable>;
function toEffect(r: Row): EffectRecord {
  return {
    accountId: r.account_id,
    id: Number(r.id),
    kind: r.kind,
    dueAt: r.due_at.toISOString(),
    payload: r.payload as Record<string, unknown>,
    status: r.status as EffectRecord['status'],
    attempts: r.attempts,
    lastError: r.last_error,
    doneAt: r.done_at ? r.done_at.toISOString() : null,
  };
}

/**
 * Claims up to `limit` due effects, oldest first, skipping those another process holds, and marks
 * them done at `at` in the same statement: the caller's transaction runs them, so a rollback
 * leaves them pending again (one write an effect instead of a row lock and then an update). They
 * are returned in claim order (due instant, id). `after` (the last effect a run claimed) starts
 * the scan there: the effects it marked done stay in the pending-effects index as dead entries
 * until VACUUM, and a scan from the start would step over all of them again at every claim of a
 * long run.
 */
export async function claimDueEffects(trx: Transaction<Database>, upTo: string, limit: number, at: string, after?: Pick<EffectRecord, 'dueAt' | 'id'>): Promise<EffectRecord[]> {
  const { rows } = await claimStatement(upTo, limit, at, after).execute(trx);
  return rows.map(toEffect).sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id - b.id));
}

/** The claim's statement (exported so a test can EXPLAIN the very statement the scheduler runs). */
export function claimStatement(upTo: string, limit: number, at: string, after?: Pick<EffectRecord, 'dueAt' | 'id'>) {
  const from = after ? sql`and (due_at, id) > (${after.dueAt}::timestamptz, ${String(after.id)}::bigint)` : sql``;
  return sql<Row>`with claimed as (
      select account_id, id from effects
      where status = 'pending' and due_at <= ${upTo}::timestamptz ${from}
      order by due_at, id limit ${limit} for update skip locked)
    update effects set status = 'done', done_at = ${at}::timestamptz, attempts = attempts + 1, last_error = null
    from claimed where effects.account_id = claimed.account_id and effects.id = claimed.id
    returning effects.*`;
}

/**
 * Each account's earliest pending effect (due instant, id), as this transaction sees them: the
 * effects another transaction has claimed but not yet committed still read as pending, and this
 * transaction's own claimed ones as done. Called with the accounts locked, so what another batch
 * holds of them is in flight behind that lock.
 */
export async function earliestPendingOf(trx: Transaction<Database>, accountIds: readonly string[]): Promise<Map<string, Pick<EffectRecord, 'dueAt' | 'id'>>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await sql<{ account_id: string; due_at: Date; id: string }>`select distinct on (account_id) account_id, due_at, id from effects
    where account_id = any(${[...accountIds]}::text[]) and status = 'pending' order by account_id, due_at, id`.execute(trx);
  return new Map(rows.map((r) => [r.account_id, { dueAt: r.due_at.toISOString(), id: Number(r.id) }]));
}

/** Gives claimed effects back, pending and uncounted, for a later claim (the caller's transaction). */
export async function releaseEffects(trx: Transaction<Database>, effects: ReadonlyArray<Pick<EffectRecord, 'accountId' | 'id'>>): Promise<void> {
  if (effects.length === 0) return;
  await sql`update effects set status = 'pending', done_at = null, attempts = attempts - 1
    from unnest(${effects.map((e) => e.accountId)}::text[], ${effects.map((e) => String(e.id))}::bigint[]) as given(account_id, id)
    where effects.account_id = given.account_id and effects.id = given.id`.execute(trx);
}

/**
 * Sets a pending effect aside as failed (G3), unless it is no longer pending: another scheduler
 * loop may have claimed it once this one's attempt rolled back, and run it or set it aside
 * already. Answers whether this call did.
 */
export async function markEffectFailed(trx: Transaction<Database>, e: Pick<EffectRecord, 'accountId' | 'id'>, at: string, error: string): Promise<boolean> {
  const result = await trx
    .updateTable('effects')
    .set({ status: 'failed', done_at: at, attempts: sql`attempts + 1`, last_error: error })
    .where('account_id', '=', e.accountId)
    .where('id', '=', e.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listEffects(db: Db, opts: { accountId?: string | undefined; status?: string | undefined; limit: number }): Promise<EffectRecord[]> {
  let q = db.selectFrom('effects').selectAll().orderBy('due_at').orderBy('id').limit(opts.limit);
  if (opts.accountId) q = q.where('account_id', '=', opts.accountId);
  if (opts.status) q = q.where('status', '=', opts.status);
  return (await q.execute()).map(toEffect);
}

/** The effect with this id (ids are unique across accounts), locked for the caller's transaction. */
export async function lockEffect(trx: Transaction<Database>, id: number): Promise<EffectRecord | undefined> {
  const row = await trx.selectFrom('effects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toEffect(row) : undefined;
}

/** Puts a failed effect back to pending: the scheduler runs it at its next pass (its error stays until then). */
export async function requeueEffect(trx: Transaction<Database>, e: Pick<EffectRecord, 'accountId' | 'id'>): Promise<void> {
  await trx.updateTable('effects').set({ status: 'pending', done_at: null }).where('account_id', '=', e.accountId).where('id', '=', e.id).where('status', '=', 'failed').execute();
}

/** Counts of effects by status (for the operator and the scheduler's health). */
export async function countEffects(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('effects').select(['status', sql<string>`count(*)`.as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export interface NewEffect {
  accountId: string;
  kind: string;
  dueAt: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** Schedules many effects (any accounts), many rows a statement. */
export async function insertEffects(trx: Transaction<Database>, effects: readonly NewEffect[]): Promise<void> {
  for (const part of chunks(effects, 2000)) {
    await trx
      .insertInto('effects')
      .values(part.map((e) => ({ account_id: e.accountId, kind: e.kind, due_at: e.dueAt, payload: JSON.stringify(e.payload), last_error: null, done_at: null, created_at: e.createdAt })))
      .execute();
  }
}

/** How many pending effects are due up to `upTo`. */
export async function countDueEffects(db: Db, upTo: string): Promise<number> {
  const row = await db.selectFrom('effects').select(sql<string>`count(*)`.as('n')).where('status', '=', 'pending').where('due_at', '<=', sql<Date>`${upTo}::timestamptz`).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Pending effects that would do nothing now become `skipped`, so the operator's list of what is
 * coming no longer shows them: a cancelled contract's term effects (`contractId`: its end, the
 * notices before it), the lapse of an order accepted or withdrawn (`orderId`). Answers how many.
 */
export async function skipEffectsOf(trx: Transaction<Database>, accountId: string, kinds: readonly string[], about: { contractId: string } | { orderId: string }, at: string): Promise<number> {
  const [key, value] = Object.entries(about)[0] as [string, string];
  const rows = await trx
    .updateTable('effects')
    .set({ status: 'skipped', done_at: at })
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .where('kind', 'in', [...kinds])
    .where(sql<string>`payload->>${key}`, '=', value)
    .returning('id')
    .execute();
  return rows.length;
}
