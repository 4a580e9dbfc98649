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

export const SERVER_POOL_SIZE = 10;

export interface CeilingResult extends LoadResult {
  poolSize: number;
  databaseVersion: string;
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
    const result = await runLoad({ concurrency: opts.concurrency, durationMs: opts.durationMs, count: opts.maxCount, warmup: 200, task: tx });
    await pool.query('drop table bench_invoices, bench_orders, bench_accounts');
    return { ...result, poolSize, databaseVersion: version };
  } finally {
    await pool.end();
    await pglite?.close();
  }
}
