/**
 * G3, issue 8: the scheduler runs a batch of effects set-based (accounts locked and loaded
 * together, writes in multi-row statements, documents numbered in one step). A year of effects on
 * accounts of every kind gives the same outcome whether they run one a transaction or hundreds.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

const START = '2026-04-01T09:00:00+09:00';
const TODAY = '2026-04-01';

/** Accounts of each kind a daily run meets; returns their ids in a fixed order. */
async function scenario(t: TestServer): Promise<string[]> {
  const ids: string[] = [];
  const register = async (id: string, n: number) => {
    for (let i = 1; i <= n; i++) expect((await t.api('POST', `/v1/accounts/${id}/members`, { email: `m${i}.${id}@example.jp`, name: `Member ${i}` })).status).toBe(201);
  };
  for (let k = 0; k < 3; k++) {
    // Renews with a renewal invoice; one of them paid its first invoice (not overdue).
    const renewing = await newAccount(t, 'teamspace');
    const placed = await order(t, { type: 'new-contract', accountId: renewing, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'bank-transfer' });
    if (k === 0) {
      const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
      expect((await t.api('POST', `/v1/invoices/${invoice.id}/payments`, { amount: invoice.amount.total, method: 'bank-transfer', paidOn: TODAY })).status).toBe(201);
    }
    await register(renewing, 2);
    // Returns to the free plan (10 seats) with 11 members besides the owner: 2 are deactivated.
    const toFree = await newAccount(t, 'teamspace');
    await order(t, { type: 'new-contract', accountId: toFree, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
    const contractId = (await t.api('GET', `/v1/accounts/${toFree}/state`)).body.contract.id;
    expect((await t.api('POST', `/v1/accounts/${toFree}/contracts/${contractId}/renewal`, { renewal: 'to-free' })).status).toBe(200);
    await register(toFree, 11);
    // Expires to its free plan, with the offer and the reminder before.
    const premium = await newAccount(t, 'premium');
    await order(t, { type: 'new-contract', accountId: premium, planId: 'plan-10', term: 'P1Y', startDate: TODAY, paymentMethod: 'card' });
    // Renews every month.
    const ebook = await newAccount(t, 'ebook5');
    await order(t, { type: 'new-contract', accountId: ebook, planId: 'business-5', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
    ids.push(renewing, toFree, premium, ebook);
  }
  // A spot of 100 seats for April with 103 members registered during it: 3 over the base 100.
  const spot = await newAccount(t, 'teamspace');
  await order(t, { type: 'new-contract', accountId: spot, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
  await order(t, { type: 'spot', accountId: spot, seats: 100, startDate: TODAY, months: 1, agreeToTerms: true, paymentMethod: 'card' });
  await register(spot, 102);
  ids.push(spot);
  return ids;
}

/** What a customer and the operator see of an account, without its generated ids. */
async function outcome(t: TestServer, id: string) {
  const strip = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/\b[a-z]+_[0-9a-f]{32}\b/g, 'ID').replace(/m(\d+)\.ID@/g, 'm$1@'));
  const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
  const members = ((await t.api('GET', `/v1/accounts/${id}/members`)).body.members as any[]).map((m) => ({ email: m.role === 'owner' ? 'owner' : m.email, status: m.status, groups: m.groups }));
  const invoices = ((await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as any[])
    .map((i) => ({ kind: i.kind, status: i.status, issuedOn: i.issuedOn, dueOn: i.dueOn, total: i.amount.total, lines: i.lines, period: i.period }))
    .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.total - b.total);
  const notices = ((await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices as any[]).map((n) => `${n.kind}: ${n.subject}`.replace(/INV-\d+/g, 'INV-n')).sort();
  const events = ((await t.api('GET', `/v1/accounts/${id}/events?limit=500`)).body.events as any[]).map((e) => e.action).sort();
  return strip({ state, members, invoices, notices, events });
}

describe(`the daily run, one effect a transaction, hundreds, or small batches on several connections (${DB_KIND})`, () => {
  const servers: TestServer[] = [];
  const runs: Array<{ ids: string[]; ran: number; failed: number; numbers: string[] }> = [];
  beforeAll(async () => {
    // One a transaction; 500 a transaction; batches of 3 on 4 connections at once (on a server:
    // an account's later effects wait for the batch holding it, then read what it committed).
    for (const [batch, connections] of [['1', '1'], ['500', '2'], ['3', '4']] as const) {
      const t = await startTestServer({ KEIYAKU_TEST_CLOCK: START, KEIYAKU_SCHEDULER_BATCH: batch, KEIYAKU_SCHEDULER_CONNECTIONS: connections });
      servers.push(t);
      const ids = await scenario(t);
      const moved = await t.api('POST', '/v1/clock', { now: '2027-04-01T00:30:00+09:00' });
      expect(moved.status).toBe(200);
      const numbers: string[] = [];
      for (const id of ids) for (const i of (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as any[]) if (i.kind === 'invoice') numbers.push(i.number);
      runs.push({ ids, ...moved.body.effects, numbers });
    }
  }, 600_000);
  afterAll(async () => {
    for (const t of servers) await t.stop();
  });

  it('G3, S9, P2, §6: every account ends the year the same way, and the numbers stay gapless', async () => {
    const [one] = runs;
    expect(one!.failed).toBe(0);
    for (let r = 1; r < runs.length; r++) {
      const many = runs[r]!;
      expect(many.failed).toBe(0);
      expect(many.ran).toBe(one!.ran);
      for (let k = 0; k < one!.ids.length; k++) expect(await outcome(servers[r]!, many.ids[k]!)).toEqual(await outcome(servers[0]!, one!.ids[k]!));
    }
    for (const run of runs) {
      const sorted = run.numbers.map((n) => Number(n.slice(4))).sort((a, b) => a - b);
      expect(sorted).toEqual(sorted.map((_, i) => i + 1));
    }
  });

  it('the year did what the rules say: renewals invoiced, expiries to free with the excess deactivated, the spot excess deactivated', async () => {
    const t = servers[1]!;
    const [renewing, toFree, premium, ebook] = runs[1]!.ids;
    const spot = runs[1]!.ids.at(-1)!;
    const renewed = (await t.api('GET', `/v1/accounts/${renewing}/state`)).body;
    expect(renewed.contract).toMatchObject({ start: '2027-04-01', end: '2028-03-31' });
    const renewingInvoices = (await t.api('GET', `/v1/accounts/${renewing}/invoices`)).body.invoices as any[];
    expect(renewingInvoices.map((i) => [i.issuedOn, i.status]).sort()).toEqual([
      ['2026-04-01', 'paid'],
      ['2027-04-01', 'open'],
    ]);
    expect((await t.api('GET', `/v1/accounts/${toFree}/state`)).body.plan.id).toBe('teamspace-free');
    const toFreeMembers = (await t.api('GET', `/v1/accounts/${toFree}/members`)).body.members as any[];
    expect(toFreeMembers.filter((m) => m.status === 'deactivated').map((m) => m.email.split('.')[0])).toEqual(expect.arrayContaining(['m10', 'm11']));
    expect(toFreeMembers.filter((m) => m.status === 'active')).toHaveLength(10);
    expect((await t.api('GET', `/v1/accounts/${premium}/state`)).body.plan.id).toBe('premium-free');
    const premiumNotices = ((await t.api('GET', `/v1/accounts/${premium}/notices`)).body.notices as any[]).map((n) => n.kind).sort();
    expect(premiumNotices).toEqual(expect.arrayContaining(['contract-expired', 'invoice-overdue']));
    // Caught up past the end in one step: no offer to renew, nor reminder, for a plan that has ended (docs/notices.md).
    expect(premiumNotices).not.toContain('renewal-offer-open');
    expect(premiumNotices).not.toContain('expiry-reminder');
    const ebookInvoices = ((await t.api('GET', `/v1/accounts/${ebook}/invoices`)).body.invoices as any[]).filter((i) => i.kind === 'invoice');
    expect(ebookInvoices).toHaveLength(13); // the first month and 12 renewals
    const spotMembers = (await t.api('GET', `/v1/accounts/${spot}/members`)).body.members as any[];
    expect(spotMembers.filter((m) => m.status === 'active')).toHaveLength(100);
    expect(spotMembers.filter((m) => m.status === 'deactivated').every((m) => m.groups.includes('Auto Deactivation'))).toBe(true);
    const spotNotices = ((await t.api('GET', `/v1/accounts/${spot}/notices`)).body.notices as any[]).map((n) => n.kind);
    expect(spotNotices).toContain('members-will-be-deactivated');
  });
});

describe(`G3, S9: an account's effects run in due order, also when two batches split them (${DB_KIND})`, () => {
  /** A Starter 100 with a spot of 100 seats for April and 102 members besides the owner: 3 over after it. */
  async function spotAccount(t: TestServer): Promise<string> {
    const spot = await newAccount(t, 'teamspace');
    await order(t, { type: 'new-contract', accountId: spot, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
    await order(t, { type: 'spot', accountId: spot, seats: 100, startDate: TODAY, months: 1, agreeToTerms: true, paymentMethod: 'card' });
    for (let i = 1; i <= 102; i++) expect((await t.api('POST', `/v1/accounts/${spot}/members`, { email: `m${i}.${spot}@example.jp`, name: `Member ${i}` })).status).toBe(201);
    return spot;
  }
  /** The warning a week before the spot's end counted the 3 members over; then they were deactivated. */
  async function expectWarnedThenDeactivated(t: TestServer, spot: string): Promise<void> {
    const notices = (await t.api('GET', `/v1/accounts/${spot}/notices`)).body.notices as any[];
    expect(notices.filter((n) => n.kind === 'members-will-be-deactivated').map((n) => n.subject)).toEqual(['【重要】2026年5月1日にメンバー3名のアカウントが無効になります']);
    const members = (await t.api('GET', `/v1/accounts/${spot}/members`)).body.members as any[];
    expect(members.filter((m) => m.status === 'deactivated')).toHaveLength(3);
    expect(members.filter((m) => m.status === 'active')).toHaveLength(100);
  }

  if (DB_KIND === 'postgres') {
    it('the spot-end warning claimed by another transaction runs before the deactivation it warns of, though this run locked the account first', { timeout: 120_000 }, async () => {
      const t = await startTestServer({ KEIYAKU_TEST_CLOCK: START, KEIYAKU_SCHEDULER_CONNECTIONS: '2' });
      const other = new pg.Client({ connectionString: t.databaseUrl! });
      try {
        const spot = await spotAccount(t);
        const pending = (await t.api('GET', `/v1/effects?accountId=${spot}&status=pending`)).body.effects as any[];
        const warning = pending.find((e) => e.kind === 'spot-end-warning');
        expect(warning).toMatchObject({ dueAt: '2026-04-23T15:00:00.000Z' });
        // Another batch has claimed the warning (its claim marks it done, uncommitted) but has not
        // locked the account yet; this server's run claims the spot's end behind it.
        await other.connect();
        await other.query('begin');
        await other.query(`update effects set status = 'done', attempts = attempts + 1 where account_id = $1 and id = $2`, [spot, warning.id]);
        const moved = t.api('POST', '/v1/clock', { now: '2026-05-01T00:30:00+09:00' });
        let settled = false;
        void moved.then(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        // The run gives the spot's end back while the warning is in flight, rather than run it first.
        expect(settled).toBe(false);
        const members = (await t.api('GET', `/v1/accounts/${spot}/members`)).body.members as any[];
        expect(members.filter((m) => m.status === 'deactivated')).toHaveLength(0);
        // The other batch fails and rolls back: the warning is pending again, and this run takes it.
        await other.query('rollback');
        const done = await moved;
        expect(done.status).toBe(200);
        expect(done.body.effects.failed).toBe(0);
        await expectWarnedThenDeactivated(t, spot);
        expect((await t.api('GET', `/v1/effects?accountId=${spot}&status=pending`)).body.effects.filter((e: any) => e.dueAt <= '2026-04-30T15:00:00.000Z')).toEqual([]);
      } finally {
        await other.end().catch(() => undefined);
        await t.stop();
      }
    });
  } else {
    it('on the embedded database one connection runs the batches: the spot-end warning, then the deactivation', { timeout: 120_000 }, async () => {
      const t = await startTestServer({ KEIYAKU_TEST_CLOCK: START, KEIYAKU_SCHEDULER_BATCH: '1' });
      try {
        const spot = await spotAccount(t);
        expect((await t.api('POST', '/v1/clock', { now: '2026-05-01T00:30:00+09:00' })).status).toBe(200);
        await expectWarnedThenDeactivated(t, spot);
      } finally {
        await t.stop();
      }
    });
  }
});
