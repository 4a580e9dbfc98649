/** The audit trail (SPEC G5): appended in the transaction of the change it records. */
import type { Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

export interface AuditEvent {
  accountId: string;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
}

export async function appendEvent(trx: Transaction<Database>, e: AuditEvent): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      account_id: e.accountId,
      at: e.at,
      actor: e.actor,
      action: e.action,
      subject_type: e.subjectType,
      subject_id: e.subjectId,
      before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
      after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
    })
    .execute();
}

/** An account's events, newest first, ordered by time and then sequence (1 ms clock resolution). */
export async function listEvents(db: Db, accountId: string, limit: number): Promise<Array<AuditEvent & { seq: number }>> {
  const rows = await db.selectFrom('events').selectAll().where('account_id', '=', accountId).orderBy('at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    accountId: r.account_id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    before: r.before ?? null,
    after: r.after ?? null,
  }));
}
