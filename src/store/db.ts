/**
 * Opens the database: a PostgreSQL server when a URL is given, the embedded PGlite otherwise —
 * both behind one `pg.Pool`, so every query takes one code path (DESIGN, stack).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings, Transaction } from 'kysely';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { Database } from './tables.js';
import { MIGRATIONS } from './migrations.js';
import type { DataLock } from './data-lock.js';
import { lockDataFolder } from './data-lock.js';
import { wallTime } from '../clock.js';

// Business dates stay `YYYY-MM-DD` strings; int8 and numeric become numbers (the two databases
// otherwise disagree, DESIGN pitfalls). Amounts are far below 2^53.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Db = Kysely<Database>;

export interface StoreOptions {
  /** A PostgreSQL URL; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database, or `memory` for a throw-away one. */
  dataDir: string;
  poolSize?: number;
  /** Written into the folder's lock so a second process can name this one. */
  url?: string;
  /**
   * A dump of a migrated embedded database (`memorySnapshot()`) that a new embedded database (memory,
   * or a folder that holds none yet) starts from instead of creating one: ~3x faster a start. The
   * test harness makes one a test run; `npm start` uses none.
   */
  snapshot?: Blob | undefined;
}

export interface Store {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  readonly lock: (DataLock & { update(url: string): void }) | null;
  /**
   * Calls `fn(channel, payload)` for each `notify()` this process sent, once its transaction has
   * committed (before the transaction's promise resolves). Returns the unsubscribe function.
   */
  onCommittedNotify(fn: NotifyListener): () => void;
  /**
   * PostgreSQL: LISTENs on `channel` on a dedicated connection (reconnecting when it drops) and
   * calls `onMessage` for other processes' notifications; `onReset` when the connection (re)opens
   * or drops, since notifications may have been missed meanwhile. PGlite: null (one process).
   */
  listen(channel: string, handlers: { onMessage(payload: string): void; onReset(connected: boolean): void }): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

type NotifyListener = (channel: string, payload: string) => void;
/** The one statement `notify()` sends: the driver recognises it by its exact text. */
const NOTIFY_SQL = 'select pg_notify($1, $2)';

/**
 * Sends a NOTIFY in the transaction: other processes LISTENing get it when it commits, and this
 * process's `onCommittedNotify` listeners get it right after the commit (nothing if it rolls back).
 */
export async function notify(trx: Transaction<Database>, channel: string, payload: string): Promise<void> {
  await trx.executeQuery(CompiledQuery.raw(NOTIFY_SQL, [channel, payload]));
}

/** The statement `notifyMany()` sends: one notification a payload, in one round trip. */
const NOTIFY_MANY_SQL = 'select pg_notify($1, p) from unnest($2::text[]) as p';

/** Sends a NOTIFY for each payload (as `notify()` does, in one statement). */
export async function notifyMany(trx: Transaction<Database>, channel: string, payloads: readonly string[]): Promise<void> {
  for (const part of chunks(payloads, 10_000)) await trx.executeQuery(CompiledQuery.raw(NOTIFY_MANY_SQL, [channel, [...part]]));
}

/** Splits rows into parts of at most `size` (multi-row statements stay under PostgreSQL's 65,535 parameters). */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A connection that remembers the notifications sent in its current transaction. */
class NotifyingConnection implements DatabaseConnection {
  sent: Array<[string, string]> = [];
  inTransaction = false;
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (q.sql === NOTIFY_SQL) this.sent.push([String(q.parameters[0]), String(q.parameters[1])]);
    else if (q.sql === NOTIFY_MANY_SQL) for (const p of q.parameters[1] as string[]) this.sent.push([String(q.parameters[0]), p]);
    return this.inner.executeQuery<R>(q);
  }
  streamQuery<R>(q: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(q, chunkSize);
  }
  take(): Array<[string, string]> {
    const sent = this.sent;
    this.sent = [];
    return sent;
  }
}

