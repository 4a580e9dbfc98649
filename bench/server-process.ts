/** Starts `server-main.ts` in a child process (through tsx) and stops it. */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  kind: string;
  startMs: number;
  /** Server processes serving (KEIYAKU_PROCESSES); `pid` is their primary when more than one. */
  processes: number;
  pid: number;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./server-main.ts', import.meta.url));

/** `nodeArgs`: extra Node flags for the server, e.g. `--cpu-prof` to see where its time goes. */
export function spawnServer(env: Record<string, string>, timeoutMs = 60_000, nodeArgs: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = fork(MAIN, [], { env, execArgv: ['--import', 'tsx', ...nodeArgs], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before it was ready`));
    });
    child.on('message', (msg: { type?: string; url?: string; startMs?: number; kind?: string; processes?: number }) => {
      if (msg.type !== 'ready' || !msg.url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: msg.url,
        kind: msg.kind ?? '?',
        startMs: msg.startMs ?? Number.NaN,
        processes: msg.processes ?? 1,
        pid: child.pid ?? -1,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.send({ type: 'stop' });
          }),
      });
    });
  });
}
