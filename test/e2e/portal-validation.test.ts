/**
 * The portal's forms check their own fields before sending and say what to enter, under the
 * field, in the portal's language; when the API still refuses a field's shape (invalid_request),
 * the customer reads the form's message, never the validator's text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { containing, expectText, fieldError, screenshot, startE2E } from './support.js';

let e: E2E;
let accountId: string;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
  accountId = await e.newAccount('teamspace');
  await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: 'card', renewal: 'renew' });
});
afterAll(async () => e?.close());

/** Validator texts the API writes for developers: none may reach the screen. */
const RAW = /Invalid|Too big|Too small|expected|ISO|agreeToTerms|無効な|小さすぎる|大きすぎる|整数を指定|文字以上|body\./;

/** The field's message, tied to its control (aria-describedby, aria-invalid). */
describe('portal: form checks in the customer\'s words', () => {
  it('spot settings in Japanese: empty, zero and 150 accounts, an empty start date; nothing is sent until they are right', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'スポット追加' }).click();
    await page.getByTestId('spot-settings').waitFor();
    let sent = 0;
    page.on('request', (r) => {
      if (r.url().includes('/v1/orders')) sent++;
    });
    const submit = page.getByRole('button', { name: 'お支払い手続きへ' });

    await page.getByLabel('スポット追加希望アカウント数').fill('');
    await page.getByLabel('スポット追加開始日').fill('');
    await submit.click();
    expect(await fieldError(page, 'seats', 'スポット追加希望アカウント数')).toBe('追加するアカウント数を入力してください（100アカウント単位）。');
    expect(await fieldError(page, 'startDate', 'スポット追加開始日')).toBe('開始日を入力してください。');
    // The focus goes to the first field to correct.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('number');
    await screenshot(page, 'portal-validation-spot-empty');

    await page.getByLabel('スポット追加希望アカウント数').fill('0');
    await page.getByLabel('スポット追加開始日').fill('2026-07-01');
    await submit.click();
    await expectText(page.getByTestId('error-seats'), '100以上の整数でアカウント数を入力してください（100アカウント単位）。');
    expect(await page.getByTestId('error-startDate').count()).toBe(0);
    await page.getByLabel('スポット追加希望アカウント数').fill('150');
    await submit.click();
    await expectText(page.getByTestId('error-seats'), 'アカウント数は100単位（100、200、…）で入力してください。');
    expect(sent).toBe(0);

    // Right now: the API is asked, and refuses the unticked Terms of Use in the portal's words.
    await page.getByLabel('スポット追加希望アカウント数').fill('100');
    await submit.click();
    await expectText(page.getByTestId('error-agreeToTerms'), 'スポット契約の申し込みには利用規約への同意が必要です。「利用規約に同意する」にチェックを入れてください。');
    expect(await page.getByTestId('error-seats').count()).toBe(0);
    expect(sent).toBe(1);
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
  });

  it('spot settings in English: the Terms of Use refusal is the portal\'s text, and an invalid_request from the API reads as the field\'s message', async () => {
    const page = await e.openPortal(accountId, { locale: 'en-US' });
    await page.getByRole('link', { name: 'Add spot' }).click();
    await page.getByTestId('spot-settings').waitFor();
    await page.getByRole('button', { name: 'Go to payment procedure' }).click();
    await expectText(page.getByTestId('error-agreeToTerms'), 'To place a spot order, agree to the Terms of Use: tick “I agree to the Terms of Use”.');
    expect(await page.locator('main').innerText()).not.toContain('(agreeToTerms: true)');

    // Whatever the browser let through, the API's validation text never shows: here the request
    // reaches the API with seats null and a start date that is not a date (as an older or
    // tampered page might send them).
    await page.route('**/v1/orders/preview', (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      void route.continue({ postData: JSON.stringify({ ...body, seats: null, startDate: '2026-02-30' }) });
    });
    await page.getByLabel('I agree to the Terms of Use').check();
    await page.getByRole('button', { name: 'Go to payment procedure' }).click();
    expect(await fieldError(page, 'seats', 'Accounts to add')).toBe('Enter a whole number of accounts, 100 or more (in steps of 100).');
    expect(await fieldError(page, 'startDate', 'Start date')).toBe('Enter the start date as a real date (for example December 1, 2026).');
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
    await screenshot(page, 'portal-validation-spot-api-invalid');
    await page.unroute('**/v1/orders/preview');
    await page.getByRole('button', { name: 'Go to payment procedure' }).click();
    await page.getByTestId('spot-payment').waitFor();
  });

  it('members registration: empty fields and a malformed address are said under each field; a good one registers', async () => {
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'メンバー' }).click();
    const register = page.getByTestId('register-card');
    await register.waitFor();
    await register.getByRole('button', { name: '登録する' }).click();
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe('メンバーのメールアドレスを入力してください。');
    expect(await fieldError(page, 'name', '名前')).toBe('メンバーの名前を入力してください。');
    await register.getByLabel('メールアドレス').fill('taro@');
    await register.getByLabel('名前').fill('山田太郎');
    await register.getByRole('button', { name: '登録する' }).click();
    await expectText(page.getByTestId('error-email'), 'メールアドレスを taro@example.jp の形で入力してください。');
    expect(await page.getByTestId('error-name').count()).toBe(0);
    await screenshot(page, 'portal-validation-members');
    // The API's own check of the address (stricter than the form's) reads as the form's message too.
    await register.getByLabel('メールアドレス').fill('taro@example..jp');
    await register.getByRole('button', { name: '登録する' }).click();
    await expectText(page.getByTestId('error-email'), 'メールアドレスを taro@example.jp の形で入力してください。');
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
    await register.getByLabel('メールアドレス').fill('taro@example.jp');
    await register.getByRole('button', { name: '登録する' }).click();
    await expectText(page.getByTestId('members-done'), '山田太郎さんを登録しました。');
  });

  it('plan change: an invalid_request on the plan reads "Choose a plan."', async () => {
    const id = await e.newAccount('ebook5');
    await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId: id, planId: 'business-5', term: 'P1M', startDate: '2026-07-01', paymentMethod: 'card' });
    const page = await e.openPortal(id, { locale: 'en-US' });
    await page.getByRole('link', { name: 'Plan change' }).click();
    await page.getByTestId('plan-change-form').waitFor();
    await page.route('**/v1/orders/preview', (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      void route.continue({ postData: JSON.stringify({ ...body, planId: '' }) });
    });
    await page.getByRole('button', { name: 'Review' }).click();
    await expectText(page.getByTestId('error-planId'), 'Choose a plan.');
    expect(await page.locator('main').innerText()).not.toMatch(RAW);
    await expectText(page.getByTestId('plan-change-form'), containing('Apply for an upgrade'));
  });
});
