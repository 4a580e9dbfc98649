/** Members and seats (SPEC S8, S9): registration within the seat limit, deactivation, reactivation. */
import { Temporal } from 'temporal-polyfill';
import type { AccountRecord } from '../store/accounts.js';
import { findAccount, lockAccount } from '../store/accounts.js';
import type { MemberRecord } from '../store/members.js';
import { countActiveMembers, findMember, findMemberByEmail, insertMember, listMembers, updateMemberDetails, updateMemberStatus } from '../store/members.js';
import type { PlainDate } from '../domain/calendar.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import { AUTO_DEACTIVATION_GROUP, chooseDeactivations } from '../domain/seats.js';
import type { Actor, AppContext, Tx } from './context.js';
import { newId, today, nowIso } from './context.js';
import { loadFacts, stateOf } from './state.js';
import { audit } from './audit.js';
import { readAccount } from './state-cache.js';

export function memberView(m: MemberRecord) {
  return { id: m.id, email: m.email, name: m.name, role: m.role, status: m.status, groups: m.groups, registeredAt: m.registeredAt, canLogIn: m.status === 'active' };
}
export type MemberView = ReturnType<typeof memberView>;

/** Whether the account's product has seats at all (teamspace does; premium and ebook5 do not). */
export function hasSeats(ctx: AppContext, account: AccountRecord): boolean {
  return !!ctx.catalog.product(account.productId)?.plans.some((p) => p.limits.seats !== undefined);
}

/** The owner-manager: the account's own email, registered with the account (never deactivated, S9). */
export async function registerOwner(ctx: AppContext, trx: Tx, actor: Actor, account: AccountRecord): Promise<void> {
  const owner: Omit<MemberRecord, 'seq'> = { accountId: account.id, id: newId('mem'), email: account.email, name: account.name, role: 'owner', status: 'active', groups: [], registeredAt: nowIso(ctx) };
  await insertMember(trx, owner);
  await audit(ctx, trx, actor, { accountId: account.id, action: 'member.registered', subjectType: 'member', subjectId: owner.id, after: { email: owner.email, role: 'owner' } });
}

async function seatLimit(ctx: AppContext, trx: Tx, account: AccountRecord, date: PlainDate): Promise<{ limit: number; paid: boolean }> {
  const state = stateOf(ctx, await loadFacts(trx, account), date);
  return { limit: state.seats?.limit ?? 0, paid: state.contract !== null };
}

/**
 * Registers a member if a seat is free today. The account row is locked first, so concurrent
 * registrations never exceed the limit.
 */
export async function registerMember(ctx: AppContext, trx: Tx, actor: Actor, input: { accountId: string; email: string; name: string; role?: 'member' | undefined }): Promise<MemberView | Refusal> {
  const account = await lockAccount(trx, input.accountId);
  if (!account) return refuse('account_not_found', { id: input.accountId });
  if (!hasSeats(ctx, account)) return refuse('members_not_offered', { product: account.productId });
  if (await findMemberByEmail(trx, account.id, input.email)) return refuse('member_email_taken', { email: input.email.trim() }, 'email');
  const date = today(ctx);
  const { limit, paid } = await seatLimit(ctx, trx, account, date);
  if ((await countActiveMembers(trx, account.id)) >= limit) return refuse('seat_limit_reached', { limit, date: date.toString(), plan: paid ? 'paid' : 'free' });
  const member: Omit<MemberRecord, 'seq'> = { accountId: account.id, id: newId('mem'), email: input.email.trim(), name: input.name.trim(), role: 'member', status: 'active', groups: [], registeredAt: nowIso(ctx) };
  if (!(await insertMember(trx, member))) return refuse('member_email_taken', { email: member.email }, 'email');
  const view = memberView({ ...member, seq: 0 });
  await audit(ctx, trx, actor, { accountId: account.id, action: 'member.registered', subjectType: 'member', subjectId: member.id, after: view });
  return view;
}

/** Reactivates a deactivated member when a seat is free (S9 Decision). */
export async function reactivateMember(ctx: AppContext, trx: Tx, actor: Actor, accountId: string, memberId: string): Promise<MemberView | Refusal> {
  const account = await lockAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const member = await findMember(trx, accountId, memberId);
  if (!member) return refuse('member_not_found', { id: memberId });
  if (member.status === 'active') return refuse('member_already_active', { id: memberId });
  const date = today(ctx);
  const { limit, paid } = await seatLimit(ctx, trx, account, date);
  if ((await countActiveMembers(trx, account.id)) >= limit) return refuse('seat_limit_reached', { limit, date: date.toString(), plan: paid ? 'paid' : 'free' });
  const groups = member.groups.filter((g) => g !== AUTO_DEACTIVATION_GROUP);
  await updateMemberStatus(trx, accountId, memberId, 'active', groups);
  const after = memberView({ ...member, status: 'active', groups });
  await audit(ctx, trx, actor, { accountId, action: 'member.reactivated', subjectType: 'member', subjectId: memberId, before: memberView(member), after });
  return after;
}

/**
 * The customer (or the operator for it) corrects a member's name or email — a typo at
 * registration, a new name — without taking or freeing a seat. The email stays one member's in the
 * account (409 `member_email_taken`); the owner-manager's email is the account's own and changes
 * only with a confirmation (409 `owner_email_is_account_email`). The same values again change
 * nothing and record nothing. Audited `member.updated` (the member before and after).
 */
