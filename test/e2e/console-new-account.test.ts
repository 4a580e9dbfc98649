/** Console: the operator creates an account for a customer who applied by phone, from the accounts screen. */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { email, expectText, fieldError, screenshot, startE2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

/** How many accounts the API has. */
async function accountCount(): Promise<number> {
  return (await e.ok('GET', '/v1/accounts?limit=500')).accounts.length;
}

/** The console (Japanese) on the accounts screen, with the new-account form open. */
async function openForm(): Promise<Page> {
  const page = await e.openConsole('/console');
  await page.getByTestId('new-account').click();
  await page.getByTestId('new-account-form').waitFor();
  // The catalog's products are in the select.
  await expect.poll(() => page.getByTestId('new-account-product').locator('option').count()).toBeGreaterThan(1);
  return page;
}

/** The POST /v1/accounts requests the page sends, as they leave the browser. */
function accountPosts(page: Page): Request[] {
  const sent: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/accounts') sent.push(r);
  });
  return sent;
}

const focusedTestId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);

describe('console: create an account', () => {
  it('an ebook5 account with English notices and developer publishing: created as typed, the console opens it, the list has it', async () => {
    const page = await e.openConsole('/console');
    await page.getByTestId('accounts-table-empty').waitFor();
    await screenshot(page, 'console-new-account-closed');
    await page.getByTestId('new-account').click();
    const form = page.getByTestId('new-account-form');
    await form.waitFor();
    // The focus is in the first field; the products are listed by their Japanese names.
    await expect.poll(() => focusedTestId(page)).toBe('new-account-name');
    const product = page.getByLabel('商品', { exact: true });
    await expect.poll(() => product.locator('option').allTextContents()).toEqual(['選んでください', 'チームスペース', '個人プレミアム', 'ebook5']);
    expect(await page.getByLabel('お知らせの言語').locator('option').allTextContents()).toEqual(['日本語', 'English']);
    expect(await page.getByLabel('お知らせの言語').inputValue()).toBe('ja');
    // A product without options of its own shows none; ebook5 shows its own, its default chosen.
    await product.selectOption({ label: 'チームスペース' });
    expect(await page.getByTestId('new-account-option-externalPublishing').count()).toBe(0);
    await product.selectOption({ label: 'ebook5' });
    const publishing = page.getByLabel('外部出版');
    expect(await publishing.inputValue()).toBe('off');
    expect(await publishing.locator('option').allTextContents()).toEqual(['なし（既定）', 'スタンダード', 'デベロッパー']);
    await screenshot(page, 'console-new-account-form');

    const address = email('phone');
    await page.getByLabel('会社名またはお客様名').fill('  電話受付出版株式会社 ');
    await page.getByLabel('メールアドレス', { exact: true }).fill(address);
    await page.getByLabel('お知らせの言語').selectOption({ label: 'English' });
    await publishing.selectOption({ label: 'デベロッパー' });
    await screenshot(page, 'console-new-account-filled');
    await page.getByTestId('create-account').click();

    // The new account's screen, where the portal link is made.
    await page.waitForURL(/\/console\/accounts\/acc_[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByTestId('account-facts').waitFor();
    await page.getByRole('heading', { level: 2, name: '電話受付出版株式会社' }).waitFor({ state: 'visible' });
    await expectText(page.getByTestId('account-facts'), new RegExp(address.replace(/[.+]/g, '\\$&')));
    await page.getByTestId('portal-access').getByRole('button', { name: 'ポータルへのリンクを発行' }).waitFor({ state: 'visible' });

    expect(await e.ok('GET', `/v1/accounts/${id}`)).toMatchObject({
      id,
      name: '電話受付出版株式会社',
      email: address,
      product: 'ebook5',
      options: { lang: 'en', externalPublishing: 'developer' },
    });

    await page.getByRole('link', { name: '← アカウント一覧' }).click();
    const row = page.getByTestId(`account-${id}`);
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(['電話受付出版株式会社', address, 'ebook5', '2026年7月1日 09:00']);

    // The form in English: the products by their English names; Close gives the focus back to the button.
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('button', { name: 'New account' }).click();
    await expect.poll(() => page.getByLabel('Product', { exact: true }).locator('option').allTextContents()).toEqual(['Choose a product', 'TeamSpace', 'Personal Premium', 'ebook5']);
    await page.getByLabel('Product', { exact: true }).selectOption('ebook5');
    expect(await page.getByLabel('External publishing').locator('option').allTextContents()).toEqual(['Off (default)', 'Standard', 'Developer']);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('new-account-form').waitFor({ state: 'detached' });
    await expect.poll(() => focusedTestId(page)).toBe('new-account');

    // A phone: the form fits the screen.
    const phone = await e.newPage({ mobile: true });
    await phone.goto(`${e.url}/console`);
    await phone.getByLabel('オペレーターキー').fill('e2e-operator-key-0123456789');
    await phone.getByRole('button', { name: 'サインイン' }).click();
    await phone.getByTestId('accounts-table').waitFor();
    await screenshot(phone, 'console-new-account-phone-closed');
    await phone.getByTestId('new-account').click();
    await phone.getByLabel('商品', { exact: true }).selectOption({ label: 'ebook5' });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'console-new-account-phone');
  });

  it('empty or wrong entries say under each field what to enter, and nothing is sent', async () => {
    const before = await accountCount();
    const page = await openForm();
    const posts = accountPosts(page);

    await page.getByTestId('create-account').click();
    expect(await fieldError(page, 'name', '会社名またはお客様名')).toBe('会社名またはお客様名を入力してください（200文字以内）。');
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe('メールアドレスを入力してください。');
    expect(await fieldError(page, 'product', '商品')).toBe('商品を選んでください。');
    // The focus goes to the first field to fix.
    await expect.poll(() => focusedTestId(page)).toBe('new-account-name');
    await screenshot(page, 'console-new-account-empty');

    await page.getByLabel('会社名またはお客様名').fill('あ'.repeat(201));
    await page.getByLabel('メールアドレス', { exact: true }).fill('tanaka@example');
    await page.getByLabel('商品', { exact: true }).selectOption({ label: 'チームスペース' });
    await page.getByTestId('create-account').click();
    await expect.poll(() => page.getByTestId('error-name').textContent()).toBe('名前は200文字以内で入力してください（現在201文字）。');
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe('メールアドレスを taro@example.jp の形で入力してください。');
    expect(await page.getByTestId('error-product').count()).toBe(0);
    await screenshot(page, 'console-new-account-invalid');

    // In English, the same checks in English.
    await page.getByTestId('language').selectOption('en');
    await page.getByLabel('Company or customer name').fill('   ');
    await page.getByRole('button', { name: 'Create the account' }).click();
    await expect.poll(() => page.getByTestId('error-name').textContent()).toBe('Enter the company or customer name (up to 200 characters).');
    expect(await fieldError(page, 'email', 'Email')).toBe('Enter an email address such as taro@example.jp.');

    expect(posts).toHaveLength(0);
    expect(await accountCount()).toBe(before);
  });

  it('an email that already has an account: the API\'s email_taken message under the email, nothing created; another email then creates it', async () => {
    const taken = email('taken');
    await e.ok('POST', '/v1/accounts', { email: taken, name: '既存のお客様', product: 'teamspace' });
    const before = await accountCount();
    // What the API says, in Japanese (the console sends Accept-Language: ja).
    const refusal = await e.api('POST', '/v1/accounts', { email: taken, name: '重複', product: 'teamspace' }, { lang: 'ja' });
    expect(refusal.status).toBe(409);
    expect(refusal.body.code).toBe('email_taken');
    const message = refusal.body.errors[0].message as string;
    expect(message).toContain('は既にアカウントで使われています');

    const page = await openForm();
    const posts = accountPosts(page);
    await page.getByLabel('会社名またはお客様名').fill('重複商事');
    await page.getByLabel('メールアドレス', { exact: true }).fill(taken);
    await page.getByLabel('商品', { exact: true }).selectOption({ label: 'チームスペース' });
    await page.getByTestId('create-account').click();
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe(message);
    // Shown at the field only, not again above the form; the focus is on the email.
    expect(await page.getByTestId('new-account-form').getByTestId('problem').count()).toBe(0);
    await expect.poll(() => focusedTestId(page)).toBe('new-account-email');
    await screenshot(page, 'console-new-account-email-taken');
    expect(await accountCount()).toBe(before);
    expect(new URL(page.url()).pathname).toBe('/console');

    // Another email is another request (a new idempotency key): the account is created.
    const fresh = email('fresh');
    await page.getByLabel('メールアドレス', { exact: true }).fill(fresh);
    await page.getByTestId('create-account').click();
    await page.waitForURL(/\/console\/accounts\/acc_[^/]+$/);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers()['idempotency-key']).not.toBe(posts[1]!.headers()['idempotency-key']);
    expect(await accountCount()).toBe(before + 1);
    expect((await e.ok('GET', `/v1/accounts?email=${encodeURIComponent(fresh)}`)).accounts).toMatchObject([{ name: '重複商事', product: 'teamspace', options: { lang: 'ja' } }]);
  });

  it('a double click on "create", a double submit or sending again after a lost answer creates one account', async () => {
    async function fill(page: Page, address: string) {
      await page.getByLabel('会社名またはお客様名').fill('二度押し工業');
      await page.getByLabel('メールアドレス', { exact: true }).fill(address);
      await page.getByLabel('商品', { exact: true }).selectOption({ label: '個人プレミアム' });
    }
    const sameKey = (posts: Request[]) => new Set(posts.map((r) => r.headers()['idempotency-key'])).size;

    // A double click.
    let before = await accountCount();
    let page = await openForm();
    let posts = accountPosts(page);
    const clicked = email('double');
    await fill(page, clicked);
    await page.getByTestId('create-account').dblclick();
    await page.waitForURL(/\/console\/accounts\/acc_[^/]+$/);
    await page.getByTestId('account-facts').waitFor();
    expect(sameKey(posts)).toBe(1);
    expect(await accountCount()).toBe(before + 1);
    expect((await e.ok('GET', `/v1/accounts?email=${encodeURIComponent(clicked)}`)).accounts).toHaveLength(1);

    // Two submits at once (Enter pressed twice, past the button).
    before = await accountCount();
    page = await openForm();
    posts = accountPosts(page);
    await fill(page, email('submit'));
    await page.getByTestId('new-account-form').evaluate((f: HTMLFormElement) => {
      f.requestSubmit();
      f.requestSubmit();
    });
    await page.waitForURL(/\/console\/accounts\/acc_[^/]+$/);
    expect(sameKey(posts)).toBe(1);
    expect(await accountCount()).toBe(before + 1);

    // The account is created but its answer is lost on the way: sent again, it is the same account.
    before = await accountCount();
    page = await openForm();
    posts = accountPosts(page);
    let created: { id: string } | null = null;
    await page.route('**/v1/accounts', async (route) => {
      if (route.request().method() !== 'POST' || created) return route.continue();
      created = (await (await route.fetch()).json()) as { id: string };
      await route.abort('failed');
    });
    await fill(page, email('lost'));
    await page.getByTestId('create-account').click();
    await expectText(page.getByTestId('new-account-form').getByTestId('problem'), /サーバーに接続できませんでした。/);
    expect(created).not.toBeNull();
    expect(await accountCount()).toBe(before + 1);
    await page.getByTestId('create-account').click();
    await page.waitForURL(new RegExp(`/console/accounts/${created!.id}$`));
    expect(posts).toHaveLength(2);
    expect(sameKey(posts)).toBe(1);
    expect(await accountCount()).toBe(before + 1);
  });

  it('B11: the account corrected from its screen — a new name, email and notice language; an address another account has is refused under the email and changes nothing', async () => {
    const other = email('other');
    await e.ok('POST', '/v1/accounts', { email: other, name: '他社', product: 'premium' });
    const id = await e.newAccount('ebook5', { name: '旧名出版' });
    const page = await e.openConsole(`/console/accounts/${id}`);
    await page.getByTestId('edit-account').click();
    const form = page.getByTestId('edit-account-form');
    await form.waitFor();
    expect(await form.getByTestId('new-account-product').count()).toBe(0); // the product stays
    await form.getByTestId('new-account-email').fill(other);
    await form.getByTestId('save-account').click();
    await expectText(page.getByTestId('error-email'), `${other} は既にアカウントで使われています。1つのメールアドレスにつき1アカウントです。別のメールアドレスを指定してください。`);
    expect((await e.ok('GET', `/v1/accounts/${id}`)).name).toBe('旧名出版');

    const to = email('renamed');
    await form.getByTestId('new-account-name').fill('新名出版');
    await form.getByTestId('new-account-email').fill(to);
    await form.getByTestId('new-account-lang').selectOption('en');
    await form.getByTestId('new-account-option-externalPublishing').selectOption('developer');
    await screenshot(page, 'console-edit-account');
    await form.getByTestId('save-account').click();
    await expectText(page.getByTestId('account-saved'), 'アカウント情報を変更しました。');
    await expectText(page.getByRole('heading', { level: 2, name: '新名出版' }), '新名出版');
    expect(await e.ok('GET', `/v1/accounts/${id}`)).toMatchObject({ name: '新名出版', email: to, options: { lang: 'en', externalPublishing: 'developer' } });
    const events = (await e.ok('GET', `/v1/accounts/${id}/events`)).events;
    expect(events[0]).toMatchObject({ action: 'account.updated', actor: 'operator' });
  });
});
