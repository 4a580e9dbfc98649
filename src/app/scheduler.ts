/**
 * The scheduler of due effects (SPEC G3): each effect is a row with its due instant, run once in
 * the transaction that marks it done, caught up after downtime, shared by several processes
 * (FOR UPDATE SKIP LOCKED). Effects record only what happens outside a request.
 */
import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../store/tables.js';
import type { EffectRecord } from '../store/effects.js';
import { claimDueEffects, markEffect, scheduleEffect } from '../store/effects.js';
import { lockAccount } from '../store/accounts.js';
import { insertTerm, loadContracts } from '../store/contracts.js';
import { startOfDay } from '../clock.js';
import type { PlainDate } from '../domain/calendar.js';
import type { Product } from '../domain/catalog.js';
import { freePlan } from '../domain/catalog.js';
import type { ContractTerm, RenewalChoice, SeatGrant } from '../domain/contract.js';
import { nextTermPeriod, productOf, renewalWindowOpens } from '../domain/contract.js';
import { sendNotice } from './notices.js';
import { deactivateExcess } from './members.js';
import { loadFacts, stateOf } from './state.js';
import { termLine } from '../domain/term-line.js';
import type { Actor, AppContext } from './context.js';
import { newId, nowIso } from './context.js';
import { audit } from './audit.js';
import { issueInvoice } from './invoices.js';
import { markOverdue } from './payments.js';

const SCHEDULER: Actor = { kind: 'system', name: 'scheduler' };

/**
 * Schedules what follows from a term: its end (at 00:00 vendor time on the day after its last
 * day), and for a contract that will not renew, the notices before it ends — the upgrade renewal
 * offer when its window opens (P3) and a reminder 30 days before the expiry day.
 */
export async function scheduleTermEnd(ctx: AppContext, trx: Transaction<Database>, accountId: string, contractId: string, term: ContractTerm, renewal: RenewalChoice, product: Product): Promise<void> {
  const at = (date: PlainDate) => startOfDay(date, ctx.settings.timeZone).toString();
  const payload = { contractId, termId: term.id };
  const createdAt = nowIso(ctx);
  await scheduleEffect(trx, { accountId, kind: 'term-end', dueAt: at(term.end.add({ days: 1 })), payload, createdAt });
  const renews = renewal === 'renew' && product.renewal.mode !== 'expire-to-free';
  if (renews) return;
  if (product.renewal.mode === 'expire-to-free' && product.renewal.upgradeWindow) {
    const opens = renewalWindowOpens(term.end, Number(product.renewal.upgradeWindow.slice(1, -1)));
    if (Temporal.PlainDate.compare(opens, term.start) > 0) await scheduleEffect(trx, { accountId, kind: 'renewal-offer-open', dueAt: at(opens), payload, createdAt });
  }
  const reminder = term.end.add({ days: 1 }).subtract({ days: 30 });
  if (Temporal.PlainDate.compare(reminder, term.start) > 0) await scheduleEffect(trx, { accountId, kind: 'expiry-reminder', dueAt: at(reminder), payload, createdAt });
}

/**
 * Schedules what follows from a seat grant's end (S9): the seat limit drops at 00:00 on the day
 * after it, and for a spot, seven days before that the owner is told who will be deactivated.
 */
export async function scheduleGrantEnd(ctx: AppContext, trx: Transaction<Database>, accountId: string, grant: SeatGrant): Promise<void> {
  const at = (date: PlainDate) => startOfDay(date, ctx.settings.timeZone).toString();
  const payload = { contractId: grant.contractId, grantId: grant.id };
  const createdAt = nowIso(ctx);
  const drop = grant.end.add({ days: 1 });
  await scheduleEffect(trx, { accountId, kind: 'seat-limit-drop', dueAt: at(drop), payload, createdAt });
  const warning = drop.subtract({ days: 7 });
  if (grant.kind === 'spot' && Temporal.PlainDate.compare(warning, grant.start) > 0) {
    await scheduleEffect(trx, { accountId, kind: 'spot-end-warning', dueAt: at(warning), payload, createdAt });
  }
}

/** The grant an effect is about, with its account locked. */
async function grantOf(trx: Transaction<Database>, effect: EffectRecord) {
  const { contractId, grantId } = effect.payload as { contractId: string; grantId: string };
  const account = await lockAccount(trx, effect.accountId);
  if (!account) return undefined;
  const contract = (await loadContracts(trx, account.id)).find((c) => c.id === contractId);
  const grant = contract?.grants.find((g) => g.id === grantId);
  return contract && grant ? { account, contract, grant } : undefined;
}

