/**
 * `npm run bench`: Keiyaku's benchmark (PGlite by default, the PostgreSQL server of DATABASE_URL
 * when set). Generates its own data through the API and measures, side by side:
 *   1. the ceiling — the raw four-statement order transaction on the same database;
 *   2. spot orders over HTTP at 50 connections, against that ceiling;
 *   3. entitlement checks and member reads over HTTP, against GET /health on the same server;
 *   4. the daily run — POST /v1/clock past a day on which N contracts reach their term end;
 *   5. PDF rendering (not built yet);
 *   and the embedded start on an existing data folder.
 * Prints a table and writes bench/results/<timestamp>.json. Options: see `--help`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { start } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import type { ClientKind } from './http-client.js';
import { Client } from './http-client.js';
import type { LoadResult } from './load.js';
import { endProgress, formatDuration, progress, runLoad } from './load.js';
import type { Target } from './target.js';
import { newTarget } from './target.js';
import { SERVER_POOL_SIZE, measureCeiling } from './ceiling.js';
import { spawnServer } from './server-process.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OPERATOR_KEY = 'bench-operator-key-0123456789abcdef';
// The test clock: "today" is 2026-04-01 in Tokyo; every contract runs 2026-04-01 – 2027-03-31.
const TODAY = '2026-04-01';
const TEST_CLOCK = `${TODAY}T09:00:00+09:00`;
// The term end (00:00 on the day after the last day) is due 2027-04-01T00:00+09:00: just past it.
const PAST_TERM_END = '2027-04-01T00:30:00+09:00';
const SPOT_STARTS = ['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01'];

const HELP = `npm run bench [-- options]
  --sizes N,N          daily-run sizes (contracts due the same day); default 1000,5000
  --duration S         seconds each throughput measurement runs; default 10
  --concurrency N      concurrent connections for orders, checks and reads; default 50
  --accounts N         teamspace accounts the spot orders and checks spread over; default 200
  --gen-concurrency N  concurrent requests while generating data; default 8 (PGlite), 20 (PostgreSQL)
  --client http|fetch  node:http keep-alive agent (default) or the global fetch
  --skip a,b           skip phases: ceiling, orders, reads, start, daily
Uses DATABASE_URL when set (a fresh database keiyaku_bench_<random> on that server, dropped at the end).`;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,5000' },
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    accounts: { type: 'string', default: '200' },
    'gen-concurrency': { type: 'string' },
    client: { type: 'string', default: 'http' },
    skip: { type: 'string', default: '' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const ADMIN_URL = process.env.DATABASE_URL || undefined;
const KIND = ADMIN_URL ? 'postgres' : 'pglite';
const positive = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, not ${v}`);
  return n;
};
const SIZES = (args.sizes ?? '').split(',').filter(Boolean).map((s) => positive('sizes', s));
const DURATION_MS = positive('duration', args.duration) * 1000;
const CONCURRENCY = positive('concurrency', args.concurrency);
const ACCOUNTS = positive('accounts', args.accounts);
const GEN_CONCURRENCY = args['gen-concurrency'] ? positive('gen-concurrency', args['gen-concurrency']) : KIND === 'pglite' ? 8 : 20;
if (args.client !== 'http' && args.client !== 'fetch') throw new Error('--client is http or fetch');
const CLIENT = args.client as ClientKind;
const SKIP = new Set((args.skip ?? '').split(',').filter(Boolean));

function serverEnv(target: Target): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KEIYAKU_') && k !== 'DATABASE_URL' && k !== 'PORT' && k !== 'HOST') env[k] = v;
  return { ...env, KEIYAKU_OPERATOR_KEY: OPERATOR_KEY, KEIYAKU_SEED: 'none', KEIYAKU_LOG: 'silent', KEIYAKU_TEST_CLOCK: TEST_CLOCK, PORT: '0', HOST: '127.0.0.1', ...target.env };
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** Creates `n` teamspace accounts, each with a Starter contract (100 seats, P12M, from today). */
async function generateStarterAccounts(client: Client, n: number, tag: string): Promise<{ ids: string[]; result: LoadResult }> {
  const ids: string[] = new Array<string>(n);
  const result = await runLoad({
    concurrency: GEN_CONCURRENCY,
    count: n,
    durationMs: 60 * 60 * 1000,
    onProgress: progress(`creating ${n} accounts with a Starter contract`, n),
    task: async (i) => {
      const account = await client.expect(201, 'POST', '/v1/accounts', { email: `bench.${tag}.${i}@example.jp`, name: `Bench ${tag} ${i}`, product: 'teamspace' });
      const id = (account.body as { id: string }).id;
      await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
      ids[i] = id;
    },
  });
  endProgress();
  if (result.errors) throw new Error(`generation failed ${result.errors} times: ${result.firstError}`);
  return { ids, result };
}

