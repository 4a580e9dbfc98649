import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, newAccount, order, startTestServer } from '../support/harness.js';

// The test clock stands on 2026-04-01 09:00 in Tokyo: "today" is 2026-04-01.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const TODAY = '2026-04-01';

/** A teamspace account with its email, as the owner member carries it. */
async function teamspace(): Promise<{ id: string; email: string }> {
  const id = await newAccount(t, 'teamspace');
  const account = (await t.api('GET', `/v1/accounts/${id}`)).body;
  return { id, email: account.email as string };
}

const register = (accountId: string, body: Record<string, unknown>, opts: { token?: string | null; headers?: Record<string, string> } = {}) =>
  t.api('POST', `/v1/accounts/${accountId}/members`, body, opts);

async function members(accountId: string, query = ''): Promise<any[]> {
  const res = await t.api('GET', `/v1/accounts/${accountId}/members${query}`);
  expect(res.status, `GET members${query} → ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.members as any[];
}

async function events(accountId: string, action?: string): Promise<any[]> {
  const all = (await t.api('GET', `/v1/accounts/${accountId}/events?limit=1000`)).body.events as any[];
  return action ? all.filter((e) => e.action === action) : all;
}

async function seats(accountId: string): Promise<any> {
  return (await t.api('GET', `/v1/accounts/${accountId}/state`)).body.seats;
}

describe(`members: the owner (${DB_KIND})`, () => {
  it('a new teamspace account has exactly one member, the owner, holding one of the 10 free seats', async () => {
    const account = await teamspace();
    const listed = await members(account.id);
    expect(listed).toHaveLength(1);
    const [owner] = listed;
    expect(owner).toMatchObject({ email: account.email, role: 'owner', status: 'active', groups: [], canLogIn: true });
    expect(owner.id).toMatch(/^mem_/);
    expect(Number.isNaN(Date.parse(owner.registeredAt))).toBe(false);
    const one = await t.api('GET', `/v1/accounts/${account.id}/members/${owner.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(owner);
    const state = (await t.api('GET', `/v1/accounts/${account.id}/state`)).body;
    expect(state.plan.id).toBe('teamspace-free');
    expect(state.seats).toEqual({ base: 10, additions: 0, spot: 0, limit: 10, active: 1 });
    const registered = await events(account.id, 'member.registered');
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({ actor: 'operator', subjectType: 'member', subjectId: owner.id, after: { email: account.email, role: 'owner' } });
  });

  it('premium and ebook5 accounts have no members: registering is 422 members_not_offered', async () => {
    for (const product of ['premium', 'ebook5']) {
      const id = await newAccount(t, product);
      const res = await register(id, { email: email('m'), name: 'Someone' });
      expect(res.status, product).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('members_not_offered');
      expect(await events(id, 'member.registered')).toEqual([]);
    }
  });
});

