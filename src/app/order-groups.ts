/**
 * Concurrent orders placed in groups (issue 8): `POST /v1/orders` requests that arrive while
 * others are being placed wait in this process's queue, and the next free lane places them
 * together in one transaction — their idempotency keys claimed in one statement, their accounts
 * locked (in id order) and their facts loaded in one, each order decided on its own account's
 * facts exactly as alone, and everything they write, their documents numbered one after the
 * other from the gapless series (SPEC §6), their stored results, the notifications and the
 * COMMIT in one message. What an order used to pay alone — two round trips, a transaction, a
 * commit's WAL flush, the invoice counter held from its number to its commit — is paid once a
 * group.
 *
 * - An order alone (nothing else waiting) is placed as before (`placeOrderAlone`), with no delay.
 * - A group holds at most one order of an account and one use of an idempotency key, and never
 *   an account or key another lane of this process is placing: a second order of the same
 *   account waits for the next group and sees the first (as it would by waiting for its lock).
 * - Orders are decided by the same code as alone (`planOrder`) and refused alike; a refusal
 *   writes nothing but its stored result.
 * - A group that fails in the database (a deadlock with another process's transaction, say)
 *   changes nothing — it is one transaction — and its orders are placed again one at a time, as
 *   a failed scheduler batch is. When it is not known whether the group's COMMIT was done (the
 *   connection lost while it was sent), its orders fail as a lone order would, not placed twice.
 */
import type { RawBuilder } from 'kysely';
import type { Refusal } from '../domain/refusals.js';
import type { OrderRequest } from '../domain/orders/decide-order.js';
import { lockAndLoadFactsOf } from '../store/facts.js';
import { claimKeys, keyId, saveResultsStatement } from '../store/idempotency.js';
import type { NumberedDocument, NumberedRows, Rows } from '../store/row-writes.js';
import { commitWrites } from '../store/row-writes.js';
import type { Actor, AppContext, OrderGroupSettings } from './context.js';
import { nowIso } from './context.js';
import type { CommandOutcome, IdempotencyRequest } from './run-command.js';
import { fingerprint } from './run-command.js';
import type { OrderView, OrderWrites } from './orders.js';
import { orderView, placeOrderAlone, planOrder } from './orders.js';
import { noticeDeliveryOf } from './notices.js';
import { STATE_CHANNEL, stateCacheOf } from './state-cache.js';

type Outcome = CommandOutcome<OrderView | Refusal>;

export const DEFAULT_ORDER_GROUPS: OrderGroupSettings = { lanes: 1, maxSize: 64 };

interface Pending {
  idem: IdempotencyRequest | undefined;
  actor: Actor;
  request: OrderRequest;
  resolve(outcome: Outcome): void;
  reject(err: unknown): void;
}

/** How many groups of two or more were placed, and how many orders they held (the tests look). */
export interface OrderGroupStats {
  groups: number;
  grouped: number;
  /** Groups that failed in the database and were placed again one order at a time. */
  replayed: number;
}

class OrderGroups {
  readonly stats: OrderGroupStats = { groups: 0, grouped: 0, replayed: 0 };
  #queue: Pending[] = [];
  #lanes = 0;
  /** Accounts and keys in a group being placed. */
  #busy = new Set<string>();

  constructor(
    readonly ctx: AppContext,
    readonly settings: OrderGroupSettings,
  ) {}

  place(idem: IdempotencyRequest | undefined, actor: Actor, request: OrderRequest): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.#queue.push({ idem, actor, request, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#lanes < this.settings.lanes && this.#queue.length > 0) {
      const group = this.#take();
      if (group.length === 0) return;
      this.#lanes++;
      void this.#run(group).finally(() => {
        for (const p of group) for (const id of busyIds(p)) this.#busy.delete(id);
        // The lane is free after one turn of the event loop, so that the requests read in that
        // turn join the next group: on the embedded database a transaction runs without one, and
        // every order would otherwise be placed alone.
        setImmediate(() => {
          this.#lanes--;
          this.#pump();
        });
      });
    }
  }

  /** The next group: the waiting orders in arrival order, skipping those of a busy account or key. */
  #take(): Pending[] {
    const group: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of this.#queue) {
      const ids = busyIds(p);
      if (group.length < this.settings.maxSize && ids.every((id) => !this.#busy.has(id))) {
        for (const id of ids) this.#busy.add(id);
        group.push(p);
      } else rest.push(p);
    }
    this.#queue = rest;
    return group;
  }

  async #run(group: Pending[]): Promise<void> {
    if (group.length === 1) return this.#alone(group[0]!);
    let outcomes: Outcome[];
    try {
      outcomes = await placeGroup(this.ctx, group);
    } catch (err) {
      if (!(err instanceof GroupRolledBack)) {
        for (const p of group) p.reject(err);
        return;
      }
      this.stats.replayed++;
      await Promise.all(group.map((p) => this.#alone(p)));
      return;
    }
    this.stats.groups++;
    this.stats.grouped += group.length;
    group.forEach((p, i) => p.resolve(outcomes[i]!));
  }

  async #alone(p: Pending): Promise<void> {
    try {
      p.resolve(await placeOrderAlone(this.ctx, p.idem, p.actor, p.request));
    } catch (err) {
      p.reject(err);
    }
  }
}

