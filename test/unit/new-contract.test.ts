import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { parseDate, type PaymentMethod, type PlainDate, type Term } from '../../src/domain/calendar.js';
import { parseCatalog } from '../../src/domain/catalog.js';
import { accountState, type Contract, type RenewalChoice } from '../../src/domain/contract.js';
import { decideOrder, type OrderFacts, type OrderRequest } from '../../src/domain/orders/decide-order.js';
import { decideNewContract } from '../../src/domain/orders/new-contract.js';
import type { NewContractChange, Quote } from '../../src/domain/orders/quote.js';
import { isRefusal, refusalMessage, REFUSALS, type Refusal, type RefusalCode } from '../../src/domain/refusals.js';
import type { Decision } from '../../src/domain/refusals.js';
import { renderNote } from '../../src/domain/notes.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = parseCatalog(JSON.parse(readFileSync(resolve(REPO_ROOT, 'catalog', 'sample.json'), 'utf8')));
const d = parseDate;

/** Wednesday: the next three business days are Thu 06-16, Fri 06-17, Mon 06-20. */
const TODAY = d('2022-06-15');

function facts(productId: string, contracts: Contract[] = [], today: PlainDate = TODAY): OrderFacts {
  const product = catalog.product(productId);
  if (!product) throw new Error(`sample catalog has no product ${productId}`);
  return {
    catalog,
    productId,
    contracts,
    today,
    stateOn: (date) => accountState({ product, contracts, date, activeMembers: 0, usage: {} }),
    accountOptions: {},
  };
}

interface Req {
  planId: string;
  term: Term;
  startDate?: string;
  quantity?: number;
  paymentMethod?: PaymentMethod;
  renewal?: RenewalChoice;
}

function request(r: Req, today: PlainDate = TODAY): OrderRequest {
  return {
    type: 'new-contract',
    accountId: 'acc-1',
    planId: r.planId,
    term: r.term,
    startDate: r.startDate ? d(r.startDate) : today,
    quantity: r.quantity,
    paymentMethod: r.paymentMethod ?? 'bank-transfer',
    renewal: r.renewal,
  };
}

function order(productId: string, r: Req, contracts: Contract[] = [], today: PlainDate = TODAY): Decision<Quote> {
  return decideOrder(facts(productId, contracts, today), request(r, today));
}

function refused(decision: Decision<Quote>): Refusal {
  if (!isRefusal(decision)) throw new Error(`expected a refusal, got a quote for ${decision.lines[0]?.description}`);
  return decision;
}

/** The contract a new-contract quote would record. */
function newContract(q: Quote): NewContractChange {
  if (q.change.kind !== 'new-contract') throw new Error(`expected a new-contract change, got ${q.change.kind}`);
  return q.change;
}

function quoted(decision: Decision<Quote>): Quote {
  if (isRefusal(decision)) throw new Error(`expected a quote, got refusal ${decision.code}`);
  return decision;
}

/** A contract recorded from a quote, as the shell would store it. */
function recorded(q: Quote, opts: { id?: string; cancelledFrom?: string } = {}): Contract {
  const id = opts.id ?? 'con-1';
  const change = newContract(q);
  return {
    id,
    accountId: q.accountId,
    productId: change.productId,
    grants: [],
    renewal: change.renewal,
    terms: [{ ...change.term, id: `${id}-t0`, contractId: id, seq: 0, orderId: `ord-${id}` }],
    cancelledFrom: opts.cancelledFrom ? d(opts.cancelledFrom) : null,
  };
}

function expectRefusal(decision: Decision<Quote>, code: RefusalCode, field: string): Refusal {
  const r = refused(decision);
  expect(r.code).toBe(code);
  expect(r.field).toBe(field);
  expect(refusalMessage(r, 'en')).not.toBe('');
  expect(refusalMessage(r, 'ja')).not.toBe('');
  return r;
}

