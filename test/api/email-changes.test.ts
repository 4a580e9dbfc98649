/**
 * SPEC B11 (one email, one account): the customer moves its account to another email with a
 * confirmation — POST /v1/accounts/{id}/email-change mails a link to the new address, POST
 * /v1/email-changes/confirm with its code completes the move; the old address is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00', KEIYAKU_PUBLIC_URL: 'https://billing.example.jp' });
});
afterAll(async () => t?.stop());

const portalToken = async (id: string) => (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
const ask = (id: string, address: string, token: string | undefined) => t.api('POST', `/v1/accounts/${id}/email-change`, { email: address }, { token: token ?? null });
const confirm = (code: string) => t.api('POST', '/v1/email-changes/confirm', { code }, { token: null });

/** The confirmation mails of the account as the outbox holds them for delivery, newest first. */
async function mails(accountId: string, kind: string) {
  return t.running.ctx.db.selectFrom('notices').select(['to_email', 'subject', 'body', 'params']).where('account_id', '=', accountId).where('kind', '=', kind).orderBy('sent_at', 'desc').execute();
}
const codeIn = (body: string) => /#code=(kye_[A-Za-z0-9_-]+)/.exec(body)![1]!;
/** The code of the confirmation mailed to `address` (the test clock stands still: mails of one instant are told apart by their address). */
const codeFor = async (accountId: string, address: string) => codeIn((await mails(accountId, 'email-change-confirm')).find((m) => m.to_email === address)!.body);

