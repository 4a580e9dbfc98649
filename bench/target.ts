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

export async function newTarget(adminUrl: string | undefined, tag: string): Promise<Target> {
  if (!adminUrl) {
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
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    where: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
