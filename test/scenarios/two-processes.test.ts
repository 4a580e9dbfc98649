/**
 * Scale-out (issue 8, docs/scaling.md): two server processes on one PostgreSQL share the
 * scheduler without doubling an effect. Both are told to move their test clock past a day on
 * which many contracts renew, at the same time, in small batches so their runs interleave: every
 * effect runs exactly once (the two reports add up to the effects done), each contract renews
 * once, invoice numbers have no gap and no notice is sent twice.
 *
 * The embedded database (PGlite, when KEIYAKU_TEST_DATABASE_URL is not set) is one process by
 * design: the second process is refused by the data-folder lock with its message, and the first
 * runs every effect exactly once alone. That is what this file checks there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KIND, createTestDatabase, newAccount, order, startTestServer } from '../support/harness.js';
import type { ServerProcess } from '../support/process.js';
import { runToExit, spawnServer } from '../support/process.js';

const ACCOUNTS = 60;
const START = '2022-01-01T09:00:00+09:00';
const PAST_RENEWAL = '2023-01-15T09:00:00+09:00';
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface RunReport {
  effects: { ran: number; failed: number };
}

/** What every account shows after the run: each effect once, numbers gapless, no notice twice. */
async function expectEachEffectOnce(server: ServerProcess, ids: string[]): Promise<void> {
  const numbers: number[] = [];
  for (const id of ids) {
    const invoices = (await server.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ number: string; period: { start: string } }>;
    expect(invoices.map((i) => i.period.start)).toEqual(['2023-01-01', '2022-01-01']);
    numbers.push(...invoices.map((i) => Number(i.number.slice(4))));
    const events = (await server.api('GET', `/v1/accounts/${id}/events?limit=1000`)).body.events as Array<{ action: string }>;
    expect(events.filter((e) => e.action === 'contract.renewed')).toHaveLength(1);
    const notices = (await server.api('GET', `/v1/accounts/${id}/notices`)).body.notices as Array<{ kind: string; subject: string; body: string }>;
    const distinct = new Set(notices.map((n) => JSON.stringify([n.kind, n.subject, n.body])));
    expect(distinct.size, `account ${id} got a notice twice`).toBe(notices.length);
  }
  numbers.sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: ids.length * 2 }, (_, i) => i + 1));
}

describe(`two server processes on one database (${DB_KIND})`, () => {
  it(
    DB_KIND === 'postgres'
      ? 'both run the due effects at the same time; each effect runs exactly once'
      : 'the embedded database refuses a second process with its message; the first runs each effect exactly once',
    { timeout: 240_000 },
    async () => {
      const database = await createTestDatabase();
      if (database) cleanups.push(() => database.drop());
      const folder = database ? undefined : mkdtempSync(join(tmpdir(), 'keiyaku-two-'));
      if (folder) cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
      const where: Record<string, string> = database ? { DATABASE_URL: database.url } : { KEIYAKU_DATA: folder! };

      // Starter contracts that all renew on 2023-01-01.
      const setup = await startTestServer({ KEIYAKU_TEST_CLOCK: START, ...where }, database ?? null);
      const ids: string[] = [];
      for (let i = 0; i < ACCOUNTS; i++) {
        const id = await newAccount(setup, 'teamspace');
        await order(setup, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2022-01-01', paymentMethod: 'card' });
        ids.push(id);
      }
      await setup.stop();

      // Batches of 3: the run is many short transactions, so the two processes' runs interleave.
      const env = { KEIYAKU_TEST_CLOCK: START, KEIYAKU_SCHEDULER_BATCH: '3', ...where };
      const a = await spawnServer(env);
      cleanups.push(() => a.kill('SIGKILL'));
      const before = (await a.api('GET', '/v1/effects?limit=1')).body.counts as Record<string, number>;
      expect(before.done ?? 0).toBe(0);

      if (DB_KIND === 'postgres') {
        const b = await spawnServer(env);
        cleanups.push(() => b.kill('SIGKILL'));
        const [ra, rb] = await Promise.all([a.api('POST', '/v1/clock', { now: PAST_RENEWAL }), b.api('POST', '/v1/clock', { now: PAST_RENEWAL })]);
        expect(ra.status).toBe(200);
        expect(rb.status).toBe(200);
        const ranA = (ra.body as RunReport).effects;
        const ranB = (rb.body as RunReport).effects;
        expect(ranA.failed + ranB.failed).toBe(0);
        // Both took part, and together they ran each due effect once.
        expect(ranA.ran).toBeGreaterThan(0);
        expect(ranB.ran).toBeGreaterThan(0);
        const after = (await a.api('GET', '/v1/effects?limit=1')).body.counts as Record<string, number>;
        expect(after.done).toBe(ranA.ran + ranB.ran);
        expect(after.failed ?? 0).toBe(0);
        // Nothing due is left: what is pending is the next term ends (2024-01-01), one a contract.
        expect(after.pending).toBe(ACCOUNTS);
        await expectEachEffectOnce(a, ids);
        await expectEachEffectOnce(b, ids);
        await b.kill();
      } else {
        const second = await runToExit(env);
        expect(second.code).toBe(2);
        expect(second.output).toContain(`pid ${a.child.pid}`);
        expect(second.output).toContain('in use by another Keiyaku process');
        const ra = await a.api('POST', '/v1/clock', { now: PAST_RENEWAL });
        expect(ra.status).toBe(200);
        const ran = (ra.body as RunReport).effects;
        expect(ran.failed).toBe(0);
        const after = (await a.api('GET', '/v1/effects?limit=1')).body.counts as Record<string, number>;
        expect(after.done).toBe(ran.ran);
        expect(after.pending).toBe(ACCOUNTS);
        await expectEachEffectOnce(a, ids);
      }
      await a.kill();
    },
  );
});
