import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, createTestDatabase, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2022-01-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const setClock = (now: string) => t.api('POST', '/v1/clock', { now });

describe(`G3 test clock and scheduled effects (${DB_KIND})`, () => {
  it('GET /v1/clock tells the test clock; it only moves forward', async () => {
    const res = await t.api('GET', '/v1/clock');
    expect(res.body).toEqual({ now: '2022-01-01T00:00:00Z', mode: 'test', timeZone: 'Asia/Tokyo' });
    const back = await setClock('2021-12-31T00:00:00Z');
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('clock_backwards');
    const bad = await setClock('tomorrow');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.now');
    // Business days need holiday data, which ends in 2050: the clock stops short of it.
    const far = await setClock('2051-01-01T00:00:00Z');
    expect(far.status).toBe(400);
    expect(far.body.errors).toEqual([{ path: 'body.now', message: 'the test clock goes from 1970-01-01T00:00:00+09:00 to 2050-11-30T23:59:59+09:00 (the holiday calendar ends in 2050)' }]);
    // Instants that look right but do not exist are refused as such, not a 500.
    for (const now of ['2027-12-01T25:00:00Z', '2027-02-30T00:00:00Z', '2027-12-05T00:00:00+24:00']) {
      const unreal = await setClock(now);
      expect(unreal.status, now).toBe(400);
      expect(unreal.body.errors).toEqual([{ path: 'body.now', message: 'an instant such as 2022-12-01T09:00:00+09:00' }]);
    }
    expect((await t.api('GET', '/v1/clock')).body.now).toBe('2022-01-01T00:00:00Z');
  });

  it('only the operator moves the clock', async () => {
    const id = await newAccount(t, 'premium');
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token;
    expect((await t.api('POST', '/v1/clock', { now: '2022-01-01T01:00:00Z' }, { token })).status).toBe(403);
    expect((await t.api('GET', '/v1/clock', undefined, { token })).status).toBe(200);
  });

  it('P2: a premium contract ends to the free plan at 00:00 Tokyo after its last day, once, audited by the scheduler', async () => {
    const id = await newAccount(t, 'premium');
    await order(t, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2022-01-01', paymentMethod: 'card' });
    // 2022-12-31 23:59 in Tokyo: still Plan 10, the effect not yet due.
    await setClock('2022-12-31T14:59:00Z');
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('plan-10');
    expect((await t.api('GET', `/v1/accounts/${id}/events`)).body.events.some((e: any) => e.action === 'contract.ended')).toBe(false);
    const moved = await setClock('2022-12-31T15:00:00Z'); // 2023-01-01 00:00 Tokyo
    expect(moved.status).toBe(200);
    expect(moved.body.effects.ran).toBeGreaterThanOrEqual(1);
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.date).toBe('2023-01-01');
    expect(state.plan.id).toBe('premium-free');
    await setClock('2023-02-01T00:00:00Z');
    const ended = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events.filter((e: any) => e.action === 'contract.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ actor: 'system:scheduler', before: { planId: 'plan-10', end: '2022-12-31' }, after: { planId: 'premium-free' } });
    // After expiry a new contract starts anew (P2).
    const again = await order(t, { type: 'new-contract', accountId: id, planId: 'plan-5', term: 'P1Y', startDate: '2023-02-01', paymentMethod: 'card' });
    expect(again.period).toEqual({ start: '2023-02-01', end: '2024-01-31' });
  });

  it('G3: an effect that fails is set aside as failed with its error, once; the rest of its batch runs and nothing runs twice', async () => {
    const a = await newAccount(t, 'premium');
    const b = await newAccount(t, 'premium');
    for (const id of [a, b]) await order(t, { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2023-02-01', paymentMethod: 'card' });
    // An effect no handler knows (what a bug would leave), due with both term ends at 2024-02-01 00:00 Tokyo.
    await sql`insert into effects (account_id, kind, due_at, payload, created_at)
              values (${a}, 'no-such-effect', timestamptz '2024-01-31 15:00:00+00', '{}'::jsonb, now())`.execute(t.running.ctx.db);
    const moved = await setClock('2024-02-02T00:00:00Z');
    expect(moved.status).toBe(200);
    expect(moved.body.effects.failed).toBe(1);
    // Both contracts ended despite the failure in their batch.
    for (const id of [a, b]) expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('premium-free');
    const failed = (await t.api('GET', '/v1/effects?status=failed')).body;
    expect(failed.effects).toHaveLength(1);
    expect(failed.effects[0]).toMatchObject({ accountId: a, kind: 'no-such-effect', status: 'failed', attempts: 1 });
    expect(failed.effects[0].lastError).toContain('No handler for effect kind no-such-effect');
    const done = (await t.api('GET', `/v1/effects?status=done&accountId=${a}`)).body.effects;
    expect(done.filter((e: any) => e.kind === 'term-end').map((e: any) => e.attempts)).toEqual([1]);
    // Later runs leave it alone and run nothing again.
    expect((await setClock('2024-02-03T00:00:00Z')).body.effects).toEqual({ ran: 0, failed: 0 });
    expect((await t.api('GET', '/v1/effects?status=failed')).body.effects).toHaveLength(1);
    expect((await t.api('GET', `/v1/accounts/${a}/events`)).body.events.filter((e: any) => e.action === 'contract.ended')).toHaveLength(1);
  });
});

describe(`G3 running a failed effect again (${DB_KIND})`, () => {
  it('the operator retries a failed effect once its bug is fixed: it runs at the next pass, exactly once, audited; anything but a failed effect is refused', async () => {
    const a = await newAccount(t, 'premium');
    const placed = await order(t, { type: 'new-contract', accountId: a, planId: 'plan-10', term: 'P1Y', startDate: '2024-03-01', paymentMethod: 'card' });
    const now = Date.parse((await t.api('GET', '/v1/clock')).body.now as string);
    // What a bug leaves: an effect its code cannot run, due now.
    await sql`insert into effects (account_id, kind, due_at, payload, created_at)
              values (${a}, 'no-such-effect', ${new Date(now).toISOString()}::timestamptz, '{}'::jsonb, now())`.execute(t.running.ctx.db);
    expect((await t.api('POST', '/v1/effects/run')).body.effects.failed).toBe(1);
    const failed = ((await t.api('GET', `/v1/effects?status=failed&accountId=${a}`)).body.effects as any[])[0];
    expect(failed).toMatchObject({ kind: 'no-such-effect', status: 'failed', attempts: 1 });

    // A retry before the fix fails again, and is refused while it is pending.
    const retried = await t.api('POST', `/v1/effects/${failed.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'pending' });
    const twice = await t.api('POST', `/v1/effects/${failed.id}/retry`);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('effect_not_failed');
    expect((await t.api('POST', '/v1/effects/run')).body.effects).toEqual({ ran: 0, failed: 1 });

    // The fix (here: the effect made one the code runs — the expiry reminder of the contract's
    // term); retried, it runs once: the reminder is sent once, and a later run finds nothing.
    const term = (await sql<{ id: string }>`select id from contract_terms where account_id = ${a}`.execute(t.running.ctx.db)).rows[0]!;
    const contractId = (await t.api('GET', `/v1/accounts/${a}/state?at=2024-03-01`)).body.contract.id as string;
    await sql`update effects set kind = 'expiry-reminder', payload = ${JSON.stringify({ contractId, termId: term.id })}::jsonb where account_id = ${a} and id = ${failed.id}`.execute(t.running.ctx.db);
    expect((await t.api('POST', `/v1/effects/${failed.id}/retry`)).status).toBe(200);
    expect((await t.api('POST', '/v1/effects/run')).body.effects).toEqual({ ran: 1, failed: 0 });
    expect((await t.api('POST', '/v1/effects/run')).body.effects).toEqual({ ran: 0, failed: 0 });
    const reminders = ((await t.api('GET', `/v1/accounts/${a}/notices`)).body.notices as any[]).filter((n) => n.kind === 'expiry-reminder');
    expect(reminders).toHaveLength(1);
    expect(((await t.api('GET', `/v1/effects?status=done&accountId=${a}`)).body.effects as any[]).find((e) => e.id === failed.id)).toMatchObject({ status: 'done', kind: 'expiry-reminder' });
    const audit = ((await t.api('GET', `/v1/accounts/${a}/events`)).body.events as any[]).filter((e) => e.action === 'effect.retried');
    expect(audit).toHaveLength(2);
    // Newest first: the retry after the fix, then the one before it.
    expect(audit.map((e) => e.before.kind)).toEqual(['expiry-reminder', 'no-such-effect']);
    for (const e of audit) expect(e).toMatchObject({ actor: 'operator', subjectType: 'effect', subjectId: String(failed.id), before: { status: 'failed' }, after: { status: 'pending' } });
    expect(audit[1].before.lastError).toContain('No handler for effect kind no-such-effect');
    expect(placed.id).toMatch(/^ord_/);

    // Unknown and malformed ids.
    const unknown = await t.api('POST', '/v1/effects/999999999/retry');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('effect_not_found');
    const malformed = await t.api('POST', '/v1/effects/abc/retry');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('params.id');
  });
});

describe(`G3 running what is due without moving the clock (${DB_KIND})`, () => {
  it('GET /v1/effects counts what is due (by now, or by dueBy); POST /v1/effects/run runs it once by the clock now, the later effects stay pending', async () => {
    const a = await newAccount(t, 'premium');
    const now = Date.parse((await t.api('GET', '/v1/clock')).body.now as string);
    const base = (await t.api('GET', '/v1/effects?limit=1')).body;
    // Two effects of a term that no longer exists (a contract changed since): due a minute ago and in a day.
    // Running one finds nothing to do and is done; it never runs twice.
    for (const due of [now - 60_000, now + 86_400_000])
      await sql`insert into effects (account_id, kind, due_at, payload, created_at)
                values (${a}, 'expiry-reminder', ${new Date(due).toISOString()}::timestamptz, ${JSON.stringify({ contractId: 'con_gone', termId: 'trm_gone' })}::jsonb, now())`.execute(t.running.ctx.db);
    const before = (await t.api('GET', '/v1/effects?limit=1')).body;
    expect(before.due).toBe(base.due + 1);
    expect(before.counts.pending).toBe((base.counts.pending ?? 0) + 2);
    const dayAfter = new Date(now + 2 * 86_400_000).toISOString();
    expect((await t.api('GET', `/v1/effects?limit=1&dueBy=${encodeURIComponent(dayAfter)}`)).body.due).toBe(base.due + 2);

    const ran = await t.api('POST', '/v1/effects/run');
    expect(ran.status).toBe(200);
    expect(ran.body).toEqual({ now: new Date(now).toISOString().replace('.000Z', 'Z'), effects: { ran: base.due + 1, failed: 0 } });
    const after = (await t.api('GET', `/v1/effects?accountId=${a}`)).body;
    expect(after.due).toBe(0);
    expect(after.effects.map((e: any) => e.status).sort()).toEqual(['done', 'pending']);
    expect((await t.api('POST', '/v1/effects/run')).body.effects).toEqual({ ran: 0, failed: 0 });

    const bad = await t.api('GET', '/v1/effects?dueBy=tomorrow');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('querystring.dueBy');
  });
});

describe(`G3 renewals run once, also across a restart (${DB_KIND})`, () => {
  it('a teamspace Starter renews each 12 months with one renewal invoice per term, G1 from the original start', async () => {
    const database = await createTestDatabase();
    const env = { KEIYAKU_TEST_CLOCK: '2024-01-31T10:00:00+09:00' };
    // PGlite in memory cannot outlive its process; a data folder can.
    const folder: Record<string, string> = DB_KIND === 'pglite' ? { KEIYAKU_DATA: mkdtempSync(join(tmpdir(), 'keiyaku-renewals-')) } : {};
    let s = await startTestServer({ ...env, ...folder }, database ?? null);
    try {
      const id = await newAccount(s, 'teamspace');
      await order(s, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2024-02-29', paymentMethod: 'bank-transfer' });
      // Past two term ends in one jump: both renewals run, in order, and the two earlier invoices,
      // left unpaid, became overdue (SPEC §6): four effects.
      const moved = await s.api('POST', '/v1/clock', { now: '2026-03-15T00:00:00+09:00' });
      expect(moved.body.effects).toEqual({ ran: 4, failed: 0 });
      let invoices = (await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
      expect(invoices.map((i: any) => [i.issuedOn, i.period.start, i.period.end, i.amount.total])).toEqual([
        ['2026-03-01', '2026-03-01', '2027-02-28', 66000],
        ['2025-03-01', '2025-03-01', '2026-02-28', 66000],
        ['2024-01-31', '2024-02-29', '2025-02-28', 66000],
      ]);
      expect(invoices[0].dueOn).toBe('2026-03-31');
      expect(invoices.map((i: any) => i.status)).toEqual(['open', 'overdue', 'overdue']);
      expect(invoices[0].lines[0].description).toBe('Starter 100 (12 months)');
      // Restart on the same database: nothing runs twice, the clock resumes where it was.
      await s.stop();
      s = await startTestServer({ ...env, ...folder }, database ?? null);
      expect((await s.api('GET', '/v1/clock')).body.now).toBe('2026-03-14T15:00:00Z');
      const again = await s.api('POST', '/v1/clock', { now: '2026-03-20T00:00:00+09:00' });
      expect(again.body.effects).toEqual({ ran: 0, failed: 0 });
      invoices = (await s.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
      expect(invoices).toHaveLength(3);
      const state = (await s.api('GET', `/v1/accounts/${id}/state`)).body;
      expect(state.contract).toMatchObject({ start: '2026-03-01', end: '2027-02-28' });
      const renewed = (await s.api('GET', `/v1/accounts/${id}/events`)).body.events.filter((e: any) => e.action === 'contract.renewed');
      expect(renewed).toHaveLength(2);
      // The customer is told of each renewal once, with its invoice's number, amount and due date (its PDF attached).
      const told = (await s.api('GET', `/v1/accounts/${id}/notices`)).body.notices.filter((n: any) => n.kind === 'contract-renewed');
      expect(told.map((n: any) => n.attachment?.documentId).sort()).toEqual([invoices[0].id, invoices[1].id].sort());
      const of2026 = told.find((n: any) => n.attachment.documentId === invoices[0].id);
      expect(of2026.subject).toBe('【契約更新のお知らせ】「Starter」のご契約を更新しました');
      for (const fact of ['2026年3月1日〜2027年2月28日', '66,000円（税込）', 'お支払期限: 2026年3月31日', `請求書（${invoices[0].number}）のPDFを添付`]) expect(of2026.body).toContain(fact);
    } finally {
      await s.stop();
      await database?.drop();
      if (folder.KEIYAKU_DATA) rmSync(folder.KEIYAKU_DATA, { recursive: true, force: true });
    }
  });

  it('a contract set to return to the free plan is back on 10 seats after its term', async () => {
    const id = await newAccount(t, 'teamspace');
    const now = (await t.api('GET', '/v1/clock')).body.now as string;
    const start = now.slice(0, 10) > '2023-02-01' ? now.slice(0, 10) : '2023-02-01';
    await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: start, paymentMethod: 'card', renewal: 'to-free' });
    const end = (await t.api('GET', `/v1/accounts/${id}/state?at=${start}`)).body.contract.end as string;
    await setClock(`${end}T23:00:00+09:00`);
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.seats.limit).toBe(100);
    await setClock(`${end}T23:59:59+09:00`);
    await setClock('2030-01-01T00:00:00+09:00');
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe('teamspace-free');
    expect(state.seats.limit).toBe(10);
    expect((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices).toHaveLength(1);
  });
});

describe('the clock outside test-clock mode', () => {
  it('POST /v1/clock is 409 test_clock_disabled when the server runs on the system clock', async () => {
    const s = await startTestServer();
    try {
      const res = await s.api('POST', '/v1/clock', { now: '2040-01-01T00:00:00Z' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('test_clock_disabled');
      expect((await s.api('GET', '/v1/clock')).body.mode).toBe('system');
    } finally {
      await s.stop();
    }
  });
});
