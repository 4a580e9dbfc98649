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
 * Analyzes the tables that changed enough since they were last analyzed, and returns their names:
 * more rows changed than autovacuum's default threshold (50 + 10 % of the rows at the last
 * analysis), or — as PGlite forgets those counters when it restarts — a table grown past 64 KB and
 * by more than a fifth of the pages it had at its last analysis (a table never analyzed had none).
 * One query when nothing is stale; ANALYZE reads a fixed-size sample, so it stays cheap on big
 * tables.
 */
export async function refreshStatistics(db: Db): Promise<string[]> {
  // Counters are flushed to the views at most once a second; ask for them now.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const stale = await sql<{ table: string }>`
    select c.relname::text as "table"
      from pg_class c
      left join pg_stat_user_tables s on s.relid = c.oid
     where c.relnamespace = current_schema()::regnamespace
       and c.relkind = 'r'
       and (coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0)
            or (pg_relation_size(c.oid) > 65536 and pg_relation_size(c.oid) / 8192 > 1.2 * c.relpages))
     order by c.relname`.execute(db);
  const tables = stale.rows.map((r) => r.table);
  if (tables.length > 0) await sql`analyze ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
  return tables;
}
