// Account settings in the portal (docs/portal.md, docs/decisions.md "the customer's own settings"):
// the customer changes its name (the addressee of its next documents) and the language of its
// notices; its email through a confirmation mailed to the new address; its sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, fieldError, screenshot, startE2E, noOverflow } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

describe('portal: account settings', () => {
  it('§6, B11: a renamed company and notices in English — the header and the next invoice use the new name, the invoice already issued keeps the old one', async () => {
    const accountId = await e.newAccount('teamspace', { name: '旧社名株式会社' });
    const bought = await e.ok('POST', '/v1/orders', { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', quantity: 100, startDate: '2026-07-01', paymentMethod: 'bank-transfer', renewal: 'renew' });
    const account = await e.ok('GET', `/v1/accounts/${accountId}`);

    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'アカウント設定' }).click();
    await page.getByTestId('settings').waitFor();
    await expectText(page.locator('h1'), 'アカウント設定');
    await expectText(page.getByTestId('settings-email'), account.email);
    await expectText(page.getByTestId('settings-email-card'), /お知らせと請求書はこのアドレスに届きます。/);
    expect(await page.getByLabel('お名前・会社名（請求書の宛名）', { exact: true }).inputValue()).toBe('旧社名株式会社');
    expect(await page.getByLabel('通知の言語', { exact: true }).inputValue()).toBe('ja');

    // The form's own check: an empty name is said at the field, nothing is sent.
    let patches = 0;
    page.on('request', (r) => {
      if (r.method() === 'PATCH') patches++;
    });
    await page.getByLabel('お名前・会社名（請求書の宛名）', { exact: true }).fill('  ');
    await page.getByRole('button', { name: '保存する' }).click();
    expect(await fieldError(page, 'name', 'お名前・会社名（請求書の宛名）')).toBe('お名前または会社名を入力してください（200文字以内）。');
    expect(patches).toBe(0);
    await screenshot(page, 'settings-1-empty-name');

    await page.getByLabel('お名前・会社名（請求書の宛名）', { exact: true }).fill('新社名株式会社');
    await page.getByLabel('通知の言語', { exact: true }).selectOption('en');
    await page.getByRole('button', { name: '保存する' }).click();
    await expectText(page.getByTestId('settings-done'), '保存しました。次に発行する書類とお知らせから反映されます。');
    expect(patches).toBe(1);
    await expectText(page.locator('.k-sub'), `新社名株式会社 (${account.email})`);
    await screenshot(page, 'settings-2-saved');

    // What the vendor sees, and what the customer gets from now on.
    expect(await e.ok('GET', `/v1/accounts/${accountId}`)).toMatchObject({ name: '新社名株式会社', options: { lang: 'en' } });
    const { events } = await e.ok('GET', `/v1/accounts/${accountId}/events`);
    expect(events.find((ev: any) => ev.action === 'account.updated')).toMatchObject({ actor: `customer:${accountId}`, after: { name: '新社名株式会社' } });
    expect((await e.ok('GET', `/v1/invoices/${bought.invoiceId}`)).customerName).toBe('旧社名株式会社');
    const spot = await e.ok('POST', '/v1/orders', { type: 'spot', accountId, seats: 100, startDate: '2026-07-01', months: 1, agreeToTerms: true, paymentMethod: 'bank-transfer' });
    expect((await e.ok('GET', `/v1/invoices/${spot.invoiceId}`)).customerName).toBe('新社名株式会社');
    const { notices } = await e.ok('GET', `/v1/accounts/${accountId}/notices`);
    expect(notices[0].subject).not.toMatch(/[ぁ-んァ-ン]/);
  });

  it('signed-in sessions: this device is marked, a forwarded link is ended from its row, and signing out everywhere ends this one too', async () => {
    const accountId = await e.newAccount('teamspace');
    const forwarded = await e.portalLink(accountId);
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    const forwardedToken = forwarded.split('#token=')[1]!;
    await page.getByRole('link', { name: 'アカウント設定' }).click();
    const rows = page.getByTestId('sessions').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expectText(page.getByTestId('session-current'), 'この端末');
    await screenshot(page, 'settings-3-sessions');
    await page.getByTestId('end-session').click();
    await expectText(page.getByTestId('sessions-done'), 'セッションを終了しました。そのリンクはもう使えません。');
    await expect.poll(() => rows.count()).toBe(1);
    expect((await e.api('GET', '/v1/session', undefined, { token: forwardedToken })).status).toBe(401);
    // Everywhere: asked first, then this tab is signed out and its link stops working.
    await page.getByTestId('end-all-sessions').click();
    await page.getByRole('button', { name: 'やめる' }).click();
    await page.getByTestId('end-all-sessions').click();
    await page.getByTestId('confirm-end-all').click();
    await expectText(page.getByTestId('no-session'), /^ログアウトしました。/);
    expect((await e.ok('GET', `/v1/accounts/${accountId}/portal-sessions`)).sessions).toEqual([]);
  });

  it('B11: a new email, confirmed from the link mailed to it (opened without a session): the account moves there, the old address is told', async () => {
    const accountId = await e.newAccount('teamspace', { name: '転居株式会社' });
    const { email: old } = await e.ok('GET', `/v1/accounts/${accountId}`);
    const page = await e.openPortal(accountId, { locale: 'ja-JP' });
    await page.getByRole('link', { name: 'アカウント設定' }).click();
    await page.getByTestId('settings').waitFor();
    // The form's own check, then the API's: the same address is refused at the field.
    await page.getByRole('button', { name: '確認メールを送る' }).click();
    expect(await fieldError(page, 'email', '新しいメールアドレス')).toBe('新しいメールアドレスを taro@example.jp の形で入力してください。');
    await page.getByLabel('新しいメールアドレス', { exact: true }).fill(old.toUpperCase());
    await page.getByRole('button', { name: '確認メールを送る' }).click();
    expect(await fieldError(page, 'email', '新しいメールアドレス')).toBe(`${old.toUpperCase()} は現在ご登録のメールアドレスです。新しいメールアドレスを入力してください。`);
    const to = `moved.${old}`;
    await page.getByLabel('新しいメールアドレス', { exact: true }).fill(to);
    await page.getByRole('button', { name: '確認メールを送る' }).click();
    await expectText(page.getByTestId('email-change-sent'), `確認のメールを ${to} にお送りしました。メール内のリンクを開き、変更を確定してください（24時間有効）。確定するまで、メールアドレスは変わりません。`);
    await expectText(page.getByTestId('settings-email'), old);
    await screenshot(page, 'settings-4-email-sent');

    // The mail to the new address, opened in another browser (no session): confirmed by the button.
    const mail = await e.running.ctx.db.selectFrom('notices').select(['to_email', 'body']).where('account_id', '=', accountId).where('kind', '=', 'email-change-confirm').executeTakeFirstOrThrow();
    expect(mail.to_email).toBe(to);
    const link = /https?:\/\/\S+\/portal\/confirm-email#code=kye_[A-Za-z0-9_-]+/.exec(mail.body)![0];
    const elsewhere = await e.newPage({ locale: 'ja-JP' });
    await elsewhere.goto(link);
    await elsewhere.getByTestId('confirm-email').waitFor();
    expect(new URL(elsewhere.url()).hash).toBe('');
    expect((await e.ok('GET', `/v1/accounts/${accountId}`)).email).toBe(old);
    await elsewhere.getByTestId('confirm-email-go').click();
    await expectText(elsewhere.getByTestId('confirm-email-done'), `メールアドレスを ${to} に変更しました。今後のお知らせと請求書はこのアドレスに届きます。`);
    await screenshot(elsewhere, 'settings-5-email-confirmed');
    expect((await e.ok('GET', `/v1/accounts/${accountId}`)).email).toBe(to);
    const { notices } = await e.ok('GET', `/v1/accounts/${accountId}/notices`);
    expect(notices.find((n: any) => n.kind === 'email-changed')).toMatchObject({ to: old });
    // The customer's own tab goes on, now showing the new address.
    await page.reload();
    await expectText(page.getByTestId('settings-email'), to);
  });

  it('in English on a 390 px phone: nothing changed is said so without a request; the email is shown, changed only through a confirmation', async () => {
    const accountId = await e.newAccount('ebook5', { name: 'Books Inc.', options: { lang: 'en' } });
    const page = await e.openPortal(accountId, { locale: 'en-US', mobile: true });
    await page.getByRole('link', { name: 'Account settings' }).click();
    await page.getByTestId('settings').waitFor();
    expect(await page.getByLabel('Language of notices', { exact: true }).inputValue()).toBe('en');
    // The email is not a field of the name's form: it changes only through the confirmation.
    expect(await page.getByTestId('settings-card').locator('input[type="email"]').count()).toBe(0);
    let patches = 0;
    page.on('request', (r) => {
      if (r.method() === 'PATCH') patches++;
    });
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.getByTestId('settings-done'), 'Nothing has changed.');
    expect(patches).toBe(0);
    await noOverflow(page);
    await screenshot(page, 'settings-en-phone');
    // Back to Japanese notices.
    await page.getByLabel('Language of notices', { exact: true }).selectOption('ja');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.getByTestId('settings-done'), 'Saved. Documents and notices from now on use it.');
    expect((await e.ok('GET', `/v1/accounts/${accountId}`)).options.lang).toBe('ja');
  });
});
