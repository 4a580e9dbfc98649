/** Idempotency keys (SPEC G6): the first result of a request, kept with its key. */
import type { RawBuilder, Transaction } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import { inlined } from './literals.js';
import type { Database } from './tables.js';

/**
 * Claims the key inside the caller's transaction. A concurrent request with the same key waits
 * on the unique index until the first commits, then finds its result.
 */
export async function claimKey(
  trx: Transaction<Database>,
  k: { scope: string; key: string; fingerprint: string; createdAt: string },
): Promise<{ claimed: true } | { claimed: false; fingerprint: string; result: unknown }> {
  // Without bind parameters, so that as a transaction's first statement its BEGIN goes with it.
  const claim = trx
    .insertInto('idempotency_keys')
    .values({ scope: k.scope, key: k.key, fingerprint: k.fingerprint, result: null, created_at: k.createdAt })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .compile();
  const inserted = await trx.executeQuery(CompiledQuery.raw(inlined(claim), []));
  if (inserted.rows.length > 0) return { claimed: true };
  const row = await trx.selectFrom('idempotency_keys').select(['fingerprint', 'result']).where('scope', '=', k.scope).where('key', '=', k.key).executeTakeFirstOrThrow();
  return { claimed: false, fingerprint: row.fingerprint, result: row.result };
}

export async function saveResult(trx: Transaction<Database>, scope: string, key: string, result: unknown): Promise<void> {
  await trx.updateTable('idempotency_keys').set({ result: JSON.stringify(result) }).where('scope', '=', scope).where('key', '=', key).execute();
}

/** The statement storing the result with its key (as `saveResult`), to run inside another statement. */
export function saveResultStatement(scope: string, key: string, result: unknown): RawBuilder<unknown> {
  return sql`update idempotency_keys set result = ${JSON.stringify(result)}::jsonb where scope = ${scope} and key = ${key} returning 1`;
}