describe('S8: registering within the seat limit', () => {
  it('the free plan takes 9 more members; the 11th is 409 seat_limit_reached and creates nothing', async () => {
    const account = await teamspace();
    const registered: any[] = [];
    for (let i = 1; i <= 9; i++) {
      const res = await register(account.id, { email: email(`seat${i}`), name: `Member ${i}` });
      expect(res.status, `member ${i}: ${JSON.stringify(res.body)}`).toBe(201);
      registered.push(res.body);
    }
    expect(registered[0]).toMatchObject({ role: 'member', status: 'active', groups: [], canLogIn: true, name: 'Member 1' });
    expect(new Set(registered.map((m) => m.id)).size).toBe(9);
    expect(await seats(account.id)).toEqual({ base: 10, additions: 0, spot: 0, limit: 10, active: 10 });
    const eventsBefore = (await events(account.id, 'member.registered')).length;
    expect(eventsBefore).toBe(10);

    const full = await register(account.id, { email: email('eleventh'), name: 'Eleventh' });
    expect(full.status).toBe(409);
    expect(full.headers['content-type']).toContain('application/problem+json');
    expect(full.body).toMatchObject({ status: 409, code: 'seat_limit_reached' });
    expect(typeof full.body.type).toBe('string');
    expect(typeof full.body.title).toBe('string');
    // The free plan: what to do is buy a paid plan (there is no spot order on it, nor any way to deactivate a member by hand).
    expect(full.body.detail).toMatch(/^All 10 seats are in use on \d{4}-\d\d-\d\d\. The free plan has no more: buy a paid plan \(a new contract\) to add seats\.$/);
    expect(full.body.detail).toContain(TODAY);

    expect(await members(account.id)).toHaveLength(10);
    expect((await events(account.id, 'member.registered')).length).toBe(eventsBefore);
    expect((await seats(account.id)).active).toBe(10);
  });

  it('an email is a member once per account, in any case; another account may use it', async () => {
    const account = await teamspace();
    const address = email('dup');
    const first = await register(account.id, { email: address, name: 'First' });
    expect(first.status).toBe(201);
    expect(first.body.email).toBe(address);
    for (const again of [address, address.toUpperCase(), address.replace(/^./, (c) => c.toUpperCase())]) {
      const res = await register(account.id, { email: again, name: 'Again' });
      expect(res.status, again).toBe(409);
      expect(res.body.code).toBe('member_email_taken');
      expect(res.body.detail).toContain(again);
    }
    // The owner's email is taken too.
    const owner = await register(account.id, { email: account.email.toUpperCase(), name: 'Owner again' });
    expect(owner.status).toBe(409);
    expect(owner.body.code).toBe('member_email_taken');
    expect(await members(account.id)).toHaveLength(2);
    expect(await events(account.id, 'member.registered')).toHaveLength(2);

    const other = await teamspace();
    const elsewhere = await register(other.id, { email: address, name: 'Elsewhere' });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.id).not.toBe(first.body.id);
  });

  it('bad input is 400 invalid_request naming the field; unknown ids are 404', async () => {
    const account = await teamspace();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'No email' }, 'body.email'],
      [{ email: 'not-an-email', name: 'Bad' }, 'body.email'],
      [{ email: 42, name: 'Number' }, 'body.email'],
      [{ email: email('noname') }, 'body.name'],
      [{ email: email('blank'), name: '   ' }, 'body.name'],
      [{ email: email('long'), name: 'x'.repeat(201) }, 'body.name'],
      [{ email: email('owner'), name: 'Wants owner', role: 'owner' }, 'body.role'],
    ];
    for (const [body, path] of cases) {
      const res = await register(account.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors.map((e: any) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect(await members(account.id)).toHaveLength(1);

    const unknownAccount = await register('acc_missing', { email: email('x'), name: 'X' });
    expect(unknownAccount.status).toBe(404);
    expect(unknownAccount.body.code).toBe('account_not_found');
    const unknownList = await t.api('GET', '/v1/accounts/acc_missing/members');
    expect(unknownList.status).toBe(404);
    expect(unknownList.body.code).toBe('account_not_found');
    const unknownMember = await t.api('GET', `/v1/accounts/${account.id}/members/mem_missing`);
    expect(unknownMember.status).toBe(404);
    expect(unknownMember.headers['content-type']).toContain('application/problem+json');
    expect(unknownMember.body.code).toBe('member_not_found');
    const reactivateUnknown = await t.api('POST', `/v1/accounts/${account.id}/members/mem_missing/reactivate`, {});
    expect(reactivateUnknown.status).toBe(404);
    expect(reactivateUnknown.body.code).toBe('member_not_found');
    // A member of another account is not found through this one.
    const other = await teamspace();
    const theirs = (await members(other.id))[0];
    const crossed = await t.api('GET', `/v1/accounts/${account.id}/members/${theirs.id}`);
    expect(crossed.status).toBe(404);
    expect(crossed.body.code).toBe('member_not_found');
  });

  it('the list filters by status and group; an unknown status is 400', async () => {
    const account = await teamspace();
    const added = await register(account.id, { email: email('filter'), name: 'Filtered' });
    expect(added.status).toBe(201);
    const all = await members(account.id);
    expect(all.map((m) => m.role)).toEqual(['owner', 'member']);
    for (const m of all) expect(Object.keys(m)).toEqual(expect.arrayContaining(['id', 'email', 'status', 'groups', 'registeredAt']));
    expect((await members(account.id, '?status=active')).map((m) => m.id)).toEqual(all.map((m) => m.id));
    expect(await members(account.id, '?status=deactivated')).toEqual([]);
    expect(await members(account.id, '?group=Auto%20Deactivation')).toEqual([]);
    expect(await members(account.id, '?status=active&group=Auto%20Deactivation')).toEqual([]);
    const bogus = await t.api('GET', `/v1/accounts/${account.id}/members?status=bogus`);
    expect(bogus.status).toBe(400);
    expect(bogus.body.code).toBe('invalid_request');
    expect(bogus.body.errors[0].path).toBe('querystring.status');
  });

  it('reactivating an active member is 409 member_already_active and records nothing', async () => {
    const account = await teamspace();
    const added = (await register(account.id, { email: email('active'), name: 'Active' })).body;
    const owner = (await members(account.id)).find((m) => m.role === 'owner');
    const before = (await events(account.id)).length;
    for (const id of [added.id, owner.id]) {
      const res = await t.api('POST', `/v1/accounts/${account.id}/members/${id}/reactivate`, {});
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('member_already_active');
    }
    expect((await events(account.id)).length).toBe(before);
  });
});

