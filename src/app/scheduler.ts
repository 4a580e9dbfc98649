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
import { nthPeriod, termMonths } from '../domain/calendar.js';
import type { ContractTerm } from '../domain/contract.js';
import { productOf } from '../domain/contract.js';
import { termLine } from '../domain/term-line.js';
import type { Actor, AppContext } from './context.js';
import { newId, nowInstant } from './context.js';
import { audit } from './audit.js';
import { issueInvoice } from './invoices.js';

const SCHEDULER: Actor = { kind: 'system', name: 'scheduler' };

/** Schedules the end of a term: at 00:00 vendor time on the day after its last day. */
export async function scheduleTermEnd(ctx: AppContext, trx: Transaction<Database>, accountId: string, contractId: string, term: ContractTerm): Promise<void> {
  await scheduleEffect(trx, {
    accountId,
    kind: 'term-end',
    dueAt: startOfDay(term.end.add({ days: 1 }), ctx.settings.timeZone).toString(),
    payload: { contractId, termId: term.id },
    createdAt: nowInstant(ctx).toString(),
  });
}

type Handler = (ctx: AppContext, trx: Transaction<Database>, effect: EffectRecord) => Promise<void>;

/**
 * A term ended: renew for another term (same plan, prices as sold, G1 from the original start)
 * with a renewal invoice, or let the account fall back to its free plan (SPEC §2, P2, S3).
 */
const termEnd: Handler = async (ctx, trx, effect) => {
  const { contractId, termId } = effect.payload as { contractId: string; termId: string };
  const account = await lockAccount(trx, effect.accountId);
  if (!account) return;
  const contract = (await loadContracts(trx, account.id)).find((c) => c.id === contractId);
  const last = contract?.terms.at(-1);
  if (!contract || !last || last.id !== termId || contract.cancelledFrom) return; // superseded or cancelled
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
    return;
  }
  const first = contract.terms[0]!;
  const months = termMonths(last.term);
  const period = nthPeriod(first.start, months, last.seq + 1);
  const next: ContractTerm = { ...last, id: newId('trm'), seq: last.seq + 1, start: period.start, end: period.end, orderId: last.orderId };
  await insertTerm(trx, account.id, next);
  const invoice = await issueInvoice(ctx, trx, SCHEDULER, {
    account,
    orderId: null,
    lines: [termLine({ planName: last.planName, license: last.license, licenses: last.licenses, term: last.term, unitPrice: last.termPrice / last.licenses, yearly: last.term === 'P1Y' })],
    paymentMethod: last.paymentMethod,
    issuedOn: period.start,
    period: { start: period.start.toString(), end: period.end.toString() },
  });
  await scheduleTermEnd(ctx, trx, account.id, contract.id, next);
  await audit(ctx, trx, SCHEDULER, {
    accountId: account.id,
    action: 'contract.renewed',
    subjectType: 'contract',
    subjectId: contract.id,
    before: { termId: last.id, end: last.end.toString() },
    after: { termId: next.id, start: next.start.toString(), end: next.end.toString(), invoiceId: invoice.id },
  });
};

const HANDLERS: Record<string, Handler> = { 'term-end': termEnd };

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
  await markEffect(trx, effect, 'done', nowInstant(ctx).toString());
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
      await ctx.db.transaction().execute((trx) => markEffect(trx, broken, 'failed', nowInstant(ctx).toString(), error.slice(0, 4000)));
      report.failed++;
    } else throw new Error(error);
  }
  return report;
}
