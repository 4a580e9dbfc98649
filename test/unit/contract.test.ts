import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Temporal } from 'temporal-polyfill';
import { describe, it, expect } from 'vitest';
import { parseDate, type PaymentMethod, type Term } from '../../src/domain/calendar.js';
import { parseCatalog, type Product } from '../../src/domain/catalog.js';
import {
  accountState,
  contractEnd,
  renewalWindowOpens,
  termLimits,
  termOn,
  type Contract,
  type ContractTerm,
  type RenewalChoice,
} from '../../src/domain/contract.js';
import { decideNewContract } from '../../src/domain/orders/new-contract.js';
import { isRefusal } from '../../src/domain/refusals.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = parseCatalog(JSON.parse(readFileSync(resolve(REPO_ROOT, 'catalog', 'sample.json'), 'utf8')));
const d = parseDate;

function product(id: string): Product {
  const p = catalog.product(id);
  if (!p) throw new Error(`sample catalog has no product ${id}`);
  return p;
}

/** A contract term as the new-contract rules sell it (bought on its start date). */
function soldTerm(productId: string, planId: string, term: Term, start: string, opts: { quantity?: number; seq?: number; contractId?: string; paymentMethod?: PaymentMethod } = {}): ContractTerm {
  const startDate = d(start);
  const decision = decideNewContract({
    catalog,
    productId,
    contracts: [],
    stateAtStart: accountState({ product: product(productId), contracts: [], date: startDate, activeMembers: 0, usage: {} }),
    today: startDate,
    request: { accountId: 'acc-1', planId, term, startDate, quantity: opts.quantity, paymentMethod: opts.paymentMethod ?? 'bank-transfer' },
  });
  if (isRefusal(decision)) throw new Error(`fixture refused: ${decision.code}`);
  const seq = opts.seq ?? 0;
  const contractId = opts.contractId ?? 'con-1';
  if (decision.change.kind !== 'new-contract') throw new Error('expected a new contract');
  return { ...decision.change.term, id: `${contractId}-t${seq}`, contractId, seq, orderId: `ord-${seq}` };
}

function contract(productId: string, terms: ContractTerm[], opts: { renewal?: RenewalChoice; cancelledFrom?: string } = {}): Contract {
  return {
    id: terms[0]?.contractId ?? 'con-1',
    accountId: 'acc-1',
    productId,
    grants: [],
    renewal: opts.renewal ?? 'to-free',
    terms,
    cancelledFrom: opts.cancelledFrom ? d(opts.cancelledFrom) : null,
  };
}

function stateOn(productId: string, contracts: Contract[], date: string, activeMembers = 0) {
  return accountState({ product: product(productId), contracts, date: d(date), activeMembers, usage: {} });
}

const plan10 = contract('premium', [soldTerm('premium', 'plan-10', 'P1Y', '2022-01-01')]);

describe('P1: a paid plan is valid for 1 year', () => {
  it('P1: Plan 10 bought on 2022-01-01 runs 2022-01-01 〜 2022-12-31', () => {
    const term = plan10.terms[0]!;
    expect(term.start.toString()).toBe('2022-01-01');
    expect(term.end.toString()).toBe('2022-12-31');
  });

  for (const date of ['2022-01-01', '2022-06-30', '2022-12-31']) {
    it(`P1: on ${date} the account is on Plan 10 with 10 connections`, () => {
      const state = stateOn('premium', [plan10], date);
      expect(state.date.toString()).toBe(date);
      expect(state.plan).toEqual({ id: 'plan-10', name: 'Plan 10', rank: 2 });
      expect(state.limits).toEqual({ connections: 10 });
      expect(state.seats).toBeNull();
      expect(state.contract).toMatchObject({ id: 'con-1', termId: 'con-1-t0', term: 'P1Y', renewal: 'to-free', paymentMethod: 'bank-transfer' });
      expect(state.contract?.start.toString()).toBe('2022-01-01');
      expect(state.contract?.end.toString()).toBe('2022-12-31');
    });
  }

  it('P2: on 2023-01-01, after the end, the account is on the free plan with 3 connections and no contract', () => {
    const state = stateOn('premium', [plan10], '2023-01-01');
    expect(state.plan).toEqual({ id: 'premium-free', name: 'Free', rank: 0 });
    expect(state.limits).toEqual({ connections: 3 });
    expect(state.features).toEqual([]);
    expect(state.contract).toBeNull();
    expect(state.renewalWindow).toBeNull();
  });

  it('P2: on 2021-12-31, before the start, the account is on the free plan', () => {
    const state = stateOn('premium', [plan10], '2021-12-31');
    expect(state.plan?.id).toBe('premium-free');
    expect(state.limits).toEqual({ connections: 3 });
    expect(state.contract).toBeNull();
  });

  it('P2: termOn finds no term outside the period', () => {
    expect(termOn([plan10], d('2022-12-31'))?.term.planId).toBe('plan-10');
    expect(termOn([plan10], d('2023-01-01'))).toBeUndefined();
    expect(termOn([plan10], d('2021-12-31'))).toBeUndefined();
  });

  it('§2: usage is passed through as given', () => {
    const state = accountState({ product: product('premium'), contracts: [plan10], date: d('2022-03-01'), activeMembers: 0, usage: { connections: 7 } });
    expect(state.usage).toEqual({ connections: 7 });
  });
});

