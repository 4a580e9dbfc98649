/**
 * The scheduler of due effects (SPEC G3): each effect is a row with its due instant, run once in
 * the transaction that marks it done, caught up after downtime, shared by several processes
 * (FOR UPDATE SKIP LOCKED). Effects record only what happens outside a request.
 *
 * A batch of effects is run set-based (issue 8, docs/performance.md): its accounts are locked and
 * their facts loaded with a few queries for the whole batch, each effect is planned by a pure
 * handler into `BatchWrites`, and the writes go out as multi-row statements. An account's effects
 * keep their order: the batch runs in waves, the n-th wave holding each account's n-th effect.
 */
import { Temporal } from 'temporal-polyfill';
import type { EffectRecord, NewEffect } from '../store/effects.js';
import { claimDueEffects, countDueEffects, earliestPendingOf, insertEffects, lockEffect, markEffectFailed, releaseEffects, requeueEffect } from '../store/effects.js';
import type { AccountRecord } from '../store/accounts.js';
import { lockAccounts } from '../store/accounts.js';
import { loadContractsOf } from '../store/contracts.js';
import type { InvoiceRecord } from '../store/invoices.js';
import { lockAccountInvoices } from '../store/invoices.js';
import type { OrderRecord } from '../store/orders.js';
import { lockOrders } from '../store/orders.js';
import { countActiveMembersOf } from '../store/members.js';
import { readUsageOf } from '../store/usage.js';
import { refreshStatistics } from '../store/statistics.js';
import { startOfDayIso } from '../clock.js';
import type { PlainDate } from '../domain/calendar.js';
import type { Product } from '../domain/catalog.js';
import { freePlan } from '../domain/catalog.js';
import type { Contract, ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import { productOf, renewalWindowOpens, renewedTerm, renewsByItself } from '../domain/contract.js';
import { stateOf } from './state.js';
import { termLine } from '../domain/term-line.js';
import type { Actor, AppContext, Tx } from './context.js';
import { newId, nowIso, today } from './context.js';
import { planOverdue } from './payments.js';
import { BatchWrites } from './batch-writes.js';
import { audit } from './audit.js';
import type { Refusal } from '../domain/refusals.js';
import { refuse } from '../domain/refusals.js';

const SCHEDULER: Actor = { kind: 'system', name: 'scheduler' };

// 00:00 vendor time of a date (src/clock.ts keeps the days it converted).
function midnight(ctx: AppContext, date: PlainDate): string {
  return startOfDayIso(date, ctx.settings.timeZone);
}

/**
 * What follows from a term: its end (at 00:00 vendor time on the day after its last day), and for
 * a contract that will not renew, the notices before it ends — the upgrade renewal offer when its
 * window opens (P3) and a reminder 30 days before the expiry day.
 */
export function termEndEffects(ctx: AppContext, accountId: string, contractId: string, term: ContractTerm, renewal: RenewalChoice, product: Product): NewEffect[] {
  const payload = { contractId, termId: term.id };
  const createdAt = nowIso(ctx);
  const effects: NewEffect[] = [{ accountId, kind: 'term-end', dueAt: midnight(ctx, term.end.add({ days: 1 })), payload, createdAt }];
  const renews = renewal === 'renew' && product.renewal.mode !== 'expire-to-free';
  if (renews) return effects;
  return [...effects, ...endingNoticeEffects(ctx, accountId, contractId, term, product)];
}

/**
 * The notices before a term that will not renew ends: the upgrade renewal offer when its window
 * opens (P3), a reminder 30 days before, and — where the seat limit drops with it (S9) — a warning
 * seven days before of the members who will be deactivated. Scheduled with the term, or when the
 * customer switches to the free plan; each handler checks at its time that the term still ends.
 */
export function endingNoticeEffects(ctx: AppContext, accountId: string, contractId: string, term: ContractTerm, product: Product): NewEffect[] {
  const payload = { contractId, termId: term.id };
  const createdAt = nowIso(ctx);
  const effects: NewEffect[] = [];
  if (product.renewal.mode === 'expire-to-free' && product.renewal.upgradeWindow) {
    const opens = renewalWindowOpens(term.end, Number(product.renewal.upgradeWindow.slice(1, -1)));
    if (Temporal.PlainDate.compare(opens, term.start) > 0) effects.push({ accountId, kind: 'renewal-offer-open', dueAt: midnight(ctx, opens), payload, createdAt });
  }
  const reminder = term.end.add({ days: 1 }).subtract({ days: 30 });
  if (Temporal.PlainDate.compare(reminder, term.start) > 0) effects.push({ accountId, kind: 'expiry-reminder', dueAt: midnight(ctx, reminder), payload, createdAt });
  const warning = term.end.add({ days: 1 }).subtract({ days: 7 });
  if (term.limits.seats !== undefined && Temporal.PlainDate.compare(warning, term.start) > 0) effects.push({ accountId, kind: 'term-end-warning', dueAt: midnight(ctx, warning), payload, createdAt });
  return effects;
}

export async function scheduleTermEnd(ctx: AppContext, trx: Tx, accountId: string, contractId: string, term: ContractTerm, renewal: RenewalChoice, product: Product): Promise<void> {
  await insertEffects(trx, termEndEffects(ctx, accountId, contractId, term, renewal, product));
}

/**
 * What follows from a seat grant's end (S9): the seat limit drops at 00:00 on the day after it,
 * and for a spot, seven days before that the owner is told who will be deactivated.
 */
export function grantEndEffects(ctx: AppContext, accountId: string, grant: SeatGrant): NewEffect[] {
  const payload = { contractId: grant.contractId, grantId: grant.id };
  const createdAt = nowIso(ctx);
  const drop = grant.end.add({ days: 1 });
  const effects: NewEffect[] = [{ accountId, kind: 'seat-limit-drop', dueAt: midnight(ctx, drop), payload, createdAt }];
  const warning = drop.subtract({ days: 7 });
  if (grant.kind === 'spot' && Temporal.PlainDate.compare(warning, grant.start) > 0) effects.push({ accountId, kind: 'spot-end-warning', dueAt: midnight(ctx, warning), payload, createdAt });
  return effects;
}

export async function scheduleGrantEnd(ctx: AppContext, trx: Tx, accountId: string, grant: SeatGrant): Promise<void> {
  await insertEffects(trx, grantEndEffects(ctx, accountId, grant));
}

/** What a batch loaded for one account: locked, with its contracts, and members/usage/invoices when an effect needs them. */
interface Loaded {
  account: AccountRecord;
  contracts: Contract[];
  /** How many members are active (S9 counts those; the database chooses whom to deactivate). */
  activeMembers: number;
  usage: Record<string, number>;
  invoices: Map<string, InvoiceRecord>;
  /** The orders whose statements lapse in this wave (`order-lapse`), by id. */
  orders: Map<string, OrderRecord>;
}

/** A handler plans an effect from the loaded facts (pure: it reads `on`, it writes into `w`). */
type Handler = (ctx: AppContext, w: BatchWrites, effect: EffectRecord, on: Loaded) => void;

function factsOf(on: Loaded) {
  return { account: on.account, contracts: on.contracts, activeMembers: on.activeMembers, usage: on.usage };
}

/** The grant an effect is about. */
function grantOf(effect: EffectRecord, on: Loaded) {
  const { contractId, grantId } = effect.payload as { contractId: string; grantId: string };
  const contract = on.contracts.find((c) => c.id === contractId);
  const grant = contract?.grants.find((g) => g.id === grantId);
  return contract && grant ? { contract, grant } : undefined;
}

/** S9: members over the seat limit on `date` are deactivated (chosen and audited at flush). */
function deactivate(ctx: AppContext, w: BatchWrites, on: Loaded, date: PlainDate, spot?: { start: PlainDate; end: PlainDate }): void {
  const limit = stateOf(ctx, factsOf(on), date).seats?.limit ?? 0;
  if (on.activeMembers <= limit) return;
  const tz = ctx.settings.timeZone;
  const window = spot ? { from: startOfDayIso(spot.start, tz), to: startOfDayIso(spot.end.add({ days: 1 }), tz) } : null;
  w.deactivateExcess(SCHEDULER, { accountId: on.account.id, limit, count: on.activeMembers - limit, window });
}

/** S9: the day after a spot (or an addition) ends, the excess members are deactivated. */
const seatLimitDrop: Handler = (ctx, w, effect, on) => {
  const found = grantOf(effect, on);
  if (!found) return;
  const { grant } = found;
  deactivate(ctx, w, on, grant.end.add({ days: 1 }), grant.kind === 'spot' ? { start: grant.start, end: grant.end } : undefined);
};

/** Seven days before a spot ends with more active members than the limit after it: tell the owner. */
const spotEndWarning: Handler = (ctx, w, effect, on) => {
  const found = grantOf(effect, on);
  if (!found) return;
  const on_ = found.grant.end.add({ days: 1 });
  const after = stateOf(ctx, factsOf(on), on_).seats;
  const count = after ? after.active - after.limit : 0;
  if (count <= 0) return;
  w.notice(on.account, { kind: 'members-will-be-deactivated', params: { count, on: on_.toString() }, dedupeKey: `spot-end-warning:${found.grant.id}` });
};

/** The contract and term an effect is about, while that term is still the contract's current one. */
function currentTerm(effect: EffectRecord, contracts: readonly Contract[]) {
  const { contractId, termId } = effect.payload as { contractId: string; termId: string };
  const contract = contracts.find((c) => c.id === contractId);
  const last = contract?.terms.at(-1);
  if (!contract || !last || last.id !== termId || contract.cancelledFrom) return undefined; // superseded or cancelled
  return { contract, last };
}

/**
 * Whether a notice announcing a contract's end (the renewal offer, the expiry reminder) comes too
 * late to be true: run after that day (a catch-up after downtime, a test clock moved past it), it
 * would offer what can no longer be done, next to the notice that the plan ended. (The spot end
 * warning is still sent late: what it announces — the deactivation on that day — stays true.)
 */
function tooLate(ctx: AppContext, end: PlainDate): boolean {
  return Temporal.PlainDate.compare(today(ctx), end) > 0;
}

const renewalOfferOpen: Handler = (ctx, w, effect, on) => {
  const found = currentTerm(effect, on.contracts);
  if (!found || tooLate(ctx, found.last.end)) return;
  const product = productOf(ctx.catalog, found.contract.productId);
  if (product.renewal.mode !== 'expire-to-free' || !product.renewal.upgradeWindow) return;
  const opens = renewalWindowOpens(found.last.end, Number(product.renewal.upgradeWindow.slice(1, -1)));
  w.notice(on.account, {
    kind: 'renewal-offer-open',
    params: { planName: found.last.planName, end: found.last.end.toString(), opens: opens.toString() },
    dedupeKey: `renewal-offer-open:${found.last.id}`,
  });
};

const expiryReminder: Handler = (ctx, w, effect, on) => {
  const found = currentTerm(effect, on.contracts);
  // Set to renew again since it was scheduled: the term does not end.
  if (!found || tooLate(ctx, found.last.end) || renews(ctx, found.contract)) return;
  w.notice(on.account, {
    kind: 'expiry-reminder',
    params: { planName: found.last.planName, end: found.last.end.toString() },
    dedupeKey: `expiry-reminder:${found.last.id}`,
  });
};

function renews(ctx: AppContext, contract: Contract): boolean {
  return renewsByItself(productOf(ctx.catalog, contract.productId), contract);
}

/**
 * A term ended: renew for another term (same plan, prices as sold, G1 from the original start)
 * with a renewal invoice, or let the account fall back to its free plan (SPEC §2, P2, S3).
 */
const termEnd: Handler = (ctx, w, effect, on) => {
  const found = currentTerm(effect, on.contracts);
  if (!found) return;
  const { account } = on;
  const { contract, last } = found;
  const product = productOf(ctx.catalog, contract.productId);
  if (!renews(ctx, contract)) {
    w.audit(SCHEDULER, {
      accountId: account.id,
      action: 'contract.ended',
      subjectType: 'contract',
      subjectId: contract.id,
      before: { planId: last.planId, end: last.end.toString() },
      after: { planId: product.plans.find((p) => p.free)?.id ?? null },
    });
    // S9: the seat limit drops with the return to the free plan.
    deactivate(ctx, w, on, last.end.add({ days: 1 }));
    const free = freePlan(product);
    // P2: the account is on the free plan; its entries are kept, only features are limited.
    if (free) w.notice(account, { kind: 'contract-expired', params: { planName: last.planName, end: last.end.toString(), freePlanName: free.name }, dedupeKey: `contract-expired:${last.id}` });
    return;
  }
  const next = renewedTerm(contract, contract.terms, newId('trm'));
  const period = { start: next.start, end: next.end };
  // Never renew backwards or in place: that would bill a period twice and schedule the same end again.
  if (Temporal.PlainDate.compare(next.start, last.end) <= 0) throw new Error(`the renewal of term ${last.id} (ending ${last.end.toString()}) would start on ${next.start.toString()}: not after the term's end`);
  w.term(account.id, next);
  const invoice = w.issueInvoice(SCHEDULER, {
    account,
    contractId: contract.id,
    orderId: null,
    lines: [termLine({ planName: last.planName, license: last.license, licenses: next.licenses, term: last.term, unitPrice: last.termPrice / last.licenses, yearly: last.term === 'P1Y' })],
    paymentMethod: last.paymentMethod,
    issuedOn: period.start,
    period: { start: period.start.toString(), end: period.end.toString() },
  });
  for (const e of termEndEffects(ctx, account.id, contract.id, next, contract.renewal, product)) w.effect(e);
  // The customer is told of the renewal and its invoice (PDF attached), as of an order's (rendered at flush, numbered).
  w.notice(account, () => ({
    kind: 'contract-renewed',
    params: { planName: last.planName, start: next.start.toString(), end: next.end.toString(), total: invoice.amount.total, dueOn: invoice.dueOn, invoiceNumber: invoice.number },
    dedupeKey: `contract-renewed:${last.id}`,
    attachDocumentId: invoice.id,
  }));
  w.audit(SCHEDULER, {
    accountId: account.id,
    action: 'contract.renewed',
    subjectType: 'contract',
    subjectId: contract.id,
    before: { termId: last.id, end: last.end.toString() },
    after: { termId: next.id, start: next.start.toString(), end: next.end.toString(), invoiceId: invoice.id },
  });
};

/** S9: seven days before a term ends to the free plan with more active members than its seats: tell the owner. */
const termEndWarning: Handler = (ctx, w, effect, on) => {
  const found = currentTerm(effect, on.contracts);
  if (!found || renews(ctx, found.contract)) return;
  const drop = found.last.end.add({ days: 1 });
  const after = stateOf(ctx, factsOf(on), drop).seats;
  const count = after ? after.active - after.limit : 0;
  if (count <= 0) return;
  w.notice(on.account, { kind: 'members-will-be-deactivated', params: { count, on: drop.toString() }, dedupeKey: `term-end-warning:${found.last.id}` });
};

const overdue: Handler = (_ctx, w, effect, on) => planOverdue(w, on.account, on.invoices.get((effect.payload as { invoiceId: string }).invoiceId));

/**
 * B9: at 00:00 after its statement's last day, an order still awaiting acceptance lapses — it is
 * cancelled (reason `lapsed`), audited; no notice (the statement said until when it held).
 */
const orderLapse: Handler = (ctx, w, effect, on) => {
  const order = on.orders.get((effect.payload as { orderId: string }).orderId);
  if (!order || order.accountId !== on.account.id || order.status !== 'placed') return;
  w.cancelOrder({ accountId: order.accountId, id: order.id, at: nowIso(ctx), reason: 'lapsed' });
  w.audit(SCHEDULER, { accountId: order.accountId, action: 'order.lapsed', subjectType: 'order', subjectId: order.id, before: { status: 'placed' }, after: { status: 'cancelled', reason: 'lapsed', validUntil: order.quote.validUntil ?? null } });
};

const HANDLERS: Record<string, Handler> = {
  'term-end': termEnd,
  'renewal-offer-open': renewalOfferOpen,
  'expiry-reminder': expiryReminder,
  'seat-limit-drop': seatLimitDrop,
  'spot-end-warning': spotEndWarning,
  'term-end-warning': termEndWarning,
  'invoice-overdue': overdue,
  'order-lapse': orderLapse,
};

/** Whether planning the effect reads the account's members (a seat limit that may drop). */
function needsMembers(ctx: AppContext, effect: EffectRecord, contracts: readonly Contract[]): boolean {
  if (effect.kind === 'seat-limit-drop' || effect.kind === 'spot-end-warning' || effect.kind === 'term-end-warning') return true;
  if (effect.kind !== 'term-end') return false;
  const found = currentTerm(effect, contracts);
  return !!found && !renews(ctx, found.contract);
}

/** Whether planning the effect reads the account's contracts: all but an invoice turning overdue and an order lapsing. */
function needsContracts(effect: EffectRecord): boolean {
  return effect.kind !== 'invoice-overdue' && effect.kind !== 'order-lapse';
}

/**
 * Locks the accounts of a wave (at most one effect an account) and loads what its effects read:
 * an account's contracts and terms only when its effect plans from them (the overdue invoices of
 * a day are often a third of its effects, and their accounts' terms the biggest rows read).
 */
async function load(ctx: AppContext, trx: Tx, wave: readonly EffectRecord[]): Promise<Map<string, Loaded>> {
  const accounts = await lockAccounts(trx, wave.map((e) => e.accountId));
  const contracts = await loadContractsOf(trx, wave.filter(needsContracts).map((e) => e.accountId));
  const overdue = wave.filter((e) => e.kind === 'invoice-overdue').map((e) => ({ accountId: e.accountId, id: (e.payload as { invoiceId: string }).invoiceId }));
  const invoices = new Map((await lockAccountInvoices(trx, overdue)).map((i) => [i.id, i]));
  const lapsing = wave.filter((e) => e.kind === 'order-lapse').map((e) => ({ accountId: e.accountId, id: (e.payload as { orderId: string }).orderId }));
  const orders = new Map((await lockOrders(trx, lapsing)).map((o) => [o.id, o]));
  const withMembers = wave.filter((e) => needsMembers(ctx, e, contracts.get(e.accountId) ?? [])).map((e) => e.accountId);
  const members = await countActiveMembersOf(trx, withMembers);
  const usage = await readUsageOf(trx, withMembers);
  return new Map(
    accounts.map((account) => [account.id, { account, contracts: contracts.get(account.id) ?? [], activeMembers: members.get(account.id) ?? 0, usage: usage.get(account.id) ?? {}, invoices, orders }]),
  );
}

/** The batch in waves: the n-th wave holds each account's n-th effect, in the order claimed. */
function wavesOf(batch: readonly EffectRecord[]): EffectRecord[][] {
  const waves: EffectRecord[][] = [];
  const seen = new Map<string, number>();
  for (const effect of batch) {
    const n = seen.get(effect.accountId) ?? 0;
    seen.set(effect.accountId, n + 1);
    (waves[n] ??= []).push(effect);
  }
  return waves;
}

/** (due instant, id) order: the order an account's effects must run in (G3). */
function runsBefore(a: Pick<EffectRecord, 'dueAt' | 'id'>, b: Pick<EffectRecord, 'dueAt' | 'id'>): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
}

