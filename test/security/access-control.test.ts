/**
 * Issue 9, access control: every operation of GET /openapi.json × {no key, wrong key, another
 * account's customer token, the account's own token, the operator}. Operations are read from the
 * document, so an endpoint added later is checked too — and fails here until it is classified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KIND, OPERATOR_KEY, newAccount, startTestServer } from '../support/harness.js';
import type { ApiResponse } from '../support/harness.js';
import type { Operation, World } from './world.js';
import { ENDS_SESSIONS, START, buildWorld, ownerFor, renewTokens, resolvePath, sampleBody, sampleQuery } from './world.js';

type Access = 'public' | 'any-credential' | 'operator' | 'account';

/** Explicit entries first; API.md and docs/decisions.md say who may call what. */
const EXPLICIT: Record<string, Access> = {
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  // A customer whose link expired asks for a new one: answered alike for everyone (mailed only to the account's own address).
  'POST /v1/portal-links': 'public',
  // The code of the link mailed to the new address is the credential (test/api/email-changes.test.ts).
  'POST /v1/email-changes/confirm': 'public',
  'GET /v1/catalog': 'any-credential',
  'GET /v1/clock': 'any-credential',
  // Who the credential is: each caller learns only about itself.
  'GET /v1/session': 'any-credential',
  'POST /v1/clock': 'operator',
  'GET /v1/effects': 'operator',
  'POST /v1/effects/run': 'operator',
  // A pending effect: the operator's retry is refused (409 effect_not_failed), nothing changes.
  'POST /v1/effects/{id}/retry': 'operator',
  'POST /v1/accounts': 'operator',
  'POST /v1/imports': 'operator',
  'GET /v1/accounts': 'operator',
  // The customer its own name and notices' language (other fields 422 changed_by_vendor, test/api/accounts-update.test.ts).
  'PATCH /v1/accounts/{id}': 'account',
  'POST /v1/accounts/{id}/portal-sessions': 'operator',
  // The customer its own: which sessions are live (and which is the caller's), ending one or all (test/api/accounts.test.ts).
  'DELETE /v1/accounts/{id}/portal-sessions': 'account',
  'GET /v1/accounts/{id}/portal-sessions': 'account',
  'DELETE /v1/accounts/{id}/portal-sessions/{sessionId}': 'account',
  // Signing out: the customer's own session; the operator key is refused (400 not_a_portal_session).
  'DELETE /v1/session': 'any-credential',
  'POST /v1/accounts/{id}/contracts/{contractId}/cancel': 'operator',
  // Across accounts for the operator; a customer lists only its own account's (another named: 404,
  // test/api/orders-list.test.ts).
  'GET /v1/orders': 'any-credential',
  'GET /v1/notices': 'operator',
  'GET /v1/invoices': 'operator',
  'GET /v1/invoices.csv': 'operator',
  'POST /v1/payments': 'operator',
  'GET /v1/payments': 'operator',
  'POST /v1/invoices/{id}/payments': 'operator',
  'POST /v1/invoices/{id}/reminders': 'operator',
  'POST /v1/invoices/{id}/corrections': 'operator',
  // Orders name their account in the body.
  'POST /v1/orders': 'account',
  'POST /v1/orders/preview': 'account',
};

/** Then rules: anything under an account, or under an object that belongs to one, is the account's. */
const RULES: Array<[RegExp, Access]> = [
  [/^\/v1\/accounts\/\{id\}(\/|$)/, 'account'],
  [/^\/v1\/(orders|invoices|quotes)\/\{id\}(\/|$)/, 'account'],
];

function classify(op: Operation): Access | undefined {
  return EXPLICIT[op.key] ?? RULES.find(([re]) => re.test(op.path))?.[1];
}

/** Request bodies where the sampled one would change what the other requests see. */
const BODIES: Record<string, (w: World) => unknown> = {
  // The operator's cancellation is tried with a refund larger than paid: refused, nothing changes.
  'POST /v1/accounts/{id}/contracts/{contractId}/cancel': () => ({ reason: 'access-control matrix', refund: { amount: 1_000_000_000 } }),
  'POST /v1/clock': () => ({ now: START }),
  'PUT /v1/accounts/{id}/usage': () => ({ books: 0 }),
  // A dry run: the operator's import is answered and keeps nothing.
  'POST /v1/imports': () => ({ accounts: [{ email: 'matrix@import.example', name: 'Matrix', product: 'teamspace' }], dryRun: true }),
  'POST /v1/accounts/{id}/entitlements/check': () => ({ resource: 'seats', increment: 1 }),
};

