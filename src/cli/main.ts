/**
 * The `keiyaku` command (`npm run keiyaku -- <command>`), for the operator at a shell, on the
 * database `npm start` uses (the same settings: DATABASE_URL or KEIYAKU_DATA, …).
 *
 *   catch-up   runs every scheduled effect that is due (after downtime, or a test clock moved),
 *              with progress and an ETA on stderr, then exits; prints what ran
 *   effects    counts the scheduled effects by status
 *   import     imports existing customers from a JSON Lines file (docs/imports.md), with
 *              progress and an ETA; --dry-run checks every account and keeps nothing
 *
 * On the embedded database a running server holds the data folder (one process a folder): the
 * command then uses that server's API instead (DESIGN, PGlite pitfalls) — its URL from the
 * folder's lock, the operator key from KEIYAKU_OPERATOR_KEY or the folder's `operator-key`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import type { Config } from '../config.js';
import { loadConfig } from '../config.js';
import { parseWithSettingFlags } from '../start-args.js';
import { DataFolderLockedError } from '../store/data-lock.js';
import { start } from '../boot.js';
import { countDueEffects, countEffects } from '../store/effects.js';
import { openStore } from '../store/db.js';
import { GrowingProgress } from './progress.js';
import { startFailure } from './start-errors.js';
import type { ImportSink, ResultView } from './import.js';
import { runImport } from './import.js';
import { resultView, toImportLine } from '../http/routes/imports.js';
import { importAccounts } from '../app/imports.js';
import type { Actor } from '../app/context.js';

const HELP = `keiyaku <command>
  catch-up   run every scheduled effect that is due, with progress; then exit
  effects    scheduled effects by status
  import FILE [--dry-run]
             import existing customers, one account a line of FILE (JSON Lines; docs/imports.md):
             the contract each has today, its members and usage; no invoice or notice is issued
Settings as for npm start, from the environment or the same flags (DATABASE_URL or --database-url,
KEIYAKU_DATA or --data, …; \`npm start -- --help\` lists them). When a running server holds the
embedded database's folder, the command goes through that server's API.`;

/** The command's own options besides the settings' flags. */
const OPTIONS = { help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean' } } as const;
const parseArgv = (argv: readonly string[]) => parseWithSettingFlags(argv, OPTIONS, { positionals: true, help: '`keiyaku --help` lists the commands; `npm start -- --help` the settings\' flags.' });

/** The settings given as flags, when they parse: a start failure names the database they give. */
function settingsOf(argv: readonly string[]): Record<string, string> {
  try {
    return parseArgv(argv).env;
  } catch {
    return {};
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values, env } = parseArgv(argv);
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? 0 : 2;
  }
  if (command !== 'catch-up' && command !== 'effects' && command !== 'import') {
    process.stderr.write(`keiyaku: unknown command "${command}"\n${HELP}\n`);
    return 2;
  }
  const file = positionals[1];
  if (command === 'import' && !file) {
    process.stderr.write(`keiyaku: import needs the file to import: keiyaku import accounts.jsonl\n`);
    return 2;
  }
  const config = loadConfig({ ...process.env, ...env, KEIYAKU_SEED: 'none', KEIYAKU_LOG: 'silent' });
  const run: Command = command === 'import' ? { kind: 'import', file: file!, dryRun: values['dry-run'] === true } : { kind: command };
  try {
    return await onDatabase(run, config);
  } catch (err) {
    if (err instanceof DataFolderLockedError && err.holder.url) return await throughServer(run, config, err.holder.url);
    throw err;
  }
}

type Command = { kind: 'catch-up' | 'effects' } | { kind: 'import'; file: string; dryRun: boolean };

/** Who an import made directly on the database is audited as. */
const IMPORTER: Actor = { kind: 'system', name: 'import' };

