/** The notice outbox (SPEC §6): each notice with its rendered text, written once. */
import type { Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

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
}

type Row = {
  account_id: string;
  id: string;
  kind: string;
  lang: string;
  to_email: string;
  subject: string;
  body: string;
  params: unknown;
  dedupe_key: string | null;
  sent_at: Date;
};

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
  };
}

/**
 * Writes the notice into the outbox in the caller's transaction. Returns false, writing nothing,
 * when the account already has a notice with the same dedupe key (a NULL key never conflicts).
 */
export async function insertNotice(trx: Transaction<Database>, n: NoticeRecord): Promise<boolean> {
  const written = await trx
    .insertInto('notices')
    .values({
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
    })
    .onConflict((oc) => oc.columns(['account_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return written !== undefined;
}

/** An account's notices, newest first, by time and then id (1 ms clock resolution). */
export async function listNotices(db: Db | Transaction<Database>, accountId: string, limit: number): Promise<NoticeRecord[]> {
  const rows = await db.selectFrom('notices').selectAll().where('account_id', '=', accountId).orderBy('sent_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(toNotice);
}
