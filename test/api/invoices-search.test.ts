/** GET /v1/invoices: the operator's invoices across accounts — unpaid ones to reconcile a transfer or chase, a month's with their sums. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';
import { invoicesToExport } from '../../src/store/invoices.js';

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


/** A CSV download as the operator: status, headers and the raw bytes. */
async function csvOf(path: string): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer; text: string }> {
  const res = await t.running.server.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${t.running.operatorKey}` } });
  const bytes = res.rawPayload;
  return { status: res.statusCode, headers: res.headers, bytes, text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
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

  it('§6, G2: the same documents as CSV for accounting — every one that matches, oldest first, a row each with the tax per rate, Japanese headings, UTF-8 with a BOM', async () => {
    const res = await csvOf('/v1/invoices.csv?issuedFrom=2026-04-01&issuedTo=2026-04-30');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="invoices-2026-04-01-2026-04-30.csv"');
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('番号,種類,発行日,支払期限,状態,お支払い方法,アカウントID,アカウント名,メールアドレス,宛名,対象期間（開始）,対象期間（終了）,小計（税抜）,消費税,合計（税込）,10%対象（税抜）,10%消費税,8%対象（税抜）,8%消費税,入金済額,未払残高,訂正元');
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual([starter.invoice.number, ebook.invoice.number, premium.invoice.number]);
    const email = (await t.api('GET', `/v1/accounts/${starter.account}`)).body.email;
    expect(lines[1]).toBe(`${starter.invoice.number},請求書,2026-04-01,2026-04-30,支払期限超過,銀行振込,${starter.account},株式会社 振込商事,${email},株式会社 振込商事,2026-04-01,2027-03-31,60000,6000,66000,60000,6000,0,0,0,66000,`);
    expect(lines[3]!.split(',').slice(-10)).toEqual(['5000', '500', '5500', '5000', '500', '0', '0', '3000', '2500', '']);
    // In English, and the credit note of May with its kind.
    const enLines = (await csvOf('/v1/invoices.csv?lang=en&issuedFrom=2026-05-01')).text.split('\r\n');
    expect(enLines[0]!.startsWith('Number,Kind,Issued on,Due on,Status,Payment method,')).toBe(true);
    expect(enLines[1]).toMatch(/^CN-\d+,Credit note,2026-05-01,,Issued,Card,/);
    expect(enLines).toHaveLength(3);
  });

  it('the CSV cannot carry a formula in a name, and reads every page of a long list', async () => {
    const id = await newAccount(t, 'teamspace', { name: '=HYPERLINK("http://evil.example","x"),"quoted"' });
    const bought = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-05-01', paymentMethod: 'bank-transfer' });
    const csv = (await csvOf(`/v1/invoices.csv?q=${id}`)).text;
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""x""),""quoted""",`);
    expect(row.startsWith((await t.api('GET', `/v1/invoices/${bought.invoiceId}`)).body.number)).toBe(true);
    // Pages of two: the same documents in the same order as one page.
    const pages: string[][] = [];
    for await (const page of invoicesToExport(t.running.ctx.db, {}, 2)) pages.push(page.map((i) => i.number));
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    const all: string[] = [];
    for await (const page of invoicesToExport(t.running.ctx.db, {}, 1000)) all.push(...page.map((i) => i.number));
    expect(pages.flat()).toEqual(all);
    expect(all).toHaveLength((await t.api('GET', '/v1/invoices')).body.totals.count);
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
    expect((await t.api('GET', '/v1/invoices.csv', undefined, { token })).status).toBe(403);
    expect((await t.api('GET', '/v1/invoices.csv?issuedFrom=2026-05-01&issuedTo=2026-04-01')).body.code).toBe('invalid_date_range');
    expect((await t.api('GET', '/v1/invoices.csv?lang=fr')).status).toBe(400);
  });
});
