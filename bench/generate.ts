/**
 * Bench data in bulk. A few *template* accounts are made through the API — so every row has
 * exactly the shape the app writes (contracts, terms, seat grants, orders, invoices, members,
 * usage gauges, audit events, scheduled effects) — and then cloned N times in the database with
 * set-based `INSERT … SELECT … CROSS JOIN generate_series(lo, hi)`, a batch of clones a
 * transaction:
 * - ids (`acc_<32 hex>`, `con_…`, also inside JSON) get the suffix `x<n>`, consistently in every
 *   table, so a clone's rows point at each other as the template's do;
 * - emails get `+x<n>` before the `@` (account emails and member emails stay unique);
 * - invoice numbers continue the gapless `invoice` series, and its counter is moved on.
 * `sanityCheck` then asks the API for a few clones' state, entitlements and members and compares
 * them with their template's.
 */
import { CompiledQuery, sql } from 'kysely';
import { openStore } from '../src/store/db.js';
import { Progress } from '../src/cli/progress.js';
import type { Client } from './http-client.js';
import type { Target } from './target.js';

/**
 * The account-owned tables a template's rows are cloned from, parents first; the invoices (and the
 * payments that reference them) last, so a batch holds the invoice counter's lock only from
 * there to its COMMIT and the other connection's batch can run meanwhile.
 */
const TABLES = ['accounts', 'account_emails', 'contracts', 'contract_terms', 'seat_grants', 'orders', 'members', 'usage_gauges', 'events', 'effects', 'invoices', 'payments'] as const;
/** Connections cloning at once on a PostgreSQL server (one a core of this kind of machine). */
const CLONE_CONNECTIONS = 2;
const ID = '([a-z]+_[0-9a-f]{32})';
const EMAIL_COLUMNS = new Set(['email', 'email_key', 'to_email']);

export interface Template {
  product: 'teamspace' | 'premium' | 'ebook5';
  accountId: string;
  /** The entitlement check the bench asks for this kind of account. */
  check: { resource: string; increment: number };
  /** The owner member (teamspace), for member reads. */
  ownerId?: string;
  /** Clones to make. */
  count: number;
}

/** The id a clone `n` of a template row gets. */
export const cloneId = (id: string, n: number) => `${id}x${n}`;

/** All account ids of a generation: each template, then its clones. */
export function accountIds(templates: Template[]): Array<{ id: string; template: Template; ownerId?: string }> {
  const out: Array<{ id: string; template: Template; ownerId?: string }> = [];
  for (const t of templates) {
    out.push({ id: t.accountId, template: t, ...(t.ownerId ? { ownerId: t.ownerId } : {}) });
    for (let n = 1; n <= t.count; n++) out.push({ id: cloneId(t.accountId, n), template: t, ...(t.ownerId ? { ownerId: cloneId(t.ownerId, n) } : {}) });
  }
  return out;
}

async function members(client: Client, id: string): Promise<Array<{ id: string; role: string }>> {
  return ((await client.expect(200, 'GET', `/v1/accounts/${id}/members`)).body as { members: Array<{ id: string; role: string }> }).members;
}

/**
 * The templates of the main data set, through the API: teamspace on Starter (100 seats, P12M)
 * with a spot (100 seats, May) and 5 members; premium on plan-10 (P1Y); ebook5 on Business 5
 * (P1M) with usage reported. `total` accounts are split evenly over the three.
 */
export async function mixedTemplates(client: Client, today: string, total: number, tag: string): Promise<Template[]> {
  const per = Math.max(1, Math.floor(total / 3));
  const account = async (product: string) => ((await client.expect(201, 'POST', '/v1/accounts', { email: `tpl.${tag}.${product}@example.jp`, name: `Bench ${product}`, product })).body as { id: string }).id;

  const team = await account('teamspace');
  await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: team, planId: 'starter', term: 'P12M', quantity: 100, startDate: today, paymentMethod: 'card' });
  await client.expect(201, 'POST', '/v1/orders', { type: 'spot', accountId: team, seats: 100, startDate: '2026-05-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
  for (let i = 1; i <= 5; i++) await client.expect(201, 'POST', `/v1/accounts/${team}/members`, { email: `member${i}.${tag}@example.jp`, name: `Member ${i}` });
  const owner = (await members(client, team)).find((m) => m.role === 'owner');
  if (!owner) throw new Error('the teamspace template has no owner');

  const premium = await account('premium');
  await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: premium, planId: 'plan-10', term: 'P1Y', startDate: today, paymentMethod: 'card' });

  const ebook = await account('ebook5');
  await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: ebook, planId: 'business-5', term: 'P1M', startDate: today, paymentMethod: 'card' });
  await client.expect(200, 'PUT', `/v1/accounts/${ebook}/usage`, { books: 3, storageMb: 120 });

  return [
    { product: 'teamspace', accountId: team, check: { resource: 'seats', increment: 1 }, ownerId: owner.id, count: Math.max(0, total - 2 * per - 1) },
    { product: 'premium', accountId: premium, check: { resource: 'connections', increment: 1 }, count: per - 1 },
    { product: 'ebook5', accountId: ebook, check: { resource: 'books', increment: 1 }, count: per - 1 },
  ];
}

