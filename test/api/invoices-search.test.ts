/** GET /v1/invoices: the operator's invoices across accounts — unpaid ones to reconcile a transfer or chase, a month's with their sums. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

interface Listed {
  id: string;
  number: string;
  kind: string;
  status: string;
  accountId: string;
  accountName: string;
  dueOn: string;
  amount: { total: number };
  balance: number;
}

async function list(query: string): Promise<{ invoices: Listed[]; totals: { count: number; invoiced: number; credited: number; balance: number; currency: string } }> {
  const res = await t.api('GET', `/v1/invoices${query}`);
  if (res.status !== 200) throw new Error(`GET /v1/invoices${query} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let starter: { account: string; invoice: Listed };
let ebook: { account: string; invoice: Listed };
let premium: { account: string; invoice: Listed };

describe(`GET /v1/invoices (${DB_KIND})`, () => {
  it('§6, B8: the unpaid invoices across accounts, oldest due first, with what each still owes and the sums over all of them', async () => {
    const a = await newAccount(t, 'teamspace', { name: '株式会社 振込商事' });
    const ao = await order(t, { type: 'new-contract', accountId: a, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'bank-transfer' });
    const b = await newAccount(t, 'ebook5', { name: 'カード出版' });
    const bo = await order(t, { type: 'new-contract', accountId: b, planId: 'business-5', term: 'P3M', startDate: '2026-04-01', paymentMethod: 'card' });
    const c = await newAccount(t, 'premium', { name: 'Partial Premium' });
    const co = await order(t, { type: 'new-contract', accountId: c, planId: 'plan-10', term: 'P1Y', startDate: '2026-04-01', paymentMethod: 'bank-transfer' });
    // The card invoice (3 months, 16,500 yen) paid in full; the premium one in part (3,000 of 5,500).
    expect((await t.api('POST', `/v1/invoices/${bo.invoiceId}/payments`, { amount: 16500, method: 'card', paidOn: '2026-04-01' })).status).toBe(201);
    expect((await t.api('POST', `/v1/invoices/${co.invoiceId}/payments`, { amount: 3000, method: 'bank-transfer', paidOn: '2026-04-01' })).status).toBe(201);

    const all = await list('');
    const find = (id: string) => all.invoices.find((i) => i.id === id)!;
    starter = { account: a, invoice: find(ao.invoiceId) };
    ebook = { account: b, invoice: find(bo.invoiceId) };
    premium = { account: c, invoice: find(co.invoiceId) };
    expect(starter.invoice).toMatchObject({ accountId: a, accountName: '株式会社 振込商事', status: 'open', dueOn: '2026-04-30', amount: { total: 66000 }, balance: 66000 });
    expect(ebook.invoice).toMatchObject({ status: 'paid', dueOn: '2026-04-06', balance: 0 });
    expect(premium.invoice).toMatchObject({ status: 'open', dueOn: '2026-04-30', amount: { total: 5500 }, balance: 2500 });
    // Each is the invoice GET /v1/invoices/{id} answers, with the account's name and email.
    const { payments, ...one } = (await t.api('GET', `/v1/invoices/${ao.invoiceId}`)).body;
    expect(payments).toEqual([]);
    expect(starter.invoice).toEqual({ ...one, accountName: '株式会社 振込商事', accountEmail: (await t.api('GET', `/v1/accounts/${a}`)).body.email });
    expect(all.totals).toEqual({ count: 3, invoiced: 66000 + 16500 + 5500, credited: 0, balance: 66000 + 2500, currency: 'JPY' });

    const unpaid = await list('?status=open,overdue&sort=dueOn');
    expect(unpaid.invoices.map((i) => i.number)).toEqual([starter.invoice.number, premium.invoice.number].sort());
    expect(unpaid.totals).toEqual({ count: 2, invoiced: 71500, credited: 0, balance: 68500, currency: 'JPY' });
    // Newest first by default (issued the same day: the higher number first).
    expect((await list('')).invoices.map((i) => i.number)).toEqual([premium.invoice.number, ebook.invoice.number, starter.invoice.number]);
  });

  it('§6: a bank transfer is found by its amount (the total or what is still owed), or by part of the name, the number or the email', async () => {
    expect((await list('?q=2500')).invoices.map((i) => i.id)).toEqual([premium.invoice.id]);
    expect((await list('?q=' + encodeURIComponent('66,000円'))).invoices.map((i) => i.id)).toEqual([starter.invoice.id]);
    expect((await list('?q=5500&status=open')).invoices.map((i) => i.id)).toEqual([premium.invoice.id]);
    expect((await list('?q=' + encodeURIComponent('振込'))).invoices.map((i) => i.id)).toEqual([starter.invoice.id]);
    expect((await list('?q=partial')).invoices.map((i) => i.id)).toEqual([premium.invoice.id]);
    expect((await list(`?q=${starter.invoice.number.toLowerCase()}`)).invoices.map((i) => i.id)).toEqual([starter.invoice.id]);
    expect((await list(`?q=${ebook.account}`)).invoices.map((i) => i.id)).toEqual([ebook.invoice.id]);
    const account = (await t.api('GET', `/v1/accounts/${ebook.account}`)).body;
    expect((await list(`?q=${encodeURIComponent(account.email)}`)).invoices.map((i) => i.id)).toEqual([ebook.invoice.id]);
    // What is typed is matched as written: % and _ are not wildcards.
    expect((await list('?q=' + encodeURIComponent('%'))).totals.count).toBe(0);
    expect((await list('?q=' + encodeURIComponent('_'))).totals.count).toBe(0);
  });

  it('§6, B8: past their due date the unpaid ones are overdue; filtered by status, method, kind and the month they were issued in, with credit notes summed apart', async () => {
    await t.api('POST', '/v1/clock', { now: '2026-05-01T09:00:00+09:00' });
    const overdue = await list('?status=overdue');
    expect(overdue.invoices.map((i) => i.id).sort()).toEqual([starter.invoice.id, premium.invoice.id].sort());
    expect((await list('?status=paid')).invoices.map((i) => i.id)).toEqual([ebook.invoice.id]);
    expect((await list('?paymentMethod=card')).invoices.map((i) => i.id)).toEqual([ebook.invoice.id]);
    expect((await list('?dueTo=2026-04-10')).invoices.map((i) => i.id)).toEqual([ebook.invoice.id]);

    // The paid ebook contract cancelled with a refund: a credit note issued in May.
    const state = (await t.api('GET', `/v1/accounts/${ebook.account}/state`)).body;
    const cancel = await t.api('POST', `/v1/accounts/${ebook.account}/contracts/${state.contract?.id ?? 'none'}/cancel`, { reason: 'test', refund: { amount: 1100 } });
    expect(cancel.status).toBe(200);
    const may = await list('?issuedFrom=2026-05-01&issuedTo=2026-05-31');
    expect(may.invoices.map((i) => [i.kind, i.accountId])).toEqual([['credit-note', ebook.account]]);
    expect(may.totals).toEqual({ count: 1, invoiced: 0, credited: 1100, balance: 0, currency: 'JPY' });
    const april = await list('?issuedFrom=2026-04-01&issuedTo=2026-04-30&kind=invoice');
    expect(april.totals).toEqual({ count: 3, invoiced: 88000, credited: 0, balance: 68500, currency: 'JPY' });
    // The limit shortens the list, not the sums.
    const first = await list('?issuedFrom=2026-04-01&issuedTo=2026-04-30&kind=invoice&limit=1');
    expect(first.invoices).toHaveLength(1);
    expect(first.totals.count).toBe(3);
  });

  it('refuses what it cannot read with what to fix, and is for the operator only', async () => {
    const bad = await t.api('GET', '/v1/invoices?status=unpaid');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect(bad.body.errors[0].path).toMatch(/status/);
    const range = await t.api('GET', '/v1/invoices?issuedFrom=2026-05-01&issuedTo=2026-04-01');
    expect(range.status).toBe(400);
    expect(range.body).toMatchObject({ code: 'invalid_date_range', errors: [{ path: 'issuedTo' }] });
    expect(range.body.detail).toContain('2026-05-01');
    expect((await t.api('GET', '/v1/invoices?sort=amount')).status).toBe(400);
    expect((await t.api('GET', '/v1/invoices?limit=0')).status).toBe(400);
    const token = (await t.api('POST', `/v1/accounts/${starter.account}/portal-sessions`, {})).body.token as string;
    const customer = await t.api('GET', '/v1/invoices', undefined, { token });
    expect(customer.status).toBe(403);
    expect((await t.api('GET', '/v1/invoices', undefined, { token: null })).status).toBe(401);
  });
});
