/** Accounts and their one-email-one-account index (SPEC B11). */
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

export interface AccountRecord {
  id: string;
  email: string;
  name: string;
  productId: string;
  options: Record<string, string>;
  createdAt: string;
}

export type AccountRow = { account_id: string; email: string; name: string; product_id: string; options: unknown; created_at: Date };

export function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.account_id,
    email: row.email,
    name: row.name,
    productId: row.product_id,
    options: row.options as Record<string, string>,
    createdAt: row.created_at.toISOString(),
  };
}

/** Normalised form of an email for the uniqueness check (case-insensitive). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Inserts the account unless its email is taken; returns false when taken. */
export async function insertAccount(trx: Transaction<Database>, a: AccountRecord): Promise<boolean> {
  const claimed = await trx
    .insertInto('account_emails')
    .values({ email: emailKey(a.email), account_id: a.id })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('account_id')
    .executeTakeFirst();
  if (!claimed) return false;
  await trx
    .insertInto('accounts')
    .values({ account_id: a.id, email: a.email, name: a.name, product_id: a.productId, options: JSON.stringify(a.options), created_at: a.createdAt })
    .execute();
  return true;
}

/** The account an email belongs to (case-insensitive, as the one-email-one-account index has it). */
export async function findAccountIdByEmail(db: Db | Transaction<Database>, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('account_emails').select('account_id').where('email', '=', emailKey(email)).executeTakeFirst();
  return row?.account_id;
}

export async function findAccount(db: Db | Transaction<Database>, id: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('account_id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/** Locks the account row: every change to an account's facts is serialised on it. */
export async function lockAccount(trx: Transaction<Database>, id: string): Promise<AccountRecord | undefined> {
  const row = await trx.selectFrom('accounts').selectAll().where('account_id', '=', id).forUpdate().executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/** Locks several accounts (in id order, so two lockers never deadlock); those that exist. */
export async function lockAccounts(trx: Transaction<Database>, ids: readonly string[]): Promise<AccountRecord[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom('accounts').selectAll().where('account_id', '=', sql<string>`any(${[...ids]}::text[])`).orderBy('account_id').forUpdate().execute();
  return rows.map(toAccount);
}

export async function listAccounts(db: Db, opts: { limit: number; product?: string | undefined; email?: string | undefined }): Promise<AccountRecord[]> {
  let q = db.selectFrom('accounts').selectAll().orderBy('created_at', 'desc').orderBy('account_id', 'desc').limit(opts.limit);
  if (opts.product) q = q.where('product_id', '=', opts.product);
  if (opts.email) q = q.where('email', '=', opts.email);
  return (await q.execute()).map(toAccount);
}

/**
 * An account's email moves to another address: the new one is claimed in the one-email-one-account
 * index (false when another account has it) and the old one freed, in the caller's transaction.
 */
export async function moveAccountEmail(trx: Transaction<Database>, accountId: string, from: string, to: string): Promise<boolean> {
  if (emailKey(from) !== emailKey(to)) {
    const claimed = await trx
      .insertInto('account_emails')
      .values({ email: emailKey(to), account_id: accountId })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('account_id')
      .executeTakeFirst();
    if (!claimed) return false;
    await trx.deleteFrom('account_emails').where('email', '=', emailKey(from)).where('account_id', '=', accountId).execute();
  }
  await trx.updateTable('accounts').set({ email: to }).where('account_id', '=', accountId).execute();
  return true;
}

/** The account's name and options as the operator corrected them. */
export async function updateAccountFacts(trx: Transaction<Database>, accountId: string, facts: { name: string; options: Record<string, string> }): Promise<void> {
  await trx.updateTable('accounts').set({ name: facts.name, options: JSON.stringify(facts.options) }).where('account_id', '=', accountId).execute();
}