/** Wraps Kysely's driver to hand a transaction's notifications to local listeners after COMMIT. */
class CommitNotifyDriver implements Driver {
  readonly #wrapped = new WeakMap<DatabaseConnection, NotifyingConnection>();
  constructor(
    private readonly inner: Driver,
    private readonly deliver: (sent: Array<[string, string]>) => void,
  ) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const c = await this.inner.acquireConnection();
    let w = this.#wrapped.get(c);
    if (!w) this.#wrapped.set(c, (w = new NotifyingConnection(c)));
    return w;
  }
  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const w = c as NotifyingConnection;
    w.take();
    w.inTransaction = true;
    return this.inner.beginTransaction(w.inner, settings);
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    const w = c as NotifyingConnection;
    w.inTransaction = false;
    try {
      await this.inner.commitTransaction(w.inner);
    } catch (err) {
      w.take();
      throw err;
    }
    this.deliver(w.take());
  }
  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    const w = c as NotifyingConnection;
    w.inTransaction = false;
    w.take();
    return this.inner.rollbackTransaction(w.inner);
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    const w = c as NotifyingConnection;
    // A notify outside a transaction committed on its own.
    if (!w.inTransaction) this.deliver(w.take());
    await this.inner.releaseConnection(w.inner);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * A pool client that saves round trips (issue 8: an order was 5 round trips to the database, and on
 * a loopback socket each costs both processes a wake-up):
 * - BEGIN is deferred to the transaction's first statement: one without parameters (a simple
 *   query) is sent as `begin; <statement>` in one message; one with parameters after a BEGIN of
 *   its own, as before. A transaction that ran nothing commits without a word to the server.
 * - A message of several statements answers with its last statement's result (node-postgres
 *   gives an array), and a message that ends with COMMIT (`commitWithNumberedDocument`) closes the
 *   transaction: the caller's own COMMIT (or ROLLBACK) that follows is then answered here, as the
 *   empty transaction it used to open after the COMMIT would have been.
 */
class MessageClient {
  #beginPending = false;
  #closed = false;
  constructor(readonly client: pg.PoolClient) {}

  async query(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
    if (text === 'begin') {
      this.#beginPending = true;
      this.#closed = false;
      return answer('BEGIN');
    }
    if ((text === 'commit' || text === 'rollback') && (this.#beginPending || this.#closed)) {
      this.#beginPending = false;
      this.#closed = false;
      return answer(text === 'commit' ? 'COMMIT' : 'ROLLBACK');
    }
    if (this.#beginPending) {
      this.#beginPending = false;
      if (values.length === 0) text = `begin;\n${text}`;
      else await this.client.query('begin');
    }
    const result = (await this.client.query(text, values)) as pg.QueryResult | pg.QueryResult[];
    const last = Array.isArray(result) ? result[result.length - 1]! : result;
    if (Array.isArray(result) && last.command === 'COMMIT') this.#closed = true;
    return last;
  }

  release(err?: Error | boolean): void {
    this.#beginPending = false;
    this.#closed = false;
    this.client.release(err);
  }
}

function answer(command: string): pg.QueryResult {
  return { command, rowCount: null, oid: 0, rows: [], fields: [] };
}

/** The pool Kysely's driver sees: the same clients, each behind its one `MessageClient`. */
function messagePool(pool: pg.Pool): pg.Pool {
  const clients = new WeakMap<pg.PoolClient, MessageClient>();
  return {
    async connect() {
      const c = await pool.connect();
      let w = clients.get(c);
      if (!w) clients.set(c, (w = new MessageClient(c)));
      return w;
    },
    end: () => pool.end(),
  } as unknown as pg.Pool;
}

function notifyingDialect(pool: pg.Pool, listeners: Set<NotifyListener>): Dialect {
  const inner = new PostgresDialect({ pool: messagePool(pool) });
  const deliver = (sent: Array<[string, string]>) => {
    for (const [channel, payload] of sent) for (const fn of listeners) fn(channel, payload);
  };
  return {
    createDriver: () => new CommitNotifyDriver(inner.createDriver(), deliver),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}

function subscriber(listeners: Set<NotifyListener>) {
  return (fn: NotifyListener) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
}

/**
 * A LISTEN connection of its own that reconnects (1 s apart) until stopped. Notifications sent by
 * this process's own pool connections (`own`: their backend pids) are skipped: they were handed
 * to the local listeners at COMMIT already.
 */
async function listenOn(url: string, own: ReadonlySet<number>, channel: string, handlers: { onMessage(payload: string): void; onReset(connected: boolean): void }): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined && !own.has(n.processId)) handlers.onMessage(n.payload);
    });
    const dropped = () => {
      if (client !== c) return;
      client = undefined;
      handlers.onReset(false);
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
    };
    c.on('error', dropped);
    c.on('end', dropped);
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch {
      await c.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void connect(), 1000);
      return;
    }
    if (stopped) return void (await c.end());
    client = c;
    handlers.onReset(true);
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end();
  };
}