type Outcome = 'unauthorized' | 'forbidden' | 'hidden' | 'allowed';
type Credential = 'none' | 'wrong' | 'other' | 'own' | 'operator';
const CREDENTIALS: Credential[] = ['none', 'wrong', 'other', 'own', 'operator'];

const EXPECTED: Record<Access, Record<Credential, Outcome>> = {
  public: { none: 'allowed', wrong: 'allowed', other: 'allowed', own: 'allowed', operator: 'allowed' },
  'any-credential': { none: 'unauthorized', wrong: 'unauthorized', other: 'allowed', own: 'allowed', operator: 'allowed' },
  operator: { none: 'unauthorized', wrong: 'unauthorized', other: 'forbidden', own: 'forbidden', operator: 'allowed' },
  account: { none: 'unauthorized', wrong: 'unauthorized', other: 'hidden', own: 'allowed', operator: 'allowed' },
};

/** Wrong credentials: a made-up key, a forged customer token, the operator key one letter off, another scheme. */
const WRONG_KEYS = ['not-the-key', 'kyc_forgedforgedforgedforgedforgedforged', `${OPERATOR_KEY.slice(0, -1)}X`, OPERATOR_KEY.toUpperCase()];

function verdict(res: ApiResponse, method: string): Outcome | string {
  const problem = String(res.headers['content-type'] ?? '').startsWith('application/problem+json');
  if (res.status >= 500) return `a ${res.status}`;
  if (res.status === 401) return problem && res.body.code === 'unauthorized' ? 'unauthorized' : `401 without the unauthorized problem`;
  if (res.status === 403) return problem && res.body.code === 'forbidden' ? 'forbidden' : `403 without the forbidden problem`;
  if (res.status === 404) return problem ? 'hidden' : '404 without a problem';
  if (res.status >= 400 && !problem) return `${res.status} without a problem`;
  // A read the caller may make succeeds; a change may still be refused by a business rule.
  if (method === 'GET' && res.status !== 200) return `${res.status} ${res.body?.code ?? ''}`;
  return 'allowed';
}

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => w?.t.stop());

