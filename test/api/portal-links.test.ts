/**
 * POST /v1/portal-links: a customer whose portal link expired asks for a new one by its email;
 * the link is mailed to the account's own address (a `portal-link` notice), points at
 * KEIYAKU_PUBLIC_URL, and signs in. The answer never tells whether an account has the address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, startTestServer } from '../support/harness.js';
import { loadConfig } from '../../src/config.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00', KEIYAKU_PUBLIC_URL: 'https://billing.example.jp/', KEIYAKU_PORTAL_SESSION_MINUTES: '1440' });
});
afterAll(async () => t?.stop());

const ask = (address: string, headers: Record<string, string> = {}) => t.api('POST', '/v1/portal-links', { email: address }, { token: null, headers });

/** The mail as the outbox holds it for delivery (what the SMTP transport sends), newest first. */
async function mailed(accountId: string): Promise<Array<{ to_email: string; subject: string; body: string; params: unknown }>> {
  return t.running.ctx.db.selectFrom('notices').select(['to_email', 'subject', 'body', 'params']).where('account_id', '=', accountId).where('kind', '=', 'portal-link').orderBy('sent_at', 'desc').execute();
}

describe(`POST /v1/portal-links (${DB_KIND})`, () => {
  it('a link mailed to the account\'s own address signs in to that account; the notice lists show it without the token', async () => {
    const address = email('relink');
    const id = await newAccount(t, 'teamspace', { email: address, name: 'リンク株式会社' });
    // Another case of letters, and a Host header that is not ours: the address is the account's, the link ours.
    const res = await ask(address.toUpperCase(), { host: 'evil.example', 'accept-language': 'ja' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ email: address.toUpperCase(), message: `${address.toUpperCase()} でアカウントのご登録があれば、ログイン用のリンクをそのアドレスにお送りしました。メールをご確認ください。` });
    const [mail, ...more] = await mailed(id);
    expect(more).toHaveLength(0);
    expect(mail!.to_email).toBe(address);
    expect(mail!.subject).toBe('【ログイン用リンク】マイページへのリンクをお送りします');
    expect(mail!.body).toContain('リンク株式会社 様');
    expect(mail!.body).toContain('このリンクの有効期限は24時間です。');
    const url = /https:\/\/\S+/.exec(mail!.body)![0];
    expect(url).toMatch(/^https:\/\/billing\.example\.jp\/portal#token=kyc_[A-Za-z0-9_-]+$/);
    const token = url.split('#token=')[1]!;
    // Only the mail to send holds the token (no SMTP here: it stays until the link expires); its kept facts never do.
    expect(JSON.stringify(mail!.params)).not.toContain(token);
    // The link signs in, to this account only.
    expect((await t.api('GET', '/v1/session', undefined, { token })).body).toMatchObject({ kind: 'customer', accountId: id });
    expect((await t.api('GET', `/v1/accounts/${id}/state`, undefined, { token })).status).toBe(200);
    // The portal's and the console's lists of notices never show the token.
    const own = (await t.api('GET', `/v1/accounts/${id}/notices`, undefined, { token })).body.notices;
    expect(own[0]).toMatchObject({ kind: 'portal-link', to: address });
    expect(own[0].body).toContain('https://billing.example.jp/portal#token=kyc_…');
    expect(own[0].body).not.toContain(token);
    const outbox = (await t.api('GET', `/v1/notices?accountId=${id}`)).body.notices;
    expect(JSON.stringify(outbox)).not.toContain(token);
    // Audited as the portal-link service, with where it was mailed.
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    expect(events.find((e: { action: string; actor: string }) => e.action === 'portal_session.created' && e.actor === 'system:portal-link')).toMatchObject({ after: { mailedTo: address } });
    // A day later the link has expired.
    await t.api('POST', '/v1/clock', { now: '2026-04-02T09:00:01+09:00' });
    expect((await t.api('GET', `/v1/accounts/${id}/state`, undefined, { token })).status).toBe(401);
  });

  it('an address no account has is answered the same, and nothing is mailed or made', async () => {
    const before = (await t.api('GET', '/v1/notices?kind=portal-link&limit=500')).body.notices.length;
    const nobody = email('nobody');
    const res = await ask(nobody);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ email: nobody, message: `If an account uses ${nobody}, a sign-in link was sent to that address. Check your email.` });
    expect((await t.api('GET', '/v1/notices?kind=portal-link&limit=500')).body.notices).toHaveLength(before);
  });

  it('one link an account in 10 minutes: asking again (or twice at once) mails nothing more; after 10 minutes a new one', async () => {
    await t.api('POST', '/v1/clock', { now: '2026-04-03T10:00:00+09:00' });
    const address = email('flood');
    const id = await newAccount(t, 'premium', { email: address, options: { lang: 'en' } });
    const answers = await Promise.all([ask(address), ask(address), ask(address)]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(await mailed(id)).toHaveLength(1);
    expect((await mailed(id))[0]!.subject).toBe('Your sign-in link to the customer portal');
    expect((await mailed(id))[0]!.body).toContain('The link works for 24 hours.');
    await t.api('POST', '/v1/clock', { now: '2026-04-03T10:09:59+09:00' });
    await ask(address);
    expect(await mailed(id)).toHaveLength(1);
    // Only the link that was mailed opened a session.
    expect((await t.api('GET', `/v1/accounts/${id}/portal-sessions`)).body.sessions).toHaveLength(1);
    await t.api('POST', '/v1/clock', { now: '2026-04-03T10:10:00+09:00' });
    await ask(address);
    expect(await mailed(id)).toHaveLength(2);
  });

  it('KEIYAKU_PUBLIC_URL must be an address customers can open: a wrong one stops the start, saying what to set', () => {
    expect(loadConfig({ KEIYAKU_PUBLIC_URL: 'https://billing.example.jp/keiyaku/' }).KEIYAKU_PUBLIC_URL).toBe('https://billing.example.jp/keiyaku');
    for (const wrong of ['billing.example.jp', 'ftp://billing.example.jp', 'https://billing.example.jp/?a=1']) {
      expect(() => loadConfig({ KEIYAKU_PUBLIC_URL: wrong })).toThrow(/KEIYAKU_PUBLIC_URL.*such as https:\/\/billing\.example\.jp/);
    }
  });

  it('an Idempotency-Key without a credential is the client\'s: the same key from another address is another request', async () => {
    const send = (address: string, from: string) =>
      t.running.server.inject({ method: 'POST', url: '/v1/portal-links', remoteAddress: from, headers: { 'content-type': 'application/json', 'idempotency-key': 'same-key' }, payload: JSON.stringify({ email: address }) });
    const first = await send(email('client-a'), '192.0.2.10');
    expect(first.statusCode).toBe(202);
    // The same client again with another body: the key was used for something else.
    expect((await send(email('client-a2'), '192.0.2.10')).json().code).toBe('idempotency_key_reused');
    // Another client with the same key: its own request, answered for its own address.
    const other = email('client-b');
    const second = await send(other, '192.0.2.20');
    expect(second.statusCode).toBe(202);
    expect(second.json().email).toBe(other);
  });

  it('refuses what is not an email, with what to fix, and changes nothing', async () => {
    const before = (await t.api('GET', '/v1/notices?kind=portal-link&limit=500')).body.notices.length;
    for (const body of [{ email: 'not an address' }, {}, { email: 42 }]) {
      const res = await t.api('POST', '/v1/portal-links', body, { token: null });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'invalid_request', errors: [{ path: 'body.email' }] });
    }
    expect((await t.api('GET', '/v1/notices?kind=portal-link&limit=500')).body.notices).toHaveLength(before);
  });
});