/** S9: the day after a spot (or an addition) ends, the excess members are deactivated. */
const seatLimitDrop: Handler = async (ctx, trx, effect) => {
  const found = await grantOf(trx, effect);
  if (!found) return;
  const { account, grant } = found;
  const on = grant.end.add({ days: 1 });
  await deactivateExcess(ctx, trx, SCHEDULER, account, on, grant.kind === 'spot' ? { start: grant.start, end: grant.end } : undefined);
};

/** Seven days before a spot ends with more active members than the limit after it: tell the owner. */
const spotEndWarning: Handler = async (ctx, trx, effect) => {
  const found = await grantOf(trx, effect);
  if (!found) return;
  const { account, grant } = found;
  const on = grant.end.add({ days: 1 });
  const after = stateOf(ctx, await loadFacts(trx, account), on).seats;
  const count = after ? after.active - after.limit : 0;
  if (count <= 0) return;
  await sendNotice(ctx, trx, { accountId: account.id, kind: 'members-will-be-deactivated', params: { count, on: on.toString() }, dedupeKey: `spot-end-warning:${grant.id}` });
};

/** The contract and term an effect is about, while that term is still the contract's current one. */
async function currentTerm(trx: Transaction<Database>, effect: EffectRecord) {
  const { contractId, termId } = effect.payload as { contractId: string; termId: string };
  const account = await lockAccount(trx, effect.accountId);
  if (!account) return undefined;
  const contract = (await loadContracts(trx, account.id)).find((c) => c.id === contractId);
  const last = contract?.terms.at(-1);
  if (!contract || !last || last.id !== termId || contract.cancelledFrom) return undefined; // superseded or cancelled
  return { account, contract, last };
}

const renewalOfferOpen: Handler = async (ctx, trx, effect) => {
  const found = await currentTerm(trx, effect);
  if (!found) return;
  const product = productOf(ctx.catalog, found.contract.productId);
  if (product.renewal.mode !== 'expire-to-free' || !product.renewal.upgradeWindow) return;
  const opens = renewalWindowOpens(found.last.end, Number(product.renewal.upgradeWindow.slice(1, -1)));
  await sendNotice(ctx, trx, {
    accountId: found.account.id,
    kind: 'renewal-offer-open',
    params: { planName: found.last.planName, end: found.last.end.toString(), opens: opens.toString() },
    dedupeKey: `renewal-offer-open:${found.last.id}`,
  });
};

const expiryReminder: Handler = async (ctx, trx, effect) => {
  const found = await currentTerm(trx, effect);
  if (!found) return;
  await sendNotice(ctx, trx, {
    accountId: found.account.id,
    kind: 'expiry-reminder',
    params: { planName: found.last.planName, end: found.last.end.toString() },
    dedupeKey: `expiry-reminder:${found.last.id}`,
  });
};

type Handler = (ctx: AppContext, trx: Transaction<Database>, effect: EffectRecord) => Promise<void>;

/**
 * A term ended: renew for another term (same plan, prices as sold, G1 from the original start)
 * with a renewal invoice, or let the account fall back to its free plan (SPEC §2, P2, S3).
 */
