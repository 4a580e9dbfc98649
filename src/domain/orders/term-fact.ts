/** The term fact of a plan as sold: name, limits, features and prices copied from the catalog (SPEC §2). */
import type { PaymentMethod, PlainDate, Term } from '../calendar.js';
import type { Plan } from '../catalog.js';
import { monthlyPrice, termPrice } from '../catalog.js';
import type { ContractTerm } from '../contract.js';

export type TermFact = Omit<ContractTerm, 'id' | 'contractId' | 'seq' | 'orderId'>;

export function termFact(plan: Plan, t: { term: Term; licenses: number; start: PlainDate; end: PlainDate; paymentMethod: PaymentMethod }): TermFact {
  return {
    planId: plan.id,
    planName: plan.name,
    rank: plan.rank,
    limits: { ...plan.limits },
    features: [...plan.features],
    license: plan.license ? { ...plan.license } : null,
    licenses: t.licenses,
    monthlyUnitPrice: monthlyPrice(plan),
    termPrice: termPrice(plan, t.term) * t.licenses,
    term: t.term,
    start: t.start,
    end: t.end,
    paymentMethod: t.paymentMethod,
  };
}
