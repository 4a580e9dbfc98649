/** Email changes awaiting confirmation: the code mailed to the new address, stored only as its SHA-256 hash. */
import { sql, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

export interface EmailChangeRow {
  accountId: string;
  oldEmail: string;
  newEmail: string;
  expiresAt: string;
}

/** The account's one change awaiting confirmation: an earlier one is replaced. */
export async function replaceEmailChange(trx: Transaction<Database>, c: EmailChangeRow & { codeHash: string; createdAt: string }): Promise<void> {
  await deleteEmailChanges(trx, c.accountId);
  await trx
    .insertInto('email_changes')
    .values({ account_id: c.accountId, code_hash: c.codeHash, old_email: c.oldEmail, new_email: c.newEmail, expires_at: c.expiresAt, created_at: c.createdAt })
    .execute();
}

/** The change a code confirms, while it lasts. */
export async function findEmailChange(db: Db | Transaction<Database>, codeHash: string, now: string): Promise<EmailChangeRow | undefined> {
  const row = await db
    .selectFrom('email_changes')
    .select(['account_id', 'old_email', 'new_email', 'expires_at'])
    .where('code_hash', '=', codeHash)
    .where('expires_at', '>', sql<Date>`${now}::timestamptz`)
    .executeTakeFirst();
  return row ? { accountId: row.account_id, oldEmail: row.old_email, newEmail: row.new_email, expiresAt: row.expires_at.toISOString() } : undefined;
}

/** The account's change awaiting confirmation, while it lasts, with when it was asked for. */
export async function findPendingEmailChange(trx: Transaction<Database>, accountId: string, now: string): Promise<(EmailChangeRow & { createdAt: string }) | undefined> {
  const row = await trx
    .selectFrom('email_changes')
    .select(['account_id', 'old_email', 'new_email', 'expires_at', 'created_at'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', sql<Date>`${now}::timestamptz`)
    .executeTakeFirst();
  return row ? { accountId: row.account_id, oldEmail: row.old_email, newEmail: row.new_email, expiresAt: row.expires_at.toISOString(), createdAt: row.created_at.toISOString() } : undefined;
}

export async function deleteEmailChanges(trx: Transaction<Database>, accountId: string): Promise<void> {
  await trx.deleteFrom('email_changes').where('account_id', '=', accountId).execute();
}
