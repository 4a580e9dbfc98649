import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/domain/calendar.js';
import type { Limits } from '../../src/domain/catalog.js';
import { parseCatalog } from '../../src/domain/catalog.js';
import type { AccountState, SeatSummary } from '../../src/domain/contract.js';
import { accountState } from '../../src/domain/contract.js';
import type { EntitlementAnswer, EntitlementQuery } from '../../src/domain/entitlements.js';
import { checkEntitlement } from '../../src/domain/entitlements.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = parseCatalog(JSON.parse(readFileSync(resolve(REPO_ROOT, 'catalog', 'sample.json'), 'utf8')));
const TODAY = parseDate('2026-04-01');

/** An account state on a plan with these limits and features (only the fields a check reads matter). */
function state(opts: { limits?: Limits; features?: string[]; usage?: Record<string, number>; seats?: SeatSummary | null; plan?: string | null } = {}): AccountState {
  const plan = opts.plan === undefined ? 'business-5' : opts.plan;
  return {
    date: TODAY,
    plan: plan ? { id: plan, name: plan, rank: 2 } : null,
    contract: null,
    limits: opts.limits ?? {},
    features: opts.features ?? [],
    seats: opts.seats ?? null,
    spots: [],
    usage: opts.usage ?? {},
    renewalWindow: null,
  };
}

const business5 = (usage: Record<string, number>) => state({ limits: { books: 5, storageMb: 500 }, usage });
const business10 = (usage: Record<string, number>) => state({ plan: 'business-10', limits: { books: 10, storageMb: 1000 }, features: ['heatmap'], usage });
// B5: a Business 30 account moved to Personal 1 with 620 MB stored (Personal 1 allows 50 MB).
const downgraded = state({ plan: 'personal-1', limits: { books: 1, storageMb: 50 }, usage: { books: 1, storageMb: 620 } });

type Case = [title: string, s: AccountState, q: EntitlementQuery, expected: EntitlementAnswer];

describe('B4: growth within the plan limit', () => {
  const cases: Case[] = [
    ['B4: under the limit, one more book is allowed', business5({ books: 3 }), { resource: 'books', increment: 1 }, { allowed: true, limit: 5, usage: 3 }],
    ['B4: reaching the limit exactly is allowed (usage + increment = limit)', business5({ books: 4 }), { resource: 'books', increment: 1 }, { allowed: true, limit: 5, usage: 4 }],
    ['B4: growing by several up to the limit is allowed', business5({ books: 2 }), { resource: 'books', increment: 3 }, { allowed: true, limit: 5, usage: 2 }],
    ['B4: at the limit, one more book is limit_reached', business5({ books: 5 }), { resource: 'books', increment: 1 }, { allowed: false, code: 'limit_reached', limit: 5, usage: 5 }],
    ['B4: under the limit, growing past it is limit_reached', business5({ books: 3 }), { resource: 'books', increment: 3 }, { allowed: false, code: 'limit_reached', limit: 5, usage: 3 }],
    ['B4: a resource never reported counts as 0', business5({}), { resource: 'books', increment: 5 }, { allowed: true, limit: 5, usage: 0 }],
    ['B4: a resource never reported past the limit in one step is limit_reached', business5({}), { resource: 'books', increment: 6 }, { allowed: false, code: 'limit_reached', limit: 5, usage: 0 }],
    ['B4: storage within the limit is allowed', business5({ storageMb: 120 }), { resource: 'storageMb', increment: 100 }, { allowed: true, limit: 500, usage: 120 }],
    ['B4: storage past the limit is limit_reached', business5({ storageMb: 450 }), { resource: 'storageMb', increment: 51 }, { allowed: false, code: 'limit_reached', limit: 500, usage: 450 }],
    ['B4: a larger plan lets the same usage grow (B2: the plan in force decides)', business10({ books: 5 }), { resource: 'books', increment: 1 }, { allowed: true, limit: 10, usage: 5 }],
    ['B4: removing a book at the limit is allowed', business5({ books: 5 }), { resource: 'books', increment: -1 }, { allowed: true, limit: 5, usage: 5 }],
    ['B4: an increment of 0 is allowed at the limit', business5({ books: 5 }), { resource: 'books', increment: 0 }, { allowed: true, limit: 5, usage: 5 }],
  ];
  it.each(cases)('%s', (_title, s, q, expected) => expect(checkEntitlement(s, q)).toEqual(expected));
});

describe('B5: storage over the limit after a downgrade', () => {
  const cases: Case[] = [
    ['B5: over the limit, adding storage is over_limit', downgraded, { resource: 'storageMb', increment: 1 }, { allowed: false, code: 'over_limit', limit: 50, usage: 620 }],
    ['B5: over the limit, even a large addition is over_limit, not limit_reached', downgraded, { resource: 'storageMb', increment: 1000 }, { allowed: false, code: 'over_limit', limit: 50, usage: 620 }],
    ['B5: over the limit, removing content is allowed', downgraded, { resource: 'storageMb', increment: -100 }, { allowed: true, limit: 50, usage: 620 }],
    ['B5: back at the limit after removals, growth is limit_reached again', state({ limits: { storageMb: 50 }, usage: { storageMb: 50 } }), { resource: 'storageMb', increment: 1 }, { allowed: false, code: 'limit_reached', limit: 50, usage: 50 }],
    ['B5: back under the limit, additions that fit are allowed again', state({ limits: { storageMb: 50 }, usage: { storageMb: 40 } }), { resource: 'storageMb', increment: 10 }, { allowed: true, limit: 50, usage: 40 }],
    ['B5: books over the limit refuse growth the same way', state({ limits: { books: 1 }, usage: { books: 3 } }), { resource: 'books', increment: 1 }, { allowed: false, code: 'over_limit', limit: 1, usage: 3 }],
  ];
  it.each(cases)('%s', (_title, s, q, expected) => expect(checkEntitlement(s, q)).toEqual(expected));
});

