/** SPEC §3 spot orders, license additions, seat limits and automatic deactivation, over HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, createTestDatabase, newAccount, order, startTestServer } from '../support/harness.js';

// Today is 2026-04-01 in Tokyo.
const START = '2026-04-01T09:00:00+09:00';
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: START });
});
afterAll(async () => t?.stop());

/** A teamspace account on Starter (100 seats a license) from 2026-04-01. */
async function starter(t: TestServer, opts: { quantity?: number; renewal?: string; startDate?: string } = {}) {
  const id = await newAccount(t, 'teamspace');
  const main = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: opts.quantity ?? 100, startDate: opts.startDate ?? '2026-04-01', paymentMethod: 'card', ...(opts.renewal ? { renewal: opts.renewal } : {}) });
  return { id, main };
}
const spot = (accountId: string, fields: Record<string, unknown> = {}) => ({ type: 'spot', accountId, seats: 100, startDate: '2026-05-01', months: 1, agreeToTerms: true, paymentMethod: 'card', ...fields });

async function register(t: TestServer, accountId: string, n: number, tag: string) {
  for (let i = 0; i < n; i++) {
    const res = await t.api('POST', `/v1/accounts/${accountId}/members`, { email: `${tag}.${i}@members.example.jp`, name: `${tag} ${i}` });
    if (res.status !== 201) throw new Error(`member ${i}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

describe(`SPEC §3 spot orders (${DB_KIND})`, () => {
  it('S4: the seed example — Starter 100, add 100 accounts for 1 month: "Starter 100 (1 month)" 5,000 + 500 = 5,500 yen', async () => {
    const { id } = await starter(t);
    const preview = await t.api('POST', '/v1/orders/preview', spot(id));
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      type: 'spot',
      lines: [{ description: 'Starter 100 (1 month)', quantity: 1, unitPrice: 5000, amount: 5000, taxRate: 10 }],
      amount: { subtotal: 5000, tax: 500, total: 5500, currency: 'JPY' },
      period: { start: '2026-05-01', end: '2026-05-31' },
      effects: [{ code: 'limit_changed', limit: 'seats', from: 100, to: 200 }],
      warnings: [],
    });
    const placed = await order(t, spot(id));
    expect(placed).toMatchObject({ status: 'completed', amount: { total: 5500 }, dueOn: '2026-04-06' });
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    expect(invoice.lines[0].description).toBe('Starter 100 (1 month)');
    expect(invoice.amount.total).toBe(5500);
  });

  it('S8: the seat limit on a date = main seats + license additions + spots active that date; S5: spots may overlap', async () => {
    const { id } = await starter(t, { quantity: 200 });
    await order(t, spot(id, { seats: 100, startDate: '2026-05-01', months: 2 }));
    await order(t, spot(id, { seats: 300, startDate: '2026-06-15', months: 1 }));
    const seats = async (at: string) => (await t.api('GET', `/v1/accounts/${id}/state?at=${at}`)).body.seats;
    expect(await seats('2026-04-30')).toMatchObject({ base: 200, spot: 0, limit: 200 });
    expect(await seats('2026-05-01')).toMatchObject({ base: 200, spot: 100, limit: 300 });
    expect(await seats('2026-06-20')).toMatchObject({ base: 200, spot: 400, limit: 600 });
    expect(await seats('2026-07-01')).toMatchObject({ spot: 300, limit: 500 });
    expect(await seats('2026-07-15')).toMatchObject({ spot: 0, limit: 200 });
    const state = (await t.api('GET', `/v1/accounts/${id}/state?at=2026-05-01`)).body;
    expect(state.spots.map((s: { seats: number; start: string; end: string }) => [s.seats, s.start, s.end])).toEqual([
      [100, '2026-05-01', '2026-06-30'],
      [300, '2026-06-15', '2026-07-14'],
    ]);
  });

  it('S1, S2, S10: whole licenses, whole months, the terms agreed — each refused with its code, nothing saved', async () => {
    const { id } = await starter(t);
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ seats: 150 }, 422, 'invalid_quantity', 'seats'],
      [{ seats: 0 }, 422, 'invalid_quantity', 'seats'],
      [{ months: 0 }, 422, 'invalid_months', 'months'],
      [{ agreeToTerms: false }, 422, 'terms_not_accepted', 'agreeToTerms'],
      [{ agreeToTerms: undefined }, 422, 'terms_not_accepted', 'agreeToTerms'],
      [{ startDate: '2026-03-31' }, 422, 'start_date_in_past', 'startDate'],
      [{ paymentMethod: 'invoice' }, 422, 'payment_method_not_allowed', 'paymentMethod'],
      [{ months: 1.5 }, 400, 'invalid_request', 'body.months'],
    ];
    for (const [fields, status, code, path] of cases) {
      const res = await t.api('POST', '/v1/orders', spot(id, fields));
      expect(res.status, code).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.errors[0].path).toBe(path);
    }
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toHaveLength(1);
    expect((await t.api('GET', `/v1/accounts/${id}/state?at=2026-05-01`)).body.spots).toEqual([]);
  });

  it('S3: while renewing, a spot may run to the end of the next term; set to return to free, only to the current end', async () => {
    const { id, main } = await starter(t);
    expect(main.period).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect((await t.api('POST', '/v1/orders/preview', spot(id, { months: 23 }))).body.period).toEqual({ start: '2026-05-01', end: '2028-03-31' });
    const tooLong = await t.api('POST', '/v1/orders/preview', spot(id, { months: 24 }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.code).toBe('spot_exceeds_main_term');
    expect(tooLong.body.detail).toContain('2028-03-31');
    const contractId = (await t.api('GET', `/v1/accounts/${id}/state`)).body.contract.id;
    const choice = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/renewal`, { renewal: 'to-free' });
    expect(choice.body).toEqual({ contractId, renewal: 'to-free', end: '2027-03-31' });
    expect((await t.api('POST', '/v1/orders/preview', spot(id, { months: 11 }))).body.period.end).toBe('2027-03-31');
    const pastEnd = await t.api('POST', '/v1/orders/preview', spot(id, { months: 12 }));
    expect(pastEnd.body.code).toBe('spot_exceeds_main_term');
    expect(pastEnd.body.detail).toContain('at most 11 month');
    // S7: a spot past the current end blocks switching to the free plan.
    await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/renewal`, { renewal: 'renew' });
    await order(t, spot(id, { months: 18 }));
    const blocked = await t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/renewal`, { renewal: 'to-free' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('spots_past_term_end');
  });

  it('S3, S8: the state of a date after the term, while the contract renews, is the renewed term with the spots sold into it — not the free plan', async () => {
    const { id } = await starter(t, { renewal: 'renew' }); // 2026-04-01 – 2027-03-31, renews
    await order(t, spot(id, { startDate: '2027-03-01', months: 2 })); // into the next term (S3)
    const next = (await t.api('GET', `/v1/accounts/${id}/state?at=2027-04-15`)).body;
    expect(next.plan.id).toBe('starter');
    expect(next.contract).toMatchObject({ start: '2027-04-01', end: '2028-03-31', renewal: 'renew' });
    expect(next.seats).toMatchObject({ base: 100, spot: 100, limit: 200 });
    expect(next.spots).toEqual([expect.objectContaining({ seats: 100, start: '2027-03-01', end: '2027-04-30' })]);
    // Years ahead: the term of that year (G1, from the original start).
    expect((await t.api('GET', `/v1/accounts/${id}/state?at=2030-06-01`)).body.contract).toMatchObject({ start: '2030-04-01', end: '2031-03-31' });
    // Set to return to the free plan: after the end it is the free plan.
    const { id: ending } = await starter(t, { renewal: 'to-free' });
    expect((await t.api('GET', `/v1/accounts/${ending}/state?at=2027-04-15`)).body).toMatchObject({ plan: { id: 'teamspace-free' }, contract: null, seats: { limit: 10 } });
  });

  it('S9: a term switched to return to the free plan warns the owner 7 days before of the members it will deactivate, after a reminder 30 days before; switched back, nothing is sent', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: START });
    try {
      const make = async () => {
        const { id } = await starter(s, { renewal: 'renew' }); // 2026-04-01 – 2027-03-31
        for (let i = 1; i <= 12; i++) expect((await s.api('POST', `/v1/accounts/${id}/members`, { email: `m${i}.${id}@example.jp`, name: `M ${i}` })).status).toBe(201);
        const contractId = (await s.api('GET', `/v1/accounts/${id}/state`)).body.contract.id as string;
        expect((await s.api('POST', `/v1/accounts/${id}/contracts/${contractId}/renewal`, { renewal: 'to-free' })).status).toBe(200);
        return { id, contractId };
      };
      const ending = await make();
      const back = await make();
      expect((await s.api('POST', `/v1/accounts/${back.id}/contracts/${back.contractId}/renewal`, { renewal: 'renew' })).status).toBe(200);
      const kinds = async (id: string) => ((await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string; subject: string }>).filter((n) => n.kind !== 'order-completed' && n.kind !== 'invoice-overdue');
      await s.api('POST', '/v1/clock', { now: '2027-03-02T09:00:00+09:00' }); // 30 days before 2027-04-01
      expect((await kinds(ending.id)).map((n) => n.kind)).toEqual(['expiry-reminder']);
      await s.api('POST', '/v1/clock', { now: '2027-03-25T09:00:00+09:00' }); // 7 days before
      const warned = (await kinds(ending.id)).filter((n) => n.kind === 'members-will-be-deactivated');
      // 13 active (the owner and 12) on the free plan's 10 seats: 3 deactivated on 2027-04-01.
      expect(warned.map((n) => n.subject)).toEqual(['【重要】2027年4月1日にメンバー3名のアカウントが無効になります']);
      expect(await kinds(back.id)).toEqual([]);
      await s.api('POST', '/v1/clock', { now: '2027-04-01T09:00:00+09:00' });
      expect(((await s.api('GET', `/v1/accounts/${ending.id}/members`)).body.members as Array<{ status: string }>).filter((m) => m.status === 'deactivated')).toHaveLength(3);
      expect((await kinds(back.id)).map((n) => n.kind)).toEqual(['contract-renewed']);
    } finally {
      await s.stop();
    }
  });

  it('S7: no spot on the free plan, nor before the paid plan starts', async () => {
    const free = await newAccount(t, 'teamspace');
    const onFree = await t.api('POST', '/v1/orders', spot(free));
    expect(onFree.status).toBe(422);
    expect(onFree.body.code).toBe('not_on_paid_plan');
    const { id } = await starter(t, { startDate: '2026-06-01' });
    const early = await t.api('POST', '/v1/orders', spot(id, { startDate: '2026-05-01' }));
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('spot_before_paid_start');
    expect(early.body.detail).toBe('The paid plan starts on 2026-06-01; a spot order cannot start before it (2026-05-01). Choose 2026-06-01 or later.');
    // A license addition is told in its own words, under the same code.
    const addition = await t.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2026-05-01', paymentMethod: 'card' }, { headers: { 'accept-language': 'ja' } });
    expect(addition.body.code).toBe('spot_before_paid_start');
    expect(addition.body.errors).toEqual([{ path: 'effectiveDate', message: '有料プランの開始日は 2026-06-01 です。ライセンスの追加はそれより前（2026-05-01）には開始できません。2026-06-01 以降を指定してください。' }]);
    expect((await t.api('POST', '/v1/orders', spot(id, { startDate: '2026-06-01' }))).status).toBe(201);
    const premium = await newAccount(t, 'premium');
    expect((await t.api('POST', '/v1/orders/preview', spot(premium))).body.code).toBe('order_type_not_available');
  });

  it('S6: a license addition overlaps spots, is billed per remaining month (a started month whole) and carries into the renewal', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: START });
    try {
      const { id } = await starter(s);
      await order(s, spot(id, { startDate: '2026-07-01', months: 1 }));
      const added = await order(s, { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2026-07-15', paymentMethod: 'bank-transfer' });
      // 2026-07-15 is in the 4th month of the term (07-01 – 07-31): 9 months remain, July counted whole.
      expect(added).toMatchObject({ period: { start: '2026-07-15', end: '2027-03-31' }, amount: { subtotal: 45000, tax: 4500, total: 49500 } });
      expect(added.lines[0]).toMatchObject({ description: 'Starter +100 license addition (9 months)', quantity: 1, unitPrice: 45000 });
      expect((await s.api('GET', `/v1/accounts/${id}/state?at=2026-07-20`)).body.seats).toMatchObject({ base: 100, additions: 100, spot: 100, limit: 300 });
      expect((await s.api('GET', `/v1/accounts/${id}/state?at=2026-08-01`)).body.seats).toMatchObject({ additions: 100, spot: 0, limit: 200 });
      const bad = await s.api('POST', '/v1/orders', { type: 'license-addition', accountId: id, seats: 50, effectiveDate: '2026-07-15', paymentMethod: 'card' });
      expect(bad.body.code).toBe('invalid_quantity');
      // After the term's end: the date is what to change, said at the date (not "buy a contract").
      const late = await s.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2027-04-01', paymentMethod: 'card' });
      expect(late.status).toBe(422);
      expect(late.body).toMatchObject({ code: 'effective_after_term_end', errors: [{ path: 'effectiveDate' }] });
      expect(late.body.detail).toBe('The effective date 2027-04-01 is after the end of the contract period (2027-03-31). Choose 2027-03-31 or earlier: licenses added before the renewal are carried into the renewed term.');
      const lateJa = await s.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2027-04-01', paymentMethod: 'card' }, { headers: { 'accept-language': 'ja' } });
      expect(lateJa.body.detail).toBe('ライセンスの追加日 2027-04-01 は契約期間の終了日（2027-03-31）より後です。2027-03-31 までの日付を指定してください（更新前に追加したライセンスは更新後の契約に引き継がれます）。');
      const past = await s.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2026-03-31', paymentMethod: 'card' });
      expect(past.body.code).toBe('spot_before_paid_start');
      await s.api('POST', '/v1/clock', { now: '2026-07-20T09:00:00+09:00' });
      const before = await s.api('POST', '/v1/orders/preview', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2026-07-19', paymentMethod: 'card' });
      expect(before.body).toMatchObject({ code: 'start_date_in_past', errors: [{ path: 'effectiveDate' }] });
      expect(before.body.detail).toBe('The effective date 2026-07-19 is in the past. Choose today (2026-07-20) or a later date.');
      await s.api('POST', '/v1/clock', { now: '2027-04-02T00:00:00+09:00' });
      const renewal = (await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices[0];
      expect(renewal).toMatchObject({ issuedOn: '2027-04-01', lines: [{ description: 'Starter 200 (12 months)', quantity: 2, unitPrice: 60000 }], amount: { total: 132000 } });
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.seats).toMatchObject({ base: 200, additions: 0, limit: 200 });
    } finally {
      await s.stop();
    }
  });
});

