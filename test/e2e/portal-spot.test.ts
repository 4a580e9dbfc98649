// The seed's spot flow in the portal (reference 000, SPEC S4, S10): from contract information
// through settings, the Terms of Use, the payment procedure, to the completion screen.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { E2E } from './support.js';
import { screenshot, containing, expectText, startE2E } from './support.js';

describe('portal: add spot order on the demo Starter 100 account', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ clock: '2026-07-01T09:00:00+09:00', seed: true });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('S10: settings → terms → payment → completed, billed 5,500円（税込）, limit 200 for the month', async () => {
    const { accounts } = await e.ok('GET', '/v1/accounts?email=owner@teamspace.example');
    const accountId = accounts[0].id as string;
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });

    await expectText(page.getByTestId('plan-name'), 'Starter');
    await expectText(page.getByTestId('contract-period'), '2026年7月1日 〜 2027年6月30日');
    await screenshot(page, 'spot-0-contract-info');

    await page.getByRole('button', { name: 'スポット追加注文' }).click();
    await page.getByTestId('spot-settings').waitFor();
    await page.getByLabel('スポット追加希望アカウント数').fill('100');
    await page.getByLabel('スポット追加期間').selectOption('1');
    // Not ticked: the API refuses, and its message stands next to the checkbox.
    await page.getByRole('button', { name: 'お支払い手続きへ' }).click();
    const termsError = page.getByTestId('error-agreeToTerms');
    await termsError.waitFor();
    await expectText(termsError, containing('利用規約への同意が必要です'));
    await screenshot(page, 'spot-1-terms-required');

    await page.getByLabel('利用規約に同意する').check();
    await page.getByRole('button', { name: 'お支払い手続きへ' }).click();
    const payment = page.getByTestId('spot-payment');
    await payment.waitFor();
    await expectText(payment, containing('Starter スポット 100アカウント（1か月）'));
    await expectText(page.getByTestId('quote-total'), '5,500円（税込）');
    await expectText(page.getByTestId('quote-period'), '2026年7月1日 〜 2026年7月31日');
    await page.getByLabel('クレジットカード').check();
    await screenshot(page, 'spot-2-payment');

    await page.getByRole('button', { name: /5,500円（税込）を支払う/ }).click();
    await page.getByTestId('spot-done').waitFor();
    await expectText(page.getByTestId('spot-done-message'), containing('手続きが完了しました'));
    await expectText(page.getByTestId('done-total'), '5,500円（税込）');
    await expectText(page.getByTestId('done-period'), '2026年7月1日 〜 2026年7月31日');
    await screenshot(page, 'spot-3-completed');

    await page.getByRole('button', { name: '契約情報へ' }).click();
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.getByTestId('seat-limit'), '200名');
    await expectText(page.getByTestId('spots'), containing('2026年7月1日 〜 2026年7月31日'));
    await page.getByTestId('invoices').getByText('5,500円（税込）').waitFor();
    await screenshot(page, 'spot-4-contract-after');
  });
});
