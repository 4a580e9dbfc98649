/**
 * The per-account state cache (issue 8): what the entitlement check, the member read (canLogIn)
 * and the state read need — the account's facts, its members and its state today — kept in
 * memory so a hot check makes no query; and the portal sessions found, so that a customer's
 * token is looked up once. Both are dropped the same way when their account changes.
 *
 * Correctness first. Every change to an account's facts writes an audit event in its transaction
 * (G5), and `audit()` calls `announceChange()`, which sends `NOTIFY keiyaku_state, '<accountId>'`
 * in that transaction. After it commits:
 * - this process drops the account at once (the store hands the transaction's notifications to
 *   local listeners right after COMMIT, before the write's promise resolves), so a read after a
 *   write in the same process sees it;
 * - other processes on the same PostgreSQL drop it when the notification reaches their LISTEN
 *   connection (a few milliseconds). While that connection is down, the cache is bypassed and
 *   emptied when it comes back, since notifications may have been missed.
 * A load that was running when its account was invalidated is not kept (it may have read the
 * facts before the commit). The state is kept for one business date: when the day changes (the
 * clock passes midnight in the vendor's time zone, or the test clock moves) it is recomputed from
 * the facts, which do not depend on the date.
 */
import type { AccountRecord } from '../store/accounts.js';
import type { LoadedFacts } from '../store/facts.js';
import { loadAccountFacts, loadAccountFactsOf } from '../store/facts.js';
import type { Db, Store } from '../store/db.js';
import { notify } from '../store/db.js';
import type { MemberRecord } from '../store/members.js';
import type { PlainDate } from '../domain/calendar.js';
import type { AccountState, Contract } from '../domain/contract.js';
import type { AppContext, Tx } from './context.js';
import type { Temporal } from 'temporal-polyfill';

export const STATE_CHANNEL = 'keiyaku_state';

/** What is cached for one account; `facts` is state.ts's `AccountFacts`. */
export interface CachedAccount {
  facts: { account: AccountRecord; contracts: Contract[]; activeMembers: number; usage: Record<string, number> };
  /** Every member, by id. */
  members: Map<string, MemberRecord>;
  /** The state on one business date (today when it was computed). */
  state?: { date: string; value: AccountState };
}

interface Loading {
  promise: Promise<CachedAccount | undefined>;
  stale: boolean;
}
/** A load waiting for the next batch. */
interface Queued {
  loading: Loading;
  resolve: (loaded: CachedAccount | undefined) => void;
  reject: (error: unknown) => void;
}

function cachedOf({ account, contracts, members, usage }: LoadedFacts): CachedAccount {
  const activeMembers = members.filter((m) => m.status === 'active').length;
  return { facts: { account, contracts, activeMembers, usage }, members: new Map(members.map((m) => [m.id, m])) };
}

/** Loads what the cache keeps for an account, outside any transaction. */
export async function loadCachedAccount(db: Db, accountId: string): Promise<CachedAccount | undefined> {
  const loaded = await loadAccountFacts(db, accountId);
  return loaded ? cachedOf(loaded) : undefined;
}

/** Most accounts one cold load reads in one statement. */
const LOAD_BATCH = 100;

/** A portal session as the cache keeps it (the state cache keeps them with their account's facts). */
export interface CachedSession {
  accountId: string;
  expiresAt: Temporal.Instant;
}

/** Most portal sessions kept (a guess must not fill memory: unknown tokens are never kept). */
const SESSIONS_KEPT = 10_000;

export class StateCache {
  readonly #db: Db;
  readonly #max: number;
  readonly #entries = new Map<string, CachedAccount>();
  readonly #loading = new Map<string, Loading>();
  readonly #queue = new Map<string, Queued>();
  #flushScheduled = false;
  /** Portal sessions found, by token hash, and the token hashes kept of each account. */
  readonly #sessions = new Map<string, CachedSession>();
  readonly #sessionsOf = new Map<string, Set<string>>();
  /** Session lookups in flight, and the accounts invalidated while any was (their result is not kept). */
  #sessionLoads = 0;
  readonly #invalidatedDuringLoads = new Set<string>();
  /** Moves on when everything is dropped: a session lookup that began before is not kept. */
  #generation = 0;
  /** False while the cross-process invalidation is not connected: every read loads then. */
  #active: boolean;
  hits = 0;
  misses = 0;

