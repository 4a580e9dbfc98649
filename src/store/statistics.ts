/**
 * Planner statistics kept fresh by Keiyaku itself. The embedded database (PGlite) has no
 * autovacuum, so without this its tables are never analyzed: the planner then guesses, and a
 * catch-up over many effects sorts every pending effect for each batch (docs/performance.md,
 * "Daily run"). On a PostgreSQL server autovacuum does the same job; this also covers a restored
 * or bulk-loaded database before autovacuum gets to it.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * Analyzes the tables changed by more than autovacuum's default threshold (50 rows + 10 % of the
 * rows at the last analysis) since they were last analyzed, and returns their names. A table that
 * was never analyzed counts every row as changed. One query on the statistics views when nothing
 * is stale; ANALYZE reads a fixed-size sample, so it stays cheap on big tables.
 */
export async function refreshStatistics(db: Db): Promise<string[]> {
  // Counters are flushed to the views at most once a second; ask for them now.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const stale = await sql<{ table: string }>`
    select s.relname::text as "table"
      from pg_stat_user_tables s
      join pg_class c on c.oid = s.relid
     where s.schemaname = current_schema()
       and s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
     order by s.relname`.execute(db);
  const tables = stale.rows.map((r) => r.table);
  if (tables.length > 0) await sql`analyze ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
  return tables;
}
