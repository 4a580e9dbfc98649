/**
 * The `keiyaku` command (`npm run keiyaku -- <command>`), for the operator at a shell, on the
 * database `npm start` uses (the same settings: DATABASE_URL or KEIYAKU_DATA, …).
 *
 *   catch-up   runs every scheduled effect that is due (after downtime, or a test clock moved),
 *              with progress and an ETA on stderr, then exits; prints what ran
 *   effects    counts the scheduled effects by status
 *
 * On the embedded database the server must be stopped first (one process a data folder).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { CatalogError } from '../domain/catalog.js';
import { DataFolderLockedError } from '../store/data-lock.js';
import { start } from '../boot.js';
import { countEffects } from '../store/effects.js';
import { openStore } from '../store/db.js';
import { Progress } from './progress.js';

const HELP = `keiyaku <command>
  catch-up   run every scheduled effect that is due, with progress; then exit
  effects    scheduled effects by status
Settings as for npm start (DATABASE_URL, KEIYAKU_DATA, KEIYAKU_TEST_CLOCK, …); on the embedded
database, stop the server first.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? 0 : 2;
  }
  if (command !== 'catch-up' && command !== 'effects') {
    process.stderr.write(`keiyaku: unknown command "${command}"\n${HELP}\n`);
    return 2;
  }
  const config = loadConfig({ ...process.env, KEIYAKU_SEED: 'none', KEIYAKU_LOG: 'silent' });
  if (command === 'effects') {
    const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.KEIYAKU_DATA });
    try {
      process.stdout.write(`${JSON.stringify(await countEffects(store.db))}\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  let progress: Progress | undefined;
  const t0 = performance.now();
  const running = await start(config, {
    listen: false,
    onCatchUp: (report, total) => {
      progress ??= new Progress('running due effects', total);
      progress.update(report.ran + report.failed);
    },
  });
  try {
    progress?.end();
    const counts = await countEffects(running.ctx.db);
    process.stdout.write(`caught up to ${running.ctx.clock.now().toString()} in ${Math.round(performance.now() - t0)} ms; effects: ${JSON.stringify(counts)}\n`);
    return (counts.failed ?? 0) > 0 ? 1 : 0;
  } finally {
    await running.stop();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError || err instanceof CatalogError || err instanceof DataFolderLockedError) {
    process.stderr.write(`keiyaku: ${err.message}\n`);
    process.exitCode = 2;
  } else throw err;
}
