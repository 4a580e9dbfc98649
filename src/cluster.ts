/**
 * Several server processes on one machine (`KEIYAKU_PROCESSES`, PostgreSQL only; docs/scaling.md).
 *
 * Node runs a process's JavaScript on one core, so one server process serves at most one core's
 * worth of requests: on the benchmark's two cores the entitlement checks stopped at ~19,000/s with
 * the second core half idle (docs/performance.md). With `node:cluster` the primary process forks
 * the server processes and shares the listening socket among them; it serves nothing itself.
 *
 * - The first process ("lead") starts alone: migrations, the demo seed, the catch-up at start;
 *   then it runs the scheduler and the mail worker. The others ("followers") start once it is up
 *   and only serve requests (any process may still run effects when asked: `POST /v1/effects/run`,
 *   the test clock; the effects are claimed with `SKIP LOCKED`, so none runs twice).
 * - A process that dies is started again in its place (a lead as the lead), after 1 s, doubling to
 *   30 s while it keeps dying within a minute of its start. One that fails before it ever served
 *   (a wrong setting, an unreachable database) stops everything with its exit code.
 * - SIGINT and SIGTERM stop every process as one `npm start` stops (requests in flight answered),
 *   also while they are starting: the primary waits for those it forked (one not yet serving is
 *   ended with SIGTERM: its start is transactions that roll back) and exits 0.
 * - What processes share through the primary: the rate limit's counters (so a token gets its
 *   limit once, not once a process) and a test clock set through one of them.
 *
 * The state cache of each process is invalidated through PostgreSQL's LISTEN/NOTIFY, as between
 * machines (docs/decisions.md, "Performance: the state cache").
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';

export type ProcessRole = 'lead' | 'follower';

/** The environment variable the primary gives each server process its role in. */
const ROLE_ENV = 'KEIYAKU_PROCESS_ROLE';
/** … how many there are, */
const COUNT_ENV = 'KEIYAKU_PROCESS_COUNT';
/** … and, in dev mode (no KEIYAKU_OPERATOR_KEY), the operator key it generated for all of them. */
const GENERATED_KEY_ENV = 'KEIYAKU_PROCESS_OPERATOR_KEY';

/** Messages between the primary and the server processes (`type` says which). */
export type ClusterMessage =
  | { type: 'keiyaku:ready'; url: string }
  | { type: 'keiyaku:stop' }
  | { type: 'keiyaku:clock'; now: string }
  | { type: 'keiyaku:rate'; asks: RateAsk[] }
  | { type: 'keiyaku:rate-result'; results: RateResult[] };

/** One request to count (src/http/rate-limit.ts); a process sends those of an event-loop turn together. */
export interface RateAsk {
  id: number;
  key: string;
  timeWindow: number;
  max: number;
}
export interface RateResult {
  id: number;
  current: number;
  ttl: number;
}

const isMessage = (m: unknown): m is ClusterMessage => typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('keiyaku:');

/** How many server processes the settings ask for: `auto` is one a core on PostgreSQL, one on the embedded database. */
export function serverProcesses(config: Config): number {
  const asked = config.KEIYAKU_PROCESSES;
  if (asked === 'auto') return config.DATABASE_URL ? availableParallelism() : 1;
  return asked;
}

/** This process's role when it is one of several server processes; undefined when it runs alone. */
export function processRole(): ProcessRole | undefined {
  if (!cluster.isWorker) return undefined;
  const role = process.env[ROLE_ENV];
  return role === 'lead' || role === 'follower' ? role : undefined;
}

