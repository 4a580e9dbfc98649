/**
 * A customer changes its own email (B11: one email, one account) with a confirmation: the link is
 * mailed to the new address, and opening it moves the account there — so the address is one the
 * customer really reads, and the link never reaches anyone else. The old address is told.
 * docs/decisions.md "The customer's own email".
 */
import { randomBytes } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { emailKey, findAccount, findAccountIdByEmail, lockAccount } from '../store/accounts.js';
import { findMemberByEmail } from '../store/members.js';
import { deleteEmailChanges, findEmailChange, findPendingEmailChange, replaceEmailChange } from '../store/email-changes.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { isoInstant, nowInstant } from './context.js';
import { audit } from './audit.js';
import { accountView, hashToken, moveEmail } from './accounts.js';
import type { AccountView } from './accounts.js';
import { sendNotice } from './notices.js';

/** How long a confirmation link works. */
const CONFIRM_MINUTES = 24 * 60;
/** Asked again for the address already waiting within this many minutes: no second mail (the first link works). */
const RESEND_MINUTES = 10;

export interface EmailChangeAsked {
  email: string;
  expiresAt: string;
}

/**
 * The customer (or the operator for it) asks to move the account to `email`: refused at once when it
 * is the account's already, another account's or another member's; else a confirmation is mailed to
 * the new address and waits there (an earlier one of the account is replaced). Audited.
 */
export async function requestEmailChange(ctx: AppContext, trx: Transaction<Database>, actor: Actor, accountId: string, email: string): Promise<EmailChangeAsked | Refusal> {
  const account = await lockAccount(trx, accountId);
  if (!account) return refuse('account_not_found', { id: accountId });
  const next = email.trim();
  if (emailKey(next) === emailKey(account.email)) return refuse('email_unchanged', { email: next }, 'email');
  if (await findAccountIdByEmail(trx, next)) return refuse('email_taken', { email: next }, 'email');
  const member = await findMemberByEmail(trx, account.id, next);
  if (member && member.role !== 'owner') return refuse('member_email_taken', { email: next }, 'email');
  const now = nowInstant(ctx);
  // Asked again for the address whose link is the one waiting, within minutes: the mail already
  // sent stands (its link works). Under the account's lock, so requests at once mail it once; an
  // address asked for after another one (which replaced it) is mailed a new link.
  const pending = await findPendingEmailChange(trx, account.id, isoInstant(now));
  if (pending && emailKey(pending.newEmail) === emailKey(next) && Temporal.Instant.compare(Temporal.Instant.from(pending.createdAt).add({ minutes: RESEND_MINUTES }), now) > 0) {
    return { email: next, expiresAt: pending.expiresAt };
  }
  const code = `kye_${randomBytes(24).toString('base64url')}`;
  const expiresAt = isoInstant(now.add({ minutes: CONFIRM_MINUTES }));
  // Set at the start (KEIYAKU_PUBLIC_URL, or the address listened at); a server never listening (tests) has none.
  const base = ctx.settings.publicUrl ?? 'http://127.0.0.1:3000';
  await sendNotice(ctx, trx, {
    accountId: account.id,
    kind: 'email-change-confirm',
    params: { url: `${base}/portal/confirm-email#code=${code}`, newEmail: next, minutes: CONFIRM_MINUTES },
    to: next,
  });
  await replaceEmailChange(trx, { accountId: account.id, codeHash: hashToken(code), oldEmail: account.email, newEmail: next, expiresAt, createdAt: isoInstant(now) });
  await audit(ctx, trx, actor, { accountId: account.id, action: 'account.email_change_requested', subjectType: 'account', subjectId: account.id, after: { email: next, expiresAt } });
  return { email: next, expiresAt };
}

/**
 * The link mailed to the new address was opened: the account moves there (the owner-manager
 * follows), the old address is told, and the link is used up. A link that is unknown, used or
 * expired is 404 `email_change_not_found`; one sent before the email changed otherwise, 409
 * `email_change_outdated`; an address another account took meanwhile, 409 `email_taken`.
 */
export async function confirmEmailChange(ctx: AppContext, trx: Transaction<Database>, code: string): Promise<AccountView | Refusal> {
  const now = isoInstant(nowInstant(ctx));
  const found = await findEmailChange(trx, hashToken(code), now);
  const account = found ? await lockAccount(trx, found.accountId) : undefined;
  // Read again under the account's lock: a second confirmation at once finds the link used up.
  const change = account ? await findEmailChange(trx, hashToken(code), now) : undefined;
  if (!account || !change) return refuse('email_change_not_found', {});
  if (account.email !== change.oldEmail) return refuse('email_change_outdated', { email: change.oldEmail });
  const moved = await moveEmail(ctx, trx, account, change.newEmail);
  if (moved) return moved;
  await deleteEmailChanges(trx, account.id);
  await sendNotice(ctx, trx, { accountId: account.id, kind: 'email-changed', params: { oldEmail: change.oldEmail, newEmail: change.newEmail }, to: change.oldEmail });
  const actor: Actor = { kind: 'customer', accountId: account.id };
  await audit(ctx, trx, actor, { accountId: account.id, action: 'account.updated', subjectType: 'account', subjectId: account.id, before: { email: change.oldEmail }, after: { email: change.newEmail, confirmedBy: 'link mailed to the new address' } });
  const updated = await findAccount(trx, account.id);
  return accountView(updated ?? { ...account, email: change.newEmail });
}