/**
 * Runs claimed effects (already marked done by the claim) in the caller's transaction; returns
 * how many ran. An account's effects run in due order (G3), also across batches on several
 * connections: two claims at once can split one account's effects between them (SKIP LOCKED), and
 * the batch that locks the account first could run its later effect before the other batch runs
 * the earlier one (a spot's end deactivating the excess members before the warning a week earlier
 * counted them, so the warning found no one). So, with its accounts locked, a wave gives back an
 * effect when the account has an earlier one still pending — claimed by a batch not yet committed,
 * or scheduled by this batch's earlier waves — and a later claim runs it after that one.
 */
async function runBatch(ctx: AppContext, trx: Tx, batch: readonly EffectRecord[]): Promise<number> {
  const deferred: EffectRecord[] = [];
  for (const wave of wavesOf(batch)) {
    const loaded = await load(ctx, trx, wave);
    const earliest = await earliestPendingOf(trx, [...loaded.keys()]);
    const w = new BatchWrites(ctx);
    for (const effect of wave) {
      const handler = HANDLERS[effect.kind];
      if (!handler) throw new Error(`No handler for effect kind ${effect.kind}`);
      const first = earliest.get(effect.accountId);
      if (first && runsBefore(first, effect)) {
        deferred.push(effect);
        continue;
      }
      const on = loaded.get(effect.accountId);
      if (on) handler(ctx, w, effect, on);
    }
    await w.flush(trx);
  }
  await releaseEffects(trx, deferred);
  return batch.length - deferred.length;
}

