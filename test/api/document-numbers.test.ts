/**
 * SPEC §6: quotes, invoices and credit notes are numbered from their own gapless series in the
 * transaction that issues them, never reused — also when many are issued at once, and when some
 * of the concurrent requests are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-06-01T10:00:00+09:00' });
});
afterAll(async () => t?.stop());

describe(`gapless document series under concurrency (${DB_KIND})`, () => {
  it('SPEC §6: 40 concurrent requests issuing invoices, quotations and credit notes (some refused): each series is 1..n without a gap or a repeat', async () => {
    // Ten ebook5 accounts on Business 5 and twenty teamspace Starter accounts, bought one by one.
    const ebook = await Promise.all(Array.from({ length: 10 }, () => newAccount(t, 'ebook5')));
    const team = await Promise.all(Array.from({ length: 10 }, () => newAccount(t, 'teamspace')));
    // Cancelled on accounts of their own: a spot order racing its account's cancellation may
    // rightly come second and be refused (orders wait for a group: src/app/order-groups.ts).
    const cancelled = await Promise.all(Array.from({ length: 10 }, () => newAccount(t, 'teamspace')));
    for (const id of ebook) await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-06-01', paymentMethod: 'card' });
    for (const id of [...team, ...cancelled]) await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-06-01', paymentMethod: 'bank-transfer' });
    // Paid, so that their cancellations may refund (only money received is given back).
    for (const id of cancelled) {
      const [invoice] = (await t.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices;
      expect((await t.api('POST', `/v1/invoices/${invoice.id}/payments`, { amount: invoice.amount.total, method: 'bank-transfer', paidOn: '2026-06-01' })).status).toBe(201);
    }

    const requests = [
      // Quotations (B9: invoice payment gets a quotation before acceptance).
      ...ebook.map((id) => t.api('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' })),
      // Invoices: spot orders; every other one asks for 0 seats and is refused.
      ...team.map((id, i) => t.api('POST', '/v1/orders', { type: 'spot', accountId: id, seats: i % 2 ? 0 : 100, startDate: '2026-06-01', months: 1, agreeToTerms: true, paymentMethod: 'card' })),
      // Credit notes: cancellations with a refund; every other one asks too much and is refused.
      ...(await Promise.all(cancelled.map(async (id) => ({ id, contractId: (await t.api('GET', `/v1/accounts/${id}/state`)).body.contract.id as string })))).map(({ id, contractId }, i) =>
        t.api('POST', `/v1/accounts/${id}/contracts/${contractId}/cancel`, { reason: 'concurrency test', refund: { amount: i % 2 ? 10_000_000 : 1000 } }),
      ),
      // More invoices: payments change nothing in the series, new contracts on new accounts do.
      ...(await Promise.all(Array.from({ length: 10 }, () => newAccount(t, 'premium')))).map((id) =>
        t.api('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-5', term: 'P1Y', startDate: '2026-06-01', paymentMethod: 'card' }),
      ),
    ];
    const answers = await Promise.all(requests);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const refused = answers.filter((a) => a.status >= 400);
    expect(refused.map((a) => a.body.code).sort()).toEqual([...Array(5).fill('invalid_quantity'), ...Array(5).fill('refund_exceeds_paid')].sort());

    const accounts = (await t.api('GET', '/v1/accounts?limit=500')).body.accounts as Array<{ id: string }>;
    const numbers: Record<string, number[]> = { INV: [], QT: [], CN: [] };
    for (const a of accounts) {
      for (const i of (await t.api('GET', `/v1/accounts/${a.id}/invoices`)).body.invoices as Array<{ number: string }>) {
        const [series, n] = i.number.split('-');
        numbers[series!]!.push(Number(n));
      }
    }
    // Quotations are read through their orders.
    for (const a of answers.slice(0, 10)) numbers.QT!.push(Number(((await t.api('GET', `/v1/quotes/${a.body.quoteId}`)).body.number as string).split('-')[1]));
    const series = (list: number[]) => [...list].sort((x, y) => x - y);
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    // 30 contracts bought first, 5 spot orders, 10 premium contracts: 45 invoices.
    expect(series(numbers.INV!)).toEqual(upTo(45));
    expect(series(numbers.QT!)).toEqual(upTo(10));
    expect(series(numbers.CN!)).toEqual(upTo(5));
  });
});
