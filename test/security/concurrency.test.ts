/**
 * Issue 9, concurrency: orders of several kinds on one account at once, and two plan changes
 * accepted at once. Nothing is lost, doubled or half-applied: the seat limit, the invoices and
 * the contract agree with the answers the requests got.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
const TODAY = '2026-07-01';
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-07-01T10:00:00+09:00' });
});
afterAll(async () => t?.stop());

describe(`concurrency on one account (${DB_KIND})`, () => {
  it('S1–S6: spot orders, license additions, a renewal choice and registrations at once on one teamspace account — the seat limit and the invoices match what was answered', async () => {
    const id = await newAccount(t, 'teamspace');
    await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: TODAY, paymentMethod: 'bank-transfer', renewal: 'renew' });
    const contractId = (await t.api('GET', `/v1/accounts/${id}/state`)).body.contract.id;
    const requests = [
      ...Array.from({ length: 4 }, () => t.api('POST', '/v1/orders', { type: 'spot', accountId: id, seats: 100, startDate: TODAY, months: 2, agreeToTerms: true, paymentMethod: 'card' })),
      ...Array.from({ length: 3 }, () => t.api('POST', '/v1/orders', { type: 'license-addition', accountId: id, seats: 100, effectiveDate: TODAY, paymentMethod: 'card' })),
      t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/renewal`, { renewal: 'renew' }),
      ...Array.from({ length: 12 }, (_, i) => t.api('POST', `/v1/accounts/${id}/members`, { email: `member.${i}.${id}@example.jp`, name: `メンバー${i}` })),
    ];
    const answers = await Promise.all(requests);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const orders = answers.slice(0, 7);
    expect(orders.map((a) => a.status)).toEqual(Array(7).fill(201));
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    // 100 main + 4 spots of 100 + 3 additions of 100.
    expect(state.seats.limit).toBe(800);
    const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ id: string; number: string }>;
    expect(invoices).toHaveLength(8);
    expect(new Set(invoices.map((i) => i.number)).size).toBe(8);
    // Every order's invoice exists, each once.
    for (const o of orders) expect(invoices.filter((i) => i.id === o.body.invoiceId)).toHaveLength(1);
    const members = (await t.api('GET', `/v1/accounts/${id}/members?status=active`)).body.members;
    const registered = answers.slice(8).filter((a) => a.status === 201).length;
    expect(registered).toBe(12);
    expect(members).toHaveLength(13); // the owner and the twelve
  });

  it('B1, B9: two plan changes accepted at once on one ebook5 account — one completes whole, the other is refused as outdated; nothing is billed twice', async () => {
    const id = await newAccount(t, 'ebook5');
    await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: TODAY, paymentMethod: 'card' });
    const a = await order(t, { type: 'plan-change', accountId: id, planId: 'business-10', term: 'P12M', paymentMethod: 'card' });
    const b = await order(t, { type: 'plan-change', accountId: id, planId: 'business-30', term: 'P12M', paymentMethod: 'card' });
    const answers = await Promise.all([a, b, a, b].map((o) => t.api('POST', `/v1/orders/${o.id}/accept`, {})));
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of answers) expect([200, 409]).toContain(r.status);
    // Each order completes at most once, whatever the duplicates said.
    const completed = [a, b].filter((o) => answers.some((r) => r.status === 200 && r.body.id === o.id));
    // Once one completed, the other's statement (from Business 5) no longer describes the change.
    expect(completed.length).toBe(1);
    for (const r of answers.filter((x) => x.status === 409)) expect(['order_not_awaiting_acceptance', 'order_outdated']).toContain(r.body.code);
    const invoices = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
    expect(invoices).toHaveLength(1 + completed.length);
    const finals = await Promise.all([a, b].map(async (o) => (await t.api('GET', `/v1/orders/${o.id}`)).body));
    expect(finals.filter((o) => o.status === 'completed')).toHaveLength(completed.length);
    // The audit trail (newest first) says which completed last: the contract is on its plan.
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; subjectId: string }>;
    const last = events.find((e) => e.action === 'order.completed' && (e.subjectId === a.id || e.subjectId === b.id))!;
    const state = (await t.api('GET', `/v1/accounts/${id}/state`)).body;
    expect(state.plan.id).toBe(last.subjectId === a.id ? 'business-10' : 'business-30');
  });
});
