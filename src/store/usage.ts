/**
 * Usage gauges (SPEC B4, B5): the last value the vendor's app reported per resource (books,
 * storageMb). A gauge is a level, not a counter: a report replaces the value.
 */
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

/** The account's gauges by resource (`{ books: 7, storageMb: 62 }`); a resource never reported is absent. */
export async function readUsage(db: Db | Transaction<Database>, accountId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('usage_gauges').select(['resource', 'value']).where('account_id', '=', accountId).orderBy('resource').execute();
  // int8 comes back as a number or a string depending on the database (DESIGN pitfalls).
  return Object.fromEntries(rows.map((r) => [r.resource, Number(r.value)]));
}

/** Sets each given gauge (insert or replace); gauges not named keep their value. */
export async function writeUsage(trx: Transaction<Database>, accountId: string, gauges: Record<string, number>, at: string): Promise<void> {
  const rows = Object.entries(gauges).map(([resource, value]) => ({ account_id: accountId, resource, value, updated_at: at }));
  if (rows.length === 0) return;
  await trx
    .insertInto('usage_gauges')
    .values(rows)
    .onConflict((oc) => oc.columns(['account_id', 'resource']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

/** The gauges of several accounts at once, by account. */
export async function readUsageOf(db: Db | Transaction<Database>, accountIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>(accountIds.map((id) => [id, {}]));
  if (accountIds.length === 0) return out;
  const rows = await db.selectFrom('usage_gauges').select(['account_id', 'resource', 'value']).where('account_id', '=', sql<string>`any(${[...accountIds]}::text[])`).orderBy('account_id').orderBy('resource').execute();
  for (const r of rows) {
    const gauges = out.get(r.account_id);
    if (gauges) gauges[r.resource] = Number(r.value);
  }
  return out;
}