describe(`access control: every endpoint × five credentials (${DB_KIND})`, () => {
  it('every operation of the OpenAPI document is classified (public, any credential, operator, account)', () => {
    const unclassified = w.operations.filter((op) => !classify(op)).map((op) => op.key);
    expect(unclassified, 'classify these in EXPLICIT or RULES of test/security/access-control.test.ts').toEqual([]);
    expect(w.operations.length).toBeGreaterThanOrEqual(29);
  });

  it('each answers as its class says: 401 without or with a wrong key, 403 operator-only for customers, 404 for another account', async () => {
    // Those that end sessions last, the world's tokens renewed after each of their requests.
    const operations: Operation[] = [{ method: 'GET', path: '/openapi.json', key: 'GET /openapi.json', op: {} }, ...w.operations].sort((x, y) => Number(ENDS_SESSIONS.has(x.key)) - Number(ENDS_SESSIONS.has(y.key)));
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const access = classify(op);
      if (!access) continue; // reported by the test above
      const owned = ownerFor(w, op);
      // Resolved for each request: after a request that ends sessions the tokens, and so a session's id, are new.
      const urlNow = () => resolvePath(op, owned) + sampleQuery(w, op, owned);
      const body = BODIES[op.key]?.(w) ?? sampleBody(w, op, owned);
      const tokens: Record<Credential, () => Array<string | null>> = { none: () => [null], wrong: () => WRONG_KEYS, other: () => [w.b.token], own: () => [owned.token], operator: () => [OPERATOR_KEY] };
      for (const credential of CREDENTIALS) {
        for (const token of tokens[credential]()) {
          const res = await w.t.api(op.method, urlNow(), body, { token });
          if (ENDS_SESSIONS.has(op.key)) await renewTokens(w);
          checked++;
          const got = verdict(res, op.method);
          // Another account's id in the path answers 404 before anything else, operator-only or not.
          const want = access === 'operator' && credential === 'other' && op.path.startsWith('/v1/accounts/{id}') ? 'hidden' : EXPECTED[access][credential];
          if (got !== want) failures.push(`${op.key} (${access}) with ${credential}${credential === 'wrong' ? ` "${token}"` : ''}: expected ${want}, got ${got} — ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it('a credential in another header or scheme is no credential: 401', async () => {
    const url = `/v1/accounts/${w.a.accountId}`;
    for (const headers of [{ authorization: `Basic ${OPERATOR_KEY}` }, { authorization: OPERATOR_KEY }, { 'x-api-key': OPERATOR_KEY }, { authorization: `Bearer ${OPERATOR_KEY} extra` }] as Array<Record<string, string>>) {
      const res = await w.t.api('GET', url, undefined, { token: null, headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('without a credential, a /v1 request is refused before its body is read: 401, not a validation error', async () => {
    for (const raw of ['{not json', JSON.stringify({ type: 'nonsense' })]) {
      const res = await w.t.api('POST', '/v1/orders', undefined, { token: null, raw });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it("another account's token gets 404 whatever the body: the body is not read", async () => {
    for (const raw of ['{not json', JSON.stringify({ books: -1 }), JSON.stringify({ books: 1 })]) {
      const res = await w.t.api('PUT', `/v1/accounts/${w.a.accountId}/usage`, undefined, { token: w.b.token, raw });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('a customer sees only its own objects in lists and by id, and the operator sees all', async () => {
    const own = await w.t.api('GET', `/v1/invoices/${w.a.invoiceId}`, undefined, { token: w.a.token });
    expect(own.status).toBe(200);
    const stranger = await w.t.api('GET', `/v1/invoices/${w.a.invoiceId}`, undefined, { token: w.b.token });
    expect(stranger.status).toBe(404);
    // The same answer as for an id that does not exist: nothing tells the stranger it is there.
    const missing = await w.t.api('GET', `/v1/invoices/inv_doesnotexist`, undefined, { token: w.b.token });
    expect({ status: stranger.status, code: stranger.body.code }).toEqual({ status: missing.status, code: missing.body.code });
    const placeForOther = await w.t.api('POST', '/v1/orders', { type: 'spot', accountId: w.a.accountId, seats: 1, startDate: w.today, months: 1, agreeToTerms: true, paymentMethod: 'card' }, { token: w.b.token });
    expect(placeForOther.status).toBe(404);
  });
});

describe(`the web pages, outside the OpenAPI document (${DB_KIND})`, () => {
  it('/portal and /console are public pages (they sign in through the API); nothing outside web/dist is served', async () => {
    for (const page of ['/portal', '/console', '/portal/contract', '/console/accounts/x']) {
      const res = await w.t.api('GET', page, undefined, { token: null });
      // 503 while web/dist is not built: a page saying so, still not a credential question.
      expect([200, 503], page).toContain(res.status);
      expect(String(res.headers['content-type']), page).toMatch(/^text\/html/);
    }
    for (const escape of ['/web/../package.json', '/web/..%2f..%2fpackage.json', '/web/%2e%2e/%2e%2e/src/config.ts', '/web/../../data/operator-key']) {
      const res = await w.t.api('GET', escape, undefined, { token: null });
      expect(res.status, escape).toBe(404);
      expect(res.body.code, escape).toBe('route_not_found');
    }
  });
});

describe(`customer tokens expire (${DB_KIND})`, () => {
  it('a portal token works until its expiry on the test clock, then answers 401', async () => {
    const s = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-12-01T09:00:00+09:00', KEIYAKU_PORTAL_SESSION_MINUTES: '60' });
    try {
      const id = await newAccount(s, 'teamspace');
      const session = await s.api('POST', `/v1/accounts/${id}/portal-sessions`);
      expect(session.status).toBe(201);
      expect(session.body.expiresAt).toBe('2026-12-01T01:00:00.000Z');
      const token = session.body.token as string;
      expect((await s.api('GET', `/v1/accounts/${id}`, undefined, { token })).status).toBe(200);
      await s.api('POST', '/v1/clock', { now: '2026-12-01T09:59:59+09:00' });
      expect((await s.api('GET', `/v1/accounts/${id}`, undefined, { token })).status).toBe(200);
      await s.api('POST', '/v1/clock', { now: '2026-12-01T10:00:00+09:00' });
      const expired = await s.api('GET', `/v1/accounts/${id}`, undefined, { token });
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('unauthorized');
      // A new session gives a working token again; the old one stays dead.
      const fresh = (await s.api('POST', `/v1/accounts/${id}/portal-sessions`)).body.token as string;
      expect((await s.api('GET', `/v1/accounts/${id}`, undefined, { token: fresh })).status).toBe(200);
      expect((await s.api('GET', `/v1/accounts/${id}/state`, undefined, { token })).status).toBe(401);
    } finally {
      await s.stop();
    }
  });
});
