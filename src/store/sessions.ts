/** Portal sessions: customer tokens, stored only as their SHA-256 hash. */
import { sql, type Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

export async function insertSession(trx: Transaction<Database>, s: { accountId: string; tokenHash: string; expiresAt: string; createdAt: string }): Promise<void> {
  await trx.insertInto('portal_sessions').values({ account_id: s.accountId, token_hash: s.tokenHash, expires_at: s.expiresAt, created_at: s.createdAt }).execute();
}

export async function findSession(db: Db, tokenHash: string): Promise<{ accountId: string; expiresAt: string } | undefined> {
  const row = await db.selectFrom('portal_sessions').select(['account_id', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? { accountId: row.account_id, expiresAt: row.expires_at.toISOString() } : undefined;
}

/** An instant as a parameter compared with a `timestamptz` column. */
const at = (iso: string) => sql<Date>`${iso}::timestamptz`;

/** The public id of a session: a prefix of its token's hash (the token itself is never stored). */
export function sessionIdOf(tokenHash: string): string {
  return `ps_${tokenHash.slice(0, 16)}`;
}

export interface SessionRow {
  id: string;
  createdAt: string;
  expiresAt: string;
}

/** An account's sessions that last beyond `now`, newest first. */
export async function listLiveSessions(db: Db, accountId: string, now: string): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('portal_sessions')
    .select(['token_hash', 'created_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', at(now))
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .execute();
  return rows.map((r) => ({ id: sessionIdOf(r.token_hash), createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString() }));
}

/**
 * Deletes an account's portal sessions — one (by its token's hash, or by its public id) or all —
 * and, with them, the account's sessions that have expired. Returns how many of those deleted
 * were still live at `now` (an expired token was already refused: ending it ends nothing).
 */
export async function deleteSessions(trx: Transaction<Database>, accountId: string, now: string, which?: { tokenHash: string } | { id: string }): Promise<number> {
  let q = trx.deleteFrom('portal_sessions').where('account_id', '=', accountId);
  if (which && 'tokenHash' in which) q = q.where((eb) => eb.or([eb('token_hash', '=', which.tokenHash), eb('expires_at', '<=', at(now))]));
  if (which && 'id' in which) q = q.where((eb) => eb.or([eb('token_hash', 'like', `${which.id.slice(3)}%`), eb('expires_at', '<=', at(now))]));
  const rows = await q.returning(['token_hash', 'expires_at']).execute();
  const nowMs = Date.parse(now);
  return rows.filter((r) => new Date(r.expires_at).getTime() > nowMs).length;
}

/** Deletes an account's expired sessions (kept no longer than the account's next new session). */
export async function purgeExpiredSessions(trx: Transaction<Database>, accountId: string, now: string): Promise<void> {
  await trx.deleteFrom('portal_sessions').where('account_id', '=', accountId).where('expires_at', '<=', at(now)).execute();
}
