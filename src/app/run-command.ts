/**
 * Runs a mutating use case in one transaction with its idempotency key (SPEC G6): the first
 * result is stored with the key in the same transaction, so a retry returns it and changes
 * nothing, even when the retry races the first request.
 */
import { createHash } from 'node:crypto';
import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { claimKey, saveResult, saveResultStatement } from '../store/idempotency.js';
import type { AppContext } from './context.js';
import { nowIso } from './context.js';

export interface IdempotencyRequest {
  /** Whose key space: keys of different callers never collide. */
  scope: string;
  key: string;
  /** What the request was (method, path, body): the same key with another request is refused. */
  request: unknown;
}

export type CommandOutcome<T> = { kind: 'result'; value: T; replayed: boolean } | { kind: 'key_reused' };

/** A stable fingerprint of a request (JSON with sorted keys, hashed). */
export function fingerprint(request: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(request) ?? null)).digest('hex');
}

export async function runCommand<T>(ctx: AppContext, idem: IdempotencyRequest | undefined, fn: (trx: Transaction<Database>) => Promise<T>): Promise<CommandOutcome<T>> {
  return runCommitting(ctx, idem, async (trx) => ({ value: await fn(trx), committed: false }));
}

/**
 * `runCommand` for a use case that may commit its own transaction with its last statement (placing
 * an order: the statement that numbers its document is sent with the COMMIT). `fn` gets the
 * statements that store a result with the key, to send with that last one, and says whether it
 * committed; if it did not, the result is stored here as `runCommand` does.
 */
export async function runCommitting<T>(
  ctx: AppContext,
  idem: IdempotencyRequest | undefined,
  fn: (trx: Transaction<Database>, storeResult: (stored: unknown) => ReadonlyArray<RawBuilder<unknown>>) => Promise<{ value: T; committed: boolean }>,
): Promise<CommandOutcome<T>> {
  return ctx.db.transaction().execute(async (trx) => {
    if (idem) {
      const print = fingerprint(idem.request);
      const claim = await claimKey(trx, { scope: idem.scope, key: idem.key, fingerprint: print, createdAt: nowIso(ctx) });
      if (!claim.claimed) {
        if (claim.fingerprint !== print) return { kind: 'key_reused' } as const;
        return { kind: 'result', value: claim.result as T, replayed: true } as const;
      }
    }
    const { value, committed } = await fn(trx, (stored) => (idem ? [saveResultStatement(idem.scope, idem.key, stored)] : []));
    // Stored as JSON: what a retry gets back is exactly what the first caller got.
    const stored = JSON.parse(JSON.stringify(value ?? null)) as T;
    if (idem && !committed) await saveResult(trx, idem.scope, idem.key, stored);
    return { kind: 'result', value: stored, replayed: false } as const;
  });
}
