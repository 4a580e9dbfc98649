/**
 * Where a benchmark phase keeps its data: a fresh PGlite data folder under the OS temp folder, or
 * a fresh database `keiyaku_bench_<random>` on the PostgreSQL server of `DATABASE_URL`. Each is
 * removed by `drop()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface Target {
  kind: 'pglite' | 'postgres';
  /** The settings that point Keiyaku at it (KEIYAKU_DATA or DATABASE_URL). */
  env: Record<string, string>;
  /** The data folder (PGlite) or the database URL (PostgreSQL). */
  where: string;
  drop(): Promise<void>;
}

export async function newTarget(adminUrl: string | undefined, tag: string, from?: string): Promise<Target> {
  if (!adminUrl) {
    if (from) throw new Error('a kept database is for PostgreSQL (DATABASE_URL) only');
    const dir = mkdtempSync(join(tmpdir(), `keiyaku-bench-${tag}-`));
    return {
      kind: 'pglite',
      env: { KEIYAKU_DATA: dir },
      where: dir,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `keiyaku_bench_${randomBytes(5).toString('hex')}`;
  // A copy of a kept database (keepDatabase) is made file by file: fast, and no WAL of its size.
  await withAdmin(adminUrl, (admin) => admin.query(from ? `create database ${name} template ${from} strategy = file_copy` : `create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    where: url.toString(),
    async drop() {
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** The name a kept database has on the server (`npm run bench -- --daily-data keep`). */
export function keptName(tag: string): string {
  return `keiyaku_bench_keep_${tag.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
}

/**
 * Keeps a copy of the target's database under `name` (replacing one kept before), with `note`
 * (JSON: what the bench needs to use it again) as its comment. PostgreSQL only.
 */
export async function keepDatabase(adminUrl: string, target: Target, name: string, note: unknown): Promise<void> {
  const source = new URL(target.where).pathname.slice(1);
  await withAdmin(adminUrl, async (admin) => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name} template ${source} strategy = file_copy`);
    await admin.query(`comment on database ${name} is ${admin.escapeLiteral(JSON.stringify(note))}`);
  });
}

/** The note of a kept database, or undefined when there is none of that name. */
export async function keptNote(adminUrl: string, name: string): Promise<unknown> {
  const r = await withAdmin(adminUrl, (admin) => admin.query<{ note: string | null }>('select shobj_description(oid, $2) as note from pg_database where datname = $1', [name, 'pg_database']));
  const note = r.rows[0]?.note;
  return note ? JSON.parse(note) : undefined;
}

/** Runs `fn` on a connection of its own to the server of `adminUrl`, closed afterwards. */
async function withAdmin<T>(adminUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
