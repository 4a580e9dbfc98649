/**
 * S9, issue 8: the scheduler's batch no longer reads every active member of an account whose seat
 * limit drops (a spot of 100 seats: 103 rows read twice) — the database chooses and deactivates the
 * excess in one statement for the whole batch (`deactivateExcessOf`). Its choice must be exactly
 * the rule's (`excessDeactivations`, src/app/members.ts): never the owner; the ending spot's
 * registrations first; then the latest registered first, ties by registration order; Auto
 * Deactivation added once, last. Random accounts and limits, compared member for member.
 */
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { excessDeactivations } from '../../src/app/members.js';
import { startOfDayIso } from '../../src/clock.js';
import { AUTO_DEACTIVATION_GROUP } from '../../src/domain/seats.js';
import type { ExcessRequest, MemberRecord } from '../../src/store/members.js';
import { deactivateExcessOf, listMembers } from '../../src/store/members.js';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** A small deterministic generator, so a failure can be run again as it was. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 16) % n; // the high bits: the low ones of this generator repeat with a short period
  };
}

class Rollback extends Error {}

describe(`S9 chosen in the database (${DB_KIND})`, () => {
  it('S9: for random accounts, limits and spot windows the database deactivates exactly the members the rule chooses, with the same groups', async () => {
    const ctx = t.running.ctx;
    const tz = ctx.settings.timeZone;
    const pick = random(20261127);
    const days = ['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-15', '2026-04-30', '2026-05-01', '2026-05-02'];
    const accounts: string[] = [];
    for (let a = 0; a < 6; a++) {
      const id = await newAccount(t, 'teamspace');
      accounts.push(id);
      // 0–30 members besides the owner: registered on a few days at a few times (ties on purpose,
      // some at the window's edges), some already deactivated, some in groups.
      const n = pick(31);
      for (let i = 0; i < n; i++) {
        const day = Temporal.PlainDate.from(days[pick(days.length)]!);
        const at = Temporal.Instant.from(startOfDayIso(day, tz)).add({ minutes: [0, 0, 1, 90, 600][pick(5)]!, milliseconds: pick(3) });
        const groups = [[], ['Sales'], ['Sales', AUTO_DEACTIVATION_GROUP], [AUTO_DEACTIVATION_GROUP, 'Ops']][pick(4)]!;
        await sql`insert into members (account_id, id, email, email_key, name, role, status, groups, registered_at)
                  values (${id}, ${`mem_t${a}_${i}`}, ${`m${a}.${i}@example.jp`}, ${`m${a}.${i}@example.jp`}, ${`Member ${i}`}, 'member',
                          ${pick(5) === 0 ? 'deactivated' : 'active'}, ${JSON.stringify(groups)}::jsonb, ${at.toString()})`.execute(ctx.db);
      }
    }
    const members = new Map<string, MemberRecord[]>();
    for (const id of accounts) members.set(id, await listMembers(ctx.db, id));
    expect([...members.values()].some((m) => m.filter((x) => x.status === 'active').length > 10)).toBe(true);

    let compared = 0;
    for (let trial = 0; trial < 40; trial++) {
      // Each trial: every account with a limit of its own, some with an ending spot.
      const requests: ExcessRequest[] = [];
      const expected: Array<{ id: string; groups: string[]; limit: number }> = [];
      for (const id of accounts) {
        const active = members.get(id)!.filter((m) => m.status === 'active');
        const limit = pick(active.length + 3);
        const spot = pick(2) === 0 ? { start: Temporal.PlainDate.from('2026-04-01'), end: Temporal.PlainDate.from(['2026-04-01', '2026-04-30', '2026-05-01'][pick(3)]!) } : undefined;
        requests.push({ accountId: id, limit, count: active.length - limit, window: spot ? { from: startOfDayIso(spot.start, tz), to: startOfDayIso(spot.end.add({ days: 1 }), tz) } : null });
        for (const d of excessDeactivations(ctx, active, limit, spot)) expected.push({ id: d.member.id, groups: d.groups, limit });
      }
      let got: Array<{ id: string; groups: string[]; limit: number; was: string; role: string }> = [];
      let after: string[] = [];
      await ctx.db
        .transaction()
        .execute(async (trx) => {
          got = (await deactivateExcessOf(trx, requests, AUTO_DEACTIVATION_GROUP)).map((d) => ({ id: d.member.id, groups: d.groups, limit: d.limit, was: d.member.status, role: d.member.role }));
          after = (await sql<{ id: string }>`select id from members where account_id = any(${accounts}::text[]) and status = 'deactivated' order by id`.execute(trx)).rows.map((r) => r.id);
          throw new Rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        });
      expect(got.map(({ id, groups, limit }) => ({ id, groups, limit })), `trial ${trial}`).toEqual(expected);
      expect(got.every((d) => d.was === 'active' && d.role === 'member')).toBe(true);
      // The members chosen are deactivated, and only they besides those already so.
      const before = [...members.values()].flat().filter((m) => m.status === 'deactivated').map((m) => m.id);
      expect(after).toEqual([...before, ...expected.map((d) => d.id)].sort());
      compared += expected.length;
    }
    // The trials did deactivate members; each account has its owner, never chosen.
    expect(compared).toBeGreaterThan(100);
    for (const id of accounts) expect(members.get(id)!.filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});
