/**
 * An exclusive lock on the embedded database's folder: two processes on one PGlite folder corrupt
 * it silently (DESIGN, PGlite pitfalls). The lock file names the holder; a holder that died
 * (SIGKILL, power loss) is detected by its pid and the lock taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DataLock {
  release(): void;
}

export interface LockHolder {
  pid: number;
  startedAt: string;
  url?: string;
}

export class DataFolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data folder ${folder} is in use by another Keiyaku process (pid ${holder.pid}, started ${holder.startedAt}` +
        `${holder.url ? `, serving ${holder.url}` : ''}). Stop that process, or use it: the CLI talks to a running server through its API. ` +
        `To run a second server, give it its own folder with KEIYAKU_DATA.`,
    );
    this.name = 'DataFolderLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or throws {@link DataFolderLockedError} naming the process that holds it. */
export function lockDataFolder(folder: string, holder: Omit<LockHolder, 'pid'>): DataLock & { update(url: string): void } {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'keiyaku.lock');
  const me: LockHolder = { pid: process.pid, ...holder };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return {
        update(url) {
          me.url = url;
          try {
            const fd2 = openSync(file, 'w');
            writeSync(fd2, JSON.stringify(me));
            closeSync(fd2);
          } catch {
            /* the lock stays held; only the note of the URL is lost */
          }
        },
        release() {
          try {
            const current = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
            if (current.pid === process.pid) rmSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let other: LockHolder | undefined;
      try {
        other = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
      } catch {
        other = undefined;
      }
      if (other && other.pid !== process.pid && alive(other.pid)) throw new DataFolderLockedError(folder, other);
      rmSync(file, { force: true }); // the holder died: take the lock over
    }
  }
  throw new Error(`Could not take the lock on ${folder}`);
}
