/**
 * Rate limits (issue 9), with Fastify's own `@fastify/rate-limit`: a customer token may make
 * `perToken` requests a minute; requests without a valid credential (none, or a wrong one) are
 * counted per client address, at ten times that; the operator is never limited (it is the
 * vendor's own back end, and one key shared by all its processes). Over the limit: 429
 * `rate_limited` with `Retry-After`.
 *
 * The counters live in the process (the plugin's in-memory store), on the wall clock; the server
 * processes of one `npm start` (KEIYAKU_PROCESSES) share the primary's. Separate machines each count
 * their own requests (docs/operations.md, docs/decisions.md).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { RateAsk } from '../cluster.js';
import { onPrimaryMessage, processRole, tellPrimary } from '../cluster.js';
import { langOf, sendEdgeError } from './problems.js';

export interface RateLimitOptions {
  /** Requests a minute per customer token. */
  perToken: number;
}

/** How many times the per-token limit a client address gets for requests without a credential. */
export const ANONYMOUS_FACTOR = 10;
const WINDOW_MS = 60_000;
const RATE_LIMITED = 'KEIYAKU_RATE_LIMITED';

interface RateLimitedError extends Error {
  statusCode: 429;
  code: typeof RATE_LIMITED;
  retryAfterSeconds: number;
  max: number;
  perToken: boolean;
}

/** The key a request is counted under: its token's hash for a customer, else its address. */
function keyOf(request: FastifyRequest): string {
  if (request.actor?.kind === 'customer') {
    // The hash, not the token: the key may end up in memory dumps or future logs. Computed once
    // by the authentication (auth.ts), which set it when it made the actor a customer.
    return `token:${request.credentialHash}`;
  }
  return `ip:${request.ip}`;
}

type RateCallback = (err: Error | null, res: { current: number; ttl: number }) => void;

/**
 * The plugin's store interface (`incr`, `child`) answered by the primary process, which keeps the
 * plugin's own in-memory store for all server processes (src/cluster.ts). The counts asked in one
 * turn of the event loop go in one IPC message and come back in one (the operator's requests are
 * not counted): under load a process asks for several at once, and each message costs a system
 * call here and a wake-up of the primary.
 */
class PrimaryRateStore {
  #pending = new Map<number, RateCallback>();
  #asks: RateAsk[] = [];
  #next = 0;
  constructor() {
    onPrimaryMessage((message) => {
      if (message.type !== 'keiyaku:rate-result') return;
      for (const r of message.results) {
        const cb = this.#pending.get(r.id);
        this.#pending.delete(r.id);
        cb?.(null, { current: r.current, ttl: r.ttl });
      }
    });
    process.once('disconnect', () => this.#letThrough());
  }
  /**
   * The primary gone (this process is stopping): the requests waiting for a count are let
   * through rather than left hanging, which would also hold up the process's own stop.
   */
  #letThrough(): void {
    for (const cb of this.#pending.values()) cb(null, { current: 1, ttl: WINDOW_MS });
    this.#pending.clear();
  }
  incr(key: string, cb: RateCallback, timeWindow: number, max: number): void {
    const id = ++this.#next;
    this.#pending.set(id, cb);
    if (this.#asks.push({ id, key, timeWindow, max }) === 1) setImmediate(() => this.#send());
  }
  #send(): void {
    const asks = this.#asks;
    this.#asks = [];
    if (!tellPrimary({ type: 'keiyaku:rate', asks })) this.#letThrough();
  }
  child(): PrimaryRateStore {
    return this;
  }
}

/**
 * Registers the limiter for every route registered after it. It runs as a route hook, after
 * the server-wide hook that authenticates, so it knows who is calling.
 */
export async function registerRateLimit(server: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await server.register(rateLimit, {
    global: true,
    ...(processRole() ? { store: PrimaryRateStore } : {}),
    timeWindow: WINDOW_MS,
    keyGenerator: keyOf,
    allowList: (request) => request.actor?.kind === 'operator',
    max: (_request, key) => (key.startsWith('token:') ? options.perToken : options.perToken * ANONYMOUS_FACTOR),
    errorResponseBuilder: (request, context) => {
      const error = new Error('rate limited') as RateLimitedError;
      error.statusCode = 429;
      error.code = RATE_LIMITED;
      error.retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      error.max = context.max;
      error.perToken = request.actor?.kind === 'customer';
      return error;
    },
  });
}

export function isRateLimited(error: FastifyError): boolean {
  return error.code === RATE_LIMITED;
}

/** The 429 problem: who is limited, how much, and when to retry (also as `Retry-After`). */
export function sendRateLimited(request: FastifyRequest, reply: FastifyReply, error: FastifyError) {
  const e = error as unknown as RateLimitedError;
  const seconds = e.retryAfterSeconds;
  const detail =
    langOf(request) === 'ja'
      ? `リクエストが多すぎます（${e.perToken ? 'このトークン' : 'この接続元'}は1分あたり${e.max}件まで）。${seconds}秒後に再試行してください。`
      : `Too many requests: ${e.perToken ? 'this token' : 'this address'} may make ${e.max} a minute. Retry in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  void reply.header('retry-after', String(seconds));
  return sendEdgeError(request, reply, 'rate_limited', undefined, detail);
}
