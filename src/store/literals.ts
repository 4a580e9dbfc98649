/**
 * Values as SQL literals, for messages of several statements (which cannot carry bind parameters)
 * and for a transaction's first statement, which the store's client sends in one message with its
 * deferred BEGIN only when it has no parameters (src/store/db.ts, `MessageClient`).
 */
import type { CompiledQuery } from 'kysely';

/** A SQL literal: strings dollar-quoted with a tag they do not contain (no escaping pass over them). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') {
    let tag = '$k$';
    // The literal ends at the tag's first occurrence: it must be the one after the text.
    for (let n = 0; (v + tag).indexOf(tag) !== v.length; n++) tag = `$k${n}$`;
    return tag + v + tag;
  }
  throw new Error(`no literal for a ${typeof v}`);
}

/** A compiled statement's text with its parameters written in as literals. */
export function inlined(compiled: CompiledQuery): string {
  return compiled.sql.replace(/\$(\d+)/g, (_, n: string) => literal(compiled.parameters[Number(n) - 1]));
}
