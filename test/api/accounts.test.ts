import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

describe(`system endpoints (${DB_KIND})`, () => {
  it('GET /health answers ok once migrations ran', async () => {
    const res = await t.api('GET', '/health', undefined, { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json is an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await t.api('GET', '/openapi.json', undefined, { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const path of ['/v1/accounts', '/v1/accounts/{id}/state', '/v1/orders', '/v1/orders/preview', '/v1/invoices/{id}', '/v1/clock', '/v1/catalog']) {
      expect(res.body.paths[path], path).toBeDefined();
    }
    // The request schema of new contracts is in the document, as validation uses it.
    expect(JSON.stringify(res.body.paths['/v1/orders'].post.requestBody)).toContain('new-contract');
  });

  it('an unknown path answers a problem, not an HTML page', async () => {
    const res = await t.api('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('route_not_found');
  });
});

describe('SPEC §2 catalog', () => {
  it('serves exactly the sample catalog: products, plans in rank order, limits, prices, terms, payment rules', async () => {
    const res = await t.api('GET', '/v1/catalog');
    expect(res.status).toBe(200);
    const products = res.body.products as any[];
    expect(products.map((p) => p.id)).toEqual(['teamspace', 'premium', 'ebook5']);
    const plans = (id: string) => products.find((p) => p.id === id).plans as any[];
    expect(plans('teamspace').map((p) => [p.id, p.free, p.limits, p.price?.amount ?? 0])).toEqual([
      ['teamspace-free', true, { seats: 10 }, 0],
      ['starter', false, { seats: 100 }, 5000],
    ]);
    expect(plans('teamspace')[1].license).toEqual({ limit: 'seats', size: 100 });
    expect(plans('teamspace')[1].terms).toEqual(['P12M']);
    expect(plans('premium').map((p) => [p.id, p.limits.connections, p.price?.amount ?? 0, p.price?.per ?? null])).toEqual([
      ['premium-free', 3, 0, null],
      ['plan-5', 5, 3000, 'P1Y'],
      ['plan-10', 10, 5000, 'P1Y'],
      ['plan-20', 20, 9000, 'P1Y'],
      ['plan-30', 30, 12000, 'P1Y'],
    ]);
    expect(plans('ebook5').map((p) => [p.id, p.limits, p.features, p.price.amount, p.terms])).toEqual([
      ['personal-1', { books: 1, storageMb: 50 }, [], 1500, ['P1M', 'P3M', 'P6M', 'P12M']],
      ['business-5', { books: 5, storageMb: 500 }, [], 5000, ['P1M', 'P3M', 'P6M', 'P12M']],
      ['business-10', { books: 10, storageMb: 1000 }, ['heatmap'], 9000, ['P1M', 'P3M', 'P6M', 'P12M']],
      ['business-30', { books: 30, storageMb: 3000 }, ['heatmap'], 20000, ['P1M', 'P3M', 'P6M', 'P12M']],
    ]);
    // B7: invoice payment only on Business 10 and 30, on the 12-month term.
    const invoiceRule = (id: string) => plans('ebook5').find((p) => p.id === id).paymentMethods.find((m: any) => m.method === 'invoice');
    expect(invoiceRule('personal-1')).toBeUndefined();
    expect(invoiceRule('business-5')).toBeUndefined();
    expect(invoiceRule('business-10')).toEqual({ method: 'invoice', terms: ['P12M'] });
    expect(invoiceRule('business-30')).toEqual({ method: 'invoice', terms: ['P12M'] });
  });

  it('refuses a request without credentials (401) and with a wrong key (401)', async () => {
    expect((await t.api('GET', '/v1/catalog', undefined, { token: null })).status).toBe(401);
    const wrong = await t.api('GET', '/v1/catalog', undefined, { token: 'not-the-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('unauthorized');
  });
});

describe('accounts (SPEC §2, B11)', () => {
  it('creates an account on its product, starting on the free plan where there is one', async () => {
    const address = email('new');
    const res = await t.api('POST', '/v1/accounts', { email: address, name: '株式会社テスト', product: 'teamspace' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: address, name: '株式会社テスト', product: 'teamspace' });
    const got = await t.api('GET', `/v1/accounts/${res.body.id}`);
    expect(got.body).toEqual(res.body);
    const state = await t.api('GET', `/v1/accounts/${res.body.id}/state`);
    expect(state.body.plan).toEqual({ id: 'teamspace-free', name: 'Free' });
    expect(state.body.contract).toBeNull();
    expect(state.body.seats).toMatchObject({ limit: 10 });
  });

  it('an account read back equals the one returned at creation (instants always carry milliseconds)', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00.120+09:00' });
    try {
      const created = await s.api('POST', '/v1/accounts', { email: email('ms'), name: 'ms', product: 'teamspace' });
      expect(created.body.createdAt).toBe('2026-04-01T00:00:00.120Z');
      expect((await s.api('GET', `/v1/accounts/${created.body.id}`)).body).toEqual(created.body);
      const member = (await s.api('GET', `/v1/accounts/${created.body.id}/members`)).body.members[0];
      expect(member.registeredAt).toBe('2026-04-01T00:00:00.120Z');
    } finally {
      await s.stop();
    }
  });

  it('an ebook5 account has no free plan: no plan until a contract; options take their defaults', async () => {
    const id = await newAccount(t, 'ebook5');
    const account = await t.api('GET', `/v1/accounts/${id}`);
    expect(account.body.options).toEqual({ externalPublishing: 'off' });
    const state = await t.api('GET', `/v1/accounts/${id}/state`);
    expect(state.body.plan).toBeNull();
    expect(state.body.limits).toEqual({});
  });

  it('B11: one email, one account — a second account on the same email (any case) is 409 email_taken, and nothing is created', async () => {
    const address = email('dup');
    expect((await t.api('POST', '/v1/accounts', { email: address, name: 'A', product: 'ebook5' })).status).toBe(201);
    const before = (await t.api('GET', '/v1/accounts?limit=500')).body.accounts.length;
    const again = await t.api('POST', '/v1/accounts', { email: address.toUpperCase(), name: 'B', product: 'premium' });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, code: 'email_taken' });
    expect(again.body.detail).toContain(address.toUpperCase());
    expect((await t.api('GET', '/v1/accounts?limit=500')).body.accounts.length).toBe(before);
  });

  it('a POST sent as JSON with an empty body is no body: accepted where none is needed, refused field by field elsewhere', async () => {
    const id = (await t.api('POST', '/v1/accounts', { email: email(), name: '空の本文', product: 'premium' })).body.id;
    const session = await t.api('POST', `/v1/accounts/${id}/portal-sessions`, undefined, { raw: '' });
    expect(session.status).toBe(201);
    expect(session.body.token).toMatch(/^kyc_/);
    const empty = await t.api('POST', '/v1/accounts', undefined, { raw: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('invalid_request');
  });

  it('malformed fields are explained in Japanese when the request asks for Japanese', async () => {
    const ja = await t.api('POST', '/v1/accounts', { email: 'not-an-email', name: 42, product: 'premium' }, { headers: { 'accept-language': 'ja' } });
    expect(ja.status).toBe(400);
    const byPath = Object.fromEntries(ja.body.errors.map((e: any) => [e.path, e.message]));
    expect(byPath['body.email']).toBe('無効なメールアドレス');
    expect(byPath['body.name']).toBe('文字列を指定してください');
    const date = await t.api('GET', '/v1/accounts/acc_x/state?at=2026-02-30', undefined, { headers: { 'accept-language': 'ja' } });
    expect(date.body.errors[0].message).toMatch(/日付/);
    const en = await t.api('POST', '/v1/accounts', { email: 'not-an-email', name: 42, product: 'premium' });
    expect(en.body.errors.find((e: any) => e.path === 'body.email').message).toBe('Invalid email address');
  });

  it('GET /v1/session tells a portal token its account, and the operator key that it is the operator', async () => {
    const id = (await t.api('POST', '/v1/accounts', { email: email(), name: 'セッション', product: 'premium' })).body.id;
    const token = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {})).body.token;
    expect((await t.api('GET', '/v1/session', undefined, { token })).body).toEqual({ kind: 'customer', accountId: id });
    expect((await t.api('GET', '/v1/session')).body).toEqual({ kind: 'operator', accountId: null });
    const none = await t.api('GET', '/v1/session', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthorized');
  });

  it('signing out (DELETE /v1/session) ends that token at once; the account\'s other sessions go on; the operator key is no session', async () => {
    const id = (await t.api('POST', '/v1/accounts', { email: email(), name: 'ログアウト', product: 'teamspace' })).body.id;
    const phone = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
    const laptop = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
    // Both in use (and so found and kept in memory) before one signs out.
    for (const token of [phone, laptop]) expect((await t.api('GET', `/v1/accounts/${id}/state`, undefined, { token })).status).toBe(200);
    const out = await t.api('DELETE', '/v1/session', undefined, { token: phone });
    expect(out.status).toBe(204);
    const after = await t.api('GET', `/v1/accounts/${id}/state`, undefined, { token: phone });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
    expect((await t.api('DELETE', '/v1/session', undefined, { token: phone })).status).toBe(401);
    expect((await t.api('GET', `/v1/accounts/${id}/state`, undefined, { token: laptop })).status).toBe(200);
    const operator = await t.api('DELETE', '/v1/session');
    expect(operator.status).toBe(400);
    expect(operator.body.code).toBe('not_a_portal_session');
    expect(operator.body.detail).toContain('DELETE /v1/accounts/{id}/portal-sessions');
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; actor: string }>;
    expect(events.filter((e) => e.action === 'portal_session.ended').map((e) => e.actor)).toEqual([`customer:${id}`]);
  });

  it('the operator ends every portal session of an account at once (DELETE /v1/accounts/{id}/portal-sessions); other accounts keep theirs; a new link works again', async () => {
    const id = (await t.api('POST', '/v1/accounts', { email: email(), name: '退職', product: 'premium' })).body.id;
    const other = (await t.api('POST', '/v1/accounts', { email: email(), name: '別の会社', product: 'premium' })).body.id;
    const tokens = [(await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string, (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string];
    const otherToken = (await t.api('POST', `/v1/accounts/${other}/portal-sessions`)).body.token as string;
    for (const token of [...tokens, otherToken]) expect((await t.api('GET', '/v1/session', undefined, { token })).status).toBe(200);
    // Another account's customer does not reach them.
    const stranger = await t.api('DELETE', `/v1/accounts/${id}/portal-sessions`, undefined, { token: otherToken });
    expect(stranger.status).toBe(404);
    const revoked = await t.api('DELETE', `/v1/accounts/${id}/portal-sessions`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ accountId: id, revoked: 2 });
    for (const token of tokens) expect((await t.api('GET', '/v1/session', undefined, { token })).status).toBe(401);
    expect((await t.api('GET', '/v1/session', undefined, { token: otherToken })).body).toEqual({ kind: 'customer', accountId: other });
    expect((await t.api('DELETE', `/v1/accounts/${id}/portal-sessions`)).body).toEqual({ accountId: id, revoked: 0 });
    const fresh = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
    expect((await t.api('GET', '/v1/session', undefined, { token: fresh })).body).toEqual({ kind: 'customer', accountId: id });
    const missing = await t.api('DELETE', '/v1/accounts/acc_nosuchaccount/portal-sessions');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('account_not_found');
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; after: unknown }>;
    expect(events.filter((e) => e.action === 'portal_session.revoked').map((e) => e.after)).toEqual([{ revoked: 0 }, { revoked: 2 }]);
  });

  it('the operator lists an account\'s live portal sessions (newest first: made, until) and ends one by its id; the others go on', async () => {
    const id = (await t.api('POST', '/v1/accounts', { email: email(), name: '一覧', product: 'teamspace' })).body.id;
    const first = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body as { token: string; expiresAt: string };
    const second = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body as { token: string; expiresAt: string };
    const list = await t.api('GET', `/v1/accounts/${id}/portal-sessions`);
    expect(list.status).toBe(200);
    const sessions = list.body.sessions as Array<{ id: string; createdAt: string; expiresAt: string }>;
    // Newest first (two links made within the same millisecond may come in either order).
    expect(sessions.map((s) => s.expiresAt).sort()).toEqual([first.expiresAt, second.expiresAt].sort());
    expect(Date.parse(sessions[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(sessions[1]!.createdAt));
    for (const s of sessions) {
      expect(s.id).toMatch(/^ps_[0-9a-f]{16}$/);
      expect(Date.parse(s.expiresAt) - Date.parse(s.createdAt)).toBe(1440 * 60_000);
      expect(JSON.stringify(s)).not.toContain(first.token.slice(4));
    }
    // The operator's list marks none as its own.
    expect(sessions.every((s) => (s as { current?: boolean }).current === false)).toBe(true);
    const other = (await t.api('POST', '/v1/accounts', { email: email(), name: '他社', product: 'teamspace' })).body.id;
    // A session's id is a prefix of its token's hash: the first link's session.
    const firstId = `ps_${createHash('sha256').update(first.token).digest('hex').slice(0, 16)}`;
    expect(sessions.map((s) => s.id)).toContain(firstId);
    const secondId = sessions.find((s) => s.id !== firstId)!.id;
    const wrong = await t.api('DELETE', `/v1/accounts/${other}/portal-sessions/${firstId}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('portal_session_not_found');
    const ended = await t.api('DELETE', `/v1/accounts/${id}/portal-sessions/${firstId}`);
    expect(ended.status).toBe(204);
    expect((await t.api('GET', '/v1/session', undefined, { token: first.token })).status).toBe(401);
    expect((await t.api('GET', '/v1/session', undefined, { token: second.token })).body).toEqual({ kind: 'customer', accountId: id });
    expect((await t.api('GET', `/v1/accounts/${id}/portal-sessions`)).body.sessions.map((s: { id: string }) => s.id)).toEqual([secondId]);
    const again = await t.api('DELETE', `/v1/accounts/${id}/portal-sessions/${firstId}`);
    expect(again.status).toBe(404);
    expect(again.body.detail).toContain(`GET /v1/accounts/${id}/portal-sessions`);
    const bad = await t.api('DELETE', `/v1/accounts/${id}/portal-sessions/ps_%25`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect((await t.api('GET', '/v1/session', undefined, { token: second.token })).status).toBe(200);
    expect((await t.api('GET', '/v1/accounts/acc_nosuchaccount/portal-sessions')).body.code).toBe('account_not_found');
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; actor: string; after: unknown }>;
    expect(events.filter((e) => e.action === 'portal_session.revoked').map((e) => [e.actor, e.after])).toEqual([['operator', { revoked: 1, sessionId: firstId }]]);
  });

  it('the customer sees its own sessions (which is this one), ends another (a forwarded link), and signs out everywhere', async () => {
    const id = (await t.api('POST', '/v1/accounts', { email: email(), name: '自分で', product: 'teamspace' })).body.id;
    const laptop = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
    const forwarded = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
    const third = (await t.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
    const listed = await t.api('GET', `/v1/accounts/${id}/portal-sessions`, undefined, { token: laptop });
    expect(listed.status).toBe(200);
    const sessions = listed.body.sessions as Array<{ id: string; current: boolean }>;
    expect(sessions).toHaveLength(3);
    const mine = `ps_${createHash('sha256').update(laptop).digest('hex').slice(0, 16)}`;
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([mine]);
    // The forwarded link ended from the laptop: it stops working, the laptop goes on.
    const forwardedId = `ps_${createHash('sha256').update(forwarded).digest('hex').slice(0, 16)}`;
    expect((await t.api('DELETE', `/v1/accounts/${id}/portal-sessions/${forwardedId}`, undefined, { token: laptop })).status).toBe(204);
    expect((await t.api('GET', '/v1/session', undefined, { token: forwarded })).status).toBe(401);
    expect((await t.api('GET', '/v1/session', undefined, { token: laptop })).status).toBe(200);
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as Array<{ action: string; actor: string; after: unknown }>;
    expect(events.find((e) => e.action === 'portal_session.revoked')).toMatchObject({ actor: `customer:${id}`, after: { revoked: 1, sessionId: forwardedId } });
    // Signing out everywhere ends every session, its own too.
    expect((await t.api('DELETE', `/v1/accounts/${id}/portal-sessions`, undefined, { token: laptop })).body).toEqual({ accountId: id, revoked: 2 });
    for (const token of [laptop, third]) expect((await t.api('GET', '/v1/session', undefined, { token })).status).toBe(401);
  });

  it('expired portal sessions are not listed, not counted as ended, and are cleared when the account gets a new link', async () => {
    const c = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-11-27T09:00:00+09:00', KEIYAKU_PORTAL_SESSION_MINUTES: '60' });
    try {
      const id = (await c.api('POST', '/v1/accounts', { email: email(), name: '期限', product: 'premium' })).body.id;
      const old = (await c.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
      await c.api('POST', '/v1/clock', { now: '2026-11-27T09:30:00+09:00' });
      const live = (await c.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
      expect((await c.api('GET', `/v1/accounts/${id}/portal-sessions`)).body.sessions).toHaveLength(2);
      await c.api('POST', '/v1/clock', { now: '2026-11-27T10:10:00+09:00' });
      expect((await c.api('GET', '/v1/session', undefined, { token: old })).status).toBe(401);
      const listed = (await c.api('GET', `/v1/accounts/${id}/portal-sessions`)).body.sessions as Array<{ expiresAt: string }>;
      expect(listed.map((s) => s.expiresAt)).toEqual(['2026-11-27T01:30:00.000Z']);
      expect((await c.api('GET', '/v1/session', undefined, { token: live })).status).toBe(200);
      expect((await c.api('DELETE', `/v1/accounts/${id}/portal-sessions`)).body).toEqual({ accountId: id, revoked: 1 });
      // What is kept of sessions: none expired after a new link (the table does not grow for ever).
      await c.api('POST', `/v1/accounts/${id}/portal-sessions`);
      await c.api('POST', '/v1/clock', { now: '2026-11-27T11:30:00+09:00' });
      await c.api('POST', `/v1/accounts/${id}/portal-sessions`);
      const db = c.running.ctx.db;
      const rows = await db.selectFrom('portal_sessions').select('expires_at').where('account_id', '=', id).execute();
      expect(rows.map((r) => new Date(r.expires_at).toISOString())).toEqual(['2026-11-27T03:30:00.000Z']);
    } finally {
      await c.stop();
    }
  });

  it('bad input: malformed JSON, missing fields, a bad email, an unknown product, an unknown option value', async () => {
    const bad = await t.api('POST', '/v1/accounts', undefined, { raw: '{"email": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('malformed_json');
    const missing = await t.api('POST', '/v1/accounts', { email: email() });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('invalid_request');
    expect(missing.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['body.name', 'body.product']));
    const notEmail = await t.api('POST', '/v1/accounts', { email: 'not-an-email', name: 'x', product: 'premium' });
    expect(notEmail.status).toBe(400);
    expect(notEmail.body.errors[0].path).toBe('body.email');
    const product = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'nope' });
    expect(product.status).toBe(422);
    expect(product.body.code).toBe('unknown_product');
    expect(product.body.detail).toContain('teamspace');
    const option = await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'ebook5', options: { externalPublishing: 'ftp' } });
    expect(option.status).toBe(422);
    expect(option.body).toMatchObject({ code: 'invalid_option', errors: [{ path: 'options.externalPublishing' }] });
  });

  it('an unknown account id is 404 account_not_found', async () => {
    const res = await t.api('GET', '/v1/accounts/acc_nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('account_not_found');
    expect((await t.api('GET', '/v1/accounts/acc_nope/state')).body.code).toBe('account_not_found');
    expect((await t.api('GET', '/v1/accounts/acc_nope/events')).status).toBe(404);
    expect((await t.api('GET', '/v1/accounts/acc_nope/invoices')).status).toBe(404);
    expect((await t.api('POST', '/v1/accounts/acc_nope/portal-sessions', {})).status).toBe(404);
  });

  it('messages follow Accept-Language (Japanese or English), codes stay the same', async () => {
    const address = email('lang');
    await t.api('POST', '/v1/accounts', { email: address, name: 'A', product: 'premium' });
    const ja = await t.api('POST', '/v1/accounts', { email: address, name: 'B', product: 'premium' }, { headers: { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' } });
    expect(ja.body.code).toBe('email_taken');
    expect(ja.body.detail).toContain('既に');
  });
});

describe('portal sessions: customer tokens see only their own account', () => {
  it('a customer token reads its account, 404 for another account, 403 on operator-only endpoints', async () => {
    const mine = await newAccount(t, 'premium');
    const other = await newAccount(t, 'premium');
    const session = await t.api('POST', `/v1/accounts/${mine}/portal-sessions`, {});
    expect(session.status).toBe(201);
    expect(session.body.token).toMatch(/^kyc_/);
    expect(Date.parse(session.body.expiresAt)).toBeGreaterThan(0);
    const token = session.body.token as string;
    expect((await t.api('GET', `/v1/accounts/${mine}`, undefined, { token })).status).toBe(200);
    expect((await t.api('GET', `/v1/accounts/${mine}/state`, undefined, { token })).status).toBe(200);
    for (const path of [`/v1/accounts/${other}`, `/v1/accounts/${other}/state`, `/v1/accounts/${other}/invoices`, `/v1/accounts/${other}/events`]) {
      const res = await t.api('GET', path, undefined, { token });
      expect(res.status, path).toBe(404);
    }
    const preview = await t.api('POST', '/v1/orders/preview', { type: 'new-contract', accountId: other, planId: 'plan-5', term: 'P1Y', startDate: '2030-01-01', paymentMethod: 'card' }, { token });
    expect(preview.status).toBe(404);
    expect((await t.api('POST', '/v1/accounts', { email: email(), name: 'x', product: 'premium' }, { token })).status).toBe(403);
    expect((await t.api('POST', `/v1/accounts/${mine}/portal-sessions`, {}, { token })).status).toBe(403);
    expect((await t.api('GET', '/v1/accounts', undefined, { token })).status).toBe(403);
  });

  it('a portal session is itself audited', async () => {
    const id = await newAccount(t, 'premium');
    await t.api('POST', `/v1/accounts/${id}/portal-sessions`, {});
    const events = (await t.api('GET', `/v1/accounts/${id}/events`)).body.events as any[];
    expect(events.map((e) => e.action)).toEqual(['portal_session.created', 'account.created']);
    expect(events[1]).toMatchObject({ actor: 'operator', subjectType: 'account', before: null });
    expect(events[1].after).toMatchObject({ id, product: 'premium' });
  });
});