const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
function summary(r: LoadResult) {
  return { count: r.count, errors: r.errors, ...(r.firstError ? { firstError: r.firstError } : {}), seconds: round(r.seconds, 2), perSecond: round(r.perSecond, 0), p50Ms: round(r.p50, 2), p99Ms: round(r.p99, 2), maxMs: round(r.max, 1) };
}

function machine(databaseVersion: string | undefined) {
  let freeH = '';
  try {
    freeH = execFileSync('free', ['-h'], { encoding: 'utf8' }).trim();
  } catch {
    freeH = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total`;
  }
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    /* keep availableParallelism */
  }
  return { nproc, cpu: os.cpus()[0]?.model ?? '?', memory: freeH, node: process.version, platform: `${os.type()} ${os.release()}`, database: KIND, databaseVersion: databaseVersion ?? '?' };
}

async function main() {
  const t0 = performance.now();
  const results: Record<string, unknown> = {};
  const command = `${ADMIN_URL ? `DATABASE_URL=${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} ` : ''}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  log(`Keiyaku benchmark on ${KIND}: ${CONCURRENCY} connections, ${DURATION_MS / 1000}s a measurement, ${ACCOUNTS} accounts, daily-run sizes ${SIZES.join(', ')}, client ${CLIENT}`);
  let databaseVersion: string | undefined;

  // Phases 1–3 and the start share one database.
  const main = await newTarget(ADMIN_URL, 'main');
  try {
    // 1. The ceiling, before the server opens the database (PGlite allows one process).
    if (!SKIP.has('ceiling')) {
      log('1. ceiling: the raw order transaction (lock, insert, insert, update) …');
      const c = await measureCeiling(main, { concurrency: CONCURRENCY, durationMs: DURATION_MS, maxCount: 500_000, rows: ACCOUNTS });
      databaseVersion = c.databaseVersion;
      results.ceiling = { ...summary(c), poolSize: c.poolSize };
      log(`   ${round(c.perSecond, 0)}/s, p99 ${round(c.p99, 2)} ms`);
    }

    if (!SKIP.has('orders') || !SKIP.has('reads') || !SKIP.has('start')) {
      const server = await spawnServer(serverEnv(main));
      log(`   server ${server.url} (pid ${server.pid}, ${server.kind}) started in ${Math.round(server.startMs)} ms`);
      const client = new Client(server.url, OPERATOR_KEY, CLIENT, Math.max(CONCURRENCY, GEN_CONCURRENCY) + 8);
      try {
        log(`   generating ${ACCOUNTS} teamspace accounts on Starter …`);
        const gen = await generateStarterAccounts(client, ACCOUNTS, 'main');
        const ids = gen.ids;
        results.generation = { accounts: ACCOUNTS, ...summary(gen.result) };

        // 2. Spot orders.
        if (!SKIP.has('orders')) {
          log(`2. spot orders over HTTP, ${CONCURRENCY} connections, over ${ACCOUNTS} accounts …`);
          const r = await runLoad({
            concurrency: CONCURRENCY,
            durationMs: DURATION_MS,
            count: 200_000,
            warmup: 100,
            task: async (i) => {
              const accountId = ids[i % ids.length];
              const startDate = SPOT_STARTS[Math.floor(i / ids.length) % SPOT_STARTS.length];
              await client.expect(201, 'POST', '/v1/orders', { type: 'spot', accountId, seats: 100, startDate, months: 1, agreeToTerms: true, paymentMethod: 'card' });
            },
          });
          results.spotOrders = summary(r);
          log(`   ${round(r.perSecond, 0)}/s, p50 ${round(r.p50, 2)} ms, p99 ${round(r.p99, 2)} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`);
        }

        // 3. Entitlement checks and member reads, against /health.
        if (!SKIP.has('reads')) {
          const owners: string[] = [];
          for (const id of ids) {
            const res = await client.expect(200, 'GET', `/v1/accounts/${id}/members`);
            const first = (res.body as { members: Array<{ id: string }> }).members[0];
            if (!first) throw new Error(`account ${id} has no member`);
            owners.push(first.id);
          }
          const reads: Record<string, (i: number) => Promise<void>> = {
            health: async () => void (await client.expect(200, 'GET', '/health')),
            entitlementCheck: async (i) => void (await client.expect(200, 'POST', `/v1/accounts/${ids[i % ids.length]}/entitlements/check`, { resource: 'seats', increment: 1 })),
            memberRead: async (i) => void (await client.expect(200, 'GET', `/v1/accounts/${ids[i % ids.length]}/members/${owners[i % owners.length]}`)),
          };
          for (const [name, task] of Object.entries(reads)) {
            log(`3. ${name} over HTTP, ${CONCURRENCY} connections …`);
            const r = await runLoad({ concurrency: CONCURRENCY, durationMs: DURATION_MS, count: 2_000_000, warmup: 1000, task });
            results[name] = summary(r);
            log(`   ${round(r.perSecond, 0)}/s, p50 ${round(r.p50, 2)} ms, p99 ${round(r.p99, 2)} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`);
          }
        }
      } finally {
        client.close();
        await server.stop();
      }

      // The start on an existing data folder (or database), in this process: start() to a 200 on /health.
      if (!SKIP.has('start')) {
        log(`   start on the existing ${KIND === 'pglite' ? 'data folder' : 'database'} (3 times) …`);
        const runs: Array<{ startMs: number; healthyMs: number }> = [];
        for (let k = 0; k < 3; k++) {
          const s0 = performance.now();
          const running = await start(loadConfig(serverEnv(main)), { listen: true });
          const started = performance.now() - s0;
          const c = new Client(running.url, OPERATOR_KEY, CLIENT, 1);
          await c.expect(200, 'GET', '/health');
          const healthy = performance.now() - s0;
          c.close();
          await running.stop();
          runs.push({ startMs: round(started, 0) ?? Number.NaN, healthyMs: round(healthy, 0) ?? Number.NaN });
        }
        const sorted = runs.map((r) => r.healthyMs).sort((a, b) => a - b);
        results.startToHealthy = { runs, medianMs: sorted[1], dataRows: `${ACCOUNTS} accounts${results.spotOrders ? ` + ${(results.spotOrders as { count: number }).count} spot orders` : ''}` };
        log(`   start to healthy: ${runs.map((r) => r.healthyMs).join(', ')} ms`);
      }
    }
  } finally {
    await main.drop();
  }

  // 4. The daily run, one fresh database a size.
  if (!SKIP.has('daily')) {
    const runs: Array<Record<string, unknown>> = [];
    for (const size of SIZES) {
      const target = await newTarget(ADMIN_URL, `daily${size}`);
      try {
        log(`4. daily run with ${size} contracts due the same day: generating …`);
        const server = await spawnServer(serverEnv(target));
        const client = new Client(server.url, OPERATOR_KEY, CLIENT, GEN_CONCURRENCY + 4);
        try {
          const gen = await generateStarterAccounts(client, size, `d${size}`);
          log(`   generated in ${formatDuration(gen.result.seconds * 1000)} (${round(gen.result.perSecond, 0)} accounts+contracts/s); POST /v1/clock to ${PAST_TERM_END} …`);
          const c0 = performance.now();
          const moved = await client.expect(200, 'POST', '/v1/clock', { now: PAST_TERM_END });
          const seconds = (performance.now() - c0) / 1000;
          const effects = (moved.body as { effects: { ran: number; failed: number } }).effects;
          runs.push({ contracts: size, seconds: round(seconds, 2), contractsPerSecond: round(size / seconds, 0), effects, generation: summary(gen.result) });
          log(`   ${round(seconds, 2)} s: ${round(size / seconds, 0)} contracts/s (effects ran ${effects.ran}, failed ${effects.failed})`);
        } finally {
          client.close();
          await server.stop();
        }
      } finally {
        await target.drop();
      }
    }
    const first = runs[0];
    const last = runs.at(-1);
    let linear = 'n/a (one size)';
    if (first && last && first !== last) {
      const growth = (last.seconds as number) / (first.seconds as number) / ((last.contracts as number) / (first.contracts as number));
      linear = `${growth <= 1.2 ? 'yes' : 'no'}: time per contract at ${last.contracts} is ${round(growth, 2)}× that at ${first.contracts}`;
    }
    results.dailyRun = { runs, linear, schedulerBatch: 50 };
  }

  results.pdfRendering = 'n/a (not built yet)';
  const report = {
    at: new Date().toISOString(),
    command,
    machine: machine(databaseVersion),
    settings: { concurrency: CONCURRENCY, durationSeconds: DURATION_MS / 1000, accounts: ACCOUNTS, genConcurrency: GEN_CONCURRENCY, client: CLIENT, serverPool: KIND === 'pglite' ? 1 : SERVER_POOL_SIZE, sizes: SIZES },
    results,
    totalSeconds: round((performance.now() - t0) / 1000, 1),
  };
  printTable(report.results, report.machine);
  const dir = join(HERE, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.at.replace(/[:.]/g, '-')}-${KIND}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten ${file} (total ${formatDuration(performance.now() - t0)})`);
}

type Row = [string, string, string, string, string, string];
function printTable(r: Record<string, unknown>, m: ReturnType<typeof machine>) {
  const get = (k: string) => r[k] as ReturnType<typeof summary> | undefined;
  const n = (x: number | null | undefined, unit = '') => (x === null || x === undefined ? '–' : `${x.toLocaleString('en-US')}${unit}`);
  const ratio = (a?: number | null, b?: number | null) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
  const rows: Row[] = [['measure', 'per second', 'p50', 'p99', 'ratio', 'target']];
  const ceiling = get('ceiling');
  const health = get('health');
  const line = (label: string, s: ReturnType<typeof summary> | undefined, base: ReturnType<typeof summary> | undefined, target: string) =>
    rows.push([label, n(s?.perSecond), n(s?.p50Ms, ' ms'), n(s?.p99Ms, ' ms'), base === undefined ? '' : ratio(s?.perSecond, base?.perSecond), target]);
  line('1. ceiling: raw order transaction', ceiling, undefined, '');
  line('2. spot orders (HTTP)', get('spotOrders'), ceiling, '≥ 0.6× ceiling, p99 < 50 ms');
  line('3. GET /health', health, undefined, '');
  line('3. entitlement check (HTTP)', get('entitlementCheck'), health, '≥ 25,000/s, p99 < 5 ms');
  line('3. member read (HTTP)', get('memberRead'), health, '');
  const daily = r.dailyRun as { runs: Array<{ contracts: number; seconds: number; contractsPerSecond: number }>; linear: string } | undefined;
  for (const d of daily?.runs ?? []) rows.push([`4. daily run, ${d.contracts} contracts`, `${n(d.contractsPerSecond)} contracts`, '', `${d.seconds} s total`, '', '1M contracts < 60 s']);
  if (daily) rows.push(['4. grows linearly?', daily.linear, '', '', '', '']);
  const st = r.startToHealthy as { medianMs: number } | undefined;
  rows.push(['start to healthy (existing data)', st ? `${st.medianMs} ms (median of 3)` : '–', '', '', '', '< 2 s']);
  rows.push(['5. PDF rendering', 'n/a (not built yet)', '', '', '', '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log(`\nKeiyaku benchmark — ${m.database} ${m.databaseVersion.split(' on ')[0]}, node ${m.node}, ${m.nproc} cores (${m.cpu})`);
  for (const [i, row] of rows.entries()) {
    console.log(row.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (ceiling) console.log(`(ceiling pool: ${(r.ceiling as { poolSize: number }).poolSize} connection(s), as the server's)`);
}

await main();
