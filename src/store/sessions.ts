/** Portal sessions: customer tokens, stored only as their SHA-256 hash. */
import type { Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

export async function insertSession(trx: Transaction<Database>, s: { accountId: string; tokenHash: string; expiresAt: string; createdAt: string }): Promise<void> {
  await trx.insertInto('portal_sessions').values({ account_id: s.accountId, token_hash: s.tokenHash, expires_at: s.expiresAt, created_at: s.createdAt }).execute();
}

export async function findSession(db: Db, tokenHash: string): Promise<{ accountId: string; expiresAt: string } | undefined> {
  const row = await db.selectFrom('portal_sessions').select(['account_id', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? { accountId: row.account_id, expiresAt: row.expires_at.toISOString() } : undefined;
}

/** Deletes an account's portal sessions — one (by its token's hash) or all; returns how many there were. */
export async function deleteSessions(trx: Transaction<Database>, accountId: string, tokenHash?: string): Promise<number> {
  let q = trx.deleteFrom('portal_sessions').where('account_id', '=', accountId);
  if (tokenHash !== undefined) q = q.where('token_hash', '=', tokenHash);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}