export async function updateMember(ctx: AppContext, trx: Tx, actor: Actor, accountId: string, memberId: string, input: { name?: string | undefined; email?: string | undefined }): Promise<MemberView | Refusal> {
  const account = await lockAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const member = await findMember(trx, accountId, memberId);
  if (!member) return refuse('member_not_found', { id: memberId });
  const name = input.name?.trim() ?? member.name;
  const email = input.email?.trim() ?? member.email;
  const emailChanged = email !== member.email;
  if (emailChanged && member.role === 'owner') return refuse('owner_email_is_account_email', { email: member.email }, 'email');
  if (name === member.name && !emailChanged) return memberView(member);
  if (!(await updateMemberDetails(trx, accountId, memberId, { name, email }))) return refuse('member_email_taken', { email }, 'email');
  const after = memberView({ ...member, name, email });
  await audit(ctx, trx, actor, { accountId, action: 'member.updated', subjectType: 'member', subjectId: memberId, before: memberView(member), after });
  return after;
}

/**
 * The customer (or the operator for it) deactivates a member by hand — someone who left — and so
 * frees a seat at once: the member can no longer log in and keeps all its data, outside the
 * "Auto Deactivation" group (that group is for the members the seat limit's drop chose, S9), and
 * can be reactivated like any deactivated member. Never the owner-manager (S9 Decision). Audited.
 */
export async function deactivateMember(ctx: AppContext, trx: Tx, actor: Actor, accountId: string, memberId: string): Promise<MemberView | Refusal> {
  const account = await lockAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const member = await findMember(trx, accountId, memberId);
  if (!member) return refuse('member_not_found', { id: memberId });
  if (member.role === 'owner') return refuse('owner_never_deactivated', { email: member.email });
  if (member.status === 'deactivated') return refuse('member_already_deactivated', { id: memberId });
  await updateMemberStatus(trx, accountId, memberId, 'deactivated', member.groups);
  const after = memberView({ ...member, status: 'deactivated' });
  await audit(ctx, trx, actor, { accountId, action: 'member.deactivated', subjectType: 'member', subjectId: memberId, before: memberView(member), after: { ...after, reason: 'by_hand' } });
  return after;
}

/**
 * S9: after the seat limit dropped on `date`, deactivates the excess members (the ending spot's
 * registrations first, latest first; never the owner), moving them into "Auto Deactivation".
 * Returns how many were deactivated.
 */
export async function deactivateExcess(ctx: AppContext, trx: Tx, actor: Actor, account: AccountRecord, date: PlainDate, spot?: { start: PlainDate; end: PlainDate }): Promise<number> {
  const { limit } = await seatLimit(ctx, trx, account, date);
  const chosen = excessDeactivations(ctx, await listMembers(trx, account.id), limit, spot);
  for (const d of chosen) {
    await updateMemberStatus(trx, account.id, d.member.id, 'deactivated', d.groups);
    await audit(ctx, trx, actor, deactivationEvent(d, limit));
  }
  return chosen.length;
}

/**
 * S9 (pure): the members deactivated when the seat limit is `limit` — the latest registered first
 * (those registered during the spot before others), never the owner — each with its groups after
 * (Auto Deactivation added).
 */
export function excessDeactivations(ctx: AppContext, members: readonly MemberRecord[], limit: number, spot?: { start: PlainDate; end: PlainDate }): Array<{ member: MemberRecord; groups: string[] }> {
  const tz = ctx.settings.timeZone;
  const window = spot ? { from: spot.start.toZonedDateTime({ timeZone: tz }).toInstant(), to: spot.end.add({ days: 1 }).toZonedDateTime({ timeZone: tz }).toInstant() } : undefined;
  const chosen = chooseDeactivations(
    // registeredAt is `toISOString()` text (src/store/members.ts): exact in milliseconds, parsed natively.
    members.map((m) => ({ id: m.id, role: m.role, status: m.status, registeredAt: Temporal.Instant.fromEpochMilliseconds(Date.parse(m.registeredAt)), seq: m.seq })),
    limit,
    window,
  );
  return chosen.map((id) => {
    const member = members.find((m) => m.id === id)!;
    return { member, groups: [...member.groups.filter((g) => g !== AUTO_DEACTIVATION_GROUP), AUTO_DEACTIVATION_GROUP] };
  });
}

/** The audit event of a member deactivated because the seat limit dropped. */
export function deactivationEvent(d: { member: MemberRecord; groups: string[] }, limit: number) {
  const { member, groups } = d;
  return {
    accountId: member.accountId,
    action: 'member.deactivated',
    subjectType: 'member',
    subjectId: member.id,
    before: memberView(member),
    after: { ...memberView({ ...member, status: 'deactivated', groups }), reason: 'seat_limit_dropped', limit },
  };
}

export async function listAccountMembers(ctx: AppContext, accountId: string, opts: { status?: string | undefined; group?: string | undefined }): Promise<MemberView[] | Refusal> {
  const account = await findAccount(ctx.db, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  return (await listMembers(ctx.db, accountId, opts)).map(memberView);
}

export async function getMember(ctx: AppContext, accountId: string, memberId: string): Promise<MemberView | Refusal> {
  // From the state cache (the login check asks for canLogIn): no query when the account is hot.
  const cached = await readAccount(ctx, accountId);
  if (!cached) return refuse('account_not_found', { id: accountId });
  const member = cached.members.get(memberId);
  return member ? memberView(member) : refuse('member_not_found', { id: memberId });
}