/** How many server processes this one is of (1 when it runs alone). */
export function processCount(): number {
  const n = processRole() ? Number(process.env[COUNT_ENV]) : 1;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** The dev-mode operator key the primary generated for all server processes (they must accept the same one). */
export function generatedOperatorKey(): string | undefined {
  return processRole() ? process.env[GENERATED_KEY_ENV] : undefined;
}

/** Sends a message to the primary (a server process of several); false when running alone. */
export function tellPrimary(message: ClusterMessage): boolean {
  if (!processRole() || !process.send || !process.connected) return false;
  process.send(message);
  return true;
}

/** Calls `handler` with each message the primary sends this server process. */
export function onPrimaryMessage(handler: (message: ClusterMessage) => void): void {
  process.on('message', (m: unknown) => {
    if (isMessage(m)) handler(m);
  });
}

/**
 * A server process of several, now serving at `url`: tells the primary so, and calls `stop` when
 * the primary asks or is gone (killed: nobody would restart or stop this process otherwise).
 */
export function joinPrimary(url: string, stop: () => void): void {
  onPrimaryMessage((message) => {
    if (message.type === 'keiyaku:stop') stop();
  });
  process.once('disconnect', stop);
  tellPrimary({ type: 'keiyaku:ready', url });
}

export interface Primary {
  /** Where the processes listen. */
  url: string;
  processes: number;
  /** Stops every server process (each finishes its requests), then resolves. */
  stop(): Promise<void>;
}

/** The rate limit's own in-memory store (@fastify/rate-limit), kept in the primary for all processes. */
interface RateStore {
  incr(key: string, cb: (err: Error | null, res: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
}
function localRateStore(): RateStore {
  const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => RateStore;
  // As the plugin's own default: no continueExceeding, no backoff, 5,000 keys (least recently used out).
  return new LocalStore(false, false, 5000);
}

const RESTART_FIRST_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STABLE_MS = 60_000;
const STOP_GRACE_MS = 30_000;

/**
 * Runs the primary: forks `count` server processes of the same script (`cluster.fork`) and keeps
 * them running. Resolves once all serve; rejects (after stopping the others) when one fails before
 * serving, with its exit code. `signal` stops them all as `stop()` does, also while they start:
 * the promise then resolves with `undefined` once every process has exited.
 */
export function runPrimary(config: Config, count: number, log: (line: string) => void, signal?: AbortSignal): Promise<Primary | undefined> {
  const rate = localRateStore();
  // Dev mode: one generated operator key for all (each process would otherwise make its own).
  const env: Record<string, string> = config.KEIYAKU_OPERATOR_KEY ? {} : { [GENERATED_KEY_ENV]: `kyo_${randomBytes(24).toString('base64url')}` };
  const slots: Array<Worker | undefined> = [];
  const delays: number[] = [];
  const startedAt: number[] = [];
  /** Whether the process of a slot has said it serves (it listens for the primary's stop message from then on). */
  const serving: boolean[] = [];
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let url = '';

  const handle = (worker: Worker, message: ClusterMessage) => {
    if (message.type === 'keiyaku:rate') {
      // Counted in the order asked; answered in one message once all are (the store answers at once).
      const results: RateResult[] = [];
      for (const ask of message.asks) {
        rate.incr(
          ask.key,
          (_err, res) => {
            results.push({ id: ask.id, current: res.current, ttl: res.ttl });
            // The process may have died since it asked; its requests died with it.
            if (results.length === message.asks.length && worker.isConnected()) worker.send({ type: 'keiyaku:rate-result', results } satisfies ClusterMessage);
          },
          ask.timeWindow,
          ask.max,
        );
      }
    } else if (message.type === 'keiyaku:clock') {
      for (const other of slots) if (other && other !== worker && other.isConnected()) other.send(message);
    }
  };

  /** Forks the process of slot `i`; resolves with its URL once it serves, rejects with its exit code if it exits first. */
  const fork = (i: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ ...env, [COUNT_ENV]: String(count), [ROLE_ENV]: i === 0 ? 'lead' : 'follower' });
      slots[i] = worker;
      startedAt[i] = performance.now();
      serving[i] = false;
      let served = false;
      worker.on('message', (m: unknown) => {
        if (!isMessage(m)) return;
        if (m.type === 'keiyaku:ready' && !served) {
          served = true;
          if (slots[i] === worker) serving[i] = true;
          resolve(m.url);
        } else handle(worker, m);
      });
      worker.once('exit', (code, signal) => {
        if (slots[i] === worker) slots[i] = undefined;
        if (!served) return reject(Object.assign(new Error(`server process ${i + 1} exited before it served (${signal ?? `code ${code}`})`), { exitCode: code ?? 1 }));
        if (stopping) return;
        // A process that served and died: start another in its place (G3: the lead's scheduler must go on).
        replace(i, `server process ${i + 1} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`})`);
      });
    });

  /** Starts slot `i` again after a wait that doubles while it keeps dying soon after its start; again if the new one fails before it serves. */
  const replace = (i: number, what: string) => {
    const lived = performance.now() - (startedAt[i] ?? 0);
    delays[i] = lived > STABLE_MS ? RESTART_FIRST_MS : Math.min(RESTART_MAX_MS, (delays[i] ?? RESTART_FIRST_MS / 2) * 2);
    log(`keiyaku: ${what}; starting another in ${delays[i] / 1000} s`);
    // Not unref'd: with every process dead, this timer is what keeps the primary (and the service) alive.
    setTimeout(() => {
      if (stopping) return;
      fork(i).catch((err: Error) => {
        if (!stopping) replace(i, err.message);
      });
    }, delays[i]);
  };

  /** Stops every process (once, however often asked): a serving one by message, one still starting by SIGTERM. */
  const stop = (): Promise<void> => {
    stopping = true;
    stopped ??= Promise.all(
      slots.map(
        (worker, i) =>
          new Promise<void>((done) => {
            if (!worker || worker.isDead()) return done();
            const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
            worker.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            // A process still starting has no handler for the message yet (nor for the signal:
            // it ends at once, its start's transactions rolled back by the database).
            if (serving[i] && worker.isConnected()) worker.send({ type: 'keiyaku:stop' } satisfies ClusterMessage);
            else worker.process.kill('SIGTERM');
          }),
      ),
    ).then(() => undefined);
    return stopped;
  };
  if (signal?.aborted) return Promise.resolve(undefined);
  signal?.addEventListener('abort', () => void stop(), { once: true });

  return (async () => {
    try {
      // The lead first, alone: it migrates, seeds and catches up before anyone serves.
      url = await fork(0);
      if (!stopping) await Promise.all(Array.from({ length: count - 1 }, (_, k) => fork(k + 1)));
    } catch (err) {
      await stop();
      if (signal?.aborted) return undefined;
      throw err;
    }
    if (stopping) {
      await stop();
      return undefined;
    }
    return { url, processes: count, stop };
  })();
}
