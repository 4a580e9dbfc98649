/** Use cases of accounts and portal sessions. */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../store/tables.js';
import type { AccountRecord } from '../store/accounts.js';
import { emailKey, findAccount, findAccountIdByEmail, insertAccount, listAccounts as listAccountRows, lockAccount, moveAccountEmail, updateAccountFacts } from '../store/accounts.js';
import { findMemberByEmail, moveOwnerEmail } from '../store/members.js';
import type { SessionRow } from '../store/sessions.js';
import { deleteSessions, insertSession, findSession, listLiveSessions, purgeExpiredSessions, sessionIdOf } from '../store/sessions.js';
import { stateCacheOf } from './state-cache.js';
import type { Refusal } from '../domain/refusals.js';
import { isRefusal, refuse } from '../domain/refusals.js';
import { ACCOUNT_OPTIONS } from '../domain/catalog.js';
import type { Actor, AppContext } from './context.js';
import { newId, nowInstant, nowIso, isoInstant } from './context.js';
import { audit } from './audit.js';
import { hasSeats, registerOwner } from './members.js';
import { sendNotice } from './notices.js';

export interface CreateAccountInput {
  email: string;
  name: string;
  product: string;
  options?: Record<string, string> | undefined;
}

export type AccountView = Omit<AccountRecord, 'productId'> & { product: string };

export function accountView(a: AccountRecord): AccountView {
  return { id: a.id, email: a.email, name: a.name, product: a.productId, options: a.options, createdAt: a.createdAt };
}

/** Creates an account on its product (one email, one account: SPEC B11). */
export async function createAccount(ctx: AppContext, trx: Transaction<Database>, actor: Actor, input: CreateAccountInput): Promise<AccountView | Refusal> {
  const product = ctx.catalog.product(input.product);
  if (!product) return refuse('unknown_product', { product: input.product, choices: ctx.catalog.products.map((p) => p.id).join(', ') }, 'product');
  const defaults: Record<string, string> = {};
  for (const [name, def] of Object.entries(product.options ?? {})) defaults[name] = def.default;
  const options = withOptions(ctx, product.id, defaults, input.options);
  if (isRefusal(options)) return options;
  const account: AccountRecord = { id: newId('acc'), email: input.email.trim(), name: input.name.trim(), productId: product.id, options, createdAt: nowIso(ctx) };
  if (!(await insertAccount(trx, account))) return refuse('email_taken', { email: account.email }, 'email');
  const view = accountView(account);
  await audit(ctx, trx, actor, { accountId: account.id, action: 'account.created', subjectType: 'account', subjectId: account.id, after: view });
  if (hasSeats(ctx, account)) await registerOwner(ctx, trx, actor, account);
  return view;
}

/** `given` applied over `base`, each checked against the product's options and the account's own (`lang`). */
function withOptions(ctx: AppContext, productId: string, base: Record<string, string>, given: Record<string, string> | undefined): Record<string, string> | Refusal {
  const product = ctx.catalog.product(productId);
  const options = { ...base };
  for (const [name, value] of Object.entries(given ?? {})) {
    // Own properties only: `options: {"constructor": …}` is an unknown option, not Object's constructor.
    const def = (product?.options && Object.hasOwn(product.options, name) ? product.options[name] : undefined) ?? (Object.hasOwn(ACCOUNT_OPTIONS, name) ? ACCOUNT_OPTIONS[name] : undefined);
    if (!def) return refuse('invalid_option', { option: name, value, choices: '(none: this product has no such option)' }, `options.${name}`);
    if (!def.values.includes(value)) return refuse('invalid_option', { option: name, value, choices: def.values.join(', ') }, `options.${name}`);
    options[name] = value;
  }
  return options;
}

export interface UpdateAccountInput {
  email?: string | undefined;
  name?: string | undefined;
  options?: Record<string, string> | undefined;
}

/**
 * The operator corrects an account — or the customer its own name and notices' language
 * (`customerMayNotChange`): its email (still one email, one account — B11; the owner-manager
 * member follows it, and notices go to it from now on), its name (documents already issued keep the
 * name they were issued to, §6), its options. Audited with what changed; nothing changed, nothing
 * written.
 */
export async function updateAccount(ctx: AppContext, trx: Transaction<Database>, actor: Actor, id: string, input: UpdateAccountInput): Promise<AccountView | Refusal> {
  const account = await lockAccount(trx, id);
  if (!account) return refuse('account_not_found', { id });
  if (actor.kind === 'customer') {
    const vendors = customerMayNotChange(account, input);
    if (vendors) return vendors;
  }
  const options = withOptions(ctx, account.productId, account.options, input.options);
  if (isRefusal(options)) return options;
  const next: AccountRecord = { ...account, email: input.email?.trim() ?? account.email, name: input.name?.trim() ?? account.name, options };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of ['email', 'name', 'options'] as const) {
    if (JSON.stringify(account[key]) === JSON.stringify(next[key])) continue;
    before[key] = account[key];
    after[key] = next[key];
  }
  if (Object.keys(after).length === 0) return accountView(account);
  if (after.email !== undefined) {
    const moved = await moveEmail(ctx, trx, account, next.email);
    if (moved) return moved;
  }
  if (after.name !== undefined || after.options !== undefined) await updateAccountFacts(trx, id, { name: next.name, options: next.options });
  await audit(ctx, trx, actor, { accountId: id, action: 'account.updated', subjectType: 'account', subjectId: id, before, after });
  return accountView(next);
}

