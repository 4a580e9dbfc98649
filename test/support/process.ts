/**
 * Runs Keiyaku as a real process, as `npm start` does (`build/main.mjs`, which the tests' global
 * setup builds from src/ when it is older), for crash and lock tests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/boot.js';
import { OPERATOR_KEY } from './harness.js';
import { SERVER_ARGS } from '../../scripts/build-server.mjs';

/** How `npm start` and `npm run keiyaku` run the server and the CLI, from the project's root. */
export { CLI_ARGS, SERVER_ARGS } from '../../scripts/build-server.mjs';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the server (`build/main.mjs`) with the environment (and flags) given; resolves once it serves, or rejects with its output. */
export function spawnServer(env: Record<string, string>, timeoutMs = 60_000, args: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVER_ARGS, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', KEIYAKU_OPERATOR_KEY: OPERATOR_KEY, KEIYAKU_SEED: 'none', KEIYAKU_LOG: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    let started = false;
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started) reject(Object.assign(new Error(`server exited with ${code}:\n${out}`), { code, output: out }));
    });
    const poll = setInterval(() => {
      const match = /Keiyaku is serving (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      started = true;
      const url = match[1]!;
      resolve({
        child,
        url,
        stdout: () => out,
        async api(method, path, body) {
          const res = await fetch(url + path, {
            method,
            headers: { authorization: `Bearer ${OPERATOR_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          });
          const text = await res.text();
          return { status: res.status, body: text ? JSON.parse(text) : undefined };
        },
        async kill(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    }, 20);
  });
}

/** Runs the server expecting it to stop by itself; resolves with its exit code and output. */
export function runToExit(env: Record<string, string>, timeoutMs = 60_000, args: readonly string[] = []): Promise<{ code: number | null; output: string }> {
  return spawnServer(env, timeoutMs, args).then(
    async (server) => {
      await server.kill();
      return { code: 0, output: server.stdout() };
    },
    (err: Error & { code?: number; output?: string }) => ({ code: err.code ?? null, output: err.output ?? err.message }),
  );
}