describe('B2: features of the plan in force', () => {
  const cases: Case[] = [
    ['B2: heatmap on Business 10 is allowed', business10({}), { feature: 'heatmap' }, { allowed: true }],
    ['B2: heatmap on Business 5 is feature_not_included', business5({}), { feature: 'heatmap' }, { allowed: false, code: 'feature_not_included' }],
    ['B2: an unknown feature is feature_not_included', business10({}), { feature: 'teleport' }, { allowed: false, code: 'feature_not_included' }],
    ['B2: no plan at all has no feature', state({ plan: null }), { feature: 'heatmap' }, { allowed: false, code: 'feature_not_included' }],
  ];
  it.each(cases)('%s', (_title, s, q, expected) => expect(checkEntitlement(s, q)).toEqual(expected));
});

describe('S8: seats count active members against the seat limit', () => {
  const seats = (limit: number, active: number): SeatSummary => ({ base: limit, additions: 0, spot: 0, limit, active });
  const cases: Case[] = [
    ['S8: a free seat allows one more member', state({ plan: 'teamspace-free', limits: { seats: 10 }, seats: seats(10, 9) }), { resource: 'seats', increment: 1 }, { allowed: true, limit: 10, usage: 9 }],
    ['S8: all seats in use is limit_reached', state({ plan: 'teamspace-free', limits: { seats: 10 }, seats: seats(10, 10) }), { resource: 'seats', increment: 1 }, { allowed: false, code: 'limit_reached', limit: 10, usage: 10 }],
    [
      'S8: spot and addition seats count in the limit, not only the base',
      state({ plan: 'starter', limits: { seats: 100 }, seats: { base: 100, additions: 20, spot: 30, limit: 150, active: 120 } }),
      { resource: 'seats', increment: 30 },
      { allowed: true, limit: 150, usage: 120 },
    ],
    ['S8: a seats usage gauge is ignored: members are the usage', state({ plan: 'teamspace-free', limits: { seats: 10 }, seats: seats(10, 2), usage: { seats: 99 } }), { resource: 'seats', increment: 1 }, { allowed: true, limit: 10, usage: 2 }],
  ];
  it.each(cases)('%s', (_title, s, q, expected) => expect(checkEntitlement(s, q)).toEqual(expected));

  it('S8: the folded state of a teamspace free account feeds the check (10 seats, active members)', () => {
    const teamspace = catalog.product('teamspace')!;
    const full = accountState({ product: teamspace, contracts: [], date: TODAY, activeMembers: 10, usage: {} });
    expect(checkEntitlement(full, { resource: 'seats', increment: 1 })).toEqual({ allowed: false, code: 'limit_reached', limit: 10, usage: 10 });
    const roomy = accountState({ product: teamspace, contracts: [], date: TODAY, activeMembers: 4, usage: {} });
    expect(checkEntitlement(roomy, { resource: 'seats', increment: 6 })).toEqual({ allowed: true, limit: 10, usage: 4 });
  });
});

describe('B4: a resource the plan has no limit for', () => {
  const cases: Case[] = [
    ['B4: books on a seats-only plan are not_in_plan', state({ plan: 'teamspace-free', limits: { seats: 10 }, seats: { base: 10, additions: 0, spot: 0, limit: 10, active: 1 } }), { resource: 'books', increment: 1 }, { allowed: false, code: 'not_in_plan', usage: 0 }],
    ['B4: seats on an ebook plan are not_in_plan', business5({}), { resource: 'seats', increment: 1 }, { allowed: false, code: 'not_in_plan', usage: 0 }],
    ['B4: without a plan, books are not_in_plan', state({ plan: null, usage: { books: 2 } }), { resource: 'books', increment: 1 }, { allowed: false, code: 'not_in_plan', usage: 2 }],
    ['B4: without a plan, a decrease is still allowed', state({ plan: null, usage: { books: 2 } }), { resource: 'books', increment: -1 }, { allowed: true, usage: 2 }],
  ];
  it.each(cases)('%s', (_title, s, q, expected) => expect(checkEntitlement(s, q)).toEqual(expected));

  it('B4: an ebook5 account without a contract has no plan, so nothing may grow', () => {
    const ebook5 = catalog.product('ebook5')!;
    const none = accountState({ product: ebook5, contracts: [], date: TODAY, activeMembers: 0, usage: { books: 0 } });
    expect(none.plan).toBeNull();
    expect(checkEntitlement(none, { resource: 'books', increment: 1 })).toEqual({ allowed: false, code: 'not_in_plan', usage: 0 });
  });
});
