/**
 * The reads' load generator: real HTTP/1.1 over keep-alive TCP sockets to the server process, at
 * a fraction of `node:http`'s client cost, in worker threads. Client and server share this
 * machine's cores, so every microsecond the client spends on a request is one the server does
 * not get: `node:http`'s client cost about as much CPU a request as the server itself (a CPU
 * profile showed the server 37 % idle while the client was saturated).
 *
 * What it does not skip: each request is sent on its own socket and waited for (one request in
 * flight a connection, no pipelining), each response is read to its end (status line, headers,
 * `Content-Length` bytes of body), its status compared with the expected one (any other status,
 * a response without `Content-Length`, extra bytes or a closed socket count as errors, and the
 * first is reported with its body), and each request's latency is taken with `performance.now()`
 * from the write to the last byte. What it saves: requests are encoded once up front (method,
 * path, headers, JSON body), responses are not decoded into objects, and there is no agent, no
 * IncomingMessage stream, no promise a request.
 *
 * `threads` worker threads each open their share of the connections; task `i` (an index into
 * `requests`, modulo its length) goes to thread `i % threads`, so a count-bounded run (e.g. each
 * account once, cold) still sends each request exactly once.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { LoadResult } from './load.js';
import { processCpuMs } from './cpu.js';
import { percentile } from './load.js';

export interface HttpRequestSpec {
  method: string;
  path: string;
  /** Sent as JSON with Content-Type: application/json. */
  body?: unknown;
  /** The status every response must have. */
  expect: number;
  /** The bearer credential of this request, when not the run's `token` (a customer's portal token). */
  token?: string;
}

export interface HttpLoadOptions {
  url: string;
  /** The bearer credential sent with every request. */
  token: string;
  /** Task i sends requests[i % requests.length]. */
  requests: HttpRequestSpec[];
  connections: number;
  /** Worker threads the connections are spread over; default 1. */
  threads?: number;
  durationMs: number;
  /** Stop after this many measured requests. */
  count?: number;
  /** Requests sent before the measurement (tasks 0 … warmup-1; the measurement goes on from there). */
  warmup?: number;
  /** The server's process id: its CPU time is read from /proc (Linux) to report CPU a request. */
  serverPid?: number;
}

export interface HttpLoadResult extends LoadResult {
  /** CPU time a request, in microseconds: this process (the client) and the server (Linux only). */
  cpuUsPerRequest: { client: number; server?: number };
  /** Second by second of the measurement (by when each request was sent): answered requests, p50 and p99 in ms. */
  timeline: Array<{ second: number; count: number; p50: number; p99: number }>;
}

interface WorkerInput {
  kind: 'keiyaku-http-load';
  host: string;
  port: number;
  /** All requests, encoded, back to back; request r is bytes offsets[r] … offsets[r+1]. */
  encoded: Uint8Array;
  offsets: Uint32Array;
  expected: Uint16Array;
  connections: number;
  thread: number;
  threads: number;
  warmup: number;
  count: number;
  durationMs: number;
}

type WorkerMessage =
  | { type: 'warm' }
  | { type: 'done'; latencies: Float64Array; sentAt: Float64Array; errors: number; firstError?: string; seconds: number };

export function encodeRequests(url: string, token: string, requests: HttpRequestSpec[]): { encoded: Uint8Array; offsets: Uint32Array; expected: Uint16Array } {
  const u = new URL(url);
  const parts: Buffer[] = [];
  const offsets = new Uint32Array(requests.length + 1);
  const expected = new Uint16Array(requests.length);
  let at = 0;
  for (const [r, req] of requests.entries()) {
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    let head = `${req.method} ${req.path} HTTP/1.1\r\nhost: ${u.host}\r\nauthorization: Bearer ${req.token ?? token}\r\n`;
    if (body) head += `content-type: application/json\r\ncontent-length: ${body.length}\r\n`;
    const bytes = body ? Buffer.concat([Buffer.from(`${head}\r\n`), body]) : Buffer.from(`${head}\r\n`);
    parts.push(bytes);
    offsets[r] = at;
    at += bytes.length;
    expected[r] = req.expect;
  }
  offsets[requests.length] = at;
  return { encoded: new Uint8Array(Buffer.concat(parts)), offsets, expected };
}

function serverCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : processCpuMs(pid);
}

/** The worker runs this very file, through tsx's loader as the bench itself runs (a worker does not inherit it). */
const WORKER_SOURCE = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;