  constructor(db: Db, opts: { maxAccounts?: number; active?: boolean } = {}) {
    this.#db = db;
    this.#max = opts.maxAccounts ?? 200_000;
    this.#active = opts.active ?? true;
  }

  /** The account's cached facts and members, loading them when absent; undefined: no such account. */
  async get(accountId: string): Promise<CachedAccount | undefined> {
    const hit = this.#entries.get(accountId);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    if (!this.#active) return loadCachedAccount(this.#db, accountId);
    const pending = this.#loading.get(accountId);
    if (pending) return pending.promise;
    const loading = this.#enqueue(accountId);
    const loaded = await loading.promise;
    // Invalidated while loading: the load may have read the facts before the write committed.
    if (loaded && !loading.stale && this.#active) {
      if (this.#entries.size >= this.#max) {
        const oldest = this.#entries.keys().next();
        if (!oldest.done) this.#entries.delete(oldest.value);
      }
      this.#entries.set(accountId, loaded);
    }
    return loaded;
  }

  /**
   * A cold load joins the next batch: the misses of one turn of the event loop (concurrent
   * requests for accounts not in memory — a burst after a start, the long tail of a big vendor)
   * are read in one statement rather than one round trip each.
   */
  #enqueue(accountId: string): Loading {
    let queued: Queued | undefined;
    const loading: Loading = { stale: false, promise: Promise.resolve(undefined) };
    loading.promise = new Promise<CachedAccount | undefined>((resolve, reject) => {
      queued = { loading, resolve, reject };
    });
    this.#loading.set(accountId, loading);
    this.#queue.set(accountId, queued!);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
    return loading;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = [...this.#queue];
    this.#queue.clear();
    for (let i = 0; i < batch.length; i += LOAD_BATCH) {
      const part = batch.slice(i, i + LOAD_BATCH);
      const settle = (each: (q: Queued, accountId: string) => void) => {
        for (const [accountId, q] of part) {
          if (this.#loading.get(accountId) === q.loading) this.#loading.delete(accountId);
          each(q, accountId);
        }
      };
      loadAccountFactsOf(
        this.#db,
        part.map(([accountId]) => accountId),
      ).then(
        (loaded) => settle((q, accountId) => q.resolve(loaded.has(accountId) ? cachedOf(loaded.get(accountId)!) : undefined)),
        (error: unknown) => settle((q) => q.reject(error)),
      );
    }
  }

  /**
   * The portal session of a token hash, found by `load` once and then kept until its account's
   * next change (an ended or revoked session is one) or a reset of the invalidation feed. A
   * lookup that raced with its account's change is answered but not kept: it may have read the
   * row before the change committed.
   */
  async session(tokenHash: string, load: () => Promise<CachedSession | undefined>): Promise<CachedSession | undefined> {
    const hit = this.#sessions.get(tokenHash);
    if (hit) return hit;
    if (!this.#active) return load();
    const generation = this.#generation;
    this.#sessionLoads++;
    try {
      const found = await load();
      if (found && this.#active && generation === this.#generation && !this.#invalidatedDuringLoads.has(found.accountId)) {
        if (this.#sessions.size >= SESSIONS_KEPT) this.#dropSession(this.#sessions.keys().next().value!);
        this.#sessions.set(tokenHash, found);
        let ofAccount = this.#sessionsOf.get(found.accountId);
        if (!ofAccount) this.#sessionsOf.set(found.accountId, (ofAccount = new Set()));
        ofAccount.add(tokenHash);
      }
      return found;
    } finally {
      if (--this.#sessionLoads === 0) this.#invalidatedDuringLoads.clear();
    }
  }

  #dropSession(tokenHash: string): void {
    const session = this.#sessions.get(tokenHash);
    if (!session) return;
    this.#sessions.delete(tokenHash);
    const ofAccount = this.#sessionsOf.get(session.accountId);
    ofAccount?.delete(tokenHash);
    if (ofAccount?.size === 0) this.#sessionsOf.delete(session.accountId);
  }

  /** Drops one account (its facts changed), with the portal sessions kept of it. */
  invalidate(accountId: string): void {
    this.#entries.delete(accountId);
    const sessions = this.#sessionsOf.get(accountId);
    if (sessions) {
      for (const tokenHash of sessions) this.#sessions.delete(tokenHash);
      this.#sessionsOf.delete(accountId);
    }
    if (this.#sessionLoads > 0) {
      // Bounded: under a flood of changes with lookups always in flight, stop keeping any of them.
      if (this.#invalidatedDuringLoads.size >= SESSIONS_KEPT) this.#generation++;
      else this.#invalidatedDuringLoads.add(accountId);
    }
    const loading = this.#loading.get(accountId);
    if (loading) {
      loading.stale = true;
      this.#loading.delete(accountId);
    }
  }

  /** Drops everything (the invalidation feed was interrupted). */
  invalidateAll(): void {
    this.#entries.clear();
    this.#sessions.clear();
    this.#sessionsOf.clear();
    this.#generation++;
    for (const loading of this.#loading.values()) loading.stale = true;
    this.#loading.clear();
  }

  /** Turns the cache on (invalidation feed connected) or off (disconnected: bypass and empty). */
  setActive(active: boolean): void {
    this.invalidateAll();
    this.#active = active;
  }

  get active(): boolean {
    return this.#active;
  }

  get size(): number {
    return this.#entries.size;
  }
}

const caches = new WeakMap<Db, StateCache>();

/** The cache of the store `ctx.db` belongs to, if one was started (boot does). */
export function stateCacheOf(ctx: AppContext): StateCache | undefined {
  return caches.get(ctx.db);
}

/** The account for a read: from the cache when one runs for this store, else loaded now. */
export function readAccount(ctx: AppContext, accountId: string): Promise<CachedAccount | undefined> {
  const cache = caches.get(ctx.db);
  return cache ? cache.get(accountId) : loadCachedAccount(ctx.db, accountId);
}

/** The state on `date`, computed once per cached account and date (the facts do not depend on it). */
export function stateOn(cached: CachedAccount, date: PlainDate, compute: () => AccountState): AccountState {
  const key = date.toString();
  if (cached.state?.date === key) return cached.state.value;
  const value = compute();
  cached.state = { date: key, value };
  return value;
}

const announced = new WeakMap<Tx, Set<string>>();

/** Announces, in the writing transaction, that an account's facts change (once a transaction). */
export async function announceChange(trx: Tx, accountId: string): Promise<void> {
  let seen = announced.get(trx);
  if (!seen) announced.set(trx, (seen = new Set()));
  if (seen.has(accountId)) return;
  seen.add(accountId);
  await notify(trx, STATE_CHANNEL, accountId);
}

/**
 * Starts the cache for a store: local invalidation after each commit, and on PostgreSQL the
 * LISTEN connection for other processes' writes. Returns the function that stops it.
 */
export async function startStateCache(store: Store, opts: { maxAccounts?: number } = {}): Promise<{ cache: StateCache; stop(): Promise<void> }> {
  const cache = new StateCache(store.db, { ...opts, active: store.kind === 'pglite' });
  const unsubscribe = store.onCommittedNotify((channel, payload) => {
    if (channel === STATE_CHANNEL) cache.invalidate(payload);
  });
  // When the LISTEN connection cannot open, the cache stays off (every read loads) until it does.
  const stopListening = await store.listen(STATE_CHANNEL, { onMessage: (id) => cache.invalidate(id), onReset: (connected) => cache.setActive(connected) });
  caches.set(store.db, cache);
  return {
    cache,
    async stop() {
      caches.delete(store.db);
      unsubscribe();
      await stopListening?.();
    },
  };
}