describe('P3: the upgrade renewal window', () => {
  it('P3: renewalWindowOpens(2022-12-31, 2) is 2022-11-01', () => {
    expect(renewalWindowOpens(d('2022-12-31'), 2).toString()).toBe('2022-11-01');
  });

  it('P3: an end of 2023-04-30 opens the window on 2023-03-01 (endExclusive 05-01 − 2 months)', () => {
    expect(renewalWindowOpens(d('2023-04-30'), 2).toString()).toBe('2023-03-01');
  });

  it('P3: a leap-day purchase (2024-02-29, end 2025-02-28) opens the window on endExclusive − 2 months', () => {
    const term = soldTerm('premium', 'plan-10', 'P1Y', '2024-02-29');
    expect(term.end.toString()).toBe('2025-02-28');
    const expected = term.end.add({ days: 1 }).subtract({ months: 2 });
    expect(expected.toString()).toBe('2025-01-01');
    expect(renewalWindowOpens(term.end, 2).toString()).toBe('2025-01-01');
    expect(Temporal.PlainDate.compare(renewalWindowOpens(term.end, 2), expected)).toBe(0);
  });

  it('P3: on 2022-10-31 the window is not yet open and offers no plan', () => {
    const state = stateOn('premium', [plan10], '2022-10-31');
    expect(state.renewalWindow).not.toBeNull();
    expect(state.renewalWindow?.opens.toString()).toBe('2022-11-01');
    expect(state.renewalWindow?.open).toBe(false);
    expect(state.renewalWindow?.eligiblePlans).toEqual([]);
  });

  it('P3: on 2022-11-01 the window opens with equal or higher plans only (never free or lower)', () => {
    const state = stateOn('premium', [plan10], '2022-11-01');
    expect(state.renewalWindow?.opens.toString()).toBe('2022-11-01');
    expect(state.renewalWindow?.open).toBe(true);
    expect(state.renewalWindow?.eligiblePlans).toEqual(['plan-10', 'plan-20', 'plan-30']);
  });

  it('P3: on 2022-12-31, the last day, the window is still open', () => {
    const state = stateOn('premium', [plan10], '2022-12-31');
    expect(state.renewalWindow?.open).toBe(true);
    expect(state.renewalWindow?.eligiblePlans).toEqual(['plan-10', 'plan-20', 'plan-30']);
  });

  it('P3: Plan 30, the highest plan, can only renew into itself', () => {
    const plan30 = contract('premium', [soldTerm('premium', 'plan-30', 'P1Y', '2022-01-01')]);
    expect(stateOn('premium', [plan30], '2022-12-01').renewalWindow?.eligiblePlans).toEqual(['plan-30']);
  });

  it('P3: products without an upgrade window have no renewal window', () => {
    const starter = contract('teamspace', [soldTerm('teamspace', 'starter', 'P12M', '2022-01-01')], { renewal: 'renew' });
    expect(stateOn('teamspace', [starter], '2022-12-01').renewalWindow).toBeNull();
  });
});

describe('S8: seats on a date', () => {
  it('S8: Starter with 2 licenses has 200 seats; active members are passed through', () => {
    const starter = contract('teamspace', [soldTerm('teamspace', 'starter', 'P12M', '2022-01-01', { quantity: 200 })], { renewal: 'renew' });
    expect(starter.terms[0]?.licenses).toBe(2);
    const state = stateOn('teamspace', [starter], '2022-06-01', 42);
    expect(state.plan?.id).toBe('starter');
    expect(state.seats).toEqual({ base: 200, additions: 0, spot: 0, limit: 200, active: 42 });
    expect(state.limits).toEqual({ seats: 200 });
    expect(state.contract?.renewal).toBe('renew');
  });

  it('§2: a teamspace account without a contract is on the free plan with 10 seats', () => {
    const state = stateOn('teamspace', [], '2022-06-01', 3);
    expect(state.plan?.id).toBe('teamspace-free');
    expect(state.seats).toEqual({ base: 10, additions: 0, spot: 0, limit: 10, active: 3 });
    expect(state.contract).toBeNull();
  });

  it('§2: an ebook5 account without a contract has no plan, no limits and no seats', () => {
    const state = stateOn('ebook5', [], '2022-06-01');
    expect(state.plan).toBeNull();
    expect(state.limits).toEqual({});
    expect(state.features).toEqual([]);
    expect(state.seats).toBeNull();
    expect(state.contract).toBeNull();
    expect(state.renewalWindow).toBeNull();
  });

  it('§2: an ebook5 Business 10 contract gives books, storage and heatmap', () => {
    const b10 = contract('ebook5', [soldTerm('ebook5', 'business-10', 'P12M', '2022-01-01')], { renewal: 'renew' });
    const state = stateOn('ebook5', [b10], '2022-06-01');
    expect(state.limits).toEqual({ books: 10, storageMb: 1000 });
    expect(state.features).toEqual(['heatmap']);
    expect(state.seats).toBeNull();
  });
});