describe('G4: a new-contract order that breaks a rule is refused with a stable code and field', () => {
  it('G4: unknown_plan (planId) lists the paid plans of the product', () => {
    const r = expectRefusal(order('premium', { planId: 'plan-99', term: 'P1Y' }), 'unknown_plan', 'planId');
    expect(r.params).toMatchObject({ product: 'premium', planId: 'plan-99', choices: 'plan-5, plan-10, plan-20, plan-30' });
  });

  it('§2: no_product_for_account (planId) when the plan belongs to another product', () => {
    const r = expectRefusal(order('teamspace', { planId: 'plan-10', term: 'P1Y' }), 'no_product_for_account', 'planId');
    expect(r.params).toMatchObject({ planId: 'plan-10', planProduct: 'premium', product: 'teamspace' });
  });

  it('§2: plan_is_free (planId): a free plan needs no contract', () => {
    expectRefusal(order('premium', { planId: 'premium-free', term: 'P1Y' }), 'plan_is_free', 'planId');
    expectRefusal(order('teamspace', { planId: 'teamspace-free', term: 'P12M' }), 'plan_is_free', 'planId');
  });

  it('§2: term_not_offered (term): Starter is sold for P12M only', () => {
    const r = expectRefusal(order('teamspace', { planId: 'starter', term: 'P1M' }), 'term_not_offered', 'term');
    expect(r.params).toMatchObject({ planName: 'Starter', term: 'P1M', choices: 'P12M' });
    expectRefusal(order('premium', { planId: 'plan-10', term: 'P12M' }), 'term_not_offered', 'term');
    expectRefusal(order('ebook5', { planId: 'business-5', term: 'P1Y' }), 'term_not_offered', 'term');
  });

  for (const quantity of [0, -100, 150, 100.5]) {
    it(`S1: invalid_quantity (quantity) for Starter quantity ${quantity}: whole licenses of 100 only`, () => {
      const r = expectRefusal(order('teamspace', { planId: 'starter', term: 'P12M', quantity }), 'invalid_quantity', 'quantity');
      expect(r.params).toMatchObject({ quantity, size: 100 });
    });
  }

  // A plan without licenses is bought once: quantity 2 would charge twice for the same 10 connections.
  it('§2: invalid_quantity (quantity) for Plan 10 quantity 2: a plan without licenses is bought once', () => {
    expectRefusal(order('premium', { planId: 'plan-10', term: 'P1Y', quantity: 2 }), 'invalid_quantity', 'quantity');
  });

  it('§2: Plan 10 with quantity 1 (or none) is accepted', () => {
    expect(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', quantity: 1 })).amount.subtotal).toBe(5000);
    expect(quoted(order('premium', { planId: 'plan-10', term: 'P1Y' })).amount.subtotal).toBe(5000);
  });

  it('B7: payment_method_not_allowed (paymentMethod): invoice for Business 10 on P3M, Business 5 on P12M, Starter', () => {
    const r = expectRefusal(order('ebook5', { planId: 'business-10', term: 'P3M', paymentMethod: 'invoice' }), 'payment_method_not_allowed', 'paymentMethod');
    expect(r.params).toMatchObject({ method: 'invoice', planName: 'Business 10', term: 'P3M', choices: 'bank-transfer, card, paypal' });
    expectRefusal(order('ebook5', { planId: 'business-5', term: 'P12M', paymentMethod: 'invoice' }), 'payment_method_not_allowed', 'paymentMethod');
    expectRefusal(order('teamspace', { planId: 'starter', term: 'P12M', paymentMethod: 'invoice' }), 'payment_method_not_allowed', 'paymentMethod');
  });

  it('B7: invoice payment is accepted for Business 10 on P12M', () => {
    expect(quoted(order('ebook5', { planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' })).paymentMethod).toBe('invoice');
  });

  it('P2: renewal_not_offered (renewal): premium has no auto-renewal', () => {
    const r = expectRefusal(order('premium', { planId: 'plan-10', term: 'P1Y', renewal: 'renew' }), 'renewal_not_offered', 'renewal');
    expect(r.params).toMatchObject({ product: 'premium', renewal: 'renew', choices: 'to-free' });
  });

  it('G4: start_date_in_past (startDate): the day before today is refused, today is accepted', () => {
    const r = expectRefusal(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-06-14' }), 'start_date_in_past', 'startDate');
    expect(r.params).toMatchObject({ startDate: '2022-06-14', today: '2022-06-15' });
    expect(isRefusal(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-06-15' }))).toBe(false);
  });

  it('G4: contract_exists (startDate) when the new period overlaps a contract', () => {
    const existing = recorded(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01' }, [], d('2022-01-01'))));
    const r = expectRefusal(order('premium', { planId: 'plan-20', term: 'P1Y' }, [existing]), 'contract_exists', 'startDate');
    expect(r.params).toMatchObject({ planName: 'Plan 10', start: '2022-01-01', end: '2022-12-31' });
    // Starting the day after the existing end overlaps nothing (premium does not auto-renew).
    const before = order('premium', { planId: 'plan-20', term: 'P1Y', startDate: '2023-01-01' }, [existing]);
    expect(isRefusal(before)).toBe(false);
  });

  it('P2: after expiry a new premium contract starts anew (the day after the end)', () => {
    const existing = recorded(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01' }, [], d('2022-01-01'))));
    const q = quoted(order('premium', { planId: 'plan-5', term: 'P1Y', startDate: '2023-01-01' }, [existing], d('2023-01-01')));
    expect(q.period.start.toString()).toBe('2023-01-01');
    expect(q.period.end.toString()).toBe('2023-12-31');
  });

  it('§2: a teamspace contract set to renew runs on, so a later new contract is refused', () => {
    const existing = recorded(quoted(order('teamspace', { planId: 'starter', term: 'P12M', startDate: '2022-01-01' }, [], d('2022-01-01'))));
    expect(existing.renewal).toBe('renew');
    expectRefusal(order('teamspace', { planId: 'starter', term: 'P12M', startDate: '2023-02-01' }, [existing]), 'contract_exists', 'startDate');
  });

  it('§2: a teamspace contract set to return to free does not block a contract after its end', () => {
    const existing = recorded(quoted(order('teamspace', { planId: 'starter', term: 'P12M', startDate: '2022-01-01', renewal: 'to-free' }, [], d('2022-01-01'))));
    expect(existing.renewal).toBe('to-free');
    expect(isRefusal(order('teamspace', { planId: 'starter', term: 'P12M', startDate: '2023-01-01' }, [existing]))).toBe(false);
    expectRefusal(order('teamspace', { planId: 'starter', term: 'P12M', startDate: '2022-12-31' }, [existing]), 'contract_exists', 'startDate');
  });

  it('G4: the first broken rule is reported, in order', () => {
    const existing = recorded(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01' }, [], d('2022-01-01'))));
    const steps: [Req, RefusalCode | null][] = [
      [{ planId: 'plan-99', term: 'P12M', quantity: 0, paymentMethod: 'invoice', renewal: 'renew', startDate: '2022-06-01' }, 'unknown_plan'],
      [{ planId: 'starter', term: 'P1M', quantity: 0, paymentMethod: 'invoice', renewal: 'renew', startDate: '2022-06-01' }, 'no_product_for_account'],
      [{ planId: 'premium-free', term: 'P12M', quantity: 0, paymentMethod: 'invoice', renewal: 'renew', startDate: '2022-06-01' }, 'plan_is_free'],
      [{ planId: 'plan-20', term: 'P12M', quantity: 0, paymentMethod: 'invoice', renewal: 'renew', startDate: '2022-06-01' }, 'term_not_offered'],
      [{ planId: 'plan-20', term: 'P1Y', quantity: 0, paymentMethod: 'invoice', renewal: 'renew', startDate: '2022-06-01' }, 'invalid_quantity'],
      [{ planId: 'plan-20', term: 'P1Y', quantity: 1, paymentMethod: 'invoice', renewal: 'renew', startDate: '2022-06-01' }, 'payment_method_not_allowed'],
      [{ planId: 'plan-20', term: 'P1Y', quantity: 1, paymentMethod: 'card', renewal: 'renew', startDate: '2022-06-01' }, 'renewal_not_offered'],
      [{ planId: 'plan-20', term: 'P1Y', quantity: 1, paymentMethod: 'card', renewal: 'to-free', startDate: '2022-06-01' }, 'start_date_in_past'],
      [{ planId: 'plan-20', term: 'P1Y', quantity: 1, paymentMethod: 'card', renewal: 'to-free', startDate: '2022-06-15' }, 'contract_exists'],
      [{ planId: 'plan-20', term: 'P1Y', quantity: 1, paymentMethod: 'card', renewal: 'to-free', startDate: '2023-01-01' }, null],
    ];
    for (const [req, code] of steps) {
      const decision = order('premium', req, [existing]);
      expect(isRefusal(decision) ? decision.code : null, JSON.stringify(req)).toBe(code);
    }
  });

  it('G4: upgrade orders are not available for ebook5 (its plan changes are B1-B11) (type)', () => {
    const r = refused(decideOrder(facts('ebook5'), { type: 'upgrade', accountId: 'acc-1', planId: 'business-10' }));
    expect(r.code).toBe('order_type_not_available');
  });
});

describe('G2: new-contract amounts (integer yen, tax once per rate, rounded down)', () => {
  it('S4/G2: Starter 100 for P12M is 60,000 + 6,000 yen', () => {
    const q = quoted(order('teamspace', { planId: 'starter', term: 'P12M', quantity: 100 }));
    expect(q.type).toBe('new-contract');
    expect(q.amount).toEqual({ subtotal: 60000, tax: 6000, total: 66000, currency: 'JPY' });
    expect(q.taxBreakdown).toEqual([{ rate: 10, taxable: 60000, tax: 6000 }]);
    expect(q.lines).toEqual([{ description: 'Starter 100 (12 months)', descriptionJa: 'Starter 100（12か月）', quantity: 1, unitPrice: 60000, amount: 60000, taxRate: 10 }]);
  });

  it('§2: Starter without a quantity is one license (Starter 100)', () => {
    const q = quoted(order('teamspace', { planId: 'starter', term: 'P12M' }));
    expect(q.lines[0]?.description).toBe('Starter 100 (12 months)');
    expect(q.amount.subtotal).toBe(60000);
  });

  it('§2: Starter 300 for P12M is 180,000 + 18,000 yen, 3 licenses of 60,000', () => {
    const q = quoted(order('teamspace', { planId: 'starter', term: 'P12M', quantity: 300 }));
    expect(q.amount).toEqual({ subtotal: 180000, tax: 18000, total: 198000, currency: 'JPY' });
    expect(q.lines).toEqual([{ description: 'Starter 300 (12 months)', descriptionJa: 'Starter 300（12か月）', quantity: 3, unitPrice: 60000, amount: 180000, taxRate: 10 }]);
    expect(newContract(q).term.licenses).toBe(3);
    expect(newContract(q).term.monthlyUnitPrice).toBe(5000);
    expect(newContract(q).term.termPrice).toBe(180000);
  });

  it('P1: Plan 30 for P1Y is 12,000 + 1,200 yen, "Plan 30 (1 year)"', () => {
    const q = quoted(order('premium', { planId: 'plan-30', term: 'P1Y' }));
    expect(q.amount).toEqual({ subtotal: 12000, tax: 1200, total: 13200, currency: 'JPY' });
    expect(q.lines).toEqual([{ description: 'Plan 30 (1 year)', descriptionJa: 'Plan 30（1年）', quantity: 1, unitPrice: 12000, amount: 12000, taxRate: 10 }]);
  });

  it('§2: Personal 1 for P6M is 9,000 + 900 yen, "Personal 1 (6 months)"', () => {
    const q = quoted(order('ebook5', { planId: 'personal-1', term: 'P6M' }));
    expect(q.amount).toEqual({ subtotal: 9000, tax: 900, total: 9900, currency: 'JPY' });
    expect(q.lines).toEqual([{ description: 'Personal 1 (6 months)', descriptionJa: 'Personal 1（6か月）', quantity: 1, unitPrice: 9000, amount: 9000, taxRate: 10 }]);
  });

  it('§2: Business 5 for P1M reads "(1 month)"', () => {
    const q = quoted(order('ebook5', { planId: 'business-5', term: 'P1M' }));
    expect(q.lines[0]?.description).toBe('Business 5 (1 month)');
    expect(q.amount.total).toBe(5500);
  });
});

describe('G1: the period of a new contract', () => {
  it('P1: Plan 10 bought on 2022-01-01 runs to 2022-12-31', () => {
    const q = quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01' }, [], d('2022-01-01')));
    expect(q.period.start.toString()).toBe('2022-01-01');
    expect(q.period.end.toString()).toBe('2022-12-31');
    expect(newContract(q).term.end.toString()).toBe('2022-12-31');
  });

  it('G1: 1 month from 01-31 ends 02-28; 1 year from 2024-02-29 ends 2025-02-28', () => {
    const m = quoted(order('ebook5', { planId: 'business-5', term: 'P1M', startDate: '2023-01-31' }, [], d('2023-01-31')));
    expect(m.period.end.toString()).toBe('2023-02-28');
    const y = quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2024-02-29' }, [], d('2024-02-29')));
    expect(y.period.end.toString()).toBe('2025-02-28');
  });

  it('G4: a contract that starts later warns that the account stays on its plan until then', () => {
    const q = quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-07-01' }));
    expect(q.warnings).toEqual([{ code: 'starts_later', params: { start: '2022-07-01', current: 'Free' } }]);
    expect(quoted(order('premium', { planId: 'plan-10', term: 'P1Y' })).warnings).toEqual([]);
  });

  it('§2: the renewal choice defaults to the product policy', () => {
    expect(newContract(quoted(order('teamspace', { planId: 'starter', term: 'P12M' }))).renewal).toBe('renew');
    expect(newContract(quoted(order('premium', { planId: 'plan-10', term: 'P1Y' }))).renewal).toBe('to-free');
    expect(newContract(quoted(order('ebook5', { planId: 'personal-1', term: 'P1M' }))).renewal).toBe('renew');
    expect(newContract(quoted(order('teamspace', { planId: 'starter', term: 'P12M', renewal: 'to-free' }))).renewal).toBe('to-free');
  });
});

describe('B8: payment due date from the completion date (today 2022-06-15, a Wednesday)', () => {
  it('B8: bank transfer is due at the end of the same month', () => {
    expect(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', paymentMethod: 'bank-transfer' })).dueOn.toString()).toBe('2022-06-30');
  });

  it('B8: card and PayPal are due 3 business days later', () => {
    expect(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', paymentMethod: 'card' })).dueOn.toString()).toBe('2022-06-20');
    expect(quoted(order('premium', { planId: 'plan-10', term: 'P1Y', paymentMethod: 'paypal' })).dueOn.toString()).toBe('2022-06-20');
  });

  it('B8: invoice payment is due at the end of the next month', () => {
    expect(quoted(order('ebook5', { planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' })).dueOn.toString()).toBe('2022-07-31');
  });

  it('B8: the due date counts from today, not from a later start date', () => {
    const q = quoted(order('premium', { planId: 'plan-10', term: 'P1Y', startDate: '2022-09-01', paymentMethod: 'bank-transfer' }));
    expect(q.dueOn.toString()).toBe('2022-06-30');
  });

  it('B8: card over the year-end closure (12-29 〜 01-03) skips to January', () => {
    const q = quoted(order('premium', { planId: 'plan-10', term: 'P1Y', paymentMethod: 'card' }, [], d('2026-12-25')));
    expect(q.dueOn.toString()).toBe('2027-01-05');
  });
});

describe('B6: effects of a new contract', () => {
  it('B6: teamspace Free → Starter 200 changes the plan and the seat limit 10 → 200', () => {
    const q = quoted(order('teamspace', { planId: 'starter', term: 'P12M', quantity: 200 }));
    expect(q.effects).toEqual([
      { code: 'plan_changed', params: { from: 'Free', to: 'Starter' } },
      { code: 'limit_changed', params: { limit: 'seats', from: 10, to: 200 } },
    ]);
  });

  it('B6: Business 10 from no plan gains books, storage and the heatmap feature', () => {
    const q = quoted(order('ebook5', { planId: 'business-10', term: 'P1M' }));
    expect(q.effects).toEqual(
      expect.arrayContaining([
        { code: 'plan_changed', params: { to: 'Business 10' } },
        { code: 'limit_changed', params: { limit: 'books', from: 0, to: 10 } },
        { code: 'limit_changed', params: { limit: 'storageMb', from: 0, to: 1000 } },
        { code: 'feature_gained', params: { feature: 'heatmap' } },
      ]),
    );
    expect(q.effects).toHaveLength(4);
    // No plan before: said so, not "-".
    expect(renderNote(q.effects[0]!, 'en').message).toBe('Plan: none → Business 10');
    expect(renderNote(q.effects[0]!, 'ja').message).toBe('プラン: なし → Business 10');
  });

  it('B6: Personal 1 from no plan gains no feature', () => {
    const q = quoted(order('ebook5', { planId: 'personal-1', term: 'P1M' }));
    expect(q.effects.map((e) => e.code)).toEqual(['plan_changed', 'limit_changed', 'limit_changed']);
  });

  it('B6: premium Free → Plan 10 changes connections 3 → 10', () => {
    const q = quoted(order('premium', { planId: 'plan-10', term: 'P1Y' }));
    expect(q.effects).toContainEqual({ code: 'limit_changed', params: { limit: 'connections', from: 3, to: 10 } });
  });

  it('§2: decideNewContract keeps the plan as sold (limits, features, prices) in the change', () => {
    const product = catalog.product('ebook5')!;
    const q = quoted(
      decideNewContract({
        catalog,
        productId: 'ebook5',
        contracts: [],
        stateAtStart: accountState({ product, contracts: [], date: TODAY, activeMembers: 0, usage: {} }),
        today: TODAY,
        request: { accountId: 'acc-9', planId: 'business-30', term: 'P12M', startDate: TODAY, paymentMethod: 'invoice' },
      }),
    );
    expect(q.accountId).toBe('acc-9');
    expect(q.change).toMatchObject({
      kind: 'new-contract',
      productId: 'ebook5',
      renewal: 'renew',
      term: { planId: 'business-30', planName: 'Business 30', rank: 4, limits: { books: 30, storageMb: 3000 }, features: ['heatmap'], license: null, licenses: 1, monthlyUnitPrice: 20000, termPrice: 240000, term: 'P12M', paymentMethod: 'invoice' },
    });
    expect(q.amount).toEqual({ subtotal: 240000, tax: 24000, total: 264000, currency: 'JPY' });
  });
});

describe('G4: refusal messages a customer can act on', () => {
  it('G4: payment_method_not_allowed names the method and the choices in ja and en', () => {
    const r = refused(order('ebook5', { planId: 'business-10', term: 'P3M', paymentMethod: 'invoice' }));
    const en = refusalMessage(r, 'en');
    const ja = refusalMessage(r, 'ja');
    expect(en).toContain('invoice');
    expect(en).toContain('Business 10');
    expect(en).toContain('P3M');
    expect(en).toContain('bank-transfer, card, paypal');
    expect(en).toContain('Choose one of');
    // Japanese names the term and the methods as the screens do.
    expect(ja).toBe('Business 10（3か月）では支払方法「請求書払い」は選べません。次から選んでください: 銀行振込、クレジットカード、PayPal');
  });

  it('G4: unknown_plan lists the plans to choose from in ja and en', () => {
    const r = refused(order('premium', { planId: 'plan-99', term: 'P1Y' }));
    expect(refusalMessage(r, 'en')).toContain('plan-5, plan-10, plan-20, plan-30');
    expect(refusalMessage(r, 'ja')).toContain('plan-5, plan-10, plan-20, plan-30');
    expect(refusalMessage(r, 'ja')).toContain('plan-99');
  });

  for (const code of Object.keys(REFUSALS) as RefusalCode[]) {
    it(`G4: ${code} has non-empty ja and en messages even without params`, () => {
      const r: Refusal = { refused: true, code, params: {} };
      expect(refusalMessage(r, 'ja').trim().length).toBeGreaterThan(0);
      expect(refusalMessage(r, 'en').trim().length).toBeGreaterThan(0);
      expect(refusalMessage(r, 'ja')).not.toBe(refusalMessage(r, 'en'));
    });
  }
});
