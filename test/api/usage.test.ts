import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

// The test clock stands on 2026-04-01 09:00 in Tokyo: "today" is 2026-04-01.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const TODAY = '2026-04-01';

/** An ebook5 account on Business 5 (5 books, 500 MB, no heatmap) from today. */
async function business5(planId = 'business-5'): Promise<string> {
  const id = await newAccount(t, 'ebook5');
  await order(t, { type: 'new-contract', accountId: id, planId, term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
  return id;
}

const report = (accountId: string, body: unknown, opts: { token?: string | null; headers?: Record<string, string> } = {}) => t.api('PUT', `/v1/accounts/${accountId}/usage`, body, opts);
const check = (accountId: string, body: unknown, opts: { token?: string | null } = {}) => t.api('POST', `/v1/accounts/${accountId}/entitlements/check`, body, opts);

async function state(accountId: string): Promise<any> {
  const res = await t.api('GET', `/v1/accounts/${accountId}/state`);
  expect(res.status).toBe(200);
  return res.body;
}

async function events(accountId: string, action: string): Promise<any[]> {
  const all = (await t.api('GET', `/v1/accounts/${accountId}/events?limit=1000`)).body.events as any[];
  return all.filter((e) => e.action === action);
}

describe(`usage gauges (${DB_KIND})`, () => {
  it('a report sets the gauges the state shows; a later report replaces only the gauges it names', async () => {
    const id = await business5();
    expect((await state(id)).usage).toEqual({});
    const first = await report(id, { books: 5, storageMb: 120 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ usage: { books: 5, storageMb: 120 } });
    const s = await state(id);
    expect(s.plan.id).toBe('business-5');
    expect(s.usage).toEqual({ books: 5, storageMb: 120 });

    const second = await report(id, { storageMb: 62 });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ usage: { books: 5, storageMb: 62 } });
    const zero = await report(id, { books: 0 });
    expect(zero.body).toEqual({ usage: { books: 0, storageMb: 62 } });
    expect((await state(id)).usage).toEqual({ books: 0, storageMb: 62 });
  });

  it('bad bodies are 400 invalid_request naming the field, and change nothing', async () => {
    const id = await business5();
    await report(id, { books: 2, storageMb: 10 });
    const cases: Array<[unknown, string]> = [
      [{}, 'body'],
      [{ books: -1 }, 'body.books'],
      [{ books: 1.5 }, 'body.books'],
      [{ books: '3' }, 'body.books'],
      [{ storageMb: null }, 'body.storageMb'],
      [{ books: 1, pages: 3 }, 'body.pages'],
      [{ seats: 3 }, 'body.seats'],
      [[], 'body'],
    ];
    for (const [body, path] of cases) {
      const res = await report(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors.map((e: any) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect((await state(id)).usage).toEqual({ books: 2, storageMb: 10 });
  });

  it('a gauge the account\'s product has no limit for is 422 usage_not_offered', async () => {
    for (const product of ['teamspace', 'premium']) {
      const id = await newAccount(t, product);
      const res = await report(id, { books: 1 });
      expect(res.status, product).toBe(422);
      expect(res.body.code).toBe('usage_not_offered');
      expect(res.body.errors[0].path).toBe('books');
      expect((await state(id)).usage).toEqual({});
    }
  });

  it('G5: a report that changes a value is a usage.reported event with the gauges before and after; a repeat is not', async () => {
    const id = await business5();
    await report(id, { books: 3, storageMb: 40 });
    await report(id, { books: 4 });
    await report(id, { books: 4 }); // the same level again: nothing changed
    const reported = await events(id, 'usage.reported');
    expect(reported).toHaveLength(2);
    // Newest first.
    expect(reported[0]).toMatchObject({ accountId: id, actor: 'operator', subjectType: 'account', subjectId: id, before: { books: 3, storageMb: 40 }, after: { books: 4, storageMb: 40 } });
    expect(reported[1]).toMatchObject({ before: {}, after: { books: 3, storageMb: 40 } });
    expect(Number.isNaN(Date.parse(reported[0].at))).toBe(false);
  });

  it('G6: a retried report with the same Idempotency-Key replays; another body with it is 409', async () => {
    const id = await business5();
    const headers = { 'idempotency-key': `usage-${id}` };
    const first = await report(id, { books: 2, storageMb: 30 }, { headers });
    await report(id, { books: 3 }); // the app moves on meanwhile
    const again = await report(id, { books: 2, storageMb: 30 }, { headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await state(id)).usage).toEqual({ books: 3, storageMb: 30 }); // the replay wrote nothing
    expect(await events(id, 'usage.reported')).toHaveLength(2);
    const reused = await report(id, { books: 9 }, { headers });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });
});

describe('B4, B5: entitlement checks', () => {
  it('Business 5 with 5 books and 120 MB: a 6th book is limit_reached, 100 MB more is allowed, heatmap is not included', async () => {
    const id = await business5();
    expect((await report(id, { books: 5, storageMb: 120 })).status).toBe(200);

    const book = await check(id, { resource: 'books', increment: 1 });
    expect(book.status).toBe(200);
    expect(book.body).toEqual({ allowed: false, code: 'limit_reached', limit: 5, usage: 5 });
    // increment defaults to 1
    expect((await check(id, { resource: 'books' })).body).toEqual({ allowed: false, code: 'limit_reached', limit: 5, usage: 5 });
    expect((await check(id, { resource: 'books', increment: -1 })).body).toEqual({ allowed: true, limit: 5, usage: 5 });

    const storage = await check(id, { resource: 'storageMb', increment: 100 });
    expect(storage.status).toBe(200);
    expect(storage.body).toEqual({ allowed: true, limit: 500, usage: 120 });
    expect((await check(id, { resource: 'storageMb', increment: 381 })).body).toEqual({ allowed: false, code: 'limit_reached', limit: 500, usage: 120 });

    const heatmap = await check(id, { feature: 'heatmap' });
    expect(heatmap.status).toBe(200);
    expect(heatmap.body).toEqual({ allowed: false, code: 'feature_not_included' });
    expect((await check(id, { resource: 'seats' })).body).toEqual({ allowed: false, code: 'not_in_plan', usage: 0 });
  });

  it('Business 10 includes heatmap and lets the same books grow', async () => {
    const id = await business5('business-10');
    await report(id, { books: 5 });
    expect((await check(id, { feature: 'heatmap' })).body).toEqual({ allowed: true });
    expect((await check(id, { resource: 'books', increment: 1 })).body).toEqual({ allowed: true, limit: 10, usage: 5 });
  });

  it('B5: storage reported over the limit refuses growth with over_limit and allows decreases', async () => {
    const id = await business5();
    // The app reports what is stored even past the limit (B5: content stays after a downgrade).
    expect((await report(id, { storageMb: 620 })).status).toBe(200);
    expect((await state(id)).usage.storageMb).toBe(620);
    expect((await check(id, { resource: 'storageMb', increment: 1 })).body).toEqual({ allowed: false, code: 'over_limit', limit: 500, usage: 620 });
    expect((await check(id, { resource: 'storageMb', increment: -200 })).body).toEqual({ allowed: true, limit: 500, usage: 620 });
    await report(id, { storageMb: 420 });
    expect((await check(id, { resource: 'storageMb', increment: 80 })).body).toEqual({ allowed: true, limit: 500, usage: 420 });
  });

  it('an ebook5 account without a contract has no plan: growth is not_in_plan', async () => {
    const id = await newAccount(t, 'ebook5');
    expect((await check(id, { resource: 'books', increment: 1 })).body).toEqual({ allowed: false, code: 'not_in_plan', usage: 0 });
  });

  it('S8: seats check active members against the seat limit', async () => {
    const id = await newAccount(t, 'teamspace');
    // The owner holds one of the 10 free seats.
    expect((await check(id, { resource: 'seats', increment: 9 })).body).toEqual({ allowed: true, limit: 10, usage: 1 });
    expect((await check(id, { resource: 'seats', increment: 10 })).body).toEqual({ allowed: false, code: 'limit_reached', limit: 10, usage: 1 });
    expect((await check(id, { resource: 'books' })).body).toEqual({ allowed: false, code: 'not_in_plan', usage: 0 });
  });

  it('bad check bodies are 400 invalid_request naming the field', async () => {
    const id = await business5();
    const cases: Array<[unknown, string]> = [
      [{}, 'body.resource'],
      [{ resource: 'pages' }, 'body.resource'],
      [{ resource: 'books', increment: 1.5 }, 'body.increment'],
      [{ resource: 'books', increment: '1' }, 'body.increment'],
      [{ resource: 'books', feature: 'heatmap' }, 'body.feature'],
      [{ feature: '' }, 'body.feature'],
      [{ feature: 'heatmap', increment: 1 }, 'body.increment'],
      [{ resource: 'books', extra: true }, 'body.extra'],
    ];
    for (const [body, path] of cases) {
      const res = await check(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors.map((e: any) => e.path), JSON.stringify(body)).toContain(path);
    }
  });
});

describe('usage: unknown accounts and customer tokens', () => {
  it('an unknown account is 404 account_not_found for both endpoints', async () => {
    for (const res of [await report('acc_missing', { books: 1 }), await check('acc_missing', { resource: 'books' })]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('account_not_found');
    }
  });

  it('a customer token reports and checks its own account; another account is 404; no credential is 401', async () => {
    const mine = await business5();
    const other = await business5();
    await report(other, { books: 1 });
    const token = (await t.api('POST', `/v1/accounts/${mine}/portal-sessions`, {})).body.token as string;

    const own = await report(mine, { books: 2 }, { token });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ usage: { books: 2 } });
    expect((await check(mine, { resource: 'books' }, { token })).body).toEqual({ allowed: true, limit: 5, usage: 2 });
    expect((await events(mine, 'usage.reported'))[0].actor).toBe(`customer:${mine}`);

    for (const res of [await report(other, { books: 5 }, { token }), await check(other, { resource: 'books' }, { token })]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await state(other)).usage).toEqual({ books: 1 });
    expect((await report(mine, { books: 3 }, { token: null })).status).toBe(401);
    expect((await check(mine, { resource: 'books' }, { token: null })).status).toBe(401);
  });
});
