/** Console: sign in by the operator key, find an account by email, read its detail. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  // The demo accounts of `npm start`, bought on 2026-07-01.
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00', seed: true });
});
afterAll(async () => e?.close());

describe('console: sign in, accounts, account detail', () => {
  it('a wrong key is said in plain words at the key; the right key lists the accounts; an account shows its contract, invoice, notices and audit trail', async () => {
    const page = await e.newPage();
    await page.goto(`${e.url}/console`);
    const key = page.getByLabel('オペレーターキー');
    await key.fill('not-the-key');
    await page.getByRole('button', { name: 'サインイン' }).click();
    const keyError = page.getByTestId('error-operatorKey');
    await expect.poll(() => keyError.textContent()).toBe('オペレーターキーが正しくありません。キーを確認して、もう一度入力してください。');
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'console-sign-in-refused');

    await key.fill(OPERATOR_KEY);
    await key.press('Enter');
    const table = page.getByTestId('accounts-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    await expectText(table, containing('hanako@premium.example'));

    await page.getByTestId('account-search').fill('hanako@premium');
    await page.getByTestId('account-search').press('Enter');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'console-accounts-search');
    await page.getByRole('link', { name: '山田花子' }).click();

    await page.getByTestId('contract-facts').waitFor();
    await page.getByRole('heading', { level: 2, name: '山田花子' }).waitFor({ state: 'visible' });
    await expectText(page.getByTestId('plan-name'), 'Plan 10');
    await expectText(page.getByTestId('contract-period'), '2026年7月1日 〜 2027年6月30日');
    const invoice = page.getByTestId('invoices-table').locator('tbody tr').first();
    await invoice.waitFor();
    await expectText(invoice.getByTestId('invoice-total'), '5,500円（税込）');
    await expectText(invoice.getByTestId('invoice-status'), '未払い');
    expect(await invoice.textContent()).toMatch(/INV-\d{6}.*請求書.*2026年7月1日/);
    expect(await invoice.getByRole('button', { name: /PDF/ }).isVisible()).toBe(true);
    const notice = page.getByTestId('notice-order-completed');
    await notice.waitFor();
    await notice.locator('summary').click();
    expect(await notice.locator('pre').isVisible()).toBe(true);
    const actions = await page.getByTestId('events-table').getByTestId('event-action').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['account.created', 'contract.created', 'invoice.issued']));
    // The key stays for the tab: a reload keeps the operator signed in.
    await page.reload();
    await page.getByTestId('contract-facts').waitFor();
    await screenshot(page, 'console-account-detail');
    // A key that stops working (changed on the server) leads back to sign-in, saying why.
    await page.evaluate(() => sessionStorage.setItem('keiyaku.operatorKey', 'a-stale-key'));
    await page.reload();
    await expect.poll(() => page.getByTestId('error-operatorKey').textContent()).toBe('オペレーターキーが使えなくなりました（サーバーでキーが変更されました）。現在のキーでもう一度サインインしてください。');
    expect(await page.getByTestId('sign-in').isVisible()).toBe(true);

    // A phone: the same screen, tables stacked, nothing wider than the screen.
    const phone = await e.newPage({ mobile: true });
    await phone.goto(`${e.url}/console`);
    await phone.getByLabel('オペレーターキー').fill(OPERATOR_KEY);
    await phone.getByRole('button', { name: 'サインイン' }).click();
    await phone.getByTestId('accounts-table').waitFor();
    await phone.getByRole('link', { name: '山田花子' }).click();
    await phone.getByTestId('invoices-table').waitFor();
    await phone.getByTestId('events-table').waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(phone, 'console-account-detail-phone');
  });
});