/**
 * The daily-run templates (issue 8: "a day on which every contract has something due (renewal
 * invoices, expiries, spot ends with deactivations)"), through the API, all from `start`, so that
 * their term's last day is a year later:
 * - 40 % teamspace Starter (P12M) renewing, 5 members: the term renews with a renewal invoice;
 * - 20 % teamspace Starter set to return to the free plan (10 seats), 11 members besides the owner:
 *   the expiry deactivates the 2 latest members (S9);
 * - 20 % premium plan-10 (P1Y), which expires to its free plan (the upgrade offer, P3, and the
 *   expiry reminder before);
 * - 18 % ebook5 Business 5 for 12 months, renewing: the renewal invoice;
 * - 2 % teamspace Starter with a spot of 100 seats and 103 members registered during it: the
 *   warning 7 days before the spot ends, 4 members deactivated the day after, the renewal.
 *
 * Without `day` (the year's catch-up): left at `start`, every invoice unpaid (each turns overdue
 * in the run), the spot in the first month. With `day` ("the day"): brought to `day.dayBefore`
 * (00:30 on the term's last day) as a running Keiyaku would have — every invoice paid on its
 * issue date, the year's scheduled effects run, the spot taken for the term's last month
 * (`day.spotStart`) with its members registered in it — so that each clone has only its day left.
 */
export async function dailyTemplates(client: Client, start: string, total: number, tag: string, day?: { spotStart: string; dayBefore: string }): Promise<Template[]> {
  const account = async (product: string, name: string) => ((await client.expect(201, 'POST', '/v1/accounts', { email: `tpl.${tag}.${name}@example.jp`, name: `Bench ${name}`, product })).body as { id: string }).id;
  const register = async (id: string, n: number, name: string) => {
    for (let i = 1; i <= n; i++) await client.expect(201, 'POST', `/v1/accounts/${id}/members`, { email: `${name}${i}.${tag}@example.jp`, name: `Member ${i}` });
  };
  const invoicesOf = async (id: string) => ((await client.expect(200, 'GET', `/v1/accounts/${id}/invoices`)).body as { invoices: Array<{ id: string; kind: string; number: string; status: string; amount: { total: number } }> }).invoices;
  const payAll = async (id: string, paidOn: string) => {
    for (const inv of await invoicesOf(id)) if (inv.status === 'open' && inv.kind === 'invoice') await client.expect(201, 'POST', `/v1/invoices/${inv.id}/payments`, { amount: inv.amount.total, method: 'card', paidOn });
  };
  const starter = async (name: string) => {
    const id = await account('teamspace', name);
    await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: start, paymentMethod: 'card' });
    return id;
  };
  const takeSpot = async (id: string, spotStart: string) => {
    await client.expect(201, 'POST', '/v1/orders', { type: 'spot', accountId: id, seats: 100, startDate: spotStart, months: 1, agreeToTerms: true, paymentMethod: 'card' });
    if (day) await payAll(id, spotStart);
    await register(id, 103, 'spot');
  };
  const renewing = await starter('renew');
  await register(renewing, 5, 'renew');
  const toFree = await starter('tofree');
  const contractId = ((await client.expect(200, 'GET', `/v1/accounts/${toFree}/state`)).body as { contract: { id: string } }).contract.id;
  await client.expect(200, 'POST', `/v1/accounts/${toFree}/contracts/${contractId}/renewal`, { renewal: 'to-free' });
  await register(toFree, 11, 'tofree');
  const premium = await account('premium', 'premium');
  await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: premium, planId: 'plan-10', term: 'P1Y', startDate: start, paymentMethod: 'card' });
  const ebook = await account('ebook5', 'ebook');
  await client.expect(201, 'POST', '/v1/orders', { type: 'new-contract', accountId: ebook, planId: 'business-5', term: 'P12M', startDate: start, paymentMethod: 'card' });
  await client.expect(200, 'PUT', `/v1/accounts/${ebook}/usage`, { books: 3, storageMb: 120 });
  const spot = await starter('spot');
  const all = [renewing, toFree, premium, ebook, spot];
  if (!day) await takeSpot(spot, start);
  else {
    for (const id of all) await payAll(id, start);
    // The year up to the spot's month, the spot, then on to the day before.
    await client.expect(200, 'POST', '/v1/clock', { now: `${day.spotStart}T09:00:00+09:00` });
    await takeSpot(spot, day.spotStart);
    await client.expect(200, 'POST', '/v1/clock', { now: day.dayBefore });
    // Nothing unpaid or overdue: the day's invoices are the only new ones.
    for (const id of all) {
      const unpaid = (await invoicesOf(id)).filter((i) => i.kind === 'invoice' && i.status !== 'paid');
      if (unpaid.length > 0) throw new Error(`the day's template ${id} has unpaid invoices before the day: ${unpaid.map((i) => `${i.number} ${i.status}`).join(', ')}`);
    }
  }
  const share = (p: number) => Math.max(1, Math.round(total * p));
  const counts = [share(0.2), share(0.2), share(0.18), share(0.02)];
  const first = Math.max(1, total - counts.reduce((a, b) => a + b, 0));
  return [
    { product: 'teamspace', accountId: renewing, check: { resource: 'seats', increment: 1 }, count: first - 1 },
    { product: 'teamspace', accountId: toFree, check: { resource: 'seats', increment: 1 }, count: counts[0]! - 1 },
    { product: 'premium', accountId: premium, check: { resource: 'connections', increment: 1 }, count: counts[1]! - 1 },
    { product: 'ebook5', accountId: ebook, check: { resource: 'books', increment: 1 }, count: counts[2]! - 1 },
    { product: 'teamspace', accountId: spot, check: { resource: 'seats', increment: 1 }, count: counts[3]! - 1 },
  ];
}

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  is_identity: string;
  is_generated: string;
}