const termEnd: Handler = async (ctx, trx, effect) => {
  const found = await currentTerm(trx, effect);
  if (!found) return;
  const { account, contract, last } = found;
  const product = productOf(ctx.catalog, contract.productId);
  const renews = contract.renewal === 'renew' && product.renewal.mode !== 'expire-to-free';
  if (!renews) {
    await audit(ctx, trx, SCHEDULER, {
      accountId: account.id,
      action: 'contract.ended',
      subjectType: 'contract',
      subjectId: contract.id,
      before: { planId: last.planId, end: last.end.toString() },
      after: { planId: product.plans.find((p) => p.free)?.id ?? null },
    });
    // S9: the seat limit drops with the return to the free plan.
    await deactivateExcess(ctx, trx, SCHEDULER, account, last.end.add({ days: 1 }));
    const free = freePlan(product);
    // P2: the account is on the free plan; its entries are kept, only features are limited.
    if (free) {
      await sendNotice(ctx, trx, {
        accountId: account.id,
        kind: 'contract-expired',
        params: { planName: last.planName, end: last.end.toString(), freePlanName: free.name },
        dedupeKey: `contract-expired:${last.id}`,
      });
    }
    return;
  }
  const period = nextTermPeriod(contract.terms);
  // S6: license additions running to the term's end are carried into the renewed term.
  const added = contract.grants.filter((g) => g.kind === 'addition' && g.end.equals(last.end)).reduce((n, g) => n + g.seats, 0);
  const licenses = last.licenses + (last.license ? added / last.license.size : 0);
  const next: ContractTerm = { ...last, id: newId('trm'), seq: last.seq + 1, start: period.start, end: period.end, orderId: last.orderId, licenses, termPrice: (last.termPrice / last.licenses) * licenses };
  await insertTerm(trx, account.id, next);
  const invoice = await issueInvoice(ctx, trx, SCHEDULER, {
    account,
    contractId: contract.id,
    orderId: null,
    lines: [termLine({ planName: last.planName, license: last.license, licenses: next.licenses, term: last.term, unitPrice: last.termPrice / last.licenses, yearly: last.term === 'P1Y' })],
    paymentMethod: last.paymentMethod,
    issuedOn: period.start,
    period: { start: period.start.toString(), end: period.end.toString() },
  });
  await scheduleTermEnd(ctx, trx, account.id, contract.id, next, contract.renewal, product);
  await audit(ctx, trx, SCHEDULER, {
    accountId: account.id,
    action: 'contract.renewed',
    subjectType: 'contract',
    subjectId: contract.id,
    before: { termId: last.id, end: last.end.toString() },
    after: { termId: next.id, start: next.start.toString(), end: next.end.toString(), invoiceId: invoice.id },
  });
};

const HANDLERS: Record<string, Handler> = {
  'term-end': termEnd,
  'renewal-offer-open': renewalOfferOpen,
  'expiry-reminder': expiryReminder,
  'seat-limit-drop': seatLimitDrop,
  'spot-end-warning': spotEndWarning,
  'invoice-overdue': markOverdue,
};

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
export async function runDueEffects(ctx: AppContext, upTo: Temporal.Instant, batchSize = ctx.settings.schedulerBatch): Promise<RunReport> {
  const report: RunReport = { ran: 0, failed: 0 };
  const limit = upTo.toString();
  for (;;) {
    let claimed = 0;
    try {
      claimed = await ctx.db.transaction().execute(async (trx) => {
        const batch = await claimDueEffects(trx, limit, batchSize);
        for (const effect of batch) await runOne(ctx, trx, effect);
        return batch.length;
      });
      report.ran += claimed;
    } catch {
      // Replay one by one to find the failing effect(s).
      const single = await runSingly(ctx, limit, batchSize);
      report.ran += single.ran;
      report.failed += single.failed;
      claimed = single.ran + single.failed;
    }
    if (claimed === 0) return report;
    // Let requests in between batches: the embedded database answers without yielding to the
    // event loop, so a long catch-up would otherwise hold the whole server.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function runOne(ctx: AppContext, trx: Transaction<Database>, effect: EffectRecord): Promise<void> {
  const handler = HANDLERS[effect.kind];
  if (!handler) throw new Error(`No handler for effect kind ${effect.kind}`);
  await handler(ctx, trx, effect);
  await markEffect(trx, effect, 'done', nowIso(ctx));
}

async function runSingly(ctx: AppContext, limit: string, count: number): Promise<RunReport> {
  const report: RunReport = { ran: 0, failed: 0 };
  for (let i = 0; i < count; i++) {
    let failedEffect: EffectRecord | undefined;
    let error = '';
    const n = await ctx.db
      .transaction()
      .execute(async (trx) => {
        const [effect] = await claimDueEffects(trx, limit, 1);
        if (!effect) return 0;
        failedEffect = effect;
        await runOne(ctx, trx, effect);
        failedEffect = undefined;
        return 1;
      })
      .catch((err: unknown) => {
        error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
        return -1;
      });
    if (n === 0) break;
    if (n === 1) report.ran++;
    else if (failedEffect) {
      const broken = failedEffect;
      await ctx.db.transaction().execute((trx) => markEffect(trx, broken, 'failed', nowIso(ctx), error.slice(0, 4000)));
      report.failed++;
    } else throw new Error(error);
  }
  return report;
}
