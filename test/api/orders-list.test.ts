/** GET /v1/orders: the operator's list of orders across accounts (the console's acceptance queue), a customer's of its own account. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** Moves the test clock one minute on, so orders placed one after the other have distinct times. */
let minute = 0;
async function tick() {
  minute++;
  const res = await t.api('POST', '/v1/clock', { now: `2026-04-01T10:${String(minute).padStart(2, '0')}:00+09:00` });
  if (res.status !== 200) throw new Error(`POST /v1/clock → ${res.status} ${JSON.stringify(res.body)}`);
}

/** An ebook5 account on business-5 for a month, paid by card; returns its id and the completed order. */
async function ebook() {
  const id = await newAccount(t, 'ebook5');
  const bought = await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-04-01', paymentMethod: 'card' });
  return { id, bought };
}

/** A plan change waits for acceptance (B9): it is placed, not completed. */
async function planChange(accountId: string) {
  await tick();
  return order(t, { type: 'plan-change', accountId, planId: 'business-10' });
}

describe(`GET /v1/orders (${DB_KIND})`, () => {
  it('the operator sees the orders waiting for acceptance across accounts, newest first, shaped like GET /v1/orders/{id}', async () => {
    const a = await ebook();
    const b = await ebook();
    const waitingA = await planChange(a.id);
    const waitingB = await planChange(b.id);
    expect([waitingA.status, waitingB.status]).toEqual(['placed', 'placed']);

    const res = await t.api('GET', '/v1/orders?status=placed');
    expect(res.status).toBe(200);
    const ids = res.body.orders.map((o: { id: string }) => o.id);
    expect(ids.indexOf(waitingB.id)).toBeLessThan(ids.indexOf(waitingA.id));
    expect(ids).toContain(waitingA.id);
    expect(ids).not.toContain(a.bought.id); // completed at once
    expect(res.body.orders.every((o: { status: string }) => o.status === 'placed')).toBe(true);
    const one = res.body.orders.find((o: { id: string }) => o.id === waitingA.id);
    expect(one).toEqual((await t.api('GET', `/v1/orders/${waitingA.id}`)).body);
    expect(one).toMatchObject({ accountId: a.id, type: 'plan-change', status: 'placed', amount: { total: 9900, currency: 'JPY' }, invoiceId: null });
  });

  it('filters by account and status, and limits the count', async () => {
    const a = await ebook();
    const waiting = await planChange(a.id);
    const mine = (await t.api('GET', `/v1/orders?accountId=${a.id}`)).body.orders;
    expect(mine.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [waiting.id, 'placed'],
      [a.bought.id, 'completed'],
    ]);
    const completed = (await t.api('GET', `/v1/orders?accountId=${a.id}&status=completed`)).body.orders;
    expect(completed.map((o: { id: string }) => o.id)).toEqual([a.bought.id]);
    expect((await t.api('GET', '/v1/orders?limit=1')).body.orders).toHaveLength(1);
    expect((await t.api('GET', '/v1/orders?accountId=acc_nobody')).body.orders).toEqual([]);
  });

  it('a customer sees only its own account\'s orders (another account named: 404); no credential: 401', async () => {
    const a = await ebook();
    const b = await ebook();
    const waitingA = await planChange(a.id);
    await planChange(b.id);
    const token = (await t.api('POST', `/v1/accounts/${a.id}/portal-sessions`, {})).body.token as string;
    const all = await t.api('GET', '/v1/orders', undefined, { token });
    expect(all.status).toBe(200);
    expect(all.body.orders.map((o: { id: string }) => o.id)).toEqual([waitingA.id, a.bought.id]);
    const placed = await t.api('GET', `/v1/orders?status=placed&accountId=${a.id}`, undefined, { token });
    expect(placed.body.orders.map((o: { id: string }) => o.id)).toEqual([waitingA.id]);
    const other = await t.api('GET', `/v1/orders?accountId=${b.id}`, undefined, { token });
    expect(other.status).toBe(404);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.code).toBe('account_not_found');
    expect((await t.api('GET', '/v1/orders', undefined, { token: null })).status).toBe(401);
  });

  it('an unknown status or a bad limit is a 400 problem naming the field', async () => {
    const res = await t.api('GET', '/v1/orders?status=waiting');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('querystring.status');
    expect((await t.api('GET', '/v1/orders?limit=0')).status).toBe(400);
  });
});
