/**
 * The notice outbox (SPEC §6): each notice with its rendered text, written once, and its delivery
 * towards the mail server (claimed with FOR UPDATE SKIP LOCKED, like scheduled effects).
 */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, NoticesTable } from './tables.js';
import type { Db } from './db.js';
import { chunks } from './db.js';

/** `not-configured`: no transport when written; `pending`: an attempt is due at `nextAttemptAt`. */
export type DeliveryStatus = 'not-configured' | 'pending' | 'sent' | 'failed';

export interface NoticeRecord {
  accountId: string;
  id: string;
  kind: string;
  lang: string;
  toEmail: string;
  subject: string;
  body: string;
  params: Record<string, unknown>;
  /** Same key, same account: written once (a retried effect does not send twice). */
  dedupeKey: string | null;
  sentAt: string;
  /** The issued document (invoice, quotation) the mail carries as a PDF. */
  attachmentDocumentId: string | null;
  delivery: {
    status: DeliveryStatus;
    attempts: number;
    lastError: string | null;
    nextAttemptAt: string | null;
    deliveredAt: string | null;
    via: string | null;
    messageId: string | null;
  };
}

export type NewNotice = Omit<NoticeRecord, 'delivery'> & { delivery: Pick<NoticeRecord['delivery'], 'status' | 'nextAttemptAt'> };

type Row = Selectable<NoticesTable>;

function toNotice(row: Row): NoticeRecord {
  return {
    accountId: row.account_id,
    id: row.id,
    kind: row.kind,
    lang: row.lang,
    toEmail: row.to_email,
    subject: row.subject,
    body: row.body,
    params: row.params as Record<string, unknown>,
    dedupeKey: row.dedupe_key,
    sentAt: row.sent_at.toISOString(),
    attachmentDocumentId: row.attachment_document_id,
    delivery: {
      status: row.delivery_status as DeliveryStatus,
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at ? row.next_attempt_at.toISOString() : null,
      deliveredAt: row.delivered_at ? row.delivered_at.toISOString() : null,
      via: row.sent_via,
      messageId: row.message_id,
    },
  };
}

/**
 * Writes the notice into the outbox in the caller's transaction. Returns false, writing nothing,
 * when the account already has a notice with the same dedupe key (a NULL key never conflicts).
 */
export async function insertNotice(trx: Transaction<Database>, n: NewNotice): Promise<boolean> {
  return (await insertNotices(trx, [n])) === 1;
}

/** Writes many notices (any accounts); those whose dedupe key their account already has are skipped. Returns how many were written. */
export async function insertNotices(trx: Transaction<Database>, notices: readonly NewNotice[]): Promise<number> {
  let written = 0;
  for (const part of chunks(notices, 1000)) {
    const rows = await trx
      .insertInto('notices')
      .values(
        part.map((n) => ({
          account_id: n.accountId,
          id: n.id,
          kind: n.kind,
          lang: n.lang,
          to_email: n.toEmail,
          subject: n.subject,
          body: n.body,
          params: JSON.stringify(n.params),
          dedupe_key: n.dedupeKey,
          sent_at: n.sentAt,
          attachment_document_id: n.attachmentDocumentId,
          delivery_status: n.delivery.status,
          next_attempt_at: n.delivery.nextAttemptAt,
          last_error: null,
          delivered_at: null,
          sent_via: null,
          message_id: null,
        })),
      )
      .onConflict((oc) => oc.columns(['account_id', 'dedupe_key']).doNothing())
      .returning('id')
      .execute();
    written += rows.length;
  }
  return written;
}