/** Runs the load in `threads` worker threads and merges their latencies. */
export async function runHttpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  const threads = Math.max(1, Math.min(opts.threads ?? 1, opts.connections));
  const u = new URL(opts.url);
  const { encoded, offsets, expected } = encodeRequests(opts.url, opts.token, opts.requests);
  const workers: Worker[] = [];
  const results: Array<Promise<WorkerMessage & { type: 'done' }>> = [];
  const warm: Array<Promise<void>> = [];
  for (let t = 0; t < threads; t++) {
    const input: WorkerInput = {
      kind: 'keiyaku-http-load',
      host: u.hostname,
      port: Number(u.port),
      encoded,
      offsets,
      expected,
      connections: Math.floor(opts.connections / threads) + (t < opts.connections % threads ? 1 : 0),
      thread: t,
      threads,
      warmup: opts.warmup ?? 0,
      count: opts.count ?? Number.MAX_SAFE_INTEGER,
      durationMs: opts.durationMs,
    };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: input });
    workers.push(worker);
    let warmed!: () => void;
    warm.push(new Promise<void>((resolve) => (warmed = resolve)));
    results.push(
      new Promise((resolve, reject) => {
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'warm') warmed();
          else resolve(msg);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`load thread ${t} exited with code ${code}`)));
      }),
    );
  }
  try {
    // Every thread warms up first; then all start measuring together.
    await Promise.race([Promise.all(warm), Promise.all(results)]);
    const cpu0 = process.cpuUsage();
    const server0 = serverCpuMs(opts.serverPid);
    for (const w of workers) w.postMessage('go');
    const done = await Promise.all(results);
    const cpu = process.cpuUsage(cpu0);
    const server1 = serverCpuMs(opts.serverPid);
    const total = done.reduce((n, d) => n + d.latencies.length, 0);
    const sorted = new Float64Array(total);
    let at = 0;
    for (const d of done) {
      sorted.set(d.latencies, at);
      at += d.latencies.length;
    }
    sorted.sort();
    const seconds = Math.max(...done.map((d) => d.seconds));
    const bySecond: number[][] = [];
    for (const d of done) d.sentAt.forEach((t, i) => (bySecond[Math.floor(t / 1000)] ??= []).push(d.latencies[i]!));
    const timeline = [...bySecond.entries()].flatMap(([second, ms]) => {
      if (!ms) return [];
      const s = Float64Array.from(ms).sort();
      return [{ second, count: s.length, p50: percentile(s, 50), p99: percentile(s, 99) }];
    });
    const errors = done.reduce((n, d) => n + d.errors, 0);
    const firstError = done.find((d) => d.firstError)?.firstError;
    const requests = Math.max(1, total + errors);
    return {
      count: total,
      errors,
      ...(firstError ? { firstError } : {}),
      seconds,
      perSecond: total / seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: total ? (sorted[total - 1] ?? Number.NaN) : Number.NaN,
      timeline,
      cpuUsPerRequest: {
        client: (cpu.user + cpu.system) / requests,
        ...(server0 !== undefined && server1 !== undefined ? { server: ((server1 - server0) * 1000) / requests } : {}),
      },
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

// ---- the worker thread ----

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('\r\ncontent-length:');

/** Reads `Content-Length` from the header block (case-insensitive), or -1. */
function contentLength(head: Buffer): number {
  const lower = Buffer.from(head.toString('latin1').toLowerCase(), 'latin1');
  const at = lower.indexOf(CONTENT_LENGTH);
  if (at < 0) return -1;
  let n = 0;
  let i = at + CONTENT_LENGTH.length;
  while (lower[i] === 0x20) i++;
  const from = i;
  for (; i < lower.length && lower[i]! >= 0x30 && lower[i]! <= 0x39; i++) n = n * 10 + (lower[i]! - 0x30);
  return i > from ? n : -1;
}

function workerMain(input: WorkerInput): void {
  const port = parentPort;
  if (!port) return;
  const encoded = Buffer.from(input.encoded.buffer, input.encoded.byteOffset, input.encoded.byteLength);
  const nRequests = input.expected.length;
  const requestOf = (task: number) => {
    const r = task % nRequests;
    return { bytes: encoded.subarray(input.offsets[r]!, input.offsets[r + 1]!), expect: input.expected[r]! };
  };
  // This thread's tasks: thread, thread + threads, thread + 2·threads, …
  let nextTask = input.thread;
  const takeTask = (limit: number): number | undefined => {
    if (nextTask >= limit) return undefined;
    const task = nextTask;
    nextTask += input.threads;
    return task;
  };

  let latencies = new Float64Array(1 << 16);
  let sentAts = new Float64Array(1 << 16);
  let measureStart = 0;
  let measured = 0;
  let errors = 0;
  let firstError: string | undefined;
  let deadline = Number.POSITIVE_INFINITY;
  const measureLimit = input.warmup + input.count;
  const record = (ms: number, sentAt: number) => {
    if (measured === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
      const grownAt = new Float64Array(sentAts.length * 2);
      grownAt.set(sentAts);
      sentAts = grownAt;
    }
    sentAts[measured] = sentAt - measureStart;
    latencies[measured++] = ms;
  };
  const fail = (message: string) => {
    errors++;
    firstError ??= message;
  };

  /**
   * One keep-alive connection: sends a task, reads its response to the end, sends the next;
   * resolves when out of tasks (`limit`) or time. `measure`: record latencies and errors.
   */
  const connection = (limit: number, measure: boolean) =>
    new Promise<void>((resolve) => {
      let socket: net.Socket;
      let pending: Buffer | undefined;
      let need = -1;
      let status = 0;
      let expect = 0;
      let sentAt = 0;
      let inFlight = false;
      let finished = false;
      let connected = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.end();
        resolve();
      };
      const complete = (ok: boolean, message?: string) => {
        inFlight = false;
        const ms = performance.now() - sentAt;
        if (!measure) return;
        if (ok) record(ms, sentAt);
        else fail(message ?? 'failed');
      };
      const sendNext = () => {
        if (performance.now() >= deadline) return finish();
        const task = takeTask(limit);
        if (task === undefined) return finish();
        const req = requestOf(task);
        expect = req.expect;
        pending = undefined;
        need = -1;
        inFlight = true;
        sentAt = performance.now();
        socket.write(req.bytes);
      };
      const open = () => {
        connected = false;
        socket = net.connect(input.port, input.host);
        socket.setNoDelay(true);
        socket.on('connect', () => {
          connected = true;
          sendNext();
        });
        socket.on('data', (chunk: Buffer) => {
          pending = pending ? Buffer.concat([pending, chunk]) : chunk;
          if (!inFlight) {
            complete(false, `bytes the client did not ask for: ${pending.toString('latin1', 0, 300)}`);
            socket.destroy();
            return;
          }
          if (need < 0) {
            const end = pending.indexOf(CRLFCRLF);
            if (end < 0) return;
            // "HTTP/1.1 200 OK"
            status = pending[8] === 0x20 ? (pending[9]! - 0x30) * 100 + (pending[10]! - 0x30) * 10 + (pending[11]! - 0x30) : 0;
            const length = contentLength(pending.subarray(0, end + 2));
            if (status < 100 || status > 599 || length < 0) {
              complete(false, `unreadable response (no status or no Content-Length): ${pending.toString('latin1', 0, 300)}`);
              socket.destroy();
              return;
            }
            need = end + 4 + length;
          }
          if (pending.length < need) return;
          if (pending.length > need) {
            complete(false, `more bytes than the response's Content-Length: ${pending.toString('latin1', 0, 300)}`);
            socket.destroy();
            return;
          }
          if (status === expect) complete(true);
          else complete(false, `HTTP ${status} (expected ${expect}): ${pending.toString('utf8', pending.indexOf(CRLFCRLF) + 4).slice(0, 400)}`);
          sendNext();
        });
        socket.on('error', (err) => {
          if (inFlight) complete(false, `socket error: ${err.message}`);
          else if (measure) fail(`socket error: ${err.message}`);
        });
        socket.on('close', () => {
          if (finished) return;
          if (inFlight) complete(false, 'the server closed the connection before answering');
          // A new connection in its place (the server may close one), unless this one never opened.
          if (connected) open();
          else finish();
        });
      };
      open();
    });

  const run = async () => {
    // The warm-up: tasks below `warmup`, not measured, on as many connections as useful.
    const warmConnections = Math.min(input.connections, Math.ceil(input.warmup / input.threads));
    if (warmConnections > 0) await Promise.all(Array.from({ length: warmConnections }, () => connection(input.warmup, false)));
    port.postMessage({ type: 'warm' } satisfies WorkerMessage);
    await new Promise<void>((resolve) => port.once('message', () => resolve()));
    const t0 = performance.now();
    measureStart = t0;
    deadline = t0 + input.durationMs;
    await Promise.all(Array.from({ length: input.connections }, () => connection(measureLimit, true)));
    const seconds = (performance.now() - t0) / 1000;
    const out = latencies.slice(0, measured);
    const sentAt = sentAts.slice(0, measured);
    port.postMessage({ type: 'done', latencies: out, sentAt, errors, ...(firstError ? { firstError } : {}), seconds } satisfies WorkerMessage, [out.buffer, sentAt.buffer]);
  };
  void run();
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.kind === 'keiyaku-http-load') workerMain(workerData as WorkerInput);
