/** Turning use-case results into responses: refusals become problems, notes get their messages. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Tx } from '../app/context.js';
import { actorName } from '../app/context.js';
import type { CommandOutcome, IdempotencyRequest } from '../app/run-command.js';
import { runCommand } from '../app/run-command.js';
import { isRefusal } from '../domain/refusals.js';
import type { Refusal } from '../domain/refusals.js';
import type { Note } from '../domain/notes.js';
import { renderNote } from '../domain/notes.js';
import type { Lang } from './problems.js';
import { langOf, sendEdgeError, sendRefusal } from './problems.js';

/** Renders `effects` and `warnings` note lists in the caller's language. */
export function withMessages<T extends { effects?: unknown; warnings?: unknown }>(value: T, lang: Lang): T {
  const render = (list: unknown) => (Array.isArray(list) ? (list as Note[]).map((n) => renderNote(n, lang)) : list);
  return { ...value, ...('effects' in value ? { effects: render(value.effects) } : {}), ...('warnings' in value ? { warnings: render(value.warnings) } : {}) };
}

export function send<T>(request: FastifyRequest, reply: FastifyReply, result: T | Refusal, status = 200) {
  if (isRefusal(result)) return sendRefusal(request, reply, result);
  return reply.code(status).send(result);
}

/**
 * `send` for the hot reads (entitlement checks, member reads; issue 8): the answer goes out as JSON
 * serialised here, so Fastify skips the route's response serializer — zod's encode of the answer,
 * measured at 13–17 % of a check's throughput on two cores. The answer's type is the domain's,
 * checked by the compiler, and test/api/hot-reads.test.ts holds every kind of answer to the route's
 * documented schema (no field more, none less), which the serializer's encode used to enforce.
 */
export function sendSerialized<T>(request: FastifyRequest, reply: FastifyReply, result: T | Refusal, status = 200) {
  if (isRefusal(result)) return sendRefusal(request, reply, result);
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(result));
}

/**
 * Runs a mutating use case in one transaction with the request's Idempotency-Key (G6): a retry
 * with the same key and body gets the first answer; with another body, 409.
 */
export async function command<T>(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  fn: (trx: Tx) => Promise<T | Refusal>,
  present: (value: T) => unknown = (v) => v,
) {
  return commandWith(request, reply, status, (idem) => runCommand(ctx, idem, fn), present);
}

/**
 * `command` with its own runner (placing an order sends its stored result with the COMMIT:
 * `runPlaceOrder`): the Idempotency-Key is checked and handed to `run`, and its outcome answered.
 */
export async function commandWith<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  run: (idem: IdempotencyRequest | undefined) => Promise<CommandOutcome<T | Refusal>>,
  present: (value: T) => unknown = (v) => v,
) {
  const rawKey = request.headers['idempotency-key'];
  const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
  if (key !== undefined && (key.length === 0 || key.length > 255)) {
    return sendEdgeError(request, reply, 'invalid_request', [{ path: 'headers.idempotency-key', message: 'Idempotency-Key must be 1 to 255 characters' }]);
  }
  // A route that takes no body ignores one: it is no part of the request (and a deeply nested
  // junk body overflowed the stack of the fingerprint: a 500 found by the fuzz test, issue 9).
  const body = request.routeOptions.schema?.body ? (request.body ?? null) : null;
  // Without a credential (a sign-in link asked for) a key is the client address's: two strangers picking the same key do not meet.
  const idem = key ? { scope: request.actor ? actorName(request.actor) : `anonymous:${request.ip}`, key, request: { method: request.method, url: request.url, body } } : undefined;
  const outcome = await run(idem);
  if (outcome.kind === 'key_reused') return sendEdgeError(request, reply, 'idempotency_key_reused');
  if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
  const value = outcome.value;
  if (isRefusal(value)) return sendRefusal(request, reply, value);
  return reply.code(status).send(present(value as T));
}

export { langOf };
