/** Console: the operator cancels a contract with a refund; the credit note appears with the invoices. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: cancel a contract', () => {
  it('P5: cancelled with a refund of 5,500 yen — the account is on the free plan and credit note CN- shows next to the invoice', async () => {
    const id = await e.newAccount('premium');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    // Paid by card: only money received can be refunded.
    await e.ok('POST', `/v1/invoices/${placed.invoiceId}/payments`, { amount: 5500, method: 'card', paidOn: '2026-07-01' });
    const page = await e.openConsole(`/console/accounts/${id}`);
    await expectText(page.getByTestId('plan-name'), 'Plan 10');

    await page.getByRole('button', { name: '契約を解約する' }).click();
    // The form opens with the reason focused: usable from the keyboard.
    await page.keyboard.type('お客様のご依頼（電話 7/1）');
    await page.getByLabel('返金額（税込・円）').fill('5500');
    await page.getByRole('button', { name: '解約を確定' }).click();

    const done = page.getByTestId('cancel-done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^2026年7月1日付けで解約しました。返還請求書 CN-\d{6}（5,500円（税込））を発行しました。$/);
    // The catalog's free plan in Japanese as the portal writes it.
    await expect.poll(() => page.getByTestId('plan-name').textContent()).toBe('フリープラン');
    await expectText(page.getByTestId('contract-period'), '有料契約はありません。');
    expect(await page.getByRole('button', { name: '契約を解約する' }).count()).toBe(0);

    const rows = page.getByTestId('invoices-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const creditNote = rows.filter({ hasText: '返還請求書' });
    expect(await creditNote.locator('.kc-code').first().textContent()).toMatch(/^CN-\d{6}$/);
    await expectText(creditNote.getByTestId('invoice-total'), '5,500円（税込）');
    await expectText(creditNote.getByTestId('invoice-status'), '発行済');
    const actions = await page.getByTestId('events-table').getByTestId('event-action').allTextContents();
    expect(actions[0]).toBe('contract.cancelled');
    // The action as people read it, its code under it; who did it.
    expect((await page.getByTestId('events-table').getByTestId('event-action-label').allTextContents())[0]).toBe('解約');
    await expectText(page.getByTestId('events-table').locator('tbody tr').first().locator('td').nth(1), 'オペレーター');
    await screenshot(page, 'console-cancel-with-refund');
  });

  it('P5: a contract cancelled before it was paid, with its unpaid invoice voided — the invoice shows 無効 and a credit note reverses it', async () => {
    const id = await e.newAccount('premium');
    const placed = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'bank-transfer' });
    const number = (await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).number as string;
    const page = await e.openConsole(`/console/accounts/${id}`);
    await expectText(page.getByTestId('plan-name'), 'Plan 10');
    await page.getByRole('button', { name: '契約を解約する' }).click();
    await page.getByLabel('解約理由').fill('誤発注');
    await page.getByLabel('未払いの請求書を無効にする').check();
    await page.getByRole('button', { name: '解約を確定' }).click();
    await expectText(page.getByTestId('cancel-done'), new RegExp(`^2026年7月1日付けで解約しました。未払いの請求書 ${number}（5,500円（税込））を返還請求書 CN-\\d{6} で無効にしました。$`));
    const rows = page.getByTestId('invoices-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expectText(rows.filter({ hasText: number }).getByTestId('invoice-status'), '無効');
    expect((await e.ok('GET', `/v1/invoices/${placed.invoiceId}`)).status).toBe('void');
    await screenshot(page, 'console-cancel-void-unpaid');
  });
});
