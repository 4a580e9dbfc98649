/** Console: the operator places an order on the customer's behalf (SPEC B1), from the account's screen. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, fieldError, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

async function openOrderForm(accountId: string): Promise<Page> {
  const page = await e.openConsole(`/console/accounts/${accountId}`);
  await page.getByTestId('contract-facts').waitFor();
  await page.getByTestId('place-order').click();
  await page.getByTestId('po-type').waitFor();
  return page;
}

describe('console: an order placed on the customer\'s behalf (B1)', () => {
  it('B1, S10, G2: a new Starter contract and then a spot order, each quoted first and completed at once with its invoice; the audit trail says the operator placed them', async () => {
    const id = await e.newAccount('teamspace', { name: '電話注文商事' });
    const page = await openOrderForm(id);
    // No contract yet: a new contract is what the form starts with.
    expect(await page.getByTestId('po-type').inputValue()).toBe('new-contract');
    expect(await page.getByTestId('po-type').locator('option').allTextContents()).toEqual(['新規契約', 'スポット', 'ライセンス追加']);
    // A plan is needed: nothing is sent without it.
    await page.getByTestId('po-preview').click();
    expect(await fieldError(page, 'planId', 'プラン')).toBe('プランを選んでください。');
    await page.getByTestId('po-plan').selectOption('starter');
    await page.getByTestId('po-method').selectOption('bank-transfer');
    await page.getByTestId('po-preview').click();
    const quote = page.getByTestId('po-quote');
    await expectText(page.getByTestId('po-quote-total'), '66,000円（税込）');
    await expectText(quote, containing('2026年7月1日 〜 2027年6月30日'));
    await expectText(quote, containing('銀行振込'));
    await expectText(page.getByTestId('po-acceptance'), containing('確定すると注文はすぐに完了し'));
    expect(await page.getByTestId('po-quote-notes').locator('li').allTextContents()).toEqual(['プラン: フリープラン → Starter', '席: 10 → 100']);
    await screenshot(page, 'console-place-order-quote');
    // Changing what is ordered asks for the quote again.
    await page.getByTestId('po-method').selectOption('card');
    await quote.waitFor({ state: 'detached' });
    await page.getByTestId('po-preview').click();
    await expectText(quote, containing('クレジットカード'));
    await page.getByTestId('po-place').click();
    await expectText(page.getByTestId('account-order-placed'), /^新規契約の注文が完了しました。請求書 INV-\d+（66,000円（税込）、お支払期限 2026年7月6日）を発行しました。$/);
    await expectText(page.getByTestId('plan-name'), 'Starter');
    const orders = (await e.ok('GET', `/v1/orders?accountId=${id}`)).orders;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ type: 'new-contract', status: 'completed', paymentMethod: 'card', amount: { total: 66000 } });
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events;
    expect(events.find((ev: any) => ev.action === 'order.completed')).toMatchObject({ actor: 'operator' });

    // A spot order: the Terms of Use agreement is asked for before anything is sent.
    await page.getByTestId('place-order').click();
    expect(await page.getByTestId('po-type').inputValue()).toBe('spot');
    expect(await page.getByTestId('po-seats').inputValue()).toBe('100');
    await page.getByTestId('po-preview').click();
    await expectText(page.getByTestId('error-agreeToTerms'), 'スポット契約にはお客様の利用規約への同意が必要です。同意を確認してからチェックを入れてください。');
    expect(await page.getByTestId('po-agree').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('po-agree').check();
    await page.getByTestId('po-preview').click();
    await expectText(page.getByTestId('po-quote-total'), '5,500円（税込）');
    await expectText(page.getByTestId('po-quote-notes'), '席: 100 → 200');
    // Two clicks on the button place one order (one idempotency key a quote).
    await page.getByTestId('po-place').dblclick();
    await expectText(page.getByTestId('account-order-placed'), containing('スポットの注文が完了しました。'));
    await expect.poll(async () => (await e.ok('GET', `/v1/orders?accountId=${id}`)).orders.length, { timeout: 10_000 }).toBe(2);
    expect((await e.ok('GET', `/v1/accounts/${id}/state`)).seats.limit).toBe(200);
    await expect.poll(() => page.getByTestId('account-orders-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
  });

  it('B1, B9: a plan change placed for the customer waits for the customer to accept its statement; the quote lists what changes', async () => {
    const id = await e.newAccount('ebook5', { name: '代理注文出版' });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await openOrderForm(id);
    expect(await page.getByTestId('po-type').inputValue()).toBe('plan-change');
    expect(await page.getByTestId('po-type').locator('option').allTextContents()).toEqual(['新規契約', 'プラン変更']);
    await page.getByTestId('po-plan').selectOption('business-10');
    expect(await page.getByTestId('po-term').inputValue()).toBe('');
    await expectText(page.getByTestId('po-term').locator('option').first(), '変更なし（1か月）');
    await page.getByTestId('po-preview').click();
    await expectText(page.getByTestId('po-quote-total'), '9,900円（税込）');
    const notes = await page.getByTestId('po-quote-notes').locator('li').allTextContents();
    expect(notes.slice(0, 3)).toEqual(['プラン: Business 5 → Business 10', '冊数: 5 → 10', 'ストレージ（MB）: 500 → 1000']);
    expect(notes.join('\n')).toContain('heatmap');
    await expectText(page.getByTestId('po-acceptance'), containing('お客様がポータルで承認した時点で完了します'));
    await expectText(page.getByTestId('po-place'), '注文を作成してお客様の承認を待つ');
    await screenshot(page, 'console-place-order-plan-change');
    // On a phone the form and its quote fit the screen.
    const phone = await e.newPage({ mobile: true });
    await phone.goto(`${e.url}/console/accounts/${id}`);
    await phone.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await phone.getByRole('button', { name: 'サインイン' }).click();
    await phone.getByTestId('place-order').click();
    await phone.getByTestId('po-plan').selectOption('business-10');
    await phone.getByTestId('po-preview').click();
    await expectText(phone.getByTestId('po-quote-total'), '9,900円（税込）');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'console-place-order-phone');

    await page.getByTestId('po-place').click();
    await expectText(page.getByTestId('account-order-placed'), 'プラン変更の注文（9,900円（税込））を作成しました。お客様の承認待ちです（承認期限 2026年7月31日）。');
    const placed = (await e.ok('GET', `/v1/orders?accountId=${id}&status=placed`)).orders;
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({ type: 'plan-change', status: 'placed', paymentMethod: 'card' });
    await expectText(page.getByTestId(`account-order-${placed[0].id}`).getByTestId('account-order-status'), '承認待ち（承認期限 2026年7月31日）');
    // The plan is unchanged until the customer accepts.
    expect((await e.ok('GET', `/v1/accounts/${id}/state`)).plan.id).toBe('business-5');
  });

  it('B1, P4: a rule the API refuses is shown at its field, in the console\'s language, and nothing is placed', async () => {
    const id = await e.newAccount('premium', { name: 'Refused Premium' });
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await openOrderForm(id);
    await page.getByTestId('language').selectOption('en');
    await expectText(page.getByTestId('place-order-form').locator('h3'), 'Place an order on the customer’s behalf');
    expect(await page.getByTestId('po-type').locator('option').allTextContents()).toEqual(['New contract', 'Upgrade', 'Renewal']);
    await page.getByTestId('po-type').selectOption('upgrade');
    await page.getByTestId('po-plan').selectOption('plan-5');
    await page.getByTestId('po-preview').click();
    const message = await fieldError(page, 'planId', 'Plan');
    expect(message).toMatch(/Plan 5/);
    expect(message).not.toMatch(/[ぁ-んァ-ン]/);
    // The keyboard is taken to the field to fix.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 10_000 }).toBe('po-plan');
    expect(await page.getByTestId('po-quote').count()).toBe(0);
    await screenshot(page, 'console-place-order-refused');
    await page.getByTestId('po-plan').selectOption('plan-20');
    await page.getByTestId('po-preview').click();
    await expectText(page.getByTestId('po-quote-total'), '¥4,400 (tax incl.)');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('place-order-form').waitFor({ state: 'detached' });
    expect((await e.ok('GET', `/v1/orders?accountId=${id}`)).orders).toHaveLength(1);
  });
});
