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

/**
 * `claimKey` for several keys at once (a group of orders, issue 8): one insert, then one read of
 * those already taken. Returns, by key, nothing for a key claimed now and the first request's
 * fingerprint and result for one taken before; throws if a key is neither. The keys must be distinct.
 */
export async function claimKeys(
  trx: Transaction<Database>,
  keys: ReadonlyArray<{ scope: string; key: string; fingerprint: string; createdAt: string }>,
): Promise<Map<string, { fingerprint: string; result: unknown }>> {
  const taken = new Map<string, { fingerprint: string; result: unknown }>();
  if (keys.length === 0) return taken;
  const claim = trx
    .insertInto('idempotency_keys')
    .values(keys.map((k) => ({ scope: k.scope, key: k.key, fingerprint: k.fingerprint, result: null, created_at: k.createdAt })))
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(['scope', 'key'])
    .compile();
  const inserted = await trx.executeQuery<{ scope: string; key: string }>(CompiledQuery.raw(inlined(claim), []));
  const claimed = new Set(inserted.rows.map((r) => keyId(r.scope, r.key)));
  const others = keys.filter((k) => !claimed.has(keyId(k.scope, k.key)));
  if (others.length === 0) return taken;
  const rows = await trx
    .selectFrom('idempotency_keys')
    .select(['scope', 'key', 'fingerprint', 'result'])
    .where((eb) => eb.or(others.map((k) => eb.and([eb('scope', '=', k.scope), eb('key', '=', k.key)]))))
    .execute();
  for (const r of rows) taken.set(keyId(r.scope, r.key), { fingerprint: r.fingerprint, result: r.result });
  // Not claimed and not there: removed since (as `claimKey`'s read would throw, so does this).
  if (taken.size !== others.length) throw new Error('an idempotency key was neither claimed nor found');
  return taken;
}

/** One string for a key in its scope. */
export function keyId(scope: string, key: string): string {
  return `${scope}\n${key}`;
}

/** `saveResultStatement` for several keys: one statement. */
export function saveResultsStatement(results: ReadonlyArray<{ scope: string; key: string; result: unknown }>): RawBuilder<unknown> {
  const values = sql.join(results.map((r) => sql`(${r.scope}, ${r.key}, ${JSON.stringify(r.result)})`));
  return sql`update idempotency_keys k set result = v.result::jsonb from (values ${values}) as v(scope, key, result) where k.scope = v.scope and k.key = v.key`;
}