export interface RunReport {
  ran: number;
  failed: number;
}

/**
 * Runs every effect due up to `upTo`, oldest first, in batches: each batch is one transaction
 * that runs its effects and marks them done, so a crash loses no effect and runs none twice.
 * A failing effect (a bug) is isolated: its batch is rolled back and replayed one by one, and the
 * failing effect is marked `failed` with its error for the operator.
 */
export async function runDueEffects(
  ctx: AppContext,
  upTo: Temporal.Instant,
  batchSize = ctx.settings.schedulerBatch,
  onProgress?: (report: RunReport, total: number) => void,
  opts: { statisticsFrom?: number } = {},
): Promise<RunReport> {
  const report: RunReport = { ran: 0, failed: 0 };
  const limit = upTo.toString();
  // What is due now, for a progress display and for `statisticsFrom` (effects a run schedules
  // that fall due too add to it).
  const statisticsFrom = opts.statisticsFrom ?? 0;
  const total = onProgress || statisticsFrom > 0 ? await countDueEffects(ctx.db, limit) : 0;
  // The claim and the loads are planned from statistics: gather them where they are stale (the
  // embedded database has no autovacuum; a restored one has none yet). A caller may skip it when
  // few effects are due (the start: analyzing a big database that never was takes seconds).
  if (total >= statisticsFrom) await refreshStatistics(ctx.db);
  // On a database server, batches run on several connections at once: one plans in this process
  // while another's statements run in the database (SKIP LOCKED keeps their effects apart; each
  // locks its accounts in id order and then the document counter, so they never deadlock).
  const loops = Math.max(1, ctx.settings.schedulerParallel ?? 1);
  await Promise.all(Array.from({ length: loops }, () => runLoop(ctx, limit, batchSize, report, () => onProgress?.(report, Math.max(total, report.ran + report.failed)))));
  return report;
}

