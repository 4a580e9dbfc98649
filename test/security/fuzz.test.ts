/**
 * Issue 9, fuzz: for every operation of GET /openapi.json, fast-check sends malformed and boundary
 * requests — path ids, query strings, bodies (wrong types, missing and extra fields, huge and
 * negative numbers, unicode, empty and very long strings, impossible dates, null, arrays instead
 * of objects, invalid JSON, wrong content types) and odd headers — as the operator, as the
 * account's customer, as another account's customer and without a credential.
 *
 * Every answer: never a 5xx; every 4xx is application/problem+json with a code of docs/errors.md;
 * and a refused request changes nothing in the database.
 *
 * KEIYAKU_FUZZ_RUNS (default 10,000) is the total number of requests; KEIYAKU_FUZZ_SEED replays a run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KIND, OPERATOR_KEY } from '../support/harness.js';
import type { Operation, Owned, World } from './world.js';
import { ENDS_SESSIONS, buildWorld, deref, hints, ownerFor, renewTokens, resolvePath, sample } from './world.js';

const TOTAL = Number(process.env.KEIYAKU_FUZZ_RUNS ?? 10_000);
const SEED = process.env.KEIYAKU_FUZZ_SEED ? Number(process.env.KEIYAKU_FUZZ_SEED) : undefined;
const DOCUMENTED = new Set([...readFileSync(join(process.cwd(), 'docs', 'errors.md'), 'utf8').matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map((m) => m[1]!));
/** Written by design on a refused request too: the refusal is the key's answer (docs/errors.md). */
const IGNORED_TABLES = new Set(['idempotency_keys']);

const started = performance.now();
const w: World = await buildWorld({ KEIYAKU_RATE_LIMIT: '1000000' });
console.log(`fuzz: world built in ${Math.round(performance.now() - started)} ms`);
afterAll(async () => w.t.stop());

// ---- what the database holds, as row counts per table (one query) ----

const tables: string[] = (
  await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(w.t.running.ctx.db)
).rows
  .map((r) => r.table_name)
  .filter((t) => !IGNORED_TABLES.has(t));

