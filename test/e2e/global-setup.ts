// Builds web/ once before the browser tests (skipped when web/dist is newer than the sources).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '..', '..');
  const result = spawnSync(process.execPath, [resolve(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building web/ failed: see the output above');
}
