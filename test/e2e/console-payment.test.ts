/** Console: the operator records a bank transfer on an invoice; a partial payment, then the rest. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: record a payment', () => {
  it('a partial transfer leaves a balance; the rest, short by the bank fee, settles it — the invoice shows 支払済', async () => {
    const id = await e.newAccount('premium');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'bank-transfer' });
    const number = (await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).number as string;
    await e.setClock('2026-07-10T10:00:00+09:00');
    const page = await e.openConsole(`/console/accounts/${id}`);
    const row = page.getByTestId(`invoice-${number}`);
    await expectText(row.getByTestId('invoice-status'), '未払い');

    await page.getByRole('button', { name: `${number}の入金を記録` }).click();
    const form = page.getByTestId('payment-form');
    await expectText(form.getByRole('heading'), `${number}への入金（未払残高 5,500円（税込））`);
    // Defaults: the whole balance, the invoice's method, received today (by the server's clock).
    expect(await page.getByLabel('入金額（円）').inputValue()).toBe('5500');
    expect(await page.getByLabel('入金方法').inputValue()).toBe('bank-transfer');
    expect(await page.getByLabel('入金日').inputValue()).toBe('2026-07-10');
    await page.getByLabel('入金額（円）').fill('3000');
    await page.getByLabel('参照（振込名義など）').fill('ﾌﾟﾚﾐｱﾑ ｶｽﾀﾏｰ');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    const done = page.getByTestId('payment-done');
    await done.waitFor();
    await expectText(done, `${number}に3,000円の入金を記録しました。状態: 未払い`);
    await expect.poll(() => row.getByTestId('invoice-balance').textContent()).toBe('2,500円（税込）');
    await expectText(row.getByTestId('invoice-status'), '未払い');

    // The rest arrives 440 yen short: the bank kept its fee, which the vendor bears.
    await page.getByRole('button', { name: `${number}の入金を記録` }).click();
    expect(await page.getByLabel('入金額（円）').inputValue()).toBe('2500');
    await page.getByLabel('入金額（円）').fill('2060');
    await page.getByLabel('振込手数料（円・当社負担）').fill('440');
    await page.getByRole('button', { name: '入金を記録する' }).click();
    await expect.poll(() => done.textContent()).toBe(`${number}に2,060円の入金を記録しました。状態: 支払済`);
    await expect.poll(() => row.getByTestId('invoice-status').textContent()).toBe('支払済');
    await expectText(row.getByTestId('invoice-balance'), '0円（税込）');
    expect(await row.getByRole('button', { name: /入金を記録/ }).count()).toBe(0);
    const actions = await page.getByTestId('events-table').getByTestId('event-action').allTextContents();
    expect(actions.filter((a) => a === 'payment.recorded')).toHaveLength(2);
    await screenshot(page, 'console-payment-paid');
    // Paid: the receipt (領収書) opens in a new tab, fetched with the operator key.
    const [receipt] = await Promise.all([page.context().waitForEvent('page'), row.getByRole('button', { name: `${number}の領収書を開く` }).click()]);
    await receipt.waitForLoadState();
    expect(receipt.url()).toMatch(/^blob:/);
    await receipt.close();
  });
});
