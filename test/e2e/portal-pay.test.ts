// SPEC §6: a customer pays a card or PayPal invoice from the portal, through the payment provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, screenshot, startE2E } from './support.js';

describe('portal: paying invoices by card and PayPal', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('SPEC §6: an open card invoice shows its Japanese item and a pay button; paying turns it paid, once', async () => {
    const accountId = await e.newAccount('ebook5');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    const invoices = page.getByTestId('invoices');
    await expectText(invoices, containing('Business 5（1か月）'));
    await expectText(invoices, containing('未払い'));
    const number = (await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).number as string;
    const pay = page.getByTestId(`pay-${number}`);
    await expectText(pay, 'カードで支払う');
    expect(await pay.getAttribute('aria-label')).toBe(`${number} の 5,500円（税込） をカードで支払う`);
    await screenshot(page, 'pay-1-open-invoice');
    await pay.click();
    await expectText(invoices, containing('支払済'));
    expect(await page.getByTestId(`pay-${number}`).count()).toBe(0);
    await screenshot(page, 'pay-2-paid');
    const invoice = await e.ok('GET', `/v1/invoices/${placed.invoiceId}`);
    expect(invoice).toMatchObject({ status: 'paid', balance: 0, payments: [{ method: 'card', provider: 'sandbox', amount: 5500 }] });
    // Paid: its receipt (領収書) is there to download, a PDF.
    const receipt = page.getByTestId(`receipt-${number}`);
    await expectText(receipt, '領収書');
    const [download] = await Promise.all([page.waitForEvent('download'), receipt.click()]);
    expect(download.suggestedFilename()).toBe(`${number.replace('INV-', 'RC-')}.pdf`);
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a PayPal invoice in English; a bank-transfer invoice says to pay by transfer', async () => {
    const accountId = await e.newAccount('ebook5');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'personal-1', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'paypal' });
    const transfer = await e.newAccount('teamspace');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: transfer, planId: 'starter', term: 'P12M', startDate: '2026-07-01', paymentMethod: 'bank-transfer' });
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    const number = (await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).number as string;
    await expectText(page.getByTestId('invoices'), containing('Personal 1 (1 month)'));
    await page.getByTestId(`pay-${number}`).click();
    await expectText(page.getByTestId('invoices'), containing('Paid'));
    const other = await e.openPortal(transfer, { locale: 'ja-JP' });
    await expectText(other.getByTestId('invoices'), containing('銀行振込'));
    expect(await other.getByRole('button', { name: /支払う/ }).count()).toBe(0);
    await screenshot(other, 'pay-3-bank-transfer');
  });
  it('SPEC §6, B8: an invoice past its due date is said first, with what is owed; paying it by card removes the warning', async () => {
    // Run last in this file: it moves the clock. Card invoices are due 3 business days later (B8).
    const accountId = await e.newAccount('ebook5');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'business-5', term: 'P3M', startDate: '2026-07-01', paymentMethod: 'card' });
    const invoice = await e.ok('GET', `/v1/invoices/${placed.invoiceId}`);
    await e.setClock('2026-07-10T09:00:00+09:00');
    expect((await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).status).toBe('overdue');
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await expectText(page.getByTestId('overdue-banner'), `お支払期限を過ぎた請求書が1件あります（未入金額 合計 ${invoice.amount.total.toLocaleString('en-US')}円（税込））。下の「請求書」からお支払いください（銀行振込の振込先は請求書PDFに記載しています）。`);
    await screenshot(page, 'pay-3-overdue-banner');
    await page.getByTestId(`pay-${invoice.number}`).click();
    await expectText(page.getByTestId('invoices'), containing('支払済'));
    await page.getByTestId('overdue-banner').waitFor({ state: 'detached' });
    expect((await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).status).toBe('paid');
  });
});
