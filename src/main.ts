/** `npm start`: serve the API on the configured database, with the sample catalog and demo accounts. */
import { ConfigError, loadConfig } from './config.js';
import { CatalogError } from './domain/catalog.js';
import { DataFolderLockedError } from './store/data-lock.js';
import { start } from './boot.js';

try {
  const config = loadConfig(process.env);
  const running = await start(config);
  const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.KEIYAKU_DATA === 'memory' ? 'in-memory embedded database' : `embedded database in ${config.KEIYAKU_DATA}`;
  const lines = [
    '',
    `Keiyaku is serving ${running.url}  (${where}${running.ctx.clock.mode === 'test' ? `, test clock at ${running.ctx.clock.now().toString()}` : ''})`,
    `  API description: ${running.url}/openapi.json`,
    running.operatorKeyGenerated ? `  Operator key (dev mode, generated${config.KEIYAKU_DATA !== 'memory' && !config.DATABASE_URL ? `, kept in ${config.KEIYAKU_DATA}/operator-key` : ''}): ${running.operatorKey}` : '  Operator key: from KEIYAKU_OPERATOR_KEY',
    ...(running.seeded.length ? ['  Demo accounts created:', ...running.seeded.map((s) => `    ${s}`)] : []),
    `  Try: curl -H "Authorization: Bearer ${running.operatorKeyGenerated ? running.operatorKey : '$KEIYAKU_OPERATOR_KEY'}" ${running.url}/v1/accounts`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const shutdown = () => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  if (err instanceof ConfigError || err instanceof CatalogError || err instanceof DataFolderLockedError) {
    process.stderr.write(`keiyaku: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
