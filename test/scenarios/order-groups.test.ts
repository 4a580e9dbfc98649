/**
 * Issue 8: concurrent `POST /v1/orders` are placed in groups, one transaction a group
 * (src/app/order-groups.ts). Each order must come out exactly as it would alone: its seats,
 * its invoice numbered from the gapless series (SPEC §6), its audit trail in order (G5), its
 * notice naming its invoice, its idempotency key answering its first result (G6), and the
 * refusals refused. A group that fails in the database changes nothing and its orders are placed
 * one at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ApiResponse, TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';
import { orderGroupStats } from '../../src/app/order-groups.js';

let t: TestServer;
const TODAY = '2026-06-01';
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-06-01T10:00:00+09:00' });
});
afterAll(async () => t?.stop());

const spot = (accountId: string, seats = 100) => ({ type: 'spot', accountId, seats, startDate: TODAY, months: 1, agreeToTerms: true, paymentMethod: 'card' });

async function teamAccounts(n: number): Promise<string[]> {
  const ids = await Promise.all(Array.from({ length: n }, () => newAccount(t, 'teamspace')));
  for (const id of ids) await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: TODAY, paymentMethod: 'bank-transfer' });
  return ids;
}

async function invoiceNumbers(): Promise<number[]> {
  const { rows } = await sql<{ number: string }>`select number from invoices where kind = 'invoice'`.execute(t.running.ctx.db);
  return rows.map((r) => Number(r.number.split('-')[1])).sort((a, b) => a - b);
}

function expectGapless(numbers: number[]): void {
  expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
}

describe(`orders placed in groups (${DB_KIND})`, () => {
  it('S1–S6, SPEC §6, G5, G6: 51 concurrent orders over 30 accounts — each placed once as alone, refusals refused, keys replayed, numbers gapless', async () => {
    const ids = await teamAccounts(30);
    const before = orderGroupStats(t.running.ctx);
    const key = (i: number) => ({ headers: { 'idempotency-key': `group-${i}` } });
    const requests: Array<Promise<ApiResponse>> = [
      // One spot order on each account, every third with an idempotency key.
      ...ids.map((id, i) => t.api('POST', '/v1/orders', spot(id), i % 3 === 0 ? key(i) : {})),
      // A second on the first ten: it must see the first (a group holds one order an account).
      ...ids.slice(0, 10).map((id) => t.api('POST', '/v1/orders', spot(id))),
      // Refused by the rules (S3: units of 100), among the placed ones.
      ...ids.slice(10, 15).map((id) => t.api('POST', '/v1/orders', spot(id, 50))),
      // The same key again with the same request (answered the first result) and with another (refused).
      ...[0, 3, 6].map((i) => t.api('POST', '/v1/orders', spot(ids[i]!), key(i))),
      ...[9, 12].map((i) => t.api('POST', '/v1/orders', spot(ids[i]!, 200), key(i))),
      // No such account.
      t.api('POST', '/v1/orders', spot('acc_00000000000000000000000000000000')),
    ];
    const answers = await Promise.all(requests);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const first = answers.slice(0, 30);
    const second = answers.slice(30, 40);
    const refused = answers.slice(40, 45);
    const replays = answers.slice(45, 48);
    const reused = answers.slice(48, 50);
    expect([...first, ...second].map((a) => a.status)).toEqual(Array(40).fill(201));
    expect(refused.map((a) => [a.status, a.body.code])).toEqual(Array(5).fill([422, 'invalid_quantity']));
    // G6: a retry answers the first result, whichever group either went in.
    replays.forEach((a, n) => {
      expect(a.status).toBe(201);
      expect(a.headers['idempotent-replayed']).toBe('true');
      expect(a.body).toEqual(first[[0, 3, 6][n]!]!.body);
    });
    expect(reused.map((a) => [a.status, a.body.code])).toEqual(Array(2).fill([409, 'idempotency_key_reused']));
    expect([answers[50]!.status, answers[50]!.body.code]).toEqual([404, 'account_not_found']);
    // Groups were formed (the point of this test), and none had to be placed again.
    const after = orderGroupStats(t.running.ctx);
    expect(after.groups).toBeGreaterThan(before.groups);
    expect(after.grouped - before.grouped).toBeGreaterThanOrEqual(2 * (after.groups - before.groups));
    expect(after.replayed).toBe(before.replayed);

    // Each account: 100 seats + 100 a spot order placed, an invoice an order, the trail in order.
    for (const [i, id] of ids.entries()) {
      const placed = [first[i]!, ...(i < 10 ? [second[i]!] : [])];
      const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
      expect(state.seats.limit).toBe(100 + 100 * placed.length);
      const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ id: string; number: string; orderId: string | null }>;
      for (const o of placed) expect(invoices.filter((x) => x.id === o.body.invoiceId && x.orderId === o.body.id)).toHaveLength(1);
      const events = (await t.api('GET', `/v1/accounts/${id}/events?limit=200`)).body.events as Array<{ action: string; subjectId: string; after: { number?: string } | null }>;
      for (const o of placed) {
        const mine = events.filter((e) => e.subjectId === o.body.id || e.subjectId === o.body.invoiceId || (e.action === 'contract.spot_added' && JSON.stringify(e.after).includes(o.body.id)));
        // Newest first, as the trail lists them: in the order they happened, as alone.
        expect(mine.map((e) => e.action)).toEqual(['order.completed', 'invoice.issued', 'contract.spot_added', 'order.placed']);
        const number = invoices.find((x) => x.id === o.body.invoiceId)!.number;
        expect(mine.find((e) => e.action === 'invoice.issued')!.after!.number).toBe(number);
      }
      // The notices name their own invoice's number.
      const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string; body: string; attachmentDocumentId?: string | null }>;
      for (const o of placed) {
        const number = invoices.find((x) => x.id === o.body.invoiceId)!.number;
        const notice = notices.filter((n) => n.kind === 'order-completed' && n.body.includes(number));
        expect(notice).toHaveLength(1);
      }
    }
    expectGapless(await invoiceNumbers());
  });

  it('G5, G6, SPEC §6: a group that fails in the database changes nothing, and its orders are then placed one at a time, each once', async () => {
    const ids = await teamAccounts(12);
    const db = t.running.ctx.db;
    // A database error that only a group meets: more than one order row inserted by one statement
    // (as a deadlock with another process would abort it, with a real SQLSTATE).
    await sql
      .raw(
        `create function test_no_groups() returns trigger language plpgsql as $$ begin
           if (select count(*) from new_orders) > 1 then raise exception 'a group of orders' using errcode = '40P01'; end if;
           return null; end $$;
         create trigger test_no_groups after insert on orders referencing new table as new_orders for each statement execute function test_no_groups();`,
      )
      .execute(db);
    try {
      const before = orderGroupStats(t.running.ctx);
      const answers = await Promise.all(ids.map((id, i) => t.api('POST', '/v1/orders', spot(id), { headers: { 'idempotency-key': `fail-${i}` } })));
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
      // A group met the error and was placed again one order at a time.
      const after = orderGroupStats(t.running.ctx);
      expect(after.replayed).toBeGreaterThan(before.replayed);
      // Each placed exactly once: one spot, one invoice, one order.placed event; the keys answer it.
      for (const [i, id] of ids.entries()) {
        const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
        expect(state.seats.limit).toBe(200);
        const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ orderId: string | null }>;
        expect(invoices.filter((x) => x.orderId === answers[i]!.body.id)).toHaveLength(1);
        const events = (await t.api('GET', `/v1/accounts/${id}/events?limit=200`)).body.events as Array<{ action: string }>;
        expect(events.filter((e) => e.action === 'order.placed')).toHaveLength(2); // the contract's and the spot's
        const retry = await t.api('POST', '/v1/orders', spot(id), { headers: { 'idempotency-key': `fail-${i}` } });
        expect(retry.body.id).toBe(answers[i]!.body.id);
      }
      expectGapless(await invoiceNumbers());
    } finally {
      await sql.raw('drop trigger test_no_groups on orders; drop function test_no_groups()').execute(db);
    }
  });
});
