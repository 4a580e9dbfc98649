/** Console: the test clock moves forward and the scheduled notices of that day appear. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('console: test clock', () => {
  it('moved to 2027-05-01 09:00, it runs the renewal-window notice (P3); the account then shows it and the open window', async () => {
    const id = await e.newAccount('premium');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'plan-10', term: 'P1Y', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.openConsole('/console');
    await page.getByTestId('accounts-table').waitFor();
    await page.getByRole('link', { name: 'テスト時計' }).click();
    await expectText(page.getByTestId('clock-now'), '2026年7月1日 09:00');
    await expectText(page.getByTestId('clock-facts'), containing('Asia/Tokyo'));

    // +1 day from the keyboard: the quick button.
    await page.getByRole('button', { name: '+1日' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('clock-now').textContent()).toBe('2026年7月2日 09:00');

    await page.getByLabel('日付').fill('2027-05-01');
    await page.getByLabel('時刻').fill('09:00');
    await page.getByRole('button', { name: '時計を進める' }).click();
    await expect.poll(() => page.getByTestId('clock-now').textContent()).toBe('2027年5月1日 09:00');
    await expectText(page.getByTestId('clock-done'), /^時計を2027年5月1日 09:00に進めました。予定処理 [1-9]\d*件を実行しました（失敗 0件）。$/);
    await expectText(page.getByTestId('clock-badge'), 'テスト時計: 2027年5月1日 09:00');
    await screenshot(page, 'console-clock-moved');

    // Back is refused by the API, next to the date.
    await page.getByLabel('日付').fill('2027-04-30');
    await page.getByRole('button', { name: '時計を進める' }).click();
    await expect.poll(() => page.getByTestId('error-now').textContent()).toMatch(/^テストクロックは進めることしかできません。現在 2027-05-01T00:00:00(\.000)?Z で、2027-04-30T00:00:00(\.000)?Z はそれより前です。$/);
    await expectText(page.getByTestId('clock-now'), '2027年5月1日 09:00');

    await page.getByRole('link', { name: 'アカウント', exact: true }).click();
    await page.getByRole('link', { name: 'premium customer' }).first().click();
    const notice = page.getByTestId('notice-renewal-offer-open');
    await notice.waitFor();
    // Sent when the scheduler ran: at the moment the clock was moved to.
    await expectText(notice.locator('summary'), containing('【更新のご案内】「Plan 10」の更新手続きができるようになりました2027年5月1日 09:00'));
    await expectText(page.getByTestId('contract-facts'), containing('受付中（2027年5月1日から）'));
    await screenshot(page, 'console-clock-notice');
  });
});
