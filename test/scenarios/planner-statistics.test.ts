/**
 * G3, issue 8: the daily run is planned from statistics, and the embedded database has no
 * autovacuum to gather them. Without them the claim of a big catch-up sorts every pending effect
 * for each batch (a 100,000-contract day ran 3x slower a contract than a 10,000 one:
 * docs/performance.md). The scheduler analyzes the tables that changed enough before each run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimStatement } from '../../src/store/effects.js';
import { refreshStatistics } from '../../src/store/statistics.js';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, createTestDatabase, newAccount, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** The plan of the scheduler's claim for effects due by `upTo`, as EXPLAIN prints it. */
async function claimPlan(upTo: string, db: Kysely<any> = t.running.ctx.db): Promise<string> {
  const rows = await sql<{ 'QUERY PLAN': string }>`explain ${claimStatement(upTo, 500, upTo)}`.execute(db);
  return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** Schedules `n` effects for the account, due in 2030 as a year of renewals scheduled ahead would be. */
async function scheduleMany(db: Kysely<any>, accountId: string, n: number): Promise<void> {
  await sql`insert into effects (account_id, kind, due_at, payload, created_at)
            select ${accountId}, 'spot-end-warning', timestamptz '2030-01-01 00:00:00+00' + g * interval '1 minute', '{}'::jsonb, now()
              from generate_series(1, ${n}::int) g`.execute(db);
}

describe('planner statistics (G3, issue 8)', () => {
  it('G3: after 20,000 effects are scheduled, the next run analyzes the table and claims through the pending-effects index, without sorting them', async () => {
    const accountId = await newAccount(t, 'teamspace');
    const db = t.running.ctx.db;
    await scheduleMany(db, accountId, 20_000);
    if (DB_KIND === 'pglite') {
      // Never analyzed (no autovacuum here): the planner guesses few rows and sorts them all.
      expect(await claimPlan('2031-01-01T00:00:00Z')).toMatch(/Sort/);
    }

    expect((await t.api('POST', '/v1/clock', { now: '2026-04-02T09:00:00+09:00' })).status).toBe(200);

    const plan = await claimPlan('2031-01-01T00:00:00Z');
    expect(plan).toMatch(/Index Scan using effects_due/);
    expect(plan).not.toMatch(/Sort/);
    const counted = await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = 'effects' and relnamespace = current_schema()::regnamespace`.execute(db);
    expect(counted.rows[0]?.n).toBeGreaterThanOrEqual(20_000);
    // Nothing changed since: the next run only reads the statistics views.
    expect(await refreshStatistics(db)).toEqual([]);
  });

  it('G3: a restart forgets the change counters (PGlite keeps none), yet a table grown since its last analysis is analyzed by the next run; a start with little due does not wait for it', async () => {
    const folder = DB_KIND === 'pglite' ? mkdtempSync(join(tmpdir(), 'keiyaku-stats-')) : undefined;
    const database = DB_KIND === 'postgres' ? await createTestDatabase() : undefined;
    const env = { KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00', ...(folder ? { KEIYAKU_DATA: folder } : {}) };
    try {
      const first = await startTestServer(env, database ?? null);
      await scheduleMany(first.running.ctx.db, await newAccount(first, 'teamspace'), 20_000);
      await first.stop(); // no run in between: nothing analyzed the new rows

      const second = await startTestServer(env, database ?? null); // its start runs the scheduler, nothing due
      try {
        // Nothing was due at the start, so it did not spend its time analyzing (PGlite: no autovacuum either).
        if (DB_KIND === 'pglite') expect(await claimPlan('2031-01-01T00:00:00Z', second.running.ctx.db)).toMatch(/Sort/);
        expect((await second.api('POST', '/v1/clock', { now: '2026-04-02T09:00:00+09:00' })).status).toBe(200);
        const plan = await claimPlan('2031-01-01T00:00:00Z', second.running.ctx.db);
        expect(plan).toMatch(/Index Scan using effects_due/);
        expect(plan).not.toMatch(/Sort/);
        expect(await refreshStatistics(second.running.ctx.db)).toEqual([]);
      } finally {
        await second.stop();
      }
    } finally {
      if (folder) rmSync(folder, { recursive: true, force: true });
      await database?.drop();
    }
  });
});