/**
 * The account moves to another address (B11, one email one account): claimed in the same index as
 * at creation, the old one freed; the owner-manager member follows. Refused when another account
 * has it (`email_taken`) or another member of this one (`member_email_taken`).
 */
export async function moveEmail(ctx: AppContext, trx: Transaction<Database>, account: AccountRecord, email: string): Promise<Refusal | undefined> {
  if (emailKey(email) !== emailKey(account.email)) {
    const member = await findMemberByEmail(trx, account.id, email);
    if (member && member.role !== 'owner') return refuse('member_email_taken', { email }, 'email');
  }
  if (!(await moveAccountEmail(trx, account.id, account.email, email))) return refuse('email_taken', { email }, 'email');
  if (hasSeats(ctx, account)) await moveOwnerEmail(trx, account.id, email);
  return undefined;
}

/** What a customer may change of its own account from the portal: its name and its notices' language. */
const CUSTOMER_CHANGEABLE_OPTIONS: readonly string[] = ['lang'];

/**
 * A customer changes its name (the addressee of its next documents) and its notices' language here;
 * its email only with a confirmation mailed to the new address (email-changes.ts); the product's
 * options (what it buys) stay with the vendor. The same value again is no change and passes.
 */
function customerMayNotChange(account: AccountRecord, input: UpdateAccountInput): Refusal | undefined {
  if (input.email !== undefined && input.email.trim() !== account.email) return refuse('email_needs_confirmation', {}, 'email');
  for (const [name, value] of Object.entries(input.options ?? {})) {
    if (CUSTOMER_CHANGEABLE_OPTIONS.includes(name) || account.options[name] === value) continue;
    return refuse('changed_by_vendor', { field: `options.${name}` }, `options.${name}`);
  }
  return undefined;
}

export async function getAccount(ctx: AppContext, id: string): Promise<AccountView | Refusal> {
  const a = await findAccount(ctx.db, id);
  return a ? accountView(a) : refuse('account_not_found', { id });
}

