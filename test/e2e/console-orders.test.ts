/** Console: orders waiting for the customer's acceptance, across accounts, each leading to its account. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: orders awaiting acceptance', () => {
  it('a plan change waiting for its statement to be accepted is listed with its account, amount and period; accepted, it leaves the list', async () => {
    const id = await e.newAccount('ebook5', { name: 'サンプル出版' });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    const other = await e.newAccount('ebook5', { name: '完了済み書房' });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: other, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    await e.setClock('2026-07-10T10:30:00+09:00');
    const waiting = await e.ok('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10' });
    expect(waiting.status).toBe('placed');

    const page = await e.newPage();
    await page.goto(`${e.url}/console`);
    await page.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('link', { name: '承認待ちの注文' }).click();
    const row = page.getByTestId(`order-${waiting.id}`);
    await row.waitFor();
    expect(await page.getByTestId('orders-table').locator('tbody tr').count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells).toEqual([
      '2026年7月10日 10:30',
      'サンプル出版',
      'プラン変更',
      `${waiting.period.start.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')} 〜 ${waiting.period.end.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}`,
      'クレジットカード',
      '明細書',
      `${waiting.amount.total.toLocaleString('en-US')}円（税込）`,
      '2026年7月31日',
      '取り消す',
    ]);
    await screenshot(page, 'console-orders-waiting');

    await row.getByRole('link', { name: 'サンプル出版' }).click();
    await page.getByTestId('contract-facts').waitFor();
    await page.getByRole('heading', { level: 2, name: 'サンプル出版' }).waitFor({ state: 'visible' });
    await expectText(page.getByTestId(`account-order-${waiting.id}`).getByTestId('account-order-status'), '承認待ち（承認期限 2026年7月31日）');

    await e.ok('POST', `/v1/orders/${waiting.id}/accept`, {});
    await page.getByRole('link', { name: '承認待ちの注文' }).click();
    await page.getByTestId('orders-table-empty').waitFor();
    await expectText(page.getByTestId('orders-table-empty'), '承認待ちの注文はありません。');

    const phone = await e.newPage({ mobile: true });
    await phone.goto(`${e.url}/console/orders`);
    await phone.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await phone.getByRole('button', { name: 'サインイン' }).click();
    await phone.getByTestId('orders-table-empty').waitFor();
    await screenshot(phone, 'console-orders-phone');
  });

  it('B9: the operator cancels an order on the customer\'s behalf after confirming, with a note: it leaves the list, the customer is told, the audit trail keeps the note', async () => {
    const id = await e.newAccount('ebook5', { name: '取消テスト出版' });
    const bought = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-10', paymentMethod: 'card' });
    const waiting = await e.ok('POST', '/v1/orders', { type: 'plan-change', accountId: id, planId: 'business-10' });

    const page = await e.newPage();
    await page.goto(`${e.url}/console/orders`);
    await page.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await page.getByRole('button', { name: 'サインイン' }).click();
    const row = page.getByTestId(`order-${waiting.id}`);
    await row.getByTestId('cancel-order').click();
    const confirm = page.getByTestId('confirm-cancel-order');
    await expectText(confirm, containing('取消テスト出版 の注文（プラン変更、9,900円（税込））を、お客様のご依頼により取り消しますか？'));
    await expectText(confirm, containing('お客様には取り消しのお知らせが送られます'));
    // "Keep the order" changes nothing.
    await page.getByTestId('confirm-cancel-order-no').click();
    await confirm.waitFor({ state: 'detached' });
    expect((await e.ok('GET', `/v1/orders/${waiting.id}`)).status).toBe('placed');
    await row.getByTestId('cancel-order').click();
    await page.getByTestId('cancel-order-note').fill('お電話でご依頼（プラン誤り）');
    await screenshot(page, 'console-orders-cancel-confirm');
    await page.getByTestId('confirm-cancel-order-yes').click();
    await expectText(page.getByTestId('order-cancelled'), `注文 ${waiting.id} を取り消しました。`);
    await row.waitFor({ state: 'detached' });

    expect(await e.ok('GET', `/v1/orders/${waiting.id}`)).toMatchObject({ status: 'cancelled', cancelReason: 'operator' });
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events;
    expect(events.find((ev: any) => ev.action === 'order.cancelled')).toMatchObject({ actor: 'operator', after: { note: 'お電話でご依頼（プラン誤り）' } });
    const notices = (await e.ok('GET', `/v1/accounts/${id}/notices`)).notices;
    expect(notices.find((n: any) => n.kind === 'order-cancelled').body).toContain('お客様のご依頼により取り消しました');

    // The account's page lists its orders and where each stands.
    await page.goto(`${e.url}/console/accounts/${id}`);
    const rows = page.getByTestId('account-orders-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await expectText(page.getByTestId(`account-order-${waiting.id}`).getByTestId('account-order-status'), '取消（オペレーターが取り消し）');
    await expectText(page.getByTestId(`account-order-${bought.id}`).getByTestId('account-order-status'), '完了'); // placed the same minute: their order is by id
    expect(await page.getByTestId('account-orders').getByTestId('cancel-order').count()).toBe(0);
    await screenshot(page, 'console-account-orders');
  });
});
