/**
 * Runs a mutating use case in one transaction with its idempotency key (SPEC G6): the first
 * result is stored with the key in the same transaction, so a retry returns it and changes
 * nothing, even when the retry races the first request.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { claimKey, saveResult } from '../store/idempotency.js';
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
  return ctx.db.transaction().execute(async (trx) => {
    if (idem) {
      const print = fingerprint(idem.request);
      const claim = await claimKey(trx, { scope: idem.scope, key: idem.key, fingerprint: print, createdAt: nowIso(ctx) });
      if (!claim.claimed) {
        if (claim.fingerprint !== print) return { kind: 'key_reused' } as const;
        return { kind: 'result', value: claim.result as T, replayed: true } as const;
      }
    }
    const value = await fn(trx);
    // Stored as JSON: what a retry gets back is exactly what the first caller got.
    const stored = JSON.parse(JSON.stringify(value ?? null)) as T;
    if (idem) await saveResult(trx, idem.scope, idem.key, stored);
    return { kind: 'result', value: stored, replayed: false } as const;
  });
}