function expression(table: string, c: Column): string | null {
  if (c.is_identity === 'YES' || c.is_generated === 'ALWAYS') return null;
  const col = `t.${c.column_name}`;
  if (table === 'invoices' && c.column_name === 'number') return `case when ${col} like 'INV-%' then 'INV-' || lpad((c.base + row_number() over (order by g, ${col}))::text, greatest(6, length((c.base + row_number() over (order by g, ${col}))::text)), '0') else ${col} || 'x' || g end`;
  if (table === 'accounts' && c.column_name === 'name') return `${col} || ' ' || g`;
  if (c.data_type === 'text' && EMAIL_COLUMNS.has(c.column_name)) return `regexp_replace(${col}, '@', '+x' || g || '@')`;
  if (c.data_type === 'text') return `regexp_replace(${col}, '${ID}', '\\1x' || g, 'g')`;
  if (c.data_type === 'jsonb') return `regexp_replace(regexp_replace(${col}::text, '${ID}', '\\1x' || g, 'g'), '@', '+x' || g || '@', 'g')::jsonb`;
  return col;
}

/**
 * Clones every template `count` times in the database of `target` (the server must be stopped on
 * PGlite: one process a folder), `batch` clones a transaction, with progress and an ETA on stderr.
 * On PostgreSQL two connections take the batches in turn (the work is the database's: both cores).
 */
