/**
 * G3: a process killed with SIGKILL in the middle of a catch-up run loses no effect and runs none
 * twice: after the restart every effect has run exactly once and invoice numbers have no gap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KIND, createTestDatabase, newAccount, order, startTestServer } from '../support/harness.js';
import type { ServerProcess } from '../support/process.js';
import { spawnServer } from '../support/process.js';

const ACCOUNTS = Number(process.env.CRASH_ACCOUNTS ?? 200);
const START = '2022-01-01T09:00:00+09:00';
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe(`G3 crash in the middle of a batch of effects (${DB_KIND})`, () => {
  it('SIGKILL during the run, restart: every renewal ran exactly once, numbers gapless', { timeout: 240_000 }, async () => {
    const database = await createTestDatabase();
    if (database) cleanups.push(() => database.drop());
    const folder = database ? undefined : mkdtempSync(join(tmpdir(), 'keiyaku-crash-'));
    if (folder) cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const where: Record<string, string> = database ? { DATABASE_URL: database.url } : { KEIYAKU_DATA: folder! };

    // 200 Starter contracts that all renew on 2023-01-01.
    const setup = await startTestServer({ KEIYAKU_TEST_CLOCK: START, ...where }, database ?? null);
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const id = await newAccount(setup, 'teamspace');
      await order(setup, { type: 'new-contract', accountId: id, planId: 'starter', term: 'P12M', startDate: '2022-01-01', paymentMethod: 'card' });
      ids.push(id);
    }
    await setup.stop();

    // Batches of 10: the run is 20 transactions, and the kill lands between two of them or inside one.
    let server: ServerProcess = await spawnServer({ KEIYAKU_TEST_CLOCK: START, KEIYAKU_SCHEDULER_BATCH: '10', ...where });
    cleanups.push(() => server.kill('SIGKILL'));
    const run = server.api('POST', '/v1/clock', { now: '2023-01-15T09:00:00+09:00' }).catch(() => undefined);
    // Watch the effects from outside; kill as soon as some, not all, are done.
    let seen = { done: 0, pending: ACCOUNTS };
    for (let i = 0; i < 2000; i++) {
      const res = await server.api('GET', '/v1/effects?status=done&limit=1');
      seen = { done: res.body.counts.done ?? 0, pending: res.body.counts.pending ?? 0 };
      if (seen.done > 0) break;
    }
    await server.kill('SIGKILL');
    await run;
    // The kill landed inside the run (pending ≥ the contracts not yet renewed).
    expect(seen.done).toBeGreaterThan(0);
    // Each account has three effects due by 2023-01-15: its unpaid first invoice turning overdue
    // (2022-01-07), the renewal (2023-01-01) and the renewal invoice turning overdue (2023-01-07).
    expect(seen.done).toBeLessThan(ACCOUNTS * 3);

    server = await spawnServer({ KEIYAKU_TEST_CLOCK: START, ...where });
    const counts = (await server.api('GET', '/v1/effects?limit=1')).body.counts;
    // Start-up caught up on everything due; the next term ends are pending, due 2024-01-01.
    expect(counts).toEqual({ done: ACCOUNTS * 3, pending: ACCOUNTS });
    const numbers: number[] = [];
    for (const id of ids) {
      const invoices = (await server.api('GET', `/v1/accounts/${id}/invoices`)).body.invoices as Array<{ number: string; status: string; period: { start: string } }>;
      expect(invoices.map((i) => i.period.start)).toEqual(['2023-01-01', '2022-01-01']);
      expect(invoices.map((i) => i.status)).toEqual(['overdue', 'overdue']);
      const overdue = (await server.api('GET', `/v1/accounts/${id}/notices`)).body.notices.filter((n: { kind: string }) => n.kind === 'invoice-overdue');
      expect(overdue).toHaveLength(2);
      numbers.push(...invoices.map((i) => Number(i.number.slice(4))));
      const renewed = (await server.api('GET', `/v1/accounts/${id}/events`)).body.events.filter((e: { action: string }) => e.action === 'contract.renewed');
      expect(renewed).toHaveLength(1);
    }
    numbers.sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: ACCOUNTS * 2 }, (_, i) => i + 1));
    await server.kill();
  });
});
