/**
 * The ceiling: the raw "order" transaction — lock one row, two inserts, one update — through `pg`
 * on the same database Keiyaku uses, in scratch tables `bench_*`, at the benchmark's concurrency.
 * The pool is the one Keiyaku would have: one client over PGlite, 10 connections to a server
 * (src/store/db.ts).
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { Target } from './target.js';
import type { LoadResult } from './load.js';
import { runLoad } from './load.js';
import { backendsCpuDelta, backendsCpuMs } from './cpu.js';

export const SERVER_POOL_SIZE = 10;

export interface CeilingResult extends LoadResult {
  poolSize: number;
  databaseVersion: string;
  /** CPU a transaction: this process (the `pg` client; with PGlite, the database too) and the PostgreSQL backends. */
  cpuMsPerTransaction?: { client: number; database?: number };
}

export async function measureCeiling(target: Target, opts: { concurrency: number; durationMs: number; maxCount: number; rows: number }): Promise<CeilingResult> {
  let pglite: PGlite | undefined;
  let pool: pg.Pool;
  if (target.kind === 'pglite') {
    // The server is not running yet: the bench is the folder's only user (it takes no lock).
    pglite = new PGlite(target.where);
    pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1 });
  } else {
    pool = new pg.Pool({ connectionString: target.where, max: SERVER_POOL_SIZE });
  }
  const poolSize = target.kind === 'pglite' ? 1 : SERVER_POOL_SIZE;
  try {
    const version = ((await pool.query('select version() as v')).rows[0] as { v: string }).v;
    await pool.query(`
      create table if not exists bench_accounts (id integer primary key, balance bigint not null default 0, orders integer not null default 0, updated_at timestamptz);
      create table if not exists bench_orders (id bigserial primary key, account_id integer not null, seats integer not null, amount bigint not null, created_at timestamptz not null);
      create table if not exists bench_invoices (id bigserial primary key, order_id bigint not null, account_id integer not null, total bigint not null, issued_on date not null);
      truncate bench_accounts, bench_orders, bench_invoices;
    `);
    await pool.query('insert into bench_accounts (id) select g from generate_series(1, $1::int) g', [opts.rows]);
    const tx = async (i: number) => {
      const account = (i % opts.rows) + 1;
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('select balance from bench_accounts where id = $1 for update', [account]);
        const order = await client.query<{ id: string }>('insert into bench_orders (account_id, seats, amount, created_at) values ($1, 100, 5000, now()) returning id', [account]);
        await client.query('insert into bench_invoices (order_id, account_id, total, issued_on) values ($1, $2, 5500, current_date)', [order.rows[0]?.id, account]);
        await client.query('update bench_accounts set balance = balance + 5500, orders = orders + 1, updated_at = now() where id = $1', [account]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    };
    // Warmed up apart (every pool connection open), so the CPU a measured transaction takes excludes it.
    await runLoad({ concurrency: opts.concurrency, durationMs: 60_000, count: 200, task: tx });
    const client0 = process.cpuUsage();
    const db0 = target.kind === 'postgres' ? await backendsCpuMs(target.where) : undefined;
    const result = await runLoad({ concurrency: opts.concurrency, durationMs: opts.durationMs, count: opts.maxCount, task: tx });
    const client = process.cpuUsage(client0);
    const db = backendsCpuDelta(db0, target.kind === 'postgres' ? await backendsCpuMs(target.where) : undefined);
    const served = Math.max(1, result.count);
    const cpuMsPerTransaction = { client: Math.round(((client.user + client.system) / 1000 / served) * 1000) / 1000, ...(db !== undefined ? { database: Math.round((db / served) * 1000) / 1000 } : {}) };
    await pool.query('drop table bench_invoices, bench_orders, bench_accounts');
    return { ...result, poolSize, databaseVersion: version, cpuMsPerTransaction };
  } finally {
    await pool.end();
    await pglite?.close();
  }
}