export async function listAccounts(ctx: AppContext, opts: { limit: number; product?: string | undefined; email?: string | undefined }): Promise<AccountView[]> {
  return (await listAccountRows(ctx.db, opts)).map(accountView);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A customer token for the portal, valid for the configured minutes. Only its hash is stored. */
export async function createPortalSession(ctx: AppContext, trx: Transaction<Database>, actor: Actor, accountId: string): Promise<{ token: string; expiresAt: string; accountId: string } | Refusal> {
  const account = await findAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const token = `kyc_${randomBytes(24).toString('base64url')}`;
  const now = nowInstant(ctx);
  const expiresAt = isoInstant(now.add({ minutes: ctx.settings.portalSessionMinutes }));
  await purgeExpiredSessions(trx, accountId, isoInstant(now));
  await insertSession(trx, { accountId, tokenHash: hashToken(token), expiresAt, createdAt: isoInstant(now) });
  await audit(ctx, trx, actor, { accountId, action: 'portal_session.created', subjectType: 'account', subjectId: accountId, after: { expiresAt } });
  return { token, expiresAt, accountId };
}

/** What `POST /v1/portal-links` answers, the same whether or not an account has the address. */
export interface PortalLinkAnswer {
  email: string;
}

/** Sign-in links mailed to one account at most once in this many minutes (a second request in them sends nothing). */
const PORTAL_LINK_EVERY_MINUTES = 10;

const PORTAL_LINK: Actor = { kind: 'system', name: 'portal-link' };

/**
 * A customer whose portal link expired asks for a new one by its email: when an account has that
 * address, a new portal session is made and its link mailed there (a `portal-link` notice) — to
 * the account's own address only, so the link reaches no one else. The answer is the same either
 * way, so the endpoint does not tell who has an account. At most one link an account in
 * `PORTAL_LINK_EVERY_MINUTES` (the notice's dedupe key holds the slot; two requests at once send
 * one). The link points at `publicUrl`, never at the request's Host header.
 */
export async function sendPortalLink(ctx: AppContext, trx: Transaction<Database>, email: string): Promise<PortalLinkAnswer> {
  const answer = { email: email.trim() };
  const accountId = await findAccountIdByEmail(trx, answer.email);
  const account = accountId ? await lockAccount(trx, accountId) : undefined;
  if (!account) return answer;
  const token = `kyc_${randomBytes(24).toString('base64url')}`;
  const now = nowInstant(ctx);
  const minutes = ctx.settings.portalSessionMinutes;
  const expiresAt = isoInstant(now.add({ minutes }));
  const slot = Math.floor(now.epochMilliseconds / (PORTAL_LINK_EVERY_MINUTES * 60_000));
  // Set at the start (KEIYAKU_PUBLIC_URL, or the address listened at); a server never listening (tests) has none.
  const base = ctx.settings.publicUrl ?? 'http://127.0.0.1:3000';
  const sent = await sendNotice(ctx, trx, { accountId: account.id, kind: 'portal-link', params: { url: `${base}/portal#token=${token}`, minutes }, dedupeKey: `portal-link:${slot}` });
  if (!sent) return answer;
  await purgeExpiredSessions(trx, account.id, isoInstant(now));
  await insertSession(trx, { accountId: account.id, tokenHash: hashToken(token), expiresAt, createdAt: isoInstant(now) });
  await audit(ctx, trx, PORTAL_LINK, { accountId: account.id, action: 'portal_session.created', subjectType: 'account', subjectId: account.id, after: { expiresAt, mailedTo: account.email } });
  return answer;
}

/**
 * The account of a portal token, by the token's hash (`hashToken`), while its session lasts and
 * has not been ended. The session is found once a process through the state cache (issue 8: a
 * customer's later requests need no query), which drops it with its account's other cached facts
 * when a change to the account is announced — ending a session is one, in every process.
 */
export async function customerOfTokenHash(ctx: AppContext, tokenHash: string): Promise<string | undefined> {
  const load = async () => {
    const row = await findSession(ctx.db, tokenHash);
    return row ? { accountId: row.accountId, expiresAt: Temporal.Instant.from(row.expiresAt) } : undefined;
  };
  const cache = stateCacheOf(ctx);
  const session = cache ? await cache.session(tokenHash, load) : await load();
  if (!session) return undefined;
  return Temporal.Instant.compare(session.expiresAt, nowInstant(ctx)) > 0 ? session.accountId : undefined;
}

/**
 * Signing out of the portal: the session of the token that asks ends at once, in every server
 * process (a customer token only: the operator key is no session).
 */
export async function endPortalSession(ctx: AppContext, trx: Transaction<Database>, actor: Actor, tokenHash: string | null): Promise<{ ended: true } | Refusal> {
  if (actor.kind !== 'customer' || !tokenHash) return refuse('not_a_portal_session');
  await deleteSessions(trx, actor.accountId, nowIso(ctx), { tokenHash });
  await audit(ctx, trx, actor, { accountId: actor.accountId, action: 'portal_session.ended', subjectType: 'account', subjectId: actor.accountId });
  return { ended: true };
}

/**
 * The operator ends every portal session of an account (a link sent to the wrong person, a
 * customer's staff gone): their tokens are refused from the commit on, in every server process.
 */
export async function revokePortalSessions(ctx: AppContext, trx: Transaction<Database>, actor: Actor, accountId: string): Promise<{ accountId: string; revoked: number } | Refusal> {
  const account = await findAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const revoked = await deleteSessions(trx, accountId, nowIso(ctx));
  await audit(ctx, trx, actor, { accountId, action: 'portal_session.revoked', subjectType: 'account', subjectId: accountId, after: { revoked } });
  return { accountId, revoked };
}

/**
 * The account's portal sessions that still let their token in: when made, until when, and
 * `current` for the one of `callerHash` (a customer's own token; the operator's is none).
 */
export async function listPortalSessions(ctx: AppContext, accountId: string, callerHash: string | null = null): Promise<{ sessions: Array<SessionRow & { current: boolean }> } | Refusal> {
  const account = await findAccount(ctx.db, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const own = callerHash ? sessionIdOf(callerHash) : null;
  return { sessions: (await listLiveSessions(ctx.db, accountId, nowIso(ctx))).map((row) => ({ ...row, current: row.id === own })) };
}

/** The operator — or the customer, one of its own — ends one portal session of an account, by its id from the list. */
export async function revokePortalSession(ctx: AppContext, trx: Transaction<Database>, actor: Actor, accountId: string, sessionId: string): Promise<{ ended: true } | Refusal> {
  const account = await findAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const revoked = /^ps_[0-9a-f]{16}$/.test(sessionId) ? await deleteSessions(trx, accountId, nowIso(ctx), { id: sessionId }) : 0;
  if (revoked === 0) return refuse('portal_session_not_found', { id: sessionId, accountId });
  await audit(ctx, trx, actor, { accountId, action: 'portal_session.revoked', subjectType: 'account', subjectId: accountId, after: { revoked, sessionId } });
  return { ended: true };
}