describe('members: customer tokens, audit, idempotency', () => {
  it('a customer token registers and lists its own account members, and gets 404 for another account', async () => {
    const mine = await teamspace();
    const other = await teamspace();
    const session = await t.api('POST', `/v1/accounts/${mine.id}/portal-sessions`, {});
    expect(session.status).toBe(201);
    const token = session.body.token as string;

    const added = await register(mine.id, { email: email('self'), name: 'Self service' }, { token });
    expect(added.status).toBe(201);
    const listed = await t.api('GET', `/v1/accounts/${mine.id}/members`, undefined, { token });
    expect(listed.status).toBe(200);
    expect(listed.body.members.map((m: any) => m.id)).toContain(added.body.id);
    expect((await t.api('GET', `/v1/accounts/${mine.id}/members/${added.body.id}`, undefined, { token })).status).toBe(200);

    const theirOwner = (await members(other.id))[0];
    for (const res of [
      await register(other.id, { email: email('intruder'), name: 'Intruder' }, { token }),
      await t.api('GET', `/v1/accounts/${other.id}/members`, undefined, { token }),
      await t.api('GET', `/v1/accounts/${other.id}/members/${theirOwner.id}`, undefined, { token }),
      await t.api('POST', `/v1/accounts/${other.id}/members/${theirOwner.id}/reactivate`, {}, { token }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await members(other.id)).toHaveLength(1);
    // No credential at all: 401.
    expect((await register(mine.id, { email: email('anon'), name: 'Anon' }, { token: null })).status).toBe(401);

    const event = (await events(mine.id, 'member.registered')).find((e) => e.subjectId === added.body.id);
    expect(event).toMatchObject({ actor: `customer:${mine.id}`, subjectType: 'member' });
  });

  it('G5: each registration is a member.registered event with actor and the member after', async () => {
    const account = await teamspace();
    const address = email('audited');
    const added = (await register(account.id, { email: address, name: 'Audited' })).body;
    const registered = await events(account.id, 'member.registered');
    expect(registered).toHaveLength(2);
    const event = registered.find((e) => e.subjectId === added.id);
    expect(event).toMatchObject({
      accountId: account.id,
      actor: 'operator',
      subjectType: 'member',
      subjectId: added.id,
      after: { id: added.id, email: address, name: 'Audited', role: 'member', status: 'active' },
    });
    expect(event.before ?? null).toBeNull();
    expect(Number.isNaN(Date.parse(event.at))).toBe(false);
  });

  it('G6: a retried registration with the same Idempotency-Key returns the same member and creates one', async () => {
    const account = await teamspace();
    const body = { email: email('idem'), name: 'Idempotent' };
    const headers = { 'idempotency-key': `member-${account.id}` };
    const first = await register(account.id, body, { headers });
    const second = await register(account.id, body, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await members(account.id)).toHaveLength(2);
    expect(await events(account.id, 'member.registered')).toHaveLength(2);
    const reused = await register(account.id, { ...body, name: 'Someone else' }, { headers });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await members(account.id)).toHaveLength(2);
  });
});

describe('S8 under concurrency', () => {
  it('Starter 100: 160 concurrent registrations fill exactly the 99 free seats', async () => {
    const account = await teamspace();
    const state = (await t.api('GET', `/v1/accounts/${account.id}/state`)).body;
    expect(state.seats).toEqual({ base: 10, additions: 0, spot: 0, limit: 10, active: 1 });
    await order(t, { type: 'new-contract', accountId: account.id, planId: 'starter', term: 'P12M', quantity: 100, startDate: TODAY, paymentMethod: 'card' });
    expect(await seats(account.id)).toEqual({ base: 100, additions: 0, spot: 0, limit: 100, active: 1 });

    const results = await Promise.all(Array.from({ length: 160 }, (_, i) => register(account.id, { email: email(`race${i}`), name: `Racer ${i}` })));
    const statuses = results.map((r) => r.status);
    const unexpected = results.filter((r) => r.status !== 201 && r.status !== 409);
    expect(unexpected.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(99);
    expect(statuses.filter((s) => s === 409)).toHaveLength(61);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('seat_limit_reached');
    expect(new Set(results.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(99);

    const after = await seats(account.id);
    expect(after.active).toBe(100);
    expect(after.limit).toBe(100);
    expect(await members(account.id, '?status=active')).toHaveLength(100);
    expect(await members(account.id)).toHaveLength(100);
    expect(await events(account.id, 'member.registered')).toHaveLength(100);
  });
});

describe(`members: deactivated by hand (${DB_KIND})`, () => {
  const deactivate = (accountId: string, memberId: string, opts: { token?: string | null } = {}) => t.api('POST', `/v1/accounts/${accountId}/members/${memberId}/deactivate`, {}, opts);

  it('S8, S9: the customer deactivates a member who left — the seat is free at once for another, the member cannot log in, keeps its data and comes back when a seat is free', async () => {
    const account = await teamspace();
    const token = (await t.api('POST', `/v1/accounts/${account.id}/portal-sessions`, {})).body.token as string;
    const nine = [];
    for (let i = 0; i < 9; i++) nine.push((await register(account.id, { email: email(`seat${i}`), name: `Seat ${i}` })).body);
    expect(await seats(account.id)).toMatchObject({ limit: 10, active: 10 });
    expect((await register(account.id, { email: email('newcomer'), name: 'Newcomer' })).body.code).toBe('seat_limit_reached');

    const left = nine[0];
    const res = await deactivate(account.id, left.id, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...left, status: 'deactivated', canLogIn: false });
    // The member login check says so at once.
    expect((await t.api('GET', `/v1/accounts/${account.id}/members/${left.id}`)).body).toMatchObject({ status: 'deactivated', canLogIn: false, groups: [] });
    expect(await seats(account.id)).toMatchObject({ limit: 10, active: 9 });
    // Not one of the members the seat limit's drop chose: not in Auto Deactivation.
    expect(await members(account.id, `?group=${encodeURIComponent('Auto Deactivation')}`)).toEqual([]);
    expect((await members(account.id, '?status=deactivated')).map((m) => m.id)).toEqual([left.id]);
    const [event] = await events(account.id, 'member.deactivated');
    expect(event).toMatchObject({ actor: `customer:${account.id}`, subjectId: left.id, before: { status: 'active' }, after: { status: 'deactivated', reason: 'by_hand' } });

    // Its seat taken by someone new; back only when a seat is free again.
    expect((await register(account.id, { email: email('newcomer2'), name: 'Newcomer' })).status).toBe(201);
    expect((await t.api('POST', `/v1/accounts/${account.id}/members/${left.id}/reactivate`, {}, { token })).body.code).toBe('seat_limit_reached');
    expect((await deactivate(account.id, nine[1].id)).status).toBe(200);
    expect((await t.api('POST', `/v1/accounts/${account.id}/members/${left.id}/reactivate`, {}, { token })).body).toMatchObject({ id: left.id, status: 'active', canLogIn: true });
  });

  it('never the owner-manager; a deactivated member again, an unknown member, another account: refused, nothing recorded', async () => {
    const account = await teamspace();
    const token = (await t.api('POST', `/v1/accounts/${account.id}/portal-sessions`, {})).body.token as string;
    const owner = (await members(account.id))[0];
    const added = (await register(account.id, { email: email('twice'), name: 'Twice' })).body;
    expect((await deactivate(account.id, added.id)).status).toBe(200);
    const before = (await events(account.id)).length;

    const ownerRefused = await deactivate(account.id, owner.id, { token });
    expect(ownerRefused.status).toBe(409);
    expect(ownerRefused.headers['content-type']).toContain('application/problem+json');
    expect(ownerRefused.body).toMatchObject({ code: 'owner_never_deactivated' });
    expect(ownerRefused.body.detail).toContain(account.email);
    expect((await deactivate(account.id, added.id, { token })).body.code).toBe('member_already_deactivated');
    expect((await deactivate(account.id, 'mem_nosuchmember')).status).toBe(404);
    const other = await teamspace();
    const theirs = (await register(other.id, { email: email('theirs'), name: 'Theirs' })).body;
    expect((await deactivate(other.id, theirs.id, { token })).status).toBe(404);
    expect((await deactivate(account.id, theirs.id)).body.code).toBe('member_not_found');

    expect((await events(account.id)).length).toBe(before);
    expect((await members(account.id, '?status=active')).map((m) => m.id)).toEqual([owner.id]);
    expect((await members(other.id, '?status=active')).map((m) => m.id)).toContain(theirs.id);
  });

  it('deactivations and registrations at once never go over the limit, and each member is deactivated once', async () => {
    const account = await teamspace();
    const nine = [];
    for (let i = 0; i < 9; i++) nine.push((await register(account.id, { email: email(`busy${i}`), name: `Busy ${i}` })).body);
    const out = nine.slice(0, 3);
    const results = await Promise.all([
      ...out.flatMap((m) => [deactivate(account.id, m.id), deactivate(account.id, m.id)]),
      ...Array.from({ length: 6 }, (_, i) => register(account.id, { email: email(`incoming${i}`), name: `Incoming ${i}` })),
    ]);
    const deactivations = results.slice(0, 6);
    expect(deactivations.map((r) => r.status).sort()).toEqual([200, 200, 200, 409, 409, 409]);
    const registrations = results.slice(6);
    expect(registrations.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'seat_limit_reached'))).toBe(true);
    const registered = registrations.filter((r) => r.status === 201).length;
    const state = await seats(account.id);
    expect(state.active).toBe(10 - 3 + registered);
    expect(state.active).toBeLessThanOrEqual(10);
    expect(await events(account.id, 'member.deactivated')).toHaveLength(3);
  });
});

describe(`members: corrected (${DB_KIND})`, () => {
  const patch = (accountId: string, memberId: string, body: unknown, opts: { token?: string | null; headers?: Record<string, string> } = {}) => t.api('PATCH', `/v1/accounts/${accountId}/members/${memberId}`, body, opts);

  it('the customer corrects a member\'s misspelt email and name: no seat taken or freed, the login check answers for the new email, audited', async () => {
    const account = await teamspace();
    const token = (await t.api('POST', `/v1/accounts/${account.id}/portal-sessions`, {})).body.token as string;
    const typo = email('taor');
    const added = (await register(account.id, { email: typo, name: '山田 太朗' })).body;
    const right = email('taro');
    const res = await patch(account.id, added.id, { email: right, name: '山田 太郎' }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...added, email: right, name: '山田 太郎' });
    expect((await t.api('GET', `/v1/accounts/${account.id}/members/${added.id}`)).body).toMatchObject({ email: right, name: '山田 太郎', canLogIn: true });
    expect(await seats(account.id)).toMatchObject({ active: 2 });
    // The old address is free again in the account; the new one is taken.
    expect((await register(account.id, { email: right, name: 'Again' })).body.code).toBe('member_email_taken');
    expect((await register(account.id, { email: typo, name: 'Someone' })).status).toBe(201);
    const [event] = await events(account.id, 'member.updated');
    expect(event).toMatchObject({ actor: `customer:${account.id}`, subjectId: added.id, before: { email: typo, name: '山田 太朗' }, after: { email: right, name: '山田 太郎' } });
    // The same values again: nothing changes, nothing recorded.
    expect((await patch(account.id, added.id, { name: '山田 太郎' })).status).toBe(200);
    expect(await events(account.id, 'member.updated')).toHaveLength(1);
  });

  it("refused, nothing changed: another member's email (in any case), the owner-manager's email, an empty name, no field, a misspelt field, another account", async () => {
    const account = await teamspace();
    const a = (await register(account.id, { email: email('first'), name: 'First' })).body;
    const b = (await register(account.id, { email: email('second'), name: 'Second' })).body;
    const owner = (await members(account.id)).find((m) => m.role === 'owner');
    const taken = await patch(account.id, a.id, { email: b.email.toUpperCase() });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'member_email_taken', errors: [{ path: 'email' }] });
    const ownerRefused = await patch(account.id, owner.id, { email: email('elsewhere') });
    expect(ownerRefused.status).toBe(409);
    expect(ownerRefused.body).toMatchObject({ code: 'owner_email_is_account_email', errors: [{ path: 'email' }] });
    // The owner-manager's name may be corrected.
    expect((await patch(account.id, owner.id, { name: 'オーナー 花子' })).body).toMatchObject({ role: 'owner', name: 'オーナー 花子', email: account.email });
    for (const body of [{ name: '  ' }, {}, { emial: email('x') }, { email: 'not-an-email' }]) {
      const res = await patch(account.id, a.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await patch(account.id, 'mem_nosuchmember', { name: 'X' })).status).toBe(404);
    const other = await teamspace();
    const token = (await t.api('POST', `/v1/accounts/${other.id}/portal-sessions`, {})).body.token as string;
    expect((await patch(account.id, a.id, { name: 'Intruder' }, { token })).status).toBe(404);
    expect((await t.api('GET', `/v1/accounts/${account.id}/members/${a.id}`)).body).toMatchObject({ email: a.email, name: 'First' });
    expect(await events(account.id, 'member.updated')).toHaveLength(1);
  });
});

