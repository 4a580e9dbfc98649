// Signing in again from the portal itself (docs/portal.md "Signing in again"): a customer without a
// working link types its email and gets a new link by email (POST /v1/portal-links); the link in
// the mail opens its portal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2E } from './support.js';
import { expectText, fieldError, screenshot, startE2E, noOverflow } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ clock: '2026-07-01T09:00:00+09:00' });
});
afterAll(async () => e?.close());

/** The sign-in link of the newest portal-link mail to the account, as the outbox hands it to the mail server. */
async function mailedLink(accountId: string): Promise<string> {
  const mail = await e.running.ctx.db.selectFrom('notices').select('body').where('account_id', '=', accountId).where('kind', '=', 'portal-link').orderBy('sent_at', 'desc').executeTakeFirstOrThrow();
  return /https?:\/\/\S+#token=kyc_[A-Za-z0-9_-]+/.exec(mail.body)![0];
}

describe('portal: a new sign-in link by email', () => {
  it('without a link: the form checks the address, says a link was sent, and the mailed link opens the account\'s portal', async () => {
    const accountId = await e.newAccount('teamspace', { name: '再入場株式会社' });
    const { email } = await e.ok('GET', `/v1/accounts/${accountId}`);
    const page = await e.newPage({ locale: 'ja-JP' });
    await page.goto(`${e.url}/portal`);
    await expectText(page.getByTestId('no-session'), /お手元にない場合は、下のフォームから受け取れます。$/);
    const form = page.getByTestId('request-link');
    await form.waitFor();
    let requests = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/portal-links') requests++;
    });
    await page.getByRole('button', { name: 'ログイン用リンクを送る' }).click();
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe('ご登録のメールアドレスを入力してください。');
    await page.getByLabel('メールアドレス', { exact: true }).fill('saitou@');
    await page.getByRole('button', { name: 'ログイン用リンクを送る' }).click();
    expect(await fieldError(page, 'email', 'メールアドレス')).toBe('メールアドレスを taro@example.jp の形で入力してください。');
    expect(requests).toBe(0);

    await page.getByLabel('メールアドレス', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'ログイン用リンクを送る' }).click();
    await expectText(page.getByTestId('request-link-sent'), `${email} でアカウントのご登録があれば、ログイン用のリンクをそのアドレスにお送りしました。メールをご確認ください。`);
    expect(requests).toBe(1);
    await screenshot(page, 'relink-1-sent');

    // The mail's link opens this account's portal.
    const link = await mailedLink(accountId);
    expect(link.startsWith(`${e.url}/portal#token=`)).toBe(true);
    await page.goto(link);
    await page.getByTestId('contract-info').waitFor();
    await expectText(page.locator('.k-sub'), `再入場株式会社 (${email})`);
    // Its notices list the mail, without the link's token.
    const notices = page.getByTestId('notices');
    await expectText(notices, /【ログイン用リンク】マイページへのリンクをお送りします/);
    const listed = (await notices.textContent()) ?? '';
    expect(listed).toContain('/portal#token=kyc_…');
    expect(listed).not.toContain(link.split('#token=')[1]);
    await screenshot(page, 'relink-2-signed-in');
  });

  it('in English on a 390 px phone: a link the operator ended shows the form; an unknown address is answered alike', async () => {
    const accountId = await e.newAccount('ebook5', { options: { lang: 'en' } });
    const page = await e.openPortal(accountId, { locale: 'en-US', mobile: true });
    await e.ok('DELETE', `/v1/accounts/${accountId}/portal-sessions`);
    await page.reload();
    await expectText(page.getByTestId('load-error'), 'This link has expired. Get a new one with the form below.');
    await page.getByTestId('request-link').waitFor();
    await page.getByLabel('Email', { exact: true }).fill('nobody-here@example.jp');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expectText(page.getByTestId('request-link-sent'), 'If an account uses nobody-here@example.jp, a sign-in link was sent to that address. Check your email.');
    await noOverflow(page);
    await screenshot(page, 'relink-en-phone');
    const { notices } = await e.ok('GET', '/v1/notices?kind=portal-link&limit=500');
    expect(notices.filter((n: any) => n.to === 'nobody-here@example.jp')).toHaveLength(0);
  });
});