function busyIds(p: Pending): string[] {
  const ids = [`account\n${p.request.accountId}`];
  if (p.idem) ids.push(`key\n${keyId(p.idem.scope, p.idem.key)}`);
  return ids;
}

/** The group's transaction failed and is known to have changed nothing. */
class GroupRolledBack extends Error {
  constructor(cause: unknown) {
    super('an order group was rolled back', { cause });
  }
}

/** An error PostgreSQL reported (it has a SQLSTATE): the transaction it happened in is aborted. */
function reportedByDatabase(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Places the group in one transaction and answers each order's outcome, in the group's order.
 * Throws `GroupRolledBack` when it failed before its last message or the database refused that
 * message (nothing was written); any other error as it came.
 */
async function placeGroup(ctx: AppContext, group: readonly Pending[]): Promise<Outcome[]> {
  const outcomes: Array<Outcome | undefined> = new Array(group.length);
  const changed: string[] = [];
  let notices = 0;
  let sent = false;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      // G6: the keys first, as alone (`runCommitting`): a key already used answers its first result.
      const createdAt = nowIso(ctx);
      const keyed = group.flatMap((p, i) => (p.idem ? [{ i, scope: p.idem.scope, key: p.idem.key, fingerprint: fingerprint(p.idem.request), createdAt }] : []));
      const taken = await claimKeys(trx, keyed);
      for (const k of keyed) {
        const first = taken.get(keyId(k.scope, k.key));
        if (first) outcomes[k.i] = first.fingerprint === k.fingerprint ? { kind: 'result', value: first.result as OrderView | Refusal, replayed: true } : { kind: 'key_reused' };
      }
      const open = group.flatMap((p, i) => (outcomes[i] ? [] : [i]));
      const facts = await lockAndLoadFactsOf(trx, [...new Set(open.map((i) => group[i]!.request.accountId))].sort());
      const rows: Required<Rows> = { orders: [], contracts: [], contract_terms: [], seat_grants: [], effects: [], events: [], invoices: [], notices: [] };
      const documents: Array<{ doc: NumberedDocument; numbered: NumberedRows }> = [];
      const results: Array<{ scope: string; key: string; result: unknown }> = [];
      for (const i of open) {
        const p = group[i]!;
        const planned = planOrder(ctx, p.actor, facts.get(p.request.accountId), p.request);
        const value: OrderView | Refusal = 'writes' in planned ? orderView(planned.writes.order!) : planned;
        // Stored as JSON: what a retry gets back is exactly what the first caller got.
        const stored = JSON.parse(JSON.stringify(value)) as OrderView | Refusal;
        outcomes[i] = { kind: 'result', value: stored, replayed: false };
        if (p.idem) results.push({ scope: p.idem.scope, key: p.idem.key, result: stored });
        if ('writes' in planned) {
          collect(planned.writes, rows, documents);
          changed.push(p.request.accountId);
          notices += planned.writes.noticeCount;
        }
      }
      const also: RawBuilder<unknown>[] = results.length > 0 ? [saveResultsStatement(results)] : [];
      if (changed.length === 0 && also.length === 0) return;
      sent = true;
      await commitWrites(trx, { rows, documents, also, notify: changed.map((id) => [STATE_CHANNEL, id] as const) });
    });
  } catch (err) {
    if (!sent || reportedByDatabase(err)) throw new GroupRolledBack(err);
    throw err;
  }
  // Other processes' caches were told by the notifications in the message; this one's now.
  const cache = stateCacheOf(ctx);
  for (const id of changed) cache?.invalidate(id);
  if (notices > 0) noticeDeliveryOf(ctx)?.wake?.();
  return outcomes.map((o) => o!);
}

/** Adds an order's rows to the group's: its own rows, then its document's (the order of its events kept). */
function collect(w: OrderWrites, rows: Required<Rows>, documents: Array<{ doc: NumberedDocument; numbered: NumberedRows }>): void {
  const own = w.allRows();
  for (const table of Object.keys(own) as Array<keyof Rows>) (rows[table] as unknown[]).push(...((own[table] as unknown[] | undefined) ?? []));
  if (w.document) {
    rows.effects.push(...w.document.rows.effects);
    rows.events.push(...w.document.rows.events);
    documents.push({ doc: w.document.doc, numbered: w.document.numbered });
  }
}

const groups = new WeakMap<AppContext, OrderGroups>();

/**
 * `POST /v1/orders`: places the order with its Idempotency-Key (G6) — alone when nothing else is
 * being placed, else in the next group of this context (one set of groups a context, made on
 * first use; `ctx.orderGroups` or the defaults).
 */
export function runPlaceOrder(ctx: AppContext, idem: IdempotencyRequest | undefined, actor: Actor, request: OrderRequest): Promise<Outcome> {
  let g = groups.get(ctx);
  if (!g) groups.set(ctx, (g = new OrderGroups(ctx, ctx.orderGroups ?? DEFAULT_ORDER_GROUPS)));
  return g.place(idem, actor, request);
}

/** The context's group counts (zero until an order was placed). */
export function orderGroupStats(ctx: AppContext): OrderGroupStats {
  return { ...(groups.get(ctx)?.stats ?? { groups: 0, grouped: 0, replayed: 0 }) };
}