describe('P5: a cancelled contract', () => {
  const cancelled = contract('premium', [soldTerm('premium', 'plan-10', 'P1Y', '2022-01-01')], { cancelledFrom: '2022-06-01' });

  it('P5: the plan applies on 2022-05-31, the day before the cancellation', () => {
    const state = stateOn('premium', [cancelled], '2022-05-31');
    expect(state.plan?.id).toBe('plan-10');
    expect(state.limits).toEqual({ connections: 10 });
  });

  it('P5: from 2022-06-01 the account is on the free plan', () => {
    const state = stateOn('premium', [cancelled], '2022-06-01');
    expect(state.plan?.id).toBe('premium-free');
    expect(state.contract).toBeNull();
    expect(state.renewalWindow).toBeNull();
  });

  it('P5: contractEnd is the day before cancelledFrom', () => {
    expect(contractEnd(cancelled)?.toString()).toBe('2022-05-31');
  });

  it('P1: contractEnd of an uncancelled contract is its last term end', () => {
    expect(contractEnd(plan10)?.toString()).toBe('2022-12-31');
  });

  it('§2: contractEnd ignores a cancellation after the last term end', () => {
    const late = contract('premium', [soldTerm('premium', 'plan-10', 'P1Y', '2022-01-01')], { cancelledFrom: '2023-03-01' });
    expect(contractEnd(late)?.toString()).toBe('2022-12-31');
  });

  it('§2: contractEnd of a contract without terms is undefined', () => {
    expect(contractEnd(contract('premium', []))).toBeUndefined();
  });
});

describe('§2: termLimits', () => {
  it('§2: multiplies the license limit only (Starter 300 = 300 seats)', () => {
    const term: ContractTerm = {
      ...soldTerm('teamspace', 'starter', 'P12M', '2022-01-01', { quantity: 300 }),
      limits: { seats: 100, storageMb: 2048 },
    };
    expect(term.licenses).toBe(3);
    expect(termLimits(term)).toEqual({ seats: 300, storageMb: 2048 });
  });

  it('§2: leaves the limits of a plan without licenses as sold', () => {
    const term = soldTerm('ebook5', 'business-5', 'P3M', '2022-01-01');
    expect(termLimits(term)).toEqual({ books: 5, storageMb: 500 });
  });

  it('§2: does not mutate the term', () => {
    const term = soldTerm('teamspace', 'starter', 'P12M', '2022-01-01', { quantity: 200 });
    termLimits(term);
    expect(term.limits).toEqual({ seats: 100 });
  });
});

describe('G1: renewal terms', () => {
  const first = soldTerm('teamspace', 'starter', 'P12M', '2022-01-01', { seq: 0 });
  const second: ContractTerm = { ...first, id: 'con-1-t1', seq: 1, orderId: 'ord-1', start: d('2023-01-01'), end: d('2023-12-31') };
  const renewed = contract('teamspace', [first, second], { renewal: 'renew' });

  it('G1: a date in the second term answers the second term and its period', () => {
    const state = stateOn('teamspace', [renewed], '2023-06-15', 5);
    expect(state.plan?.id).toBe('starter');
    expect(state.contract?.termId).toBe('con-1-t1');
    expect(state.contract?.start.toString()).toBe('2023-01-01');
    expect(state.contract?.end.toString()).toBe('2023-12-31');
  });

  it('G1: a date in the first term answers the first term', () => {
    const state = stateOn('teamspace', [renewed], '2022-12-31');
    expect(state.contract?.termId).toBe('con-1-t0');
    expect(state.contract?.end.toString()).toBe('2022-12-31');
  });

  it('G1: contractEnd is the end of the last term', () => {
    expect(contractEnd(renewed)?.toString()).toBe('2023-12-31');
  });

  it('G1: after the last term, a contract set to renew is in the term it renews into (before the scheduler writes it); set to return to the free plan, the free plan', () => {
    const ahead = stateOn('teamspace', [renewed], '2024-01-01');
    expect(ahead.plan?.id).toBe('starter');
    expect([ahead.contract?.start.toString(), ahead.contract?.end.toString()]).toEqual(['2024-01-01', '2024-12-31']);
    expect(stateOn('teamspace', [renewed], '2031-07-01').contract?.start.toString()).toBe('2031-01-01');
    const ending = contract('teamspace', [first, second], { renewal: 'to-free' });
    expect(stateOn('teamspace', [ending], '2024-01-01').plan?.id).toBe('teamspace-free');
  });
});
