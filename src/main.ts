/** `npm start`: serve the API on the configured database, with the sample catalog and demo accounts. */
import { loadConfig } from './config.js';
import { start } from './boot.js';
import { GrowingProgress } from './cli/progress.js';
import { startFailure } from './cli/start-errors.js';
import { countDueEffects } from './store/effects.js';
import { createPortalSession, listAccounts } from './app/accounts.js';
import { isRefusal } from './domain/refusals.js';
import cluster from 'node:cluster';
import { joinPrimary, processRole, runPrimary, serverProcesses } from './cluster.js';
import { parseStartArgs, startUsage } from './start-args.js';

/**
 * Dev mode only (generated operator key, demo seed): a customer portal link for each demo account
 * (the seed's `.example` emails), made through the app layer as the operator would. Links carry a
 * bearer token, so they are never printed when the operator key is configured (production).
 */
async function demoPortalLinks(running: Awaited<ReturnType<typeof start>>, show: boolean): Promise<string[]> {
  if (!show) return [];
  const demo = (await listAccounts(running.ctx, { limit: 500 })).filter((a) => a.email.endsWith('.example'));
  if (demo.length === 0) return [];
  const lines = ['  Customer portal (demo accounts; links valid for a day, printed again at each start):'];
  for (const account of demo.reverse()) {
    const session = await running.ctx.db.transaction().execute((trx) => createPortalSession(running.ctx, trx, { kind: 'system', name: 'npm start' }, account.id));
    if (isRefusal(session)) continue;
    lines.push(`    ${account.email.padEnd(26)} ${running.url}/portal#token=${session.token}`);
  }
  return lines;
}

/** Runs `stop` once, whichever signal or message asks first (Ctrl-C reaches every process of the group). */
function onStop(stop: () => Promise<void>): () => void {
  let stopping = false;
  return () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
}

/** One server process: the whole server alone, or one of several under a primary (src/cluster.ts). */
async function serve(config: ReturnType<typeof loadConfig>): Promise<void> {
  const role = processRole();
  // A long catch-up at start (the server was down for a while) shows its progress; the effects it
  // schedules that fall due too are counted in as it goes (src/cli/progress.ts).
  let progress: GrowingProgress | undefined;
  const running = await start(config, {
    onCatchUp: (report, total, ctx) => {
      const upTo = ctx.clock.now().toString();
      progress ??= new GrowingProgress('catching up on due effects', () => countDueEffects(ctx.db, upTo), { minTotal: 1000 });
      progress.update(report.ran + report.failed, total);
    },
  });
  await progress?.finish(running.caughtUp.ran + running.caughtUp.failed);
  if (role !== 'follower') {
    const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.KEIYAKU_DATA === 'memory' ? 'in-memory embedded database' : `embedded database in ${config.KEIYAKU_DATA}`;
    const lines = [
      '',
      `Keiyaku is serving ${running.url}  (${where}${running.ctx.clock.mode === 'test' ? `, test clock at ${running.ctx.clock.now().toString()}` : ''})`,
      `  API description: ${running.url}/openapi.json`,
      running.operatorKeyGenerated ? `  Operator key (dev mode, generated${config.KEIYAKU_DATA !== 'memory' && !config.DATABASE_URL ? `, kept in ${config.KEIYAKU_DATA}/operator-key` : ''}): ${running.operatorKey}` : '  Operator key: from KEIYAKU_OPERATOR_KEY',
      ...(running.seeded.length ? ['  Demo accounts created:', ...running.seeded.map((s) => `    ${s}`)] : []),
      `  Try: curl -H "Authorization: Bearer ${running.operatorKeyGenerated ? running.operatorKey : '$KEIYAKU_OPERATOR_KEY'}" ${running.url}/v1/accounts`,
      `  Operator console: ${running.url}/console`,
      ...(await demoPortalLinks(running, config.KEIYAKU_SEED === 'demo' && running.operatorKeyGenerated)),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  const shutdown = onStop(() => running.stop());
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (role) joinPrimary(running.url, shutdown);
}

try {
  // Flags mirror the environment's settings and win over it; server processes forked later inherit them.
  const args = parseStartArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(startUsage());
    process.exit(0);
  }
  Object.assign(process.env, args.env);
  const config = loadConfig(process.env);
  const processes = serverProcesses(config);
  if (processes > 1 && cluster.isPrimary) {
    // Stopped by a signal from the start on: one that comes while the processes start stops those
    // already forked and waits for them (without a handler it would end this process alone).
    const abort = new AbortController();
    const starting = runPrimary(config, processes, (line) => process.stderr.write(`${line}\n`), abort.signal);
    const shutdown = onStop(async () => {
      abort.abort();
      await (await starting.catch(() => undefined))?.stop();
    });
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    const primary = await starting;
    if (primary) process.stdout.write(`  ${primary.processes} server processes (KEIYAKU_PROCESSES) serve ${primary.url}; the first runs the scheduler\n\n`);
  } else {
    await serve(config);
  }
} catch (err) {
  // A bad setting, the port in use, the database unreachable: what to do, not a stack trace (exit 2 or 3).
  const failure = startFailure(err, process.env);
  if (failure) {
    process.stderr.write(`keiyaku: ${failure.message}\n`);
    process.exit(failure.exitCode);
  }
  // A server process of several failed before it served: it said why; exit as it did.
  const exitCode = (err as { exitCode?: unknown }).exitCode;
  if (typeof exitCode === 'number') {
    process.stderr.write(`keiyaku: ${(err as Error).message}\n`);
    process.exit(exitCode || 1);
  }
  throw err;
}