describe(`S9 automatic deactivation when a spot ends (${DB_KIND})`, () => {
  it('the excess members registered during the spot, latest first, are deactivated at 00:00 after it — once, across a restart', { timeout: 180_000 }, async () => {
    const database = await createTestDatabase();
    const folder: Record<string, string> = DB_KIND === 'pglite' ? { KEIYAKU_DATA: mkdtempSync(join(tmpdir(), 'keiyaku-spot-')) } : {};
    let s = await startTestServer({ KEIYAKU_TEST_CLOCK: START, ...folder }, database ?? null);
    try {
      const { id } = await starter(s);
      await register(s, id, 59, 'before'); // owner + 59 = 60 of 100
      await order(s, spot(id, { startDate: '2026-05-01', months: 1 }));
      await s.api('POST', '/v1/clock', { now: '2026-05-10T10:00:00+09:00' });
      await register(s, id, 70, 'during'); // 130 of 200
      // The preview of another spot shows the coming deactivation as a warning.
      const preview = await s.api('POST', '/v1/orders/preview', spot(id, { startDate: '2026-05-20', months: 1 }));
      expect(preview.body.warnings).toEqual([expect.objectContaining({ code: 'members_will_be_deactivated', count: 30, on: '2026-06-20' })]);
      // Seven days before the end: the owner is told.
      await s.api('POST', '/v1/clock', { now: '2026-05-25T00:00:00+09:00' });
      const notice = (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices[0];
      expect(notice).toMatchObject({ kind: 'members-will-be-deactivated' });
      expect(notice.body).toContain('30');
      await s.api('POST', '/v1/clock', { now: '2026-05-31T23:59:00+09:00' });
      expect((await s.api('GET', `/v1/accounts/${id}/members?status=deactivated`)).body.members).toHaveLength(0);
      await s.stop();
      // Down over the spot's end; the restart catches up.
      s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-06-03T08:00:00+09:00', ...folder }, database ?? null);
      const deactivated = (await s.api('GET', `/v1/accounts/${id}/members?status=deactivated`)).body.members as Array<{ email: string; groups: string[]; canLogIn: boolean }>;
      expect(deactivated).toHaveLength(30);
      // Latest first among those registered during the spot: during.40 … during.69.
      expect(deactivated.map((m) => m.email).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `during.${40 + i}@members.example.jp`).sort());
      expect(deactivated.every((m) => m.groups.includes('Auto Deactivation') && !m.canLogIn)).toBe(true);
      expect((await s.api('GET', `/v1/accounts/${id}/members?group=Auto%20Deactivation`)).body.members).toHaveLength(30);
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.seats).toMatchObject({ limit: 100, active: 100 });
      // Moving on runs nothing twice.
      await s.api('POST', '/v1/clock', { now: '2026-07-01T00:00:00+09:00' });
      const events = (await s.api('GET', `/v1/accounts/${id}/events?limit=1000`)).body.events.filter((e: { action: string }) => e.action === 'member.deactivated');
      expect(events).toHaveLength(30);
      expect(events[0]).toMatchObject({ actor: 'system:scheduler', after: { status: 'deactivated', reason: 'seat_limit_dropped' } });
      // No free seat: reactivation is refused; a license addition frees seats, then it works.
      const one = deactivated[0] as unknown as { id: string };
      const refused = await s.api('POST', `/v1/accounts/${id}/members/${one.id}/reactivate`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('seat_limit_reached');
      expect(refused.body.detail).toBe('All 100 seats are in use on 2026-07-01. Add seats first: a spot order for a while, or a license addition for the rest of the term.');
      await order(s, { type: 'license-addition', accountId: id, seats: 100, effectiveDate: '2026-07-01', paymentMethod: 'card' });
      const back = await s.api('POST', `/v1/accounts/${id}/members/${one.id}/reactivate`, {});
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ status: 'active', canLogIn: true, groups: [] });
    } finally {
      await s.stop();
      await database?.drop();
      if (folder.KEIYAKU_DATA) rmSync(folder.KEIYAKU_DATA, { recursive: true, force: true });
    }
  });

  it('S9: the owner-manager is never deactivated; returning to the free plan drops to 10 seats', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: START });
    try {
      const { id } = await starter(s, { renewal: 'to-free' });
      await register(s, id, 30, 'team');
      await s.api('POST', '/v1/clock', { now: '2027-04-01T00:00:00+09:00' });
      const active = (await s.api('GET', `/v1/accounts/${id}/members?status=active`)).body.members as Array<{ role: string; email: string }>;
      expect(active).toHaveLength(10);
      expect(active.filter((m) => m.role === 'owner')).toHaveLength(1);
      // The earliest registered keep their seats.
      expect(active.filter((m) => m.role === 'member').map((m) => m.email)).toEqual(Array.from({ length: 9 }, (_, i) => `team.${i}@members.example.jp`));
      expect((await s.api('GET', `/v1/accounts/${id}/members?status=deactivated`)).body.members).toHaveLength(21);
      expect((await s.api('GET', `/v1/accounts/${id}/state`)).body.seats).toMatchObject({ limit: 10, active: 10 });
    } finally {
      await s.stop();
    }
  });
});
