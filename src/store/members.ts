/** Account members: who holds a seat (SPEC S8, S9). Never deleted. */
import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, MembersTable } from './tables.js';
import type { Db } from './db.js';
import { Temporal } from 'temporal-polyfill';
import { chooseDeactivations } from '../domain/seats.js';

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

/** Corrects a member's name and email (its key with it); false when the email is another member's of the account. */
export async function updateMemberDetails(trx: Transaction<Database>, accountId: string, id: string, d: { name: string; email: string }): Promise<boolean> {
  const key = d.email.trim().toLowerCase();
  const taken = await trx.selectFrom('members').select('id').where('account_id', '=', accountId).where('email_key', '=', key).where('id', '!=', id).executeTakeFirst();
  if (taken) return false;
  await trx.updateTable('members').set({ name: d.name, email: d.email, email_key: key }).where('account_id', '=', accountId).where('id', '=', id).execute();
  return true;
}

export async function updateMemberStatus(trx: Transaction<Database>, accountId: string, id: string, status: MemberRecord['status'], groups: string[]): Promise<void> {
  await trx.updateTable('members').set({ status, groups: JSON.stringify(groups) }).where('account_id', '=', accountId).where('id', '=', id).execute();
}

/** How many active members each of several accounts has (what a seat limit counts, S9); 0 for none. */
export async function countActiveMembersOf(db: Db | Transaction<Database>, accountIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(accountIds.map((id) => [id, 0]));
  if (accountIds.length === 0) return out;
  const { rows } = await sql<{ account_id: string; n: string }>`select account_id, count(*) as n from members
    where account_id = any(${[...accountIds]}::text[]) and status = 'active' group by account_id`.execute(db);
  for (const r of rows) out.set(r.account_id, Number(r.n));
  return out;
}

/** An account whose seat limit dropped to `limit`: its excess members are to be deactivated (S9). */
export interface ExcessRequest {
  accountId: string;
  limit: number;
  /** How many: its active members (the owner among them) less the limit, counted with the account locked. */
  count: number;
  /** The ending spot's registrations, as instants [from, to): they go first. */
  window: { from: string; to: string } | null;
}

/**
 * S9 for many accounts in one statement (the scheduler's batch, issue 8): `count` of each
 * account's active members are deactivated — never the owner; those registered in the window
 * first, then the latest registered first (ties by registration order) — and moved into `group`
 * (kept last, once). Returns each as it was, its groups after and its account's limit, by account
 * as asked and then in the order chosen. The same rule as `chooseDeactivations`
 * (src/domain/seats.ts), held to it by test/scenarios/deactivations-sql.test.ts; call it with the
 * accounts locked.
 */
export async function deactivateExcessOf(trx: Transaction<Database>, requests: readonly ExcessRequest[], group: string): Promise<Array<{ member: MemberRecord; groups: string[]; limit: number }>> {
  const asked = requests.filter((q) => q.count > 0);
  if (asked.length === 0) return [];
  // Each account's members ranked on their own (an index scan and a sort of one account's rows),
  // not all the batch's members in one window: planned from the batch's own size, never a scan
  // of the table (measured: 50 ms against 360 ms for 409 accounts of 103 members).
  const { rows } = await sql<Selectable<MembersTable> & { new_groups: string[] }>`
    with r as (
      select * from unnest(${asked.map((q) => q.accountId)}::text[], ${asked.map((q) => q.count)}::int[],
                           ${asked.map((q) => q.window?.from ?? null)}::timestamptz[], ${asked.map((q) => q.window?.to ?? null)}::timestamptz[]) as r(account_id, n, wfrom, wto)
    ), chosen as (
      select c.* from r cross join lateral (
        select m.account_id, m.id, m.email, m.email_key, m.name, m.role, m.status, m.groups, m.registered_at, m.seq
          from members m
         where m.account_id = r.account_id and m.status = 'active' and m.role <> 'owner'
         order by (r.wfrom is not null and m.registered_at >= r.wfrom and m.registered_at < r.wto) desc,
                  date_trunc('milliseconds', m.registered_at) desc, m.seq desc
         limit r.n) c
    )
    update members m
       set status = 'deactivated',
           groups = (select coalesce(jsonb_agg(g order by i), '[]'::jsonb) from jsonb_array_elements(c.groups) with ordinality as e(g, i) where g <> to_jsonb(${group}::text))
                    || jsonb_build_array(${group}::text)
      from chosen c
     where m.account_id = c.account_id and m.id = c.id
    returning c.account_id, c.id, c.email, c.email_key, c.name, c.role, c.status, c.groups, c.registered_at, c.seq, m.groups as new_groups`.execute(trx);
  // RETURNING keeps no order: each account's, put back in the rule's order (every one returned is
  // to be deactivated, so the rule with a limit of 0 orders them all).
  const byAccount = new Map<string, MemberRecord[]>();
  const groupsAfter = new Map<string, string[]>();
  for (const r of rows) {
    const member = toMember(r);
    byAccount.set(member.accountId, [...(byAccount.get(member.accountId) ?? []), member]);
    groupsAfter.set(`${member.accountId} ${member.id}`, r.new_groups);
  }
  return asked.flatMap((q) => {
    const mine = new Map((byAccount.get(q.accountId) ?? []).map((m) => [m.id, m]));
    const holders = [...mine.values()].map((m) => ({ id: m.id, role: m.role, status: m.status, registeredAt: Temporal.Instant.from(m.registeredAt), seq: m.seq }));
    const window = q.window ? { from: Temporal.Instant.from(q.window.from), to: Temporal.Instant.from(q.window.to) } : undefined;
    return chooseDeactivations(holders, 0, window).map((id) => ({ member: mine.get(id)!, groups: groupsAfter.get(`${q.accountId} ${id}`)!, limit: q.limit }));
  });
}

/** The owner-manager follows the account's email (the owner is the account's own address, S9). */
export async function moveOwnerEmail(trx: Transaction<Database>, accountId: string, email: string): Promise<void> {
  await trx.updateTable('members').set({ email, email_key: email.trim().toLowerCase() }).where('account_id', '=', accountId).where('role', '=', 'owner').execute();
}