export async function cloneTemplates(target: Target, templates: Template[], opts: { batch?: number; label?: string } = {}): Promise<{ accounts: number; ms: number }> {
  const connections = target.kind === 'postgres' ? CLONE_CONNECTIONS : 1;
  const store = await openStore(target.kind === 'postgres' ? { databaseUrl: target.where, dataDir: 'memory', poolSize: connections } : { dataDir: target.where });
  const total = templates.reduce((n, t) => n + t.count, 0);
  const progress = new Progress(opts.label ?? `cloning ${templates.length} template accounts into ${total} accounts`, total);
  try {
    const cols = (await sql<Column>`select table_name, column_name, data_type, is_identity, is_generated from information_schema.columns where table_schema = current_schema() and table_name in (${sql.join(TABLES.map((t) => sql.lit(t)))}) order by table_name, ordinal_position`.execute(store.db)).rows;
    const statements = TABLES.map((table) => {
      const list = cols.filter((c) => c.table_name === table).map((c) => [c.column_name, expression(table, c)] as const).filter((e): e is readonly [string, string] => e[1] !== null);
      if (list.length === 0) throw new Error(`table ${table} not found`);
      const base = table === 'invoices' ? `cross join (select last_value as base from document_counters where series = 'invoice') c` : '';
      // Identity columns (members.seq, events.seq, effects.id) follow the template's order.
      const identity = cols.find((c) => c.table_name === table && c.is_identity === 'YES');
      const order = `order by g${identity ? `, t.${identity.column_name}` : ''}`;
      return { table, sql: `insert into ${table} (${list.map((e) => e[0]).join(', ')}) select ${list.map((e) => e[1]).join(', ')} from ${table} t cross join generate_series($1::int, $2::int) g ${base} where t.account_id = $3 ${order}` };
    });
    const batch = opts.batch ?? (target.kind === 'pglite' ? 500 : 2000);
    const batches: Array<{ tpl: Template; lo: number; hi: number }> = [];
    for (const tpl of templates) for (let lo = 1; lo <= tpl.count; lo += batch) batches.push({ tpl, lo, hi: Math.min(tpl.count, lo + batch - 1) });
    const cloneBatch = ({ tpl, lo, hi }: (typeof batches)[number]) =>
      store.db.transaction().execute(async (trx) => {
        for (const s of statements) {
          if (s.table === 'invoices') await sql`select last_value from document_counters where series = 'invoice' for update`.execute(trx);
          const r = await trx.executeQuery(CompiledQuery.raw(s.sql, [lo, hi, tpl.accountId]));
          if (s.table === 'invoices') {
            const added = await sql<{ n: number }>`select count(*)::int as n from invoices where account_id = ${tpl.accountId} and number like 'INV-%'`.execute(trx);
            const per = Number(added.rows[0]?.n ?? 0);
            if (Number(r.numAffectedRows ?? 0) !== per * (hi - lo + 1)) throw new Error('invoice clone count mismatch');
            await sql`update document_counters set last_value = last_value + ${per * (hi - lo + 1)} where series = 'invoice'`.execute(trx);
          }
        }
      });
    let done = 0;
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const taken = batches[next++]!;
        try {
          await cloneBatch(taken);
        } catch (err) {
          next = batches.length; // the other connection stops after its batch in flight
          throw err;
        }
        done += taken.hi - taken.lo + 1;
        progress.update(done);
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    // A bulk load ends with ANALYZE (PostgreSQL manual, "Populating a Database"): the tables were
    // filled faster than autovacuum looks, and without statistics the planner takes a 100k-row
    // table for an empty one (the daily run's claim then sorted every pending effect each batch:
    // docs/performance.md). A database that grew through the API is analyzed by autovacuum.
    await sql`analyze`.execute(store.db);
    return { accounts: total, ms: progress.end() };
  } finally {
    await store.close();
  }
}

/** Strips the clone suffix of ids and emails, to compare a clone's answers with its template's. */
const unclone = (v: unknown) => JSON.stringify(v).replace(/([a-z]+_[0-9a-f]{32})x\d+/g, '$1').replace(/\+x\d+@/g, '@');

/**
 * The generated data is real: for `perTemplate` clones of each template (the first, the last and
 * one between), the API's state, entitlement check and member list equal the template's.
 */
export async function sanityCheck(client: Client, templates: Template[], perTemplate = 3): Promise<number> {
  let checked = 0;
  for (const t of templates) {
    if (t.count === 0) continue;
    const want = {
      state: (await client.expect(200, 'GET', `/v1/accounts/${t.accountId}/state`)).body,
      check: (await client.expect(200, 'POST', `/v1/accounts/${t.accountId}/entitlements/check`, t.check)).body,
      members: (await client.expect(200, 'GET', `/v1/accounts/${t.accountId}/members`)).body,
    };
    const picks = [...new Set([1, t.count, Math.ceil(t.count / 2)])].slice(0, perTemplate);
    for (const n of picks) {
      const id = cloneId(t.accountId, n);
      const got = {
        state: (await client.expect(200, 'GET', `/v1/accounts/${id}/state`)).body,
        check: (await client.expect(200, 'POST', `/v1/accounts/${id}/entitlements/check`, t.check)).body,
        members: (await client.expect(200, 'GET', `/v1/accounts/${id}/members`)).body,
      };
      if (unclone(got) !== unclone(want)) throw new Error(`generated account ${id} answers differently from its template ${t.accountId}:\n${unclone(got)}\n${unclone(want)}`);
      checked++;
    }
  }
  return checked;
}