/** An account's notices, newest first, by time and then id (1 ms clock resolution). */
export async function listNotices(db: Db | Transaction<Database>, accountId: string, limit: number): Promise<NoticeRecord[]> {
  const rows = await db.selectFrom('notices').selectAll().where('account_id', '=', accountId).orderBy('sent_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(toNotice);
}

/** Every account's notices (the operator's view), newest first, optionally filtered. */
export async function listAllNotices(
  db: Db,
  opts: { accountId?: string | undefined; kind?: string | undefined; status?: DeliveryStatus | undefined; limit: number },
): Promise<NoticeRecord[]> {
  let q = db.selectFrom('notices').selectAll().orderBy('sent_at', 'desc').orderBy('seq', 'desc').limit(opts.limit);
  if (opts.accountId) q = q.where('account_id', '=', opts.accountId);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.status) q = q.where('delivery_status', '=', opts.status);
  return (await q.execute()).map(toNotice);
}

/**
 * Claims up to `limit` notices whose attempt is due, oldest first, skipping rows another process
 * holds. Each claimed row counts the attempt and is leased until `leaseUntil`: if this process
 * dies before recording the outcome, another claims it again after the lease (the mail then
 * carries the same Message-ID, so a duplicate is recognisable).
 */
export async function claimDueNotices(trx: Transaction<Database>, now: string, leaseUntil: string, limit: number): Promise<NoticeRecord[]> {
  const rows = await trx
    .selectFrom('notices')
    .selectAll()
    .where('delivery_status', '=', 'pending')
    .where('next_attempt_at', '<=', sql<Date>`${now}::timestamptz`)
    .orderBy('next_attempt_at')
    .orderBy('seq')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  const claimed: NoticeRecord[] = [];
  for (const row of rows) {
    await trx
      .updateTable('notices')
      .set({ attempts: sql`attempts + 1`, next_attempt_at: leaseUntil })
      .where('account_id', '=', row.account_id)
      .where('id', '=', row.id)
      .execute();
    claimed.push(toNotice({ ...row, attempts: row.attempts + 1, next_attempt_at: new Date(leaseUntil) }));
  }
  return claimed;
}

/**
 * Gives back a claim whose attempt was cut short by a shutdown: not counted, due again at `at`.
 * (If the server had already accepted the mail, the next attempt repeats it with the same Message-ID.)
 */
export async function releaseClaim(db: Db, n: Pick<NoticeRecord, 'accountId' | 'id'>, attempt: number, at: string): Promise<void> {
  await db
    .updateTable('notices')
    .set({ attempts: sql`attempts - 1`, next_attempt_at: at })
    .where('account_id', '=', n.accountId)
    .where('id', '=', n.id)
    .where('delivery_status', '=', 'pending')
    .where('attempts', '=', attempt)
    .execute();
}

/**
 * Records the outcome of the attempt numbered `attempt`. Only the holder of that attempt may: if
 * the lease ran out and another process claimed the row again, this writes nothing (false).
 */
export async function recordDelivery(
  db: Db,
  n: Pick<NoticeRecord, 'accountId' | 'id'>,
  attempt: number,
  outcome:
    | { status: 'sent'; at: string; via: string; messageId: string }
    | { status: 'pending'; error: string; nextAttemptAt: string }
    | { status: 'failed'; error: string },
  /** The body kept once the mail is done with (a sign-in link's without its token). */
  keptBody?: string,
): Promise<boolean> {
  const set =
    outcome.status === 'sent'
      ? { delivery_status: 'sent', delivered_at: outcome.at, sent_via: outcome.via, message_id: outcome.messageId, last_error: null, next_attempt_at: null, ...(keptBody !== undefined ? { body: keptBody } : {}) }
      : outcome.status === 'pending'
        ? { last_error: outcome.error, next_attempt_at: outcome.nextAttemptAt }
        : { delivery_status: 'failed', last_error: outcome.error, next_attempt_at: null, ...(keptBody !== undefined ? { body: keptBody } : {}) };
  const result = await db
    .updateTable('notices')
    .set(set)
    .where('account_id', '=', n.accountId)
    .where('id', '=', n.id)
    .where('delivery_status', '=', 'pending')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
