/**
 * Importing existing customers (docs/imports.md, `POST /v1/imports`): the account with the contract
 * it has today, its members and usage — no order, invoice or notice for what was sold before; what
 * follows from the contract (renewal, expiry) runs as for any other (G3), and each change is
 * audited (G5). A refused account changes nothing; an imported one is skipped when sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, startTestServer } from '../support/harness.js';

// Today is 2026-11-01 in Tokyo.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-11-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const importing = (accounts: unknown[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => t.api('POST', '/v1/imports', { accounts, ...extra }, { headers });

async function accountOf(address: string): Promise<any> {
  const res = await t.api('GET', `/v1/accounts?email=${encodeURIComponent(address)}`);
  expect(res.status).toBe(200);
  return res.body.accounts[0];
}

describe(`importing existing customers (${DB_KIND})`, () => {
  // A server of its own: this test moves its clock.
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-11-01T09:00:00+09:00' });
  });
  afterAll(async () => t?.stop());
  const importing = (accounts: unknown[]) => t.api('POST', '/v1/imports', { accounts });
  const actions = async (accountId: string): Promise<string[]> => ((await t.api('GET', `/v1/accounts/${accountId}/events?limit=1000`)).body.events as any[]).map((e) => e.action).reverse();

  it('G5, S8: a teamspace customer comes in with its running Starter term and members — no invoice, no notice; at the term end it renews and is invoiced as any contract', async () => {
    const owner = email('import-team');
    const res = await importing([
      {
        email: owner,
        name: '株式会社インポート',
        product: 'teamspace',
        contract: { planId: 'starter', term: 'P12M', startDate: '2026-04-01', quantity: 100, paymentMethod: 'bank-transfer', renewal: 'renew' },
        members: [
          { email: email('m1'), name: '佐藤', registeredAt: '2026-04-01T09:00:00+09:00' },
          { email: email('m2'), name: '鈴木' },
        ],
      },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.counts).toEqual({ imported: 1, valid: 0, skipped: 0, refused: 0 });
    const id = res.body.results[0].accountId as string;
    expect((await t.api('GET', `/v1/accounts?email=${encodeURIComponent(owner)}`)).body.accounts[0].id).toBe(id);

    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan).toEqual({ id: 'starter', name: 'Starter' });
    expect(state.contract).toMatchObject({ start: '2026-04-01', end: '2027-03-31', renewal: 'renew', paymentMethod: 'bank-transfer' });
    expect(state.seats).toMatchObject({ base: 100, limit: 100, active: 3 });
    // Sold and billed before Keiyaku: nothing is invoiced or sent now.
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toEqual([]);
    expect((await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices).toEqual([]);
    expect(await actions(id)).toEqual(['account.created', 'member.registered', 'contract.imported', 'member.registered', 'member.registered']);
    const imported = ((await t.api('GET', `/v1/accounts/${id}/events?limit=1000`)).body.events as any[]).find((e) => e.action === 'contract.imported');
    expect(imported.actor).toBe('operator');
    expect(imported.after).toMatchObject({ planId: 'starter', licenses: 1, start: '2026-04-01', end: '2027-03-31', renewal: 'renew' });
    expect(imported.after.importId).toMatch(/^imp_/);
    const members = (await t.api('GET', `/v1/accounts/${id}/members`)).body.members as any[];
    expect(members.find((m) => m.name === '佐藤').registeredAt).toBe('2026-04-01T00:00:00.000Z');

    // The term ends on 2027-03-31: the next day it renews with a renewal invoice (SPEC §2, G1).
    const moved = await t.api('POST', '/v1/clock', { now: '2027-04-01T00:30:00+09:00' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const renewed = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(renewed.contract).toMatchObject({ start: '2027-04-01', end: '2028-03-31' });
    const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as any[];
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ issuedOn: '2027-04-01', paymentMethod: 'bank-transfer', status: 'open' });
    expect(invoices[0].amount.subtotal).toBeGreaterThan(0);
  });
});

describe(`importing: what falls due (${DB_KIND})`, () => {
  let t2: TestServer;
  beforeAll(async () => {
    t2 = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-11-01T09:00:00+09:00' });
  });
  afterAll(async () => t2?.stop());

  it('P2, P3: a premium contract ending 2026-12-31 — the renewal offer whose day passed before the import is not sent; the expiry reminder and the return to the free plan are', async () => {
    const owner = email('import-premium');
    const res = await t2.api('POST', '/v1/imports', { accounts: [{ email: owner, name: '山田', product: 'premium', contract: { planId: 'plan-10', term: 'P1Y', startDate: '2026-01-01', paymentMethod: 'card' } }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const id = res.body.results[0].accountId as string;
    const state = (await t2.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe('plan-10');
    expect(state.renewalWindow).toMatchObject({ opens: '2026-11-01', open: true });

    // The reminder's day (30 days before the day after the end), then the end.
    expect((await t2.api('POST', '/v1/clock', { now: '2026-12-02T09:00:00+09:00' })).status).toBe(200);
    expect((await t2.api('POST', '/v1/clock', { now: '2027-01-01T00:30:00+09:00' })).status).toBe(200);
    const kinds = ((await t2.api('GET', `/v1/accounts/${id}/notices`)).body.notices as any[]).map((n) => n.kind).sort();
    expect(kinds).toEqual(['contract-expired', 'expiry-reminder']);
    expect((await t2.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('premium-free');
    expect((await t2.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toEqual([]);
  });
});

describe(`importing: refusals, re-runs and dry runs (${DB_KIND})`, () => {
  it('a refused account changes nothing and says what to fix (with the field in the line); the others are imported', async () => {
    const good = email('good');
    const lines = [
      { email: good, name: 'Good', product: 'ebook5', contract: { planId: 'business-5', term: 'P1M', startDate: '2026-11-01', paymentMethod: 'card' }, usage: { books: 3 } },
      { email: email('plan'), name: 'Bad plan', product: 'teamspace', contract: { planId: 'gold', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'card' } },
      { email: email('ended'), name: 'Ended', product: 'teamspace', contract: { planId: 'starter', term: 'P12M', startDate: '2025-04-01', paymentMethod: 'card' } },
      // The free plan has 10 seats: the owner and ten members are 11.
      { email: email('crowd'), name: 'Crowd', product: 'teamspace', members: Array.from({ length: 10 }, (_, i) => ({ email: `m${i}.${good}`, name: `M${i}` })) },
      { email: email('seats'), name: 'No seats', product: 'premium', members: [{ email: email('x'), name: 'X' }] },
      { email: email('usage'), name: 'Usage', product: 'premium', usage: { books: 1 } },
      { email: email('later'), name: 'Later', product: 'teamspace', members: [{ email: email('y'), name: 'Y', registeredAt: '2027-01-01T00:00:00Z' }] },
      { email: good.toUpperCase(), name: 'Same email again', product: 'ebook5' },
    ];
    const res = await importing(lines);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.counts).toEqual({ imported: 1, valid: 0, skipped: 1, refused: 6 });
    const byIndex = (res.body.results as any[]).map((r) => [r.status, r.code, r.errors?.[0]?.path]);
    expect(byIndex).toEqual([
      ['imported', undefined, undefined],
      ['refused', 'unknown_plan', 'contract.planId'],
      ['refused', 'import_term_ended', 'contract.startDate'],
      ['refused', 'import_members_over_limit', 'members'],
      ['refused', 'members_not_offered', 'members'],
      ['refused', 'usage_not_offered', 'usage.books'],
      ['refused', 'import_registered_later', 'members[0].registeredAt'],
      ['skipped', undefined, undefined],
    ]);
    expect(res.body.results[2].detail).toContain('ended on 2026-03-31, before today (2026-11-01)');
    expect(res.body.results[3].detail).toContain('11 active members (the owner included) are more than the 10 seats');
    // Nothing of a refused account is kept: not the account, not its email.
    for (const line of lines.slice(1, 7)) expect(await accountOf(line.email)).toBeUndefined();
    const kept = await accountOf(good);
    expect((await t.api('GET', `/v1/accounts/${kept.id}/state`)).body).toMatchObject({ plan: { id: 'business-5' }, usage: { books: 3 } });

    // In Japanese on request.
    const ja = await importing([lines[2]], {}, { 'accept-language': 'ja' });
    expect(ja.body.results[0].detail).toContain('取り込む契約は今日有効なものです');
  });

  it('a dry run answers what the import would do and keeps nothing; sent again, imported accounts are skipped', async () => {
    const a = email('dry');
    const line = { email: a, name: 'Dry', product: 'teamspace', contract: { planId: 'starter', term: 'P12M', startDate: '2026-10-01', quantity: 200, paymentMethod: 'card' } };
    const dry = await importing([line], { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, counts: { imported: 0, valid: 1, skipped: 0, refused: 0 } });
    expect(dry.body.results[0].accountId).toBeUndefined();
    expect(await accountOf(a)).toBeUndefined();

    const first = await importing([line]);
    expect(first.body.counts.imported).toBe(1);
    const again = await importing([line]);
    expect(again.body.counts).toEqual({ imported: 0, valid: 0, skipped: 1, refused: 0 });
    expect(again.body.results[0].accountId).toBe(first.body.results[0].accountId);
    expect((await t.api('GET', `/v1/accounts/${first.body.results[0].accountId}/state`)).body.seats.limit).toBe(200);

    // An account made through the API is skipped as well: one email, one account.
    const made = await newAccount(t, 'premium');
    const existing = (await t.api('GET', `/v1/accounts/${made}`)).body.email as string;
    expect((await importing([{ email: existing, name: 'x', product: 'premium' }])).body.results[0]).toMatchObject({ status: 'skipped', accountId: made });
  });

  it('G6: the same Idempotency-Key and body answer the first result; a malformed body is a 400 that changes nothing', async () => {
    const a = email('idem');
    const body = [{ email: a, name: 'Idem', product: 'teamspace' }];
    const key = { 'idempotency-key': `import-${a}` };
    const first = await importing(body, {}, key);
    const replay = await importing(body, {}, key);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(replay.body.counts.imported).toBe(1);

    const b = email('malformed');
    const bad = await importing([{ email: b, name: 'B', product: 'teamspace', contract: { planId: 'starter', term: 'P2M', startDate: '2026-13-01', paymentMethod: 'cash' } }]);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.body.errors as any[]).map((e) => e.path).sort()).toEqual(['body.accounts.0.contract.paymentMethod', 'body.accounts.0.contract.startDate', 'body.accounts.0.contract.term']);
    expect(await accountOf(b)).toBeUndefined();
  });
});
