/**
 * The database functions that write rows (migration 13) list their columns in SQL; the store's
 * COLUMNS (src/store/row-writes.ts) list them in TypeScript. A column added to one and not the
 * other would be silently dropped on write: these tests hold them together, on the migrated
 * embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.js';
import { openStore } from '../../src/store/db.js';
import { COLUMNS } from '../../src/store/row-writes.js';
import { memorySnapshot } from '../support/harness.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory', snapshot: memorySnapshot() });
});
afterAll(async () => store?.close());

async function source(name: string): Promise<string> {
  const { rows } = await sql<{ src: string }>`select prosrc as src from pg_proc where proname = ${name}`.execute(store.db);
  expect(rows.length, `function ${name}`).toBe(1);
  return rows[0]!.src;
}

/** The `insert into <table> (…)` column lists of a function's source. */
function insertColumns(src: string, table: string): string[][] {
  return [...src.matchAll(new RegExp(`insert into ${table} \\(([^)]*)\\)`, 'g'))].map((m) => m[1]!.split(',').map((c) => c.trim().replace(/"/g, '')));
}

describe('G5: the write functions write every column the store has', () => {
  it('write_rows inserts each table with exactly the columns of COLUMNS (invoices also with their number)', async () => {
    const src = await source('write_rows');
    for (const table of ['orders', 'contracts', 'contract_terms', 'seat_grants', 'effects', 'events', 'notices', 'invoices'] as const) {
      const expected = COLUMNS[table].map(([name]) => name);
      expect(insertColumns(src, table), table).toEqual([table === 'invoices' ? [...expected, 'number'] : expected]);
    }
  });

  it.each(['write_numbered_document', 'write_numbered_documents'])('%s inserts the documents, their events and notices with exactly the columns of COLUMNS', async (name) => {
    const src = await source(name);
    expect(insertColumns(src, 'invoices')).toEqual([[...COLUMNS.invoices.map(([name]) => name), 'number']]);
    expect(insertColumns(src, 'events')).toEqual([COLUMNS.events.map(([name]) => name)]);
    expect(insertColumns(src, 'notices')).toEqual([COLUMNS.notices.map(([name]) => name)]);
  });
});
