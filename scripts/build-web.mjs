// Builds the portal and console (web/ → web/dist) when the build is missing or older than its
// sources, so `npm start` serves them on a fresh clone and stays fast on an existing build.
// Usage: node scripts/build-web.mjs [--force] [--lenient]
// --lenient (prestart): a failed build does not stop the API from starting; /portal then says so.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { newestSource } from './newest-source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const built = join(web, 'dist', 'index.html');

/** The web sources: src/, index.html, the configs. */
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json'];

const force = process.argv.includes('--force');
if (!force && existsSync(built) && statSync(built).mtimeMs >= newestSource(web, SOURCES)) process.exit(0);

process.stdout.write('Building the portal and console (web/ → web/dist)…\n');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
// Build beside web/dist, then swap it in: a server (or a test run) reading web/dist meanwhile
// never sees a half-written or emptied folder.
const staging = join(web, `dist.building-${process.pid}`);
const result = spawnSync(process.execPath, [vite, 'build', '--config', join(web, 'vite.config.ts'), '--outDir', staging, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
if (result.status === 0) {
  const old = join(web, `dist.old-${process.pid}`);
  if (existsSync(join(web, 'dist'))) renameSync(join(web, 'dist'), old);
  renameSync(staging, join(web, 'dist'));
  rmSync(old, { recursive: true, force: true });
} else {
  rmSync(staging, { recursive: true, force: true });
}
if (result.status !== 0) {
  if (process.argv.includes('--lenient')) {
    process.stderr.write('keiyaku: building web/ failed; the API still starts, /portal says the portal is not built.\n');
    process.exit(0);
  }
  process.stderr.write('keiyaku: building web/ failed.\n');
  process.exit(1);
}
