/**
 * Issue 9, rate limits: customer tokens are limited per token (KEIYAKU_RATE_LIMIT a minute),
 * requests without a valid credential per client address at ten times that, the operator not at
 * all. A tiny limit makes the test independent of the wall clock: nothing here waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, startTestServer } from '../support/harness.js';

const LIMIT = 3;
let t: TestServer;
let accountId: string;
const session = async () => (await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`)).body.token as string;

beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_RATE_LIMIT: String(LIMIT) });
  accountId = await newAccount(t, 'teamspace');
});
afterAll(async () => t?.stop());

describe(`rate limits (${DB_KIND})`, () => {
  it('a customer token gets KEIYAKU_RATE_LIMIT requests a minute, then 429 rate_limited with Retry-After; another token is not affected', async () => {
    const token = await session();
    const other = await session();
    for (let i = 0; i < LIMIT; i++) {
      const res = await t.api('GET', `/v1/accounts/${accountId}`, undefined, { token });
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(res.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1 - i));
    }
    const limited = await t.api('GET', `/v1/accounts/${accountId}/state`, undefined, { token });
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited', type: 'https://keiyaku.dev/problems/rate_limited' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The message says when to retry, in seconds, as the header does.
    expect(limited.body.detail).toContain(`this token may make ${LIMIT} a minute`);
    expect(limited.body.detail).toMatch(new RegExp(`Retry in ${retryAfter} seconds?\\.`));
    const ja = await t.api('GET', `/v1/accounts/${accountId}`, undefined, { token, headers: { 'accept-language': 'ja' } });
    expect(ja.status).toBe(429);
    expect(ja.body.detail).toMatch(/秒後に再試行してください/);
    // Every endpoint counts against the same token, writes too; and a refused write changes nothing.
    const write = await t.api('POST', `/v1/accounts/${accountId}/members`, { email: 'late@example.jp', name: 'Late' }, { token });
    expect(write.status).toBe(429);
    expect((await t.api('GET', `/v1/accounts/${accountId}/members`)).body.members.map((m: any) => m.email)).not.toContain('late@example.jp');
    // Another token — of the same account — has its own count.
    expect((await t.api('GET', `/v1/accounts/${accountId}`, undefined, { token: other })).status).toBe(200);
  });

  it('the operator is never limited', async () => {
    for (let i = 0; i < LIMIT * 15; i++) expect((await t.api('GET', `/v1/accounts/${accountId}`)).status).toBe(200);
    const res = await t.api('GET', '/v1/catalog');
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('requests without a valid credential are counted per address, at ten times the token limit', async () => {
    let last;
    for (let i = 0; i < LIMIT * 10; i++) {
      // No key, a made-up customer token and public endpoints all count together.
      // Unknown paths count as well: the made-up token was looked up for them too.
      const path = i % 3 === 0 ? '/health' : i % 3 === 1 ? '/v1/catalog' : '/v1/no-such-endpoint';
      last = await t.api('GET', path, undefined, { token: i % 3 === 1 ? null : 'kyc_madeupmadeupmadeup' });
      expect(last.status, `request ${i + 1}`).toBe(i % 3 === 0 ? 200 : i % 3 === 1 ? 401 : 404);
    }
    const limited = await t.api('GET', '/health', undefined, { token: null });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.body.detail).toContain(`this address may make ${LIMIT * 10} a minute`);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Known credentials are not held back by the address's count.
    expect((await t.api('GET', '/v1/catalog')).status).toBe(200);
    expect((await t.api('GET', `/v1/accounts/${accountId}`, undefined, { token: await session() })).status).toBe(200);
  });
});
