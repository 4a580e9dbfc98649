// The newest modification time among files and folders (walked), for the build scripts' "is the
// build older than its sources?" (build-web.mjs, build-server.mjs). Missing entries are skipped.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest mtime (ms) of the files under `entries`, paths relative to `base`; 0 when none. */
export function newestSource(base, entries) {
  let newest = 0;
  const visit = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const entry of entries) if (existsSync(join(base, entry))) visit(join(base, entry));
  return newest;
}
