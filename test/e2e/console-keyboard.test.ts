/** Console by keyboard only: sign in, find an account, open a PDF, record a payment — no mouse. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { OPERATOR_KEY, containing, expectText, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00', seed: true });
});
afterAll(async () => e?.close());

/** Presses Tab until the focused element's text or label matches, as a keyboard user would. */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el) return '';
      return (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').trim();
    });
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

/** The focus ring a keyboard user sees on the focused element. */
const outline = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);

describe('console: by keyboard', () => {
  it('sign in, search, open the teamspace account, its PDF and record its payment with Tab and Enter', async () => {
    const page = await e.newPage();
    await page.goto(`${e.url}/console`);
    // The key field has the focus on arrival (once the console has rendered it).
    const keyField = page.getByLabel('オペレーターキー');
    await keyField.waitFor();
    await expect.poll(() => keyField.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(OPERATOR_KEY);
    await page.keyboard.press('Enter');
    await page.getByTestId('accounts-table').waitFor();

    await tabTo(page, 'メールアドレスまたは名前で検索');
    await page.keyboard.type('owner@teamspace.example');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('accounts-table').locator('tbody tr').count()).toBe(1);
    await tabTo(page, 'デモ商事株式会社');
    expect(await outline(page)).not.toBe('none');
    await page.keyboard.press('Enter');

    await page.getByTestId('contract-facts').waitFor();
    await expectText(page.getByTestId('contract-facts'), containing('1 / 100席使用中'));
    const members = page.getByTestId('members');
    await members.locator('tbody tr').first().waitFor();
    await expectText(members.locator('tbody tr').first(), containing('owner@teamspace.example'));
    const number = ((await page.getByTestId('invoices-table').locator('tbody tr .kc-code').first().textContent()) ?? '').trim();
    expect(number).toMatch(/^INV-\d{6}$/);

    // The PDF opens in a new tab, fetched with the operator key.
    await tabTo(page, `${number}のPDFを開く`);
    const [pdf] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
    await pdf.waitForLoadState();
    expect(pdf.url()).toMatch(/^blob:/);
    await pdf.close();

    await tabTo(page, `${number}の入金を記録`);
    expect(await outline(page)).not.toBe('none');
    await page.keyboard.press('Enter');
    // The form opens with the amount focused and the whole balance in it: Enter records it.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid)).toBe('payment-amount');
    expect(await page.getByTestId('payment-amount').inputValue()).toBe('66000');
    await page.keyboard.press('Enter');
    const done = page.getByTestId('payment-done');
    await done.waitFor();
    await expectText(done, `${number}に66,000円の入金を記録しました。状態: 支払済`);
    // The outcome takes the focus, so the keyboard continues from there.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid)).toBe('payment-done');
    await expect.poll(() => page.getByTestId(`invoice-${number}`).getByTestId('invoice-status').textContent()).toBe('支払済');
    await screenshot(page, 'console-keyboard-paid');
  });
});
