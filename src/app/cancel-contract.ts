/** The operator cancels a contract on the customer's behalf (SPEC P5). */
import { formatDateJa } from '../domain/notice-templates.js';
import { lockAccount } from '../store/accounts.js';
import { cancelContractRow } from '../store/contracts.js';
import { skipEffectsOf } from '../store/effects.js';
import { contractTotals, listInvoices, lockInvoices } from '../store/invoices.js';
import { voidInvoice } from './invoice-corrections.js';
import { decideCancellation } from '../domain/cancellation.js';
import type { Refusal } from '../domain/refusals.js';
import { isRefusal, refuse } from '../domain/refusals.js';
import type { Actor, AppContext, Tx } from './context.js';
import { actorName, today, nowIso } from './context.js';
import { loadFacts } from './state.js';
import { audit } from './audit.js';
import { issueInvoice } from './invoices.js';
import { deactivateExcess } from './members.js';
import { sendNotice } from './notices.js';
import { freePlan } from '../domain/catalog.js';

export interface CancelContractInput {
  accountId: string;
  contractId: string;
  reason: string;
  /** Tax-included yen to refund; 0 or absent: no refund. */
  refundTotal?: number | undefined;
  /** Void the contract's invoices on which nothing was paid (each by a credit note reversing it): nothing more is asked of the customer. */
  voidUnpaid?: boolean | undefined;
}

export interface CancellationView {
  contractId: string;
  cancelledFrom: string;
  reason: string;
  refund: { creditNoteId: string; number: string; amount: { subtotal: number; tax: number; total: number; currency: 'JPY' } } | null;
  /** The unpaid invoices voided with the cancellation (`voidUnpaid`), each with its credit note. */
  voided: Array<{ invoiceId: string; number: string; creditNoteId: string; creditNoteNumber: string; total: number }>;
}

/**
 * Cancels at once: from today the account is on its free plan (or no plan) and may buy a new
 * contract from today; pending effects of the contract become no-ops.
 */
export async function cancelContract(ctx: AppContext, trx: Tx, actor: Actor, input: CancelContractInput): Promise<CancellationView | Refusal> {
  const account = await lockAccount(trx, input.accountId);
  if (!account) return refuse('account_not_found', { id: input.accountId });
  const facts = await loadFacts(trx, account);
  const contract = facts.contracts.find((c) => c.id === input.contractId);
  if (!contract) return refuse('contract_not_found', { id: input.contractId });
  const totals = await contractTotals(trx, account.id, contract.id);
  const day = today(ctx);
  const decision = decideCancellation({ contract, today: day, refundTotal: input.refundTotal ?? 0, ...totals });
  if (isRefusal(decision)) return decision;
  let refund: CancellationView['refund'] = null;
  if (decision.refund) {
    const last = contract.terms.at(-1)!;
    const note = await issueInvoice(ctx, trx, actor, {
      account,
      contractId: contract.id,
      orderId: null,
      lines: [
        {
          description: `Refund: ${last.planName} (cancelled ${day.toString()})`,
          descriptionJa: `返金: ${last.planName}（${formatDateJa(day.toString())} 解約）`,
          quantity: 1,
          unitPrice: decision.refund.subtotal,
          amount: decision.refund.subtotal,
          taxRate: 10,
        },
      ],
      paymentMethod: last.paymentMethod,
      issuedOn: day,
      period: { start: contract.terms[0]!.start.toString(), end: last.end.toString() },
      creditNote: decision.refund,
    });
    refund = { creditNoteId: note.id, number: note.number, amount: { ...note.amount, currency: 'JPY' } };
  }
  const voided: CancellationView['voided'] = [];
  if (input.voidUnpaid) {
    const unpaid = (await listInvoices(trx, account.id)).filter((i) => i.kind === 'invoice' && i.contractId === contract.id && (i.status === 'open' || i.status === 'overdue') && i.settled === 0);
    for (const original of (await lockInvoices(trx, unpaid.map((i) => i.id))).filter((i) => i.settled === 0 && (i.status === 'open' || i.status === 'overdue'))) {
      const note = await voidInvoice(ctx, trx, actor, account, original);
      await audit(ctx, trx, actor, {
        accountId: account.id,
        action: 'invoice.voided',
        subjectType: 'invoice',
        subjectId: original.id,
        before: { status: original.status, total: original.amount.total },
        after: { status: 'void', reason: `contract cancelled: ${input.reason}`, creditNoteId: note.id },
      });
      voided.push({ invoiceId: original.id, number: original.number, creditNoteId: note.id, creditNoteNumber: note.number, total: original.amount.total });
    }
  }
  const cancellation = { reason: input.reason, by: actorName(actor), at: nowIso(ctx), refund, ...(voided.length ? { voided: voided.map((v) => v.invoiceId) } : {}) };
  await cancelContractRow(trx, account.id, contract.id, decision.cancelledFrom.toString(), cancellation);
  // Its term's end and the notices before it would do nothing now: set aside, not left listed as coming.
  const skipped = await skipEffectsOf(trx, account.id, ['term-end', 'renewal-offer-open', 'expiry-reminder', 'term-end-warning'], { contractId: contract.id }, nowIso(ctx));
  await audit(ctx, trx, actor, {
    accountId: account.id,
    action: 'contract.cancelled',
    subjectType: 'contract',
    subjectId: contract.id,
    before: { cancelledFrom: null, end: contract.terms.at(-1)!.end.toString() },
    after: { cancelledFrom: decision.cancelledFrom.toString(), ...cancellation, skippedEffects: skipped },
  });
  // S9: the seat limit drops with the cancellation.
  await deactivateExcess(ctx, trx, actor, account, decision.cancelledFrom);
  const product = ctx.catalog.products.find((p) => p.id === account.productId);
  await sendNotice(ctx, trx, {
    accountId: account.id,
    kind: 'contract-cancelled',
    params: {
      planName: contract.terms.at(-1)!.planName,
      cancelledFrom: decision.cancelledFrom.toString(),
      freePlanName: (product && freePlan(product)?.name) ?? null,
      refundTotal: refund?.amount.total ?? null,
      creditNoteNumber: refund?.number ?? null,
    },
    dedupeKey: `contract-cancelled:${contract.id}`,
  });
  return { contractId: contract.id, cancelledFrom: decision.cancelledFrom.toString(), reason: input.reason, refund, voided };
}
