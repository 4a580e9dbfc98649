/** Account members: who holds a seat (SPEC S8, S9). Never deleted. */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, MembersTable } from './tables.js';
import type { Db } from './db.js';

export interface MemberRecord {
  accountId: string;
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'member';
  status: 'active' | 'deactivated';
  groups: string[];
  registeredAt: string;
  seq: number;
}

/** A member row as read — `registered_at` a Date, or its JSON text when read as JSON (src/store/facts.ts). */
export function toMember(r: Omit<Selectable<MembersTable>, 'email_key' | 'registered_at'> & { registered_at: Date | string }): MemberRecord {
  return {
    accountId: r.account_id,
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as MemberRecord['role'],
    status: r.status as MemberRecord['status'],
    groups: r.groups as string[],
    // JSON shows a timestamp in the session's time zone: the same instant as an ISO string.
    registeredAt: (typeof r.registered_at === 'string' ? new Date(r.registered_at) : r.registered_at).toISOString(),
    seq: Number(r.seq),
  };
}

/** Inserts a member unless the email is already a member of the account; returns false then. */
export async function insertMember(trx: Transaction<Database>, m: Omit<MemberRecord, 'seq'>): Promise<boolean> {
  const row = await trx
    .insertInto('members')
    .values({ account_id: m.accountId, id: m.id, email: m.email, email_key: m.email.trim().toLowerCase(), name: m.name, role: m.role, status: m.status, groups: JSON.stringify(m.groups), registered_at: m.registeredAt })
    .onConflict((oc) => oc.columns(['account_id', 'email_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

export async function findMemberByEmail(db: Db | Transaction<Database>, accountId: string, email: string): Promise<MemberRecord | undefined> {
  const row = await db.selectFrom('members').selectAll().where('account_id', '=', accountId).where('email_key', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row ? toMember(row) : undefined;
}

export async function countActiveMembers(db: Db | Transaction<Database>, accountId: string): Promise<number> {
  const row = await db.selectFrom('members').select(sql<string>`count(*)`.as('n')).where('account_id', '=', accountId).where('status', '=', 'active').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listMembers(db: Db | Transaction<Database>, accountId: string, opts: { status?: string | undefined; group?: string | undefined } = {}): Promise<MemberRecord[]> {
  let q = db.selectFrom('members').selectAll().where('account_id', '=', accountId).orderBy('registered_at').orderBy('seq');
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.group) q = q.where(sql<boolean>`groups @> ${JSON.stringify([opts.group])}::jsonb`);
  return (await q.execute()).map(toMember);
}

export async function findMember(db: Db | Transaction<Database>, accountId: string, id: string): Promise<MemberRecord | undefined> {
  const row = await db.selectFrom('members').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  return row ? toMember(row) : undefined;
}

export async function updateMemberStatus(trx: Transaction<Database>, accountId: string, id: string, status: MemberRecord['status'], groups: string[]): Promise<void> {
  await trx.updateTable('members').set({ status, groups: JSON.stringify(groups) }).where('account_id', '=', accountId).where('id', '=', id).execute();
}

/**
 * The active members of several accounts at once, by account, in registration order: what a seat
 * limit counts and deactivates (S9). Deactivated members are kept for good (G5), so an account's
 * list only grows; the scheduler reads none of them.
 */
export async function listActiveMembersOf(db: Db | Transaction<Database>, accountIds: readonly string[]): Promise<Map<string, MemberRecord[]>> {
  const out = new Map<string, MemberRecord[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return out;
  const rows = await db
    .selectFrom('members')
    .selectAll()
    .where('account_id', '=', sql<string>`any(${[...accountIds]}::text[])`)
    .where('status', '=', 'active')
    .orderBy('account_id')
    .orderBy('registered_at')
    .orderBy('seq')
    .execute();
  for (const r of rows) out.get(r.account_id)?.push(toMember(r));
  return out;
}

/** Sets the status and groups of many members (any accounts) in one statement. */
export async function updateMemberStatuses(trx: Transaction<Database>, rows: ReadonlyArray<{ accountId: string; id: string; status: MemberRecord['status']; groups: string[] }>): Promise<void> {
  if (rows.length === 0) return;
  await sql`update members set status = v.status, groups = v.groups::jsonb
    from unnest(${rows.map((r) => r.accountId)}::text[], ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => JSON.stringify(r.groups))}::text[]) as v(account_id, id, status, groups)
    where members.account_id = v.account_id and members.id = v.id`.execute(trx);
}
