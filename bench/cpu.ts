/**
 * CPU time of the processes a measurement runs on (Linux, from /proc): the server process, and
 * the PostgreSQL backends serving one database when the server runs on this machine — so a phase
 * can report CPU a request on each side, which moves less than throughput when other work shares
 * the cores.
 */
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

/** utime + stime of one process in ms (fields 14 and 15 of /proc/<pid>/stat, 100 ticks a second), and its parent's pid. */
function ownCpu(pid: number): { ms: number; ppid: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { ms: (Number(fields[11]) + Number(fields[12])) * 10, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of a process and its live child processes (the server processes under a primary,
 * KEIYAKU_PROCESSES); undefined off Linux.
 */
export function processCpuMs(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const own = ownCpu(pid);
  if (!own) return undefined;
  let ms = own.ms;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = ownCpu(Number(entry));
    if (child?.ppid === pid) ms += child.ms;
  }
  return ms;
}

/** CPU ms by backend pid of the client backends connected to the database of `url` (not this query's own). */
export async function backendsCpuMs(url: string): Promise<Map<number, number> | undefined> {
  if (process.platform !== 'linux' || !/@(127\.0\.0\.1|localhost)[:/]/.test(url)) return undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const rows = (await client.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`)).rows;
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = ownCpu(pid)?.ms;
      if (ms !== undefined) out.set(pid, ms);
    }
    return out;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** CPU ms the backends used between two snapshots (a backend that appeared in between counts whole). */
export function backendsCpuDelta(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after) return undefined;
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}