async function snapshot(): Promise<Record<string, number>> {
  const select = sql.join(tables.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(t)}`));
  const row = (await sql<Record<string, string | number>>`select ${select}`.execute(w.t.running.ctx.db)).rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

// ---- the generators ----

/** Percent-encodes; a lone surrogate (which no URL can carry) becomes U+FFFD first. */
const wellFormed = (s: string) => s.replace(/\p{Surrogate}/gu, '\ufffd');
const encode = (s: string) => encodeURIComponent(wellFormed(s));

const weirdString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '0000-01-01',
    '9999-12-31',
    '2026-2-3',
    '2026-12-01T09:00:00',
    '2051-01-01T00:00:00+09:00',
    'P0M',
    'P-1M',
    "' OR 1=1 --",
    '"; drop table accounts; --',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '\ud800',
    '\u202e契約',
    '株式会社テスト',
    '🙂'.repeat(50),
    'a'.repeat(10_000),
    'x@'.repeat(200),
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const weirdNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 1e-9, 2 ** 31, 2 ** 31 - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e21, 1e308, -1e308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  { weight: 3, arbitrary: weirdNumber },
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(weirdString, weirdNumber), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const RAW_BODIES = [
  '',
  '{',
  '{"a":',
  'nul',
  '[1,2',
  '{"a":1,}',
  "{'a':1}",
  '\ufeff{}',
  '"just a string"',
  '42',
  'null',
  '[]',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"a":' + '1'.repeat(5000) + '}',
];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', 'application/json, text/plain', ''];

type Credential = 'operator' | 'own' | 'other' | 'none' | 'junk';
interface FuzzRequest {
  credential: Credential;
  /** The bearer value sent when the credential is junk. */
  junk: string;
  path: string;
  query: string;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; raw: string; contentType: string };
  headers: Record<string, string>;
  mutation: string;
}

/** The body variants of an operation: one per member of a top-level union, sampled. */
function bodyBases(op: Operation, owned: Owned): unknown[] {
  const schema = deref(w.doc, op.op.requestBody?.content?.['application/json']?.schema);
  if (!schema) return [];
  const h = hints(w, owned);
  const members = schema.oneOf ?? schema.anyOf;
  return Array.isArray(members) ? members.map((m: unknown) => sample(w.doc, m, h, w.today)) : [sample(w.doc, schema, h, w.today)];
}

/** Field paths worth changing: the schema's properties, one level of nesting deep. */
function fieldPaths(op: Operation): string[][] {
  const schema = deref(w.doc, op.op.requestBody?.content?.['application/json']?.schema);
  const paths: string[][] = [];
  const visit = (s: any, prefix: string[]) => {
    const node = deref(w.doc, s);
    if (!node || typeof node !== 'object') return;
    for (const member of node.oneOf ?? node.anyOf ?? []) visit(member, prefix);
    for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
      paths.push([...prefix, key]);
      if (prefix.length === 0) visit(child, [key]);
    }
  };
  visit(schema, []);
  return paths.length ? paths : [['field']];
}

function setPath(base: unknown, path: string[], value: unknown, remove = false): unknown {
  const root: any = base && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base) : {};
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return root;
}

function requestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  const owned = ownerFor(w, op);
  const stranger = owned === w.a ? w.b : w.a;
  const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const validPath = resolvePath(op, owned);
  let strangerPath = validPath;
  try {
    strangerPath = resolvePath(op, stranger);
  } catch {
    /* the stranger has no such object (a quotation): its own id is tried instead */
  }
  // Path: the owner's real ids, another account's, or one parameter replaced by junk.
  const path = params.length
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constant(validPath) },
        { weight: 1, arbitrary: fc.constant(strangerPath) },
        {
          weight: 4,
          arbitrary: fc.tuple(fc.nat(params.length - 1), weirdString, fc.boolean()).map(([i, junk, encoded]) => {
            let n = -1;
            return op.path.replace(/\{[^}]+\}/g, (m) => {
              n++;
              if (n !== i) return validPath.split('/')[op.path.split('/').indexOf(m)]!;
              // Unencoded, junk may contain '/', '?', '#' or '%': other routes, bad escapes.
              return encoded ? encode(junk) : [...wellFormed(junk)].filter((c) => c > ' ').join('');
            });
          }),
        },
      )
    : fc.constant(op.path);
  const queryParams: any[] = (op.op.parameters ?? []).filter((p: any) => p.in === 'query');
  const h = hints(w, owned);
  const query = fc
    .tuple(
      fc.array(
        fc.tuple(
          queryParams.length ? fc.constantFrom(...queryParams.map((p) => p.name as string)) : fc.constant('unknown'),
          fc.oneof(
            fc.constant('valid'),
            weirdString.map(encode),
            weirdNumber.map(String),
          ),
        ),
        { maxLength: 3 },
      ),
      fc.constantFrom('', '&unknown=1', '&=&&=', '&limit[]=1', '&%zz=1', '&at=2026-02-30'),
    )
    .map(([pairs, extra]) => {
      const parts = pairs.map(([name, value]) => {
        const p = queryParams.find((q) => q.name === name);
        const v = value === 'valid' ? encode(String(p ? sample(w.doc, p.schema, h, w.today, name) : 'x')) : value;
        return `${name}=${v}`;
      });
      const q = parts.join('&') + extra;
      return q ? `?${q.replace(/^&/, '')}` : '';
    });

  const bases = bodyBases(op, owned);
  const fields = fieldPaths(op);
  const base = bases.length ? fc.constantFrom(...bases) : fc.constant<unknown>({});
  const body: fc.Arbitrary<[FuzzRequest['body'], string]> = fc.oneof(
    { weight: 1, arbitrary: base.map((b) => [{ kind: 'json', value: b }, 'valid'] as [FuzzRequest['body'], string]) },
    { weight: 3, arbitrary: fc.tuple(base, fc.constantFrom(...fields), weirdValue).map(([b, f, v]) => [{ kind: 'json', value: setPath(b, f, v) }, `set ${f.join('.')}`] as [FuzzRequest['body'], string]) },
    { weight: 1, arbitrary: fc.tuple(base, fc.constantFrom(...fields)).map(([b, f]) => [{ kind: 'json', value: setPath(b, f, undefined, true) }, `drop ${f.join('.')}`] as [FuzzRequest['body'], string]) },
    { weight: 1, arbitrary: fc.tuple(base, weirdString, weirdValue).map(([b, k, v]) => [{ kind: 'json', value: setPath(b, [k || 'extra'], v) }, 'extra field'] as [FuzzRequest['body'], string]) },
    { weight: 1, arbitrary: weirdValue.map((v) => [{ kind: 'json', value: v }, 'whole body replaced'] as [FuzzRequest['body'], string]) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => [{ kind: 'raw', raw, contentType: 'application/json' }, 'invalid JSON'] as [FuzzRequest['body'], string]) },
    { weight: 1, arbitrary: fc.tuple(base, fc.constantFrom(...CONTENT_TYPES)).map(([b, ct]) => [{ kind: 'raw', raw: JSON.stringify(b), contentType: ct }, `content-type ${ct}`] as [FuzzRequest['body'], string]) },
    { weight: op.method === 'GET' ? 6 : 0, arbitrary: fc.constant([{ kind: 'none' }, 'no body'] as [FuzzRequest['body'], string]) },
  );
  const headers = fc.record(
    {
      'idempotency-key': fc.oneof(weirdString.map((s) => s.replaceAll(/[^\x21-\x7e]/g, '')), fc.constant('k'.repeat(300))),
      'accept-language': fc.constantFrom('ja', 'en', 'ja;q=abc, en;q=-1', '*', ';;;,,,', 'zz-ZZ'),
    },
    { requiredKeys: [] },
  );
  const credential = fc.constantFrom<Credential>('operator', 'operator', 'operator', 'operator', 'own', 'own', 'other', 'none', 'junk');
  // Printable ASCII only: anything else is not a valid header value at all.
  const junk = fc.oneof(fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }), fc.constantFrom('kyc_', 'kyc_' + 'A'.repeat(32), 'k'.repeat(8000), OPERATOR_KEY.slice(0, 10), `${OPERATOR_KEY} ${OPERATOR_KEY}`));
  return fc.record({ credential, junk, path, query, body, headers }).map(({ credential, junk, path, query, body, headers }) => ({ credential, junk, path, query, body: body[0], mutation: body[1], headers }));
}

function tokenFor(credential: Credential, op: Operation, junk: string): string | null {
  const owned = ownerFor(w, op);
  if (credential === 'junk') return junk || null;
  if (credential === 'operator') return OPERATOR_KEY;
  if (credential === 'own') return owned.token;
  if (credential === 'other') return (owned === w.a ? w.b : w.a).token;
  return null;
}

// POST /v1/clock moves time for everything else (and ages the customer tokens): fuzzed last; those
// that end portal sessions just before it, the world's tokens renewed after each of their requests.
const lateness = (op: Operation) => (op.key === 'POST /v1/clock' ? 2 : ENDS_SESSIONS.has(op.key) ? 1 : 0);
const operations = [...w.operations].sort((x, y) => lateness(x) - lateness(y));
const perOperation = Math.max(1, Math.ceil(TOTAL / operations.length));
let sent = 0;
const statuses = new Map<number, number>();

describe(`fuzz: ${TOTAL} malformed and boundary requests over every operation of the OpenAPI document (${DB_KIND})`, () => {
  it.each(operations.map((op) => [op.key, op] as const))('%s: never a 5xx, always a documented problem, a refusal changes nothing', async (_key, op) => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op), async (req) => {
        // A GET changes nothing by design; every other method is checked.
        const before = op.method === 'GET' ? undefined : await snapshot();
        const token = tokenFor(req.credential, op, req.junk);
        const headers: Record<string, string> = { ...req.headers };
        const url = req.path + req.query;
        let res;
        if (req.body.kind === 'raw') {
          if (req.body.contentType) headers['content-type'] = req.body.contentType;
          res = await w.t.api(op.method, url, undefined, { token, headers, raw: req.body.raw });
        } else {
          res = await w.t.api(op.method, url, req.body.kind === 'json' ? (req.body.value ?? null) : undefined, { token, headers });
        }
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const what = `${op.method} ${url.slice(0, 300)} (${req.credential}, ${req.mutation}) → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect(String(res.headers['content-type']), what).toMatch(/^application\/problem\+json/);
          expect(DOCUMENTED.has(res.body?.code), `${what}: code not in docs/errors.md`).toBe(true);
          expect(res.body.status, what).toBe(res.status);
          if (before) expect(await snapshot(), `${what}: a refused request changed the database`).toEqual(before);
        }
        if (ENDS_SESSIONS.has(op.key)) await renewTokens(w);
      }),
      { numRuns: perOperation, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: false },
    );
  }, 180_000);

  it('sent the requests it promised, and most were refused', () => {
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
    expect(refused / sent).toBeGreaterThan(0.5);
    console.log(`fuzz: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((x, y) => x[0] - y[0])))}`);
  });
});
