/**
 * Opens the database: a PostgreSQL server when a URL is given, the embedded PGlite otherwise —
 * both behind one `pg.Pool`, so every query takes one code path (DESIGN, stack).
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { Database } from './tables.js';
import { MIGRATIONS } from './migrations.js';
import type { DataLock } from './data-lock.js';
import { lockDataFolder } from './data-lock.js';
import { wallTime } from '../clock.js';

// Business dates stay `YYYY-MM-DD` strings; int8 and numeric become numbers (the two databases
// otherwise disagree, DESIGN pitfalls). Amounts are far below 2^53.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Db = Kysely<Database>;

export interface StoreOptions {
  /** A PostgreSQL URL; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database, or `memory` for a throw-away one. */
  dataDir: string;
  poolSize?: number;
  /** Written into the folder's lock so a second process can name this one. */
  url?: string;
}

export interface Store {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  readonly lock: (DataLock & { update(url: string): void }) | null;
  close(): Promise<void>;
}

/** Opens (and migrates) the store. Throws `DataFolderLockedError` when another process holds the folder. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db);
    return { db, kind: 'postgres', lock: null, close: () => db.destroy() };
  }
  const memory = options.dataDir === 'memory';
  const lock = memory ? null : lockDataFolder(options.dataDir, { startedAt: wallTime(), ...(options.url ? { url: options.url } : {}) });
  try {
    const pglite = new PGlite(memory ? 'memory://' : options.dataDir);
    // PGlite is one connection: the pool has one client, and a transaction's queries must use the
    // transaction's handle (Kysely's `trx`), never the outer `db`, or they deadlock.
    const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db);
    return {
      db,
      kind: 'pglite',
      lock,
      close: async () => {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** Applies the migrations not yet applied, one transaction, serialised across processes. */
export async function migrate(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7265318)`.execute(trx);
    await sql`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null)`.execute(trx);
    const done = new Set((await trx.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await sql.raw(m.sql).execute(trx);
      await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name, applied_at: wallTime() }).execute();
    }
  });
}