async function onDatabase(command: Command, config: Config): Promise<number> {
  if (command.kind === 'effects') {
    const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.KEIYAKU_DATA });
    try {
      process.stdout.write(`${JSON.stringify(await countEffects(store.db))}\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  if (command.kind === 'import') {
    // Only the import: the scheduler and the mail worker are the server's (or `catch-up`'s) to run.
    const running = await start(config, { listen: false, background: false });
    try {
      const { ctx } = running;
      const sink: ImportSink = async (accounts, dryRun) =>
        (await ctx.db.transaction().execute((trx) => importAccounts(ctx, trx, IMPORTER, accounts.map(toImportLine), { dryRun }))).map((r) => resultView(r, 'en'));
      // On a database server two batches at once (one a core; each waits on the database half
      // of the time); the embedded database has one connection.
      return await runImport(command.file, command.dryRun, sink, `for ${config.DATABASE_URL ? 'the database' : config.KEIYAKU_DATA}`, config.DATABASE_URL ? 2 : 1);
    } finally {
      await running.stop();
    }
  }
  let progress: GrowingProgress | undefined;
  const t0 = performance.now();
  const running = await start(config, {
    listen: false,
    onCatchUp: (report, total, ctx) => {
      // What running them scheduled that is due too is counted in as the run goes.
      const upTo = ctx.clock.now().toString();
      progress ??= new GrowingProgress('running due effects', () => countDueEffects(ctx.db, upTo));
      progress.update(report.ran + report.failed, total);
    },
  });
  try {
    const { ran, failed } = running.caughtUp;
    await progress?.finish(ran + failed);
    const counts = await countEffects(running.ctx.db);
    process.stdout.write(caughtUpLine(running.ctx.clock.now(), Math.round(performance.now() - t0), { ran, failed }, counts));
    return failed > 0 || (counts.failed ?? 0) > 0 ? 1 : 0;
  } finally {
    await running.stop();
  }
}

/**
 * What `catch-up` prints when done: what this run did, then the effects by status now —
 * `caught up to 2027-11-30T15:00:00Z in 4537 ms: ran 63 effects, 0 failed; effects now: {"pending":6,"done":63}`.
 */
function caughtUpLine(upTo: Temporal.Instant, ms: number, run: { ran: number; failed: number }, counts: Record<string, number>): string {
  const failed = run.failed > 0 ? `${run.failed} failed (GET /v1/effects?status=failed lists them with their error)` : '0 failed';
  return `caught up to ${upTo.toString()} in ${ms} ms: ran ${run.ran} effect${run.ran === 1 ? '' : 's'}, ${failed}; effects now: ${JSON.stringify(counts)}\n`;
}

/** The server refused (its problem's detail is what to fix) or did not answer. */
class ServerRefused extends Error {}

/**
 * The command through the API of the server holding the data folder: `effects` reads its counts;
 * `catch-up` has it run what is due by its clock now (`POST /v1/effects/run`), or up to
 * KEIYAKU_TEST_CLOCK when that is set (`POST /v1/clock`: the server must run on a test clock
 * too), with the same progress line, read from the server's counts while it runs.
 */
async function throughServer(command: Command, config: Config, url: string): Promise<number> {
  const keyFile = join(config.KEIYAKU_DATA, 'operator-key');
  const key = config.KEIYAKU_OPERATOR_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!key) {
    process.stderr.write(`keiyaku: the server at ${url} holds the data folder ${config.KEIYAKU_DATA}; set KEIYAKU_OPERATOR_KEY to its operator key to use it through its API\n`);
    return 2;
  }
  // node:http rather than fetch: a long catch-up answers only when it is done, and fetch gives up
  // waiting for the response's headers after 300 s.
  const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = { authorization: `Bearer ${key}`, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }) };
      const req = request(new URL(path, url), { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: { detail?: string; code?: string } = {};
          try {
            json = text ? (JSON.parse(text) as typeof json) : {};
          } catch {
            /* not JSON: the status says enough */
          }
          const status = res.statusCode ?? 0;
          if (status >= 300) reject(new ServerRefused(`the server at ${url} answered ${status}${json.code ? ` ${json.code}` : ''}: ${json.detail ?? res.statusMessage ?? ''}`));
          else resolve(json as T);
        });
      });
      req.on('error', (err) => reject(new ServerRefused(`the server at ${url} did not answer (${err.message})`)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  type Overview = { counts: Record<string, number>; due: number };
  process.stderr.write(`keiyaku: the data folder is in use by the server at ${url}; going through its API\n`);
  try {
    if (command.kind === 'import') {
      type Answer = { results: ResultView[] };
      return await runImport(command.file, command.dryRun, async (accounts, dryRun) => (await api<Answer>('POST', '/v1/imports', { accounts, dryRun })).results, `through ${url}`);
    }
    if (command.kind === 'effects') {
      process.stdout.write(`${JSON.stringify((await api<Overview>('GET', '/v1/effects?limit=1')).counts)}\n`);
      return 0;
    }
    const upTo = config.KEIYAKU_TEST_CLOCK;
    const overview = (by?: string) => api<Overview>('GET', `/v1/effects?limit=1${by ? `&dueBy=${encodeURIComponent(by)}` : ''}`);
    const finished = (c: Record<string, number>) => (c.done ?? 0) + (c.failed ?? 0);
    const before = await overview(upTo);
    // Counted again (done so far + due now) each time the count reaches it: running effects schedules more.
    const progress = before.due > 0 ? new GrowingProgress(`running due effects on ${url}`, async () => (await overview(upTo)).due) : undefined;
    progress?.update(0, before.due);
    const t0 = performance.now();
    let polling = true;
    const poll = (async () => {
      while (polling && progress) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (polling) progress.update(Math.max(0, finished((await overview()).counts) - finished(before.counts)));
      }
    })().catch(() => undefined);
    let ran: { now: string; effects: { ran: number; failed: number } };
    try {
      ran = upTo ? await api('POST', '/v1/clock', { now: upTo }) : await api('POST', '/v1/effects/run');
    } finally {
      // Refused or done: the progress stops polling either way (a refusal must not keep the command waiting).
      polling = false;
    }
    const ms = Math.round(performance.now() - t0);
    await poll;
    await progress?.finish(ran.effects.ran + ran.effects.failed);
    const counts = (await overview()).counts;
    process.stdout.write(caughtUpLine(Temporal.Instant.from(ran.now), ms, ran.effects, counts));
    return ran.effects.failed > 0 || (counts.failed ?? 0) > 0 ? 1 : 0;
  } catch (err) {
    // A refusal says what to fix; a server that does not answer is named with the reason.
    if (!(err instanceof ServerRefused)) throw err;
    process.stderr.write(`keiyaku: ${err.message}\n`);
    return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // A bad setting, a locked folder, the database unreachable: what to do, not a stack trace (exit 2 or 3).
  const failure = startFailure(err, { ...process.env, ...settingsOf(process.argv.slice(2)) });
  if (failure) {
    process.stderr.write(`keiyaku: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
  } else throw err;
}
