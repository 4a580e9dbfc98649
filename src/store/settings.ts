/** Small persistent settings (the test clock's position survives a restart). */
import type { Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './db.js';

export async function readSetting(db: Db | Transaction<Database>, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeSetting(db: Db | Transaction<Database>, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}
