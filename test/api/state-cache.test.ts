/**
 * The state cache (issue 8, src/app/state-cache.ts): entitlement checks and member reads are
 * answered from memory, and every write that changes an account is seen by the next read — in
 * the same process at once, in another process on the same PostgreSQL within a short wait.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateCacheOf } from '../../src/app/state-cache.js';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, createTestDatabase, email, newAccount, order, startTestServer } from '../support/harness.js';
import { runToExit } from '../support/process.js';

const TODAY = '2026-04-01';
const CLOCK = { KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' };

const check = (t: TestServer, id: string, body: unknown) => t.api('POST', `/v1/accounts/${id}/entitlements/check`, body).then((r) => {
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { allowed: boolean; code?: string; limit?: number; usage?: number };
});
const hits = (t: TestServer) => stateCacheOf(t.running.ctx)?.hits ?? 0;

async function register(t: TestServer, id: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await t.api('POST', `/v1/accounts/${id}/members`, { email: email('member'), name: `Member ${i}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id as string);
  }
  return ids;
}

describe(`the state cache in one process (${DB_KIND})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(CLOCK);
  });
  afterAll(async () => t?.stop());

  it('repeated checks are answered from memory, and a usage report is seen by the very next check', async () => {
    const id = await newAccount(t, 'ebook5');
    await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
    expect(await check(t, id, { resource: 'books', increment: 1 })).toEqual({ allowed: true, limit: 5, usage: 0 });
    const before = hits(t);
    for (let i = 0; i < 5; i++) expect((await check(t, id, { resource: 'books', increment: 1 })).allowed).toBe(true);
    expect(hits(t) - before).toBe(5);

    expect((await t.api('PUT', `/v1/accounts/${id}/usage`, { books: 5 })).status).toBe(200);
    expect(await check(t, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: false, code: 'limit_reached', limit: 5, usage: 5 });
    expect((await t.api('PUT', `/v1/accounts/${id}/usage`, { books: 4 })).status).toBe(200);
    expect(await check(t, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: true, usage: 4 });
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.usage).toEqual({ books: 4 });
  });

  it('a burst of cold checks over many accounts answers each with its own facts; a report made during the burst is seen by the next check', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const id = await newAccount(t, 'ebook5');
      await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
      expect((await t.api('PUT', `/v1/accounts/${id}/usage`, { books: i % 6 })).status).toBe(200);
      ids.push(id);
    }
    stateCacheOf(t.running.ctx)!.invalidateAll(); // as after a start: nothing in memory
    const missesBefore = stateCacheOf(t.running.ctx)!.misses;
    const [checks, unknown, reported] = await Promise.all([
      Promise.all(ids.map((id) => check(t, id, { resource: 'books', increment: 1 }))),
      t.api('POST', '/v1/accounts/acc_00000000000000000000000000000000/entitlements/check', { resource: 'books', increment: 1 }),
      t.api('PUT', `/v1/accounts/${ids[0]}/usage`, { books: 5 }),
    ]);
    expect(stateCacheOf(t.running.ctx)!.misses - missesBefore).toBeGreaterThanOrEqual(ids.length);
    // The first account's check ran alongside its report: it saw the usage before or after it.
    expect([0, 5]).toContain(checks[0]!.usage);
    expect(checks.slice(1).map((c) => c.usage)).toEqual(ids.slice(1).map((_, i) => (i + 1) % 6));
    expect(checks.slice(1).map((c) => c.allowed)).toEqual(ids.slice(1).map((_, i) => (i + 1) % 6 < 5));
    expect(unknown.status).toBe(404);
    expect(reported.status).toBe(200);
    // Whether the burst's load of the first account read before or after the report, the next check sees it.
    expect(await check(t, ids[0]!, { resource: 'books', increment: 1 })).toMatchObject({ allowed: false, code: 'limit_reached', usage: 5 });
    for (let i = 1; i < ids.length; i++) expect((await check(t, ids[i]!, { resource: 'books', increment: 0 })).usage).toBe(i % 6);
  });

  it('member registrations are seen by the next check; an order by the next check and state read', async () => {
    const id = await newAccount(t, 'teamspace'); // the free plan: 10 seats, the owner holds one
    expect(await check(t, id, { resource: 'seats', increment: 9 })).toMatchObject({ allowed: true, limit: 10, usage: 1 });
    await register(t, id, 9);
    expect(await check(t, id, { resource: 'seats', increment: 1 })).toMatchObject({ allowed: false, code: 'limit_reached', limit: 10, usage: 10 });
    const members = (await t.api('GET', `/v1/accounts/${id}/members`)).body.members as Array<{ id: string }>;
    expect(members).toHaveLength(10);
    for (const m of members) expect((await t.api('GET', `/v1/accounts/${id}/members/${m.id}`)).body.canLogIn).toBe(true);

    await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
    expect(await check(t, id, { resource: 'seats', increment: 1 })).toMatchObject({ allowed: true, limit: 100, usage: 10 });
    expect((await t.api('GET', `/v1/accounts/${id}/state`)).body.plan.id).toBe('starter');
  });

  it('a refused write changes nothing the check sees; an unknown account is 404 every time', async () => {
    const id = await newAccount(t, 'ebook5');
    await order(t, { type: 'new-contract', accountId: id, planId: 'personal-1', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
    expect(await check(t, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: true, limit: 1 });
    expect((await t.api('PUT', `/v1/accounts/${id}/usage`, { books: -1 })).status).toBe(400);
    expect(await check(t, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: true, limit: 1, usage: 0 });
    for (let i = 0; i < 2; i++) expect((await t.api('POST', '/v1/accounts/acc_nope/entitlements/check', { resource: 'books' })).status).toBe(404);
  });

  // Last in this file: it moves the test clock.
  it('the day changing is seen: a spot counts from its first day; members the scheduler deactivates cannot log in at once', { timeout: 120_000 }, async () => {
    const id = await newAccount(t, 'teamspace');
    await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
    await order(t, { type: 'spot', accountId: id, seats: 100, startDate: '2026-05-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
    expect((await t.api('POST', '/v1/clock', { now: '2026-04-30T23:59:00+09:00' })).status).toBe(200);
    expect(await check(t, id, { resource: 'seats', increment: 100 })).toMatchObject({ allowed: false, limit: 100, usage: 1 });
    expect((await t.api('POST', '/v1/clock', { now: '2026-05-01T00:00:01+09:00' })).status).toBe(200);
    expect(await check(t, id, { resource: 'seats', increment: 100 })).toMatchObject({ allowed: true, limit: 200, usage: 1 });

    const added = await register(t, id, 100); // 101 active on 200 seats
    const last = added.at(-1)!;
    expect((await t.api('GET', `/v1/accounts/${id}/members/${last}`)).body.canLogIn).toBe(true);
    // The spot ends after 2026-05-31: the seat limit drops to 100 and one member is deactivated (S9).
    expect((await t.api('POST', '/v1/clock', { now: '2026-06-01T00:00:30+09:00' })).status).toBe(200);
    expect(await check(t, id, { resource: 'seats', increment: 1 })).toMatchObject({ allowed: false, limit: 100, usage: 100 });
    const read = await t.api('GET', `/v1/accounts/${id}/members/${last}`);
    expect(read.body).toMatchObject({ status: 'deactivated', canLogIn: false });
  });
});

describe(`the state cache across processes (${DB_KIND})`, () => {
  if (DB_KIND === 'postgres') {
    it('a write in one server is seen by the other server\'s next checks within 2 s (LISTEN/NOTIFY)', { timeout: 60_000 }, async () => {
      const db = (await createTestDatabase())!;
      const a = await startTestServer(CLOCK, db);
      const b = await startTestServer(CLOCK, db);
      try {
        expect(stateCacheOf(a.running.ctx)?.active).toBe(true);
        const id = await newAccount(a, 'ebook5');
        await order(a, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
        // Warm A's cache, then write through B.
        expect(await check(a, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: true, usage: 0 });
        const warm = hits(a);
        expect(await check(a, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: true, usage: 0 });
        expect(hits(a)).toBe(warm + 1);
        const written = performance.now();
        expect((await b.api('PUT', `/v1/accounts/${id}/usage`, { books: 5 })).status).toBe(200);
        let seen = await check(a, id, { resource: 'books', increment: 1 });
        while (seen.allowed && performance.now() - written < 2000) {
          await new Promise((r) => setTimeout(r, 5));
          seen = await check(a, id, { resource: 'books', increment: 1 });
        }
        expect(seen).toMatchObject({ allowed: false, code: 'limit_reached', usage: 5 });
        // Members registered through B count in A's next checks too.
        const team = await newAccount(b, 'teamspace');
        expect(await check(a, team, { resource: 'seats', increment: 1 })).toMatchObject({ allowed: true, limit: 10, usage: 1 });
        await register(b, team, 9);
        const registered = performance.now();
        let full = await check(a, team, { resource: 'seats', increment: 1 });
        while (full.allowed && performance.now() - registered < 2000) {
          await new Promise((r) => setTimeout(r, 5));
          full = await check(a, team, { resource: 'seats', increment: 1 });
        }
        expect(full).toMatchObject({ allowed: false, usage: 10 });
        // A portal token in use on A (its session kept there) is refused by A within 2 s once the
        // customer signs out through B, and once the operator revokes the account's sessions through B.
        for (const end of ['sign-out', 'revoke'] as const) {
          const token = (await b.api('POST', `/v1/accounts/${team}/portal-sessions`)).body.token as string;
          for (let i = 0; i < 2; i++) expect((await a.api('GET', '/v1/session', undefined, { token })).status).toBe(200);
          const ended = end === 'sign-out' ? await b.api('DELETE', '/v1/session', undefined, { token }) : await b.api('DELETE', `/v1/accounts/${team}/portal-sessions`);
          expect(ended.status).toBe(end === 'sign-out' ? 204 : 200);
          const at = performance.now();
          let status = (await a.api('GET', '/v1/session', undefined, { token })).status;
          while (status === 200 && performance.now() - at < 2000) {
            await new Promise((r) => setTimeout(r, 5));
            status = (await a.api('GET', '/v1/session', undefined, { token })).status;
          }
          expect(status, end).toBe(401);
        }
      } finally {
        await a.stop();
        await b.stop();
        await db.drop();
      }
    });
  } else {
    it('the embedded database has one process: a second server on the same data folder is refused, so there is no other writer to hear from', { timeout: 60_000 }, async () => {
      const data = mkdtempSync(join(tmpdir(), 'keiyaku-cache-'));
      const a = await startTestServer({ ...CLOCK, KEIYAKU_DATA: data }, null);
      try {
        const second = await runToExit({ ...CLOCK, KEIYAKU_DATA: data });
        expect(second.code).toBe(2);
        expect(second.output).toContain('in use by another Keiyaku process');
        expect(stateCacheOf(a.running.ctx)?.active).toBe(true);
        const id = await newAccount(a, 'ebook5');
        await order(a, { type: 'new-contract', accountId: id, planId: 'personal-1', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
        expect(await check(a, id, { resource: 'books', increment: 1 })).toMatchObject({ allowed: true, limit: 1 });
      } finally {
        await a.stop();
        rmSync(data, { recursive: true, force: true });
      }
    });
  }
});