async function runLoop(ctx: AppContext, limit: string, batchSize: number, report: RunReport, progress: () => void): Promise<void> {
  // Where this loop's last batch ended: the next claim starts there. When nothing is left after
  // it, one claim from the start picks up what another process or request added behind it.
  let after: EffectRecord | undefined;
  for (;;) {
    let claimed = 0;
    try {
      const { batch, ran } = await ctx.db.transaction().execute(async (trx) => {
        const effects = await claimDueEffects(trx, limit, batchSize, nowIso(ctx), after);
        return { batch: effects, ran: await runBatch(ctx, trx, effects) };
      });
      claimed = batch.length;
      report.ran += ran;
      if (claimed === 0 && after) {
        after = undefined;
        continue;
      }
      after = batch.at(-1);
    } catch {
      // Replay one by one to find the failing effect(s).
      const single = await runSingly(ctx, limit, batchSize);
      report.ran += single.ran;
      report.failed += single.failed;
      claimed = single.ran + single.failed;
      after = undefined;
    }
    if (claimed === 0) return;
    progress();
    // Let requests in between batches: the embedded database answers without yielding to the
    // event loop, so a long catch-up would otherwise hold the whole server.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function runSingly(ctx: AppContext, limit: string, count: number): Promise<RunReport> {
  const report: RunReport = { ran: 0, failed: 0 };
  for (let i = 0; i < count; i++) {
    let failedEffect: EffectRecord | undefined;
    let error = '';
    // 0: nothing left; 1: ran; 2: given back (an earlier effect of its account is in flight); -1: failed.
    const n = await ctx.db
      .transaction()
      .execute(async (trx) => {
        const [effect] = await claimDueEffects(trx, limit, 1, nowIso(ctx));
        if (!effect) return 0;
        failedEffect = effect;
        const ran = await runBatch(ctx, trx, [effect]);
        failedEffect = undefined;
        return ran === 1 ? 1 : 2;
      })
      .catch((err: unknown) => {
        error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
        return -1;
      });
    if (n === 0) break;
    if (n === 1) report.ran++;
    else if (n === 2) continue;
    else if (failedEffect) {
      const broken = failedEffect;
      // Counted once: with two loops, the other may have met the same effect meanwhile.
      if (await ctx.db.transaction().execute((trx) => markEffectFailed(trx, broken, nowIso(ctx), error.slice(0, 4000)))) report.failed++;
    } else throw new Error(error);
  }
  return report;
}

/**
 * The operator runs a failed effect again, once the bug it hit is fixed (docs/operations.md): it is
 * pending again, with its due instant and its last error, and runs at the scheduler's next pass
 * (or at once with `POST /v1/effects/run`) — still exactly once, and audited (G5).
 */
export async function retryEffect(ctx: AppContext, trx: Tx, actor: Actor, id: number): Promise<EffectRecord | Refusal> {
  const effect = await lockEffect(trx, id);
  if (!effect) return refuse('effect_not_found', { id });
  if (effect.status !== 'failed') return refuse('effect_not_failed', { id, status: effect.status });
  await requeueEffect(trx, effect);
  await audit(ctx, trx, actor, {
    accountId: effect.accountId,
    action: 'effect.retried',
    subjectType: 'effect',
    subjectId: String(effect.id),
    before: { kind: effect.kind, status: 'failed', attempts: effect.attempts, lastError: effect.lastError },
    after: { status: 'pending' },
  });
  return { ...effect, status: 'pending', doneAt: null };
}