/** Opens (and migrates) the store. Throws `DataFolderLockedError` when another process holds the folder. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // The backend pids of this pool's connections: their notifications are delivered locally.
    const own = new Set<number>();
    const pidOf = (c: pg.PoolClient) => (c as unknown as { processID?: number }).processID;
    pool.on('connect', (c) => void (pidOf(c) !== undefined && own.add(pidOf(c)!)));
    pool.on('remove', (c) => void (pidOf(c) !== undefined && own.delete(pidOf(c)!)));
    // A connection the server ends (a restart, an administrator, a dropped database) must not
    // crash the process: an idle one is replaced by the pool, and a query on a broken one fails
    // with its own error. Without these listeners node-postgres throws an unhandled 'error'.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const listeners = new Set<NotifyListener>();
    const db = new Kysely<Database>({ dialect: notifyingDialect(pool, listeners) });
    await migrate(db);
    const url = options.databaseUrl;
    return { db, kind: 'postgres', lock: null, onCommittedNotify: subscriber(listeners), listen: (channel, handlers) => listenOn(url, own, channel, handlers), close: () => db.destroy() };
  }
  const memory = options.dataDir === 'memory';
  const lock = memory ? null : lockDataFolder(options.dataDir, { startedAt: wallTime(), ...(options.url ? { url: options.url } : {}) });
  try {
    // A new database (memory, or a folder without one yet) starts from the snapshot when given.
    const fresh = memory || !existsSync(join(options.dataDir, 'PG_VERSION'));
    const pglite = new PGlite(memory ? 'memory://' : options.dataDir, options.snapshot && fresh ? { loadDataDir: options.snapshot } : {});
    // PGlite is one connection: the pool has one client, and a transaction's queries must use the
    // transaction's handle (Kysely's `trx`), never the outer `db`, or they deadlock.
    const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1 });
    const listeners = new Set<NotifyListener>();
    const db = new Kysely<Database>({ dialect: notifyingDialect(pool, listeners) });
    await migrate(db);
    return {
      db,
      kind: 'pglite',
      lock,
      onCommittedNotify: subscriber(listeners),
      listen: () => Promise.resolve(null),
      close: async () => {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** A migrated, empty embedded database as a data-folder dump, for `StoreOptions.snapshot`. */
export async function memorySnapshot(): Promise<Blob> {
  const pglite = new PGlite('memory://');
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1 });
  const db = new Kysely<Database>({ dialect: notifyingDialect(pool, new Set()) });
  try {
    await migrate(db);
    await db.destroy();
    const dump = await pglite.dumpDataDir('none');
    return new Blob([await dump.arrayBuffer()]);
  } finally {
    await pglite.close();
  }
}

/** Applies the migrations not yet applied, one transaction, serialised across processes. */
export async function migrate(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7265318)`.execute(trx);
    await sql`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null)`.execute(trx);
    const done = new Set((await trx.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await sql.raw(m.sql).execute(trx);
      await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name, applied_at: wallTime() }).execute();
    }
  });
}
