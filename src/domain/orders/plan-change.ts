/**
 * Plan changes [BOOK] (SPEC B1–B10): plan, term and payment method in one order. The new limits
 * apply when the order completes (B2); the new term is billed from the 1st of next month (B3);
 * nothing of the old term is refunded or billed again.
 */
import { jaPeriod } from '../line-text.js';
import type { PaymentMethod, PlainDate, Term } from '../calendar.js';
import { firstOfNextMonth, periodEnd, termMonths } from '../calendar.js';
import { dueDateOf } from './due-dates.js';
import type { Catalog, LimitKey } from '../catalog.js';
import { allowedPaymentMethods, orderTypesOffered, termPrice } from '../catalog.js';
import type { AccountState, Contract } from '../contract.js';
import { productOf, termLimits, termOn, upcomingStart } from '../contract.js';
import { STANDARD_RATE, computeTax, money } from '../money.js';
import type { Note } from '../notes.js';
import { note } from '../notes.js';
import type { Decision } from '../refusals.js';
import { refuse } from '../refusals.js';
import { limitEffects } from './limit-effects.js';
import type { Quote, QuoteLine } from './quote.js';
import { termFact } from './term-fact.js';
import { termLine } from '../term-line.js';

export interface PlanChangeInput {
  catalog: Catalog;
  productId: string;
  contracts: readonly Contract[];
  today: PlainDate;
  stateToday: AccountState;
  accountOptions: Record<string, string>;
  request: { accountId: string; planId?: string | undefined; term?: Term | undefined; paymentMethod?: PaymentMethod | undefined };
}

/** Limits whose usage blocks a downgrade (B4); others only block growth (B5). */
const BLOCKING: readonly LimitKey[] = ['books'];

/**
 * @example business-5 → business-10 P12M by invoice on 2026-04-10: billed 2026-05-01 – 2027-04-30,
 * a quotation first (B9), invoice due 2026-05-31 when completed in April (B8)
 */
export function decidePlanChange(input: PlanChangeInput): Decision<Quote> {
  const { request: req, today } = input;
  const product = productOf(input.catalog, input.productId);
  if (product.renewal.mode !== 'renew-same-term') return refuse('order_type_not_available', { type: 'plan-change', product: product.id, choices: orderTypesOffered(product).join(', ') }, 'type');
  const current = termOn(input.contracts, today);
  if (!current) return refuse('not_on_paid_plan', { today: today.toString(), starts: upcomingStart(input.contracts, today)?.toString() });
  const planId = req.planId ?? current.term.planId;
  const found = input.catalog.plan(planId);
  if (found && found.product.id !== product.id) return refuse('no_product_for_account', { planId, planProduct: found.product.id, product: product.id }, 'planId');
  if (!found || found.plan.free) return refuse('unknown_plan', { product: product.id, planId, choices: product.plans.filter((p) => !p.free).map((p) => p.id).join(', ') }, 'planId');
  const plan = found.plan;
  const term = req.term ?? current.term.term;
  if (!(plan.terms ?? []).includes(term)) return refuse('term_not_offered', { planName: plan.name, term, choices: (plan.terms ?? []).join(', ') }, 'term');
  const method = req.paymentMethod ?? current.term.paymentMethod;
  const methods = allowedPaymentMethods(plan, term);
  // B7: a change to a plan or term that does not allow the method must choose another.
  if (!methods.includes(method)) return refuse('payment_method_not_allowed', { method, planName: plan.name, term, choices: methods.join(', ') }, 'paymentMethod');
  if (plan.id === current.term.planId && term === current.term.term && method === current.term.paymentMethod) {
    return refuse('nothing_to_change', { planName: plan.name, term, method });
  }
  const usage = input.stateToday.usage;
  for (const limit of BLOCKING) {
    const cap = plan.limits[limit];
    const used = usage[limit] ?? 0;
    if (cap !== undefined && used > cap) {
      return refuse('usage_over_new_limit', { planName: plan.name, resource: limit, limit: cap, usage: used, remove: used - cap }, 'planId');
    }
  }
  const billedFrom = firstOfNextMonth(today);
  const end = periodEnd(billedFrom, termMonths(term));
  const fact = { ...termFact(plan, { term, licenses: 1, start: today, end, paymentMethod: method }), periodStart: billedFrom };
  const line: QuoteLine = termLine({ planName: plan.name, license: null, licenses: 1, term, unitPrice: termPrice(plan, term), yearly: false });
  const tax = computeTax([{ amount: line.amount, rate: STANDARD_RATE }]);
  const after = { limits: termLimits({ ...fact, id: '', contractId: '', seq: 0, orderId: '' }), features: plan.features };
  const effects: Note[] = [note('plan_changed', { from: current.term.planName, to: plan.name }), ...limitEffects(input.stateToday, after)];
  const warnings: Note[] = [note('change_takes_effect', { billedFrom: billedFrom.toString(), end: end.toString() })];
  const storage = usage.storageMb ?? 0;
  if (plan.limits.storageMb !== undefined && storage > plan.limits.storageMb) {
    warnings.push(note('storage_over_limit', { usage: storage, limit: plan.limits.storageMb, planName: plan.name })); // B5
  }
  // B10: heatmap gained or lost while publishing to the customer's own server.
  const heatmapBefore = input.stateToday.features.includes('heatmap');
  const heatmapAfter = plan.features.includes('heatmap');
  if (heatmapBefore !== heatmapAfter && input.accountOptions.externalPublishing === 'developer') {
    warnings.push(note('reupload_required', { change: heatmapAfter ? 'gained' : 'lost' }));
  }
  return {
    type: 'plan-change',
    accountId: req.accountId,
    paymentMethod: method,
    lines: [
      {
        ...line,
        description: `${line.description.replace(/\)$/, '')}, ${billedFrom.toString()} – ${end.toString()})`,
        descriptionJa: `${(line.descriptionJa ?? line.description).replace(/）$/, '')}、${jaPeriod(billedFrom.toString(), end.toString())}）`,
      },
    ],
    amount: money(tax.subtotal, tax.tax),
    taxBreakdown: tax.breakdown,
    period: { start: billedFrom, end },
    effects,
    warnings,
    dueOn: dueDateOf(today, method),
    // B9: invoice payment gets a quotation first; the others a billing statement.
    acceptance: method === 'invoice' ? 'quotation' : 'statement',
    change: { kind: 'successor-term', contractId: current.contract.id, term: fact },
  };
}