describe(`the customer's own email, confirmed (${DB_KIND})`, () => {
  it('B11: the link mailed to the new address moves the account there (its owner-manager too); the old address is told; the link is then used up', async () => {
    const old = email('before');
    const id = await newAccount(t, 'teamspace', { email: old, name: '移転株式会社' });
    const token = await portalToken(id);
    const to = email('after');
    const asked = await ask(id, to, token);
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ email: to, expiresAt: '2026-04-02T00:00:00.000Z' });
    // Nothing changes until the link is opened.
    expect((await t.api('GET', `/v1/accounts/${id}`)).body.email).toBe(old);
    const [mail] = await mails(id, 'email-change-confirm');
    expect(mail!.to_email).toBe(to);
    expect(mail!.subject).toBe('【ご確認】メールアドレス変更のお手続き');
    expect(mail!.body).toContain(`https://billing.example.jp/portal/confirm-email#code=kye_`);
    const code = codeIn(mail!.body);
    expect(JSON.stringify(mail!.params)).not.toContain(code);
    // The lists show the mail without its code.
    const listed = (await t.api('GET', `/v1/accounts/${id}/notices`, undefined, { token })).body.notices.find((n: { kind: string }) => n.kind === 'email-change-confirm');
    expect(listed).toMatchObject({ to, body: expect.stringContaining('#code=kye_…') });

    const done = await confirm(code);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ accountId: id, email: to });
    expect((await t.api('GET', `/v1/accounts/${id}`)).body.email).toBe(to);
    const owner = (await t.api('GET', `/v1/accounts/${id}/members`)).body.members.find((m: { role: string }) => m.role === 'owner');
    expect(owner.email).toBe(to);
    const [told] = await mails(id, 'email-changed');
    expect(told).toMatchObject({ to_email: old, subject: '【ご通知】ご登録のメールアドレスを変更しました' });
    expect(told!.body).toContain(`${old} から ${to} に変更しました`);
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    expect(events.find((e: { action: string }) => e.action === 'account.updated')).toMatchObject({ actor: `customer:${id}`, before: { email: old }, after: { email: to } });
    expect(events.find((e: { action: string }) => e.action === 'account.email_change_requested')).toMatchObject({ actor: `customer:${id}`, after: { email: to } });
    // Used up; the old address is free for another account, the new one is taken.
    expect((await confirm(code)).body.code).toBe('email_change_not_found');
    expect((await t.api('POST', '/v1/accounts', { email: old, name: 'Someone else', product: 'premium' })).status).toBe(201);
    // The customer's session goes on.
    expect((await t.api('GET', '/v1/session', undefined, { token })).body).toEqual({ kind: 'customer', accountId: id });
  });

  it('refused at once: the same address, another account\'s, another member\'s; nothing mailed', async () => {
    const mine = email('mine');
    const id = await newAccount(t, 'teamspace', { email: mine });
    const token = await portalToken(id);
    const taken = email('taken');
    await newAccount(t, 'premium', { email: taken });
    const member = email('member');
    expect((await t.api('POST', `/v1/accounts/${id}/members`, { email: member, name: 'A member' })).status).toBe(201);
    const same = await ask(id, mine.toUpperCase(), token);
    expect(same.status).toBe(422);
    expect(same.body).toMatchObject({ code: 'email_unchanged', errors: [{ path: 'email' }] });
    expect((await ask(id, taken, token)).body).toMatchObject({ code: 'email_taken', errors: [{ path: 'email' }] });
    expect((await ask(id, member, token)).body.code).toBe('member_email_taken');
    expect((await ask(id, 'not an address', token)).body).toMatchObject({ code: 'invalid_request', errors: [{ path: 'body.email' }] });
    expect(await mails(id, 'email-change-confirm')).toHaveLength(0);
    // Another account's token: as if the account did not exist.
    const other = await newAccount(t, 'teamspace');
    expect((await ask(id, email('x'), await portalToken(other))).status).toBe(404);
    expect((await ask(id, email('x'), undefined)).status).toBe(401);
  });

  it('a link expires after 24 hours, is replaced by a newer request, and no longer applies once the email changed otherwise or the address was taken', async () => {
    const id = await newAccount(t, 'ebook5', { options: { lang: 'en' } });
    const token = await portalToken(id);
    // Replaced: the first link stops working when a second change is asked for.
    const firstAddress = email('first');
    await ask(id, firstAddress, token);
    const first = await codeFor(id, firstAddress);
    const second = email('second');
    await ask(id, second, token);
    const secondMail = (await mails(id, 'email-change-confirm')).find((m) => m.to_email === second)!;
    expect(secondMail.subject).toBe('Confirm your new email address');
    const secondCode = codeIn(secondMail.body);
    expect((await confirm(first)).status).toBe(404);
    // Taken meanwhile by another account: refused, nothing moved.
    await newAccount(t, 'premium', { email: second });
    const takenNow = await confirm(secondCode);
    expect(takenNow.status).toBe(409);
    expect(takenNow.body.code).toBe('email_taken');
    // The vendor changed the email meanwhile: the link no longer applies.
    const third = email('third');
    await ask(id, third, token);
    const thirdCode = await codeFor(id, third);
    const before = (await t.api('GET', `/v1/accounts/${id}`)).body.email as string;
    expect((await t.api('PATCH', `/v1/accounts/${id}`, { email: email('vendor') })).status).toBe(200);
    const outdated = await confirm(thirdCode);
    expect(outdated.status).toBe(409);
    expect(outdated.body).toMatchObject({ code: 'email_change_outdated' });
    expect(outdated.body.detail).toContain(before);
    // Expired after 24 hours.
    const fourth = email('fourth');
    await ask(id, fourth, token);
    const fourthCode = await codeFor(id, fourth);
    await t.api('POST', '/v1/clock', { now: '2026-04-02T09:00:01+09:00' });
    expect((await confirm(fourthCode)).body.code).toBe('email_change_not_found');
    expect((await confirm('kye_thisisnotacodethatexists')).status).toBe(404);
    expect((await confirm('nonsense')).body).toMatchObject({ code: 'invalid_request', errors: [{ path: 'body.code' }] });
  });

  it('two confirmations at once move the account once and tell the old address once', async () => {
    await t.api('POST', '/v1/clock', { now: '2026-04-03T09:00:00+09:00' });
    const old = email('racer');
    const id = await newAccount(t, 'teamspace', { email: old });
    const to = email('raced');
    await ask(id, to, await portalToken(id));
    const code = codeIn((await mails(id, 'email-change-confirm'))[0]!.body);
    const results = await Promise.all([confirm(code), confirm(code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
    expect((await t.api('GET', `/v1/accounts/${id}`)).body.email).toBe(to);
    expect(await mails(id, 'email-changed')).toHaveLength(1);
  });

  it('asked again for the same address within 10 minutes: no second mail, the first link works; asked for after another address, a new link that works', async () => {
    await t.api('POST', '/v1/clock', { now: '2026-04-04T09:00:00+09:00' });
    const id = await newAccount(t, 'teamspace', { email: email('again') });
    const token = await portalToken(id);
    const a = email('address-a');
    // Three requests at once and one more: one mail.
    const asked = await Promise.all([ask(id, a, token), ask(id, a, token), ask(id, a, token)]);
    expect(asked.map((r) => r.status)).toEqual([202, 202, 202]);
    expect((await ask(id, a.toUpperCase(), token)).status).toBe(202);
    expect((await mails(id, 'email-change-confirm')).filter((m) => m.to_email === a)).toHaveLength(1);
    const firstA = await codeFor(id, a);
    // Another address (a typo corrected, say), then back to the first within the 10 minutes:
    // the first address gets a new link, and only the newest link works.
    const b = email('address-b');
    await ask(id, b, token);
    const codeB = await codeFor(id, b);
    await t.api('POST', '/v1/clock', { now: '2026-04-04T09:05:00+09:00' });
    expect((await ask(id, a, token)).status).toBe(202);
    const toA = (await mails(id, 'email-change-confirm')).filter((m) => m.to_email === a);
    expect(toA).toHaveLength(2);
    const secondA = toA.map((m) => codeIn(m.body)).find((c) => c !== firstA)!;
    expect((await confirm(firstA)).body.code).toBe('email_change_not_found');
    expect((await confirm(codeB)).body.code).toBe('email_change_not_found');
    expect((await confirm(secondA)).body).toEqual({ accountId: id, email: a });
  });
});
