/** SPEC §6: issued documents as PDF — Japanese font embedded and subset, small, byte-identical. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';
import { pdfText } from '../support/pdf-text.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

async function pdf(path: string, token?: string) {
  const res = await t.running.server.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token ?? 'test-operator-key-0123456789'}` } });
  return { status: res.statusCode, type: res.headers['content-type'], bytes: res.rawPayload, json: res.statusCode === 200 ? undefined : res.json() };
}

describe(`document PDFs (${DB_KIND})`, () => {
  it('an invoice renders to a one-page PDF well under 100 KB, with the font embedded, served byte-identical later', async () => {
    const id = await newAccount(t, 'teamspace', { name: '株式会社髙﨑商事' });
    const placed = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'bank-transfer' });
    const first = await pdf(`/v1/invoices/${placed.invoiceId}/pdf`);
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/pdf');
    expect(first.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(first.bytes.length).toBeLessThan(100 * 1024);
    const text = first.bytes.toString('latin1');
    expect(text).toContain('/FontFile2'); // TrueType font embedded
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansJP/); // subset
    // Later, after the clock moved: the same bytes.
    await t.api('POST', '/v1/clock', { now: '2026-09-01T09:00:00+09:00' });
    const later = await pdf(`/v1/invoices/${placed.invoiceId}/pdf`);
    expect(Buffer.compare(later.bytes, first.bytes)).toBe(0);
    const english = await pdf(`/v1/invoices/${placed.invoiceId}/pdf?lang=en`);
    expect(english.status).toBe(200);
    expect(Buffer.compare(english.bytes, first.bytes)).not.toBe(0);
  });

  it('SPEC §6: the text of an invoice PDF carries the six items of a qualified invoice, the due date and the bank account, in Japanese and English', async () => {
    const id = await newAccount(t, 'teamspace', { name: '株式会社髙﨑商事' });
    const placed = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-09-01', paymentMethod: 'bank-transfer' });
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    const yen = (n: number) => n.toLocaleString('en-US');
    const ja = await pdfText((await pdf(`/v1/invoices/${placed.invoiceId}/pdf`)).bytes);
    expect(ja.pages).toBe(1);
    const text = ja.text.replace(/\s+/g, ' ');
    // 1. issuer and registration number
    expect(text).toContain('Keiyaku Demo 株式会社');
    expect(text).toMatch(/登録番号: T\d{13}/);
    // 2. date of issue and the period
    expect(text).toContain('発行日: 2026年9月1日');
    expect(text).toContain('対象期間: 2026年9月1日 〜 2027年8月31日');
    // 3. items
    expect(invoice.lines[0].descriptionJa).toBe('Starter 100（12か月）');
    expect(text).toContain('Starter 100（12か月）');
    // 4. per-rate total and rate, 5. per-rate tax
    expect(text).toContain('10%対象');
    expect(text).toContain(yen(invoice.taxBreakdown[0].taxable));
    expect(text).toContain('消費税');
    expect(text).toContain(yen(invoice.taxBreakdown[0].tax));
    // 6. the customer
    expect(text).toContain('株式会社髙﨑商事 御中');
    // due date and where to transfer
    expect(text).toContain('お支払期限: 2026年9月30日');
    expect(text).toContain('お振込先: みずほ銀行 本店営業部 普通 1234567');
    expect(text).toContain(yen(invoice.amount.total));
    const en = (await pdfText((await pdf(`/v1/invoices/${placed.invoiceId}/pdf?lang=en`)).bytes)).text.replace(/\s+/g, ' ');
    expect(en).toContain('Invoice');
    expect(en).toContain('Due on: 2026-09-30');
    expect(en).toContain('Subject to 10%');
    expect(en).toContain('To: 株式会社髙﨑商事');
    expect(en).toContain('Pay by transfer to');
    expect(en).toContain('Starter 100 (12 months)');
  });

  it('a quotation has its own PDF; unknown ids and other accounts answer 404 problems', async () => {
    const id = await newAccount(t, 'ebook5');
    const today = (await t.api('GET', `/v1/accounts/${id}/state`)).body.date;
    await order(t, { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: today, paymentMethod: 'card' });
    const placed = await order(t, { type: 'plan-change', accountId: id, planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' });
    const quote = await pdf(`/v1/quotes/${placed.quoteId}/pdf`);
    expect(quote.status).toBe(200);
    expect(quote.type).toBe('application/pdf');
    expect((await pdf(`/v1/invoices/${placed.quoteId}/pdf`)).json.code).toBe('invoice_not_found');
    expect((await pdf('/v1/quotes/qt_missing/pdf')).json.code).toBe('quote_not_found');
    const other = await newAccount(t, 'ebook5');
    const token = (await t.api('POST', `/v1/accounts/${other}/portal-sessions`, {})).body.token;
    expect((await pdf(`/v1/quotes/${placed.quoteId}/pdf`, token)).status).toBe(404);
    expect((await pdf(`/v1/quotes/${placed.quoteId}/pdf?lang=fr`)).status).toBe(400);
  });

  it('§6: a paid invoice has a receipt (領収書) with the items of a qualified invoice, what was received, when and how; none before it is paid', async () => {
    const id = await newAccount(t, 'teamspace', { name: '株式会社領収商事' });
    const placed = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-09-01', paymentMethod: 'bank-transfer' });
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    const yen = (n: number) => n.toLocaleString('en-US');
    // Open: no receipt yet, and none is kept.
    const early = await pdf(`/v1/invoices/${invoice.id}/receipt`);
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ code: 'receipt_not_available' });
    expect(early.json.detail).toContain(invoice.number);
    // Paid by transfer with the bank fee deducted (accepted by the vendor), in two parts.
    const part = await t.api('POST', `/v1/invoices/${invoice.id}/payments`, { amount: 30_000, method: 'bank-transfer', paidOn: '2026-09-01' });
    expect(part.status, JSON.stringify(part.body)).toBe(201);
    expect((await pdf(`/v1/invoices/${invoice.id}/receipt`)).json.code).toBe('receipt_not_available');
    const rest = invoice.amount.total - 30_000 - 440;
    expect((await t.api('POST', `/v1/invoices/${invoice.id}/payments`, { amount: rest, bankFee: 440, method: 'bank-transfer', paidOn: '2026-09-01' })).status).toBe(201);
    expect((await t.api('GET', `/v1/invoices/${invoice.id}`)).body.status).toBe('paid');

    const first = await pdf(`/v1/invoices/${invoice.id}/receipt`);
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/pdf');
    const ja = await pdfText(first.bytes);
    expect(ja.pages).toBe(1);
    const text = ja.text.replace(/\s+/g, ' ');
    expect(text).toContain('領収書');
    expect(text).toContain(`番号: ${invoice.number.replace('INV-', 'RC-')}`);
    expect(text).toContain('発行日: 2026年9月1日');
    expect(text).toContain('お支払日: 2026年9月1日');
    expect(text).toContain('お支払方法: 銀行振込');
    expect(text).toContain('株式会社領収商事 御中');
    expect(text).toContain(`金額 ${yen(invoice.amount.total)}円（税込）`);
    expect(text).toContain(`但し 請求書 ${invoice.number} のお支払いとして`);
    expect(text).toContain(`うち振込手数料 440円（お客様ご負担分を差し引いてのご入金 ${yen(invoice.amount.total - 440)}円）`);
    expect(text).toContain('上記正に領収いたしました。');
    // The items of a qualified invoice: issuer and number, items, per-rate total and tax.
    expect(text).toContain('Keiyaku Demo 株式会社');
    expect(text).toMatch(/登録番号: T\d{13}/);
    expect(text).toContain('Starter 100（12か月）');
    expect(text).toContain('10%対象');
    expect(text).toContain(yen(invoice.taxBreakdown[0].tax));
    expect(text).toContain('収入印紙は貼付しておりません');
    expect(text).not.toContain('お振込先');
    expect(text).not.toContain('お支払期限');
    // The same document every time, after the clock moved too; its own English rendering.
    await t.api('POST', '/v1/clock', { now: '2026-10-01T09:00:00+09:00' });
    expect(Buffer.compare((await pdf(`/v1/invoices/${invoice.id}/receipt`)).bytes, first.bytes)).toBe(0);
    const en = (await pdfText((await pdf(`/v1/invoices/${invoice.id}/receipt?lang=en`)).bytes)).text.replace(/\s+/g, ' ');
    expect(en).toContain('Receipt');
    expect(en).toContain(`Amount received: ${yen(invoice.amount.total)} yen (tax included)`);
    expect(en).toContain(`For: payment of invoice ${invoice.number}`);
    expect(en).toContain('Paid on: 2026-09-01');
    // The invoice's own PDF is unchanged by it.
    expect((await pdfText((await pdf(`/v1/invoices/${invoice.id}/pdf`)).bytes)).text).toContain('請求書');
  });

  it("§6: the customer gets the receipt of its own invoice paid by card; another account's or an unknown invoice answer 404", async () => {
    const id = await newAccount(t, 'teamspace');
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token as string;
    const placed = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-10-01', paymentMethod: 'card' });
    const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
    if (invoice.status !== 'paid') expect((await t.api('POST', `/v1/invoices/${invoice.id}/pay`, { method: 'card', token: 'tok_visa' }, { token })).status).toBe(201);
    const mine = await pdf(`/v1/invoices/${invoice.id}/receipt`, token);
    expect(mine.status).toBe(200);
    const text = (await pdfText(mine.bytes)).text.replace(/\s+/g, ' ');
    expect(text).toContain('お支払方法: クレジットカード');
    expect(text).not.toContain('振込手数料');
    const other = await newAccount(t, 'teamspace');
    const theirs = (await t.api('POST', `/v1/accounts/${other}/portal-sessions`, {})).body.token as string;
    expect((await pdf(`/v1/invoices/${invoice.id}/receipt`, theirs)).json).toMatchObject({ code: 'invoice_not_found' });
    expect((await pdf('/v1/invoices/inv_missing/receipt')).status).toBe(404);
    expect((await pdf(`/v1/invoices/${invoice.id}/receipt?lang=fr`)).status).toBe(400);
  });
});
