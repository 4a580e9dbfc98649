/** PATCH /v1/accounts/{id}: the operator corrects an account's email, name or options (SPEC B11: one email, one account); the customer changes its own name and notices' language. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const patch = (id: string, body: unknown, opts?: { token?: string | null }) => t.api('PATCH', `/v1/accounts/${id}`, body, opts);

describe(`PATCH /v1/accounts/{id} (${DB_KIND})`, () => {
  it('B11, §6, G5: a new name and notice language are kept and audited; the invoice already issued keeps the name it was issued to', async () => {
    const id = await newAccount(t, 'teamspace', { name: '旧社名株式会社' });
    const bought = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'card' });
    const res = await patch(id, { name: '新社名株式会社', options: { lang: 'en' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, name: '新社名株式会社', options: { lang: 'en' }, product: 'teamspace' });
    expect((await t.api('GET', `/v1/accounts/${id}`)).body).toEqual(res.body);
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    expect(events.find((e: { action: string }) => e.action === 'account.updated')).toMatchObject({ actor: 'operator', before: { name: '旧社名株式会社', options: {} }, after: { name: '新社名株式会社', options: { lang: 'en' } } });
    expect((await t.api('GET', `/v1/invoices/${bought.invoiceId}`)).body.customerName).toBe('旧社名株式会社');
    // Notices from now on are in English.
    const spot = await order(t, { type: 'spot', accountId: id, seats: 100, startDate: '2026-04-01', months: 1, agreeToTerms: true, paymentMethod: 'card' });
    expect(spot.status).toBe('completed');
    const notices = (await t.api('GET', `/v1/accounts/${id}/notices`)).body.notices;
    expect(notices[0].subject).not.toMatch(/[ぁ-ん]/);
    // The same values again change nothing and write nothing.
    const again = await patch(id, { name: '新社名株式会社', options: { lang: 'en' } });
    expect(again.status).toBe(200);
    expect((await t.api('GET', `/v1/accounts/${id}/events`)).body.events.filter((e: { action: string }) => e.action === 'account.updated')).toHaveLength(1);
  });

  it('B11: a new email moves the account (and its owner-manager) to it, frees the old one, and notices go to it', async () => {
    const old = email('moving');
    const id = await newAccount(t, 'teamspace', { email: old });
    const to = email('moved');
    const res = await patch(id, { email: to });
    expect(res.status).toBe(200);
    expect(res.body.email).toBe(to);
    const members = (await t.api('GET', `/v1/accounts/${id}/members`)).body.members;
    expect(members.find((m: { role: string }) => m.role === 'owner').email).toBe(to);
    // The old address is free for another account; the new one is taken.
    expect((await t.api('POST', '/v1/accounts', { email: old, name: 'Someone else', product: 'premium' })).status).toBe(201);
    expect((await t.api('POST', '/v1/accounts', { email: to.toUpperCase(), name: 'Twin', product: 'premium' })).body.code).toBe('email_taken');
    const bought = await order(t, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2026-04-01', paymentMethod: 'card' });
    expect(bought.status).toBe('completed');
    const notices = (await t.api('GET', '/v1/notices?limit=500')).body.notices.filter((n: { accountId: string }) => n.accountId === id);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n: { to: string }) => n.to === to)).toBe(true);
    // Only the letters' case: the same address, kept as written.
    const upper = to.replace(/^[a-z]/, (c) => c.toUpperCase());
    expect((await patch(id, { email: upper })).body.email).toBe(upper);
  });

  it('B11: an email another account has, or another member of this one has, is refused at the email and changes nothing', async () => {
    const a = await newAccount(t, 'teamspace');
    const takenBy = email('taken');
    await newAccount(t, 'premium', { email: takenBy });
    const before = (await t.api('GET', `/v1/accounts/${a}`)).body;
    const taken = await patch(a, { email: takenBy, name: 'Changed too' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'email_taken', errors: [{ path: 'email' }] });
    expect((await t.api('GET', `/v1/accounts/${a}`)).body).toEqual(before);
    const memberEmail = email('member');
    expect((await t.api('POST', `/v1/accounts/${a}/members`, { email: memberEmail, name: 'A member' })).status).toBe(201);
    const asMember = await patch(a, { email: memberEmail });
    expect(asMember.status).toBe(409);
    expect(asMember.body.code).toBe('member_email_taken');
    expect((await t.api('GET', `/v1/accounts/${a}`)).body).toEqual(before);
    // Two accounts moving to one address at once: one gets it.
    const b = await newAccount(t, 'teamspace');
    const c = await newAccount(t, 'premium');
    const contested = email('contested');
    const results = await Promise.all([patch(b, { email: contested }), patch(c, { email: contested })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const owners = await Promise.all([b, c].map(async (id) => (await t.api('GET', `/v1/accounts/${id}`)).body.email));
    expect(owners.filter((e) => e === contested)).toHaveLength(1);
  });

  it('refuses what it cannot take with what to fix; without a credential 401', async () => {
    const id = await newAccount(t, 'ebook5');
    const empty = await patch(id, {});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('invalid_request');
    expect(JSON.stringify(empty.body.errors)).toContain('at least one of email, name and options');
    expect((await patch(id, { email: 'not an email' })).body.errors[0].path).toBe('body.email');
    expect((await patch(id, { name: '  ' })).status).toBe(400);
    // A misspelt field is refused at its name, not ignored while the rest is changed.
    const misspelt = await t.api('PATCH', `/v1/accounts/${id}`, { name: 'Renamed', emial: 'new@example.jp' }, { headers: { 'accept-language': 'ja' } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors).toEqual([{ path: 'body.emial', message: 'この項目は受け付けていません。綴りを確認するか、削除してください。' }]);
    expect((await t.api('GET', `/v1/accounts/${id}`)).body.name).not.toBe('Renamed');
    const option = await patch(id, { options: { externalPublishing: 'sometimes' } });
    expect(option.status).toBe(422);
    expect(option.body).toMatchObject({ code: 'invalid_option', errors: [{ path: 'options.externalPublishing' }] });
    expect((await patch(id, { options: { externalPublishing: 'developer' } })).body.options).toEqual({ externalPublishing: 'developer' });
    expect((await patch('acc_missing', { name: 'x' })).status).toBe(404);
    expect((await patch(id, { name: 'Mine' }, { token: null })).status).toBe(401);
  });

  it('B11, §6: the customer changes its own name and notices\' language from the portal; the email only with a confirmation (422 email_needs_confirmation), the product\'s options stay the vendor\'s (422 changed_by_vendor); nothing changed', async () => {
    const id = await newAccount(t, 'ebook5', { name: '出版舎' });
    const other = await newAccount(t, 'ebook5');
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token as string;
    const mine = await patch(id, { name: '出版舎株式会社', options: { lang: 'en' } }, { token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id, name: '出版舎株式会社', options: { lang: 'en', externalPublishing: 'off' } });
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events;
    expect(events.find((e: { action: string }) => e.action === 'account.updated')).toMatchObject({ actor: `customer:${id}`, after: { name: '出版舎株式会社' } });
    const before = (await t.api('GET', `/v1/accounts/${id}`)).body;
    const moved = await t.api('PATCH', `/v1/accounts/${id}`, { email: email('customer-moves'), name: 'Not this either' }, { token, headers: { 'accept-language': 'ja' } });
    expect(moved.status).toBe(422);
    expect(moved.body).toMatchObject({ code: 'email_needs_confirmation', errors: [{ path: 'email' }] });
    expect(moved.body.detail).toContain('確認のリンクを送り');
    const upgraded = await patch(id, { options: { externalPublishing: 'developer' } }, { token });
    expect(upgraded.status).toBe(422);
    expect(upgraded.body).toMatchObject({ code: 'changed_by_vendor', errors: [{ path: 'options.externalPublishing' }] });
    expect(upgraded.body.detail).toContain('externalPublishing is changed by the vendor');
    expect((await t.api('GET', `/v1/accounts/${id}`)).body).toEqual(before);
    // The same email and option as now are no change: the form may send what it shows.
    expect((await patch(id, { email: before.email, options: { externalPublishing: 'off', lang: 'ja' } }, { token })).body.options).toEqual({ externalPublishing: 'off', lang: 'ja' });
    // Another account's token: as if the account did not exist.
    const stranger = (await t.api('POST', `/v1/accounts/${other}/portal-sessions`, {})).body.token as string;
    expect((await patch(id, { name: 'Hijacked' }, { token: stranger })).status).toBe(404);
    expect((await t.api('GET', `/v1/accounts/${id}`)).body.name).toBe('出版舎株式会社');
  });
});
