/**
 * Portal, Contract information: the orders awaiting the customer's acceptance (B9) — what each
 * orders, for how much, until when it can be accepted — withdrawn after confirming, or accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-10T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('portal: orders awaiting acceptance', () => {
  it('B9: a plan change awaiting acceptance is listed with its amount and last day; withdrawn after confirming, nothing is billed; placed again and accepted, the plan changes and its invoice is listed', async () => {
    const id = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P3M', startDate: '2026-07-10', paymentMethod: 'card' });
    const first = await e.ok('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10', paymentMethod: 'bank-transfer' });
    const page = await e.openPortal(id, { locale: 'ja-JP' });
    const card = page.getByTestId('pending-orders-card');
    await expectText(card, containing('承認待ちのご注文'));
    const row = page.getByTestId('pending-orders').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    await expectText(row, containing('プラン変更'));
    await expectText(row, containing(`${first.amount.total.toLocaleString('en-US')}円`));
    await expectText(row, containing('2026年7月31日'));
    await expectText(row, containing('銀行振込'));
    await screenshot(page, 'portal-pending-orders');

    // Withdraw asks first; "keep it" changes nothing.
    await page.getByTestId('withdraw-order').click();
    await expectText(card, containing('このご注文を取り消しますか？'));
    await page.getByRole('button', { name: 'やめる' }).click();
    expect((await e.ok('GET', `/v1/orders/${first.id}`)).status).toBe('placed');
    await page.getByTestId('withdraw-order').click();
    await page.getByTestId('confirm-withdraw').click();
    await expectText(page.getByTestId('pending-order-done'), 'ご注文（プラン変更）を取り消しました。ご請求は発生しません。');
    expect((await e.ok('GET', `/v1/orders/${first.id}`)).status).toBe('cancelled');
    await expectText(page.getByTestId('plan-name'), 'Business 5');
    await expectText(page.getByTestId('notices'), containing('ご注文取消'));
    const invoicesBefore = (await e.ok('GET', `/v1/accounts/${id}/invoices`)).invoices.length;
    expect(invoicesBefore).toBe(1);

    // Placed again (another tab, say) and accepted here: the plan changes, its invoice is listed.
    const second = await e.ok('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10', paymentMethod: 'bank-transfer' });
    await page.reload();
    await page.getByTestId(`pending-order-${second.id}`).waitFor();
    await page.getByTestId('accept-order').click();
    await expectText(page.getByTestId('pending-order-done'), containing('承認しました'));
    await expectText(page.getByTestId('plan-name'), 'Business 10');
    expect((await e.ok('GET', `/v1/orders/${second.id}`)).status).toBe('completed');
    await expect.poll(() => page.getByTestId('invoices').locator('tbody tr').count()).toBe(2);
    // By bank transfer: accepting does not pay; the card says how and by when.
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('transfer');
    await screenshot(page, 'portal-pending-orders-accepted');
  });

  it('B1, B9: a plan change the operator placed for a card customer — accepting it pays it by card at once, once', async () => {
    const id = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-10', paymentMethod: 'card' });
    const placed = await e.ok('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10', term: 'P1M', paymentMethod: 'card' });
    expect(placed.status).toBe('placed');
    const page = await e.openPortal(id, { locale: 'ja-JP' });
    const total = `${placed.amount.total.toLocaleString('en-US')}円（税込）`;
    const accept = page.getByTestId('accept-order');
    await expectText(accept, `承認して${total}を支払う`);
    await accept.dblclick();
    await expectText(page.getByTestId('pending-order-done'), 'ご注文（プラン変更）を承認しました。ご注文は完了し、請求書を発行しました。');
    expect(await page.getByTestId('payment-status').getAttribute('data-status')).toBe('paid');
    await expectText(page.getByTestId('payment-message'), `クレジットカードで${total}のお支払いが完了しました。`);
    await expectText(page.getByTestId('plan-name'), 'Business 10');
    const order = await e.ok('GET', `/v1/orders/${placed.id}`);
    expect(order.status).toBe('completed');
    const invoice = await e.ok('GET', `/v1/invoices/${order.invoiceId}`);
    expect(invoice).toMatchObject({ status: 'paid', balance: 0 });
    expect(invoice.payments).toHaveLength(1);
    await screenshot(page, 'portal-pending-orders-accepted-card');
  });

  it('with nothing awaiting acceptance the card is not shown; in English it reads so', async () => {
    const id = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-10', paymentMethod: 'card' });
    const page = await e.openPortal(id, { locale: 'en-US' });
    await page.getByTestId('plan-card').waitFor();
    await page.getByTestId('invoices').waitFor();
    expect(await page.getByTestId('pending-orders-card').count()).toBe(0);
    await e.ok('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10' });
    await page.reload();
    await expectText(page.getByTestId('pending-orders-card'), containing('Orders awaiting your acceptance'));
    await expectText(page.getByTestId('pending-orders-card'), containing('Accept by'));
    await expectText(page.getByTestId('pending-orders-card'), containing('July 31, 2026'));
  });

  it('B9: applying for a plan change with other entries while one awaits acceptance withdraws the earlier one — one order awaits, never two', async () => {
    const id = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-10', paymentMethod: 'card' });
    const page = await e.openPortal(id, { locale: 'ja-JP' });
    await page.getByRole('button', { name: 'アップグレードを申し込む' }).click();
    await page.getByTestId('plan-change-form').waitFor();
    await page.getByLabel('プラン', { exact: true }).selectOption('business-10');
    await page.getByLabel('契約期間').selectOption('P1M');
    await page.getByLabel('お支払い方法').selectOption('bank-transfer');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await page.getByTestId('apply').click();
    await page.getByTestId('plan-change-statement').waitFor();
    const first = (await e.ok('GET', `/v1/orders?accountId=${id}&status=placed`)).orders;
    expect(first).toHaveLength(1);

    // Back to the form, another term, applied: the first is withdrawn, the second awaits acceptance.
    await page.goBack();
    await page.getByTestId('plan-change-review').waitFor();
    await page.getByRole('button', { name: '戻る' }).click();
    await page.getByTestId('plan-change-form').waitFor();
    await page.getByLabel('契約期間').selectOption('P3M');
    await page.getByRole('button', { name: '内容を確認する' }).click();
    await page.getByTestId('apply').click();
    await page.getByTestId('plan-change-statement').waitFor();
    const placed = (await e.ok('GET', `/v1/orders?accountId=${id}&status=placed`)).orders;
    expect(placed).toHaveLength(1);
    expect(placed[0].id).not.toBe(first[0].id);
    expect(placed[0].period).toEqual({ start: '2026-08-01', end: '2026-10-31' });
    expect(await e.ok('GET', `/v1/orders/${first[0].id}`)).toMatchObject({ status: 'cancelled', cancelReason: 'withdrawn' });
  });
});
