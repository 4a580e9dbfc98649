/**
 * `keiyaku catch-up` over a year of monthly renewals (docs/operations.md, "The `keiyaku` command"):
 * each renewal it runs schedules the next term's end, due in the same catch-up, so it runs many
 * more effects than were due when it began. The progress line counts them honestly — never more
 * done than the total ("63/15 (420%)" was printed), never stuck at a total it passed ("12/12
 * (100%)" while 60 ran) — and the command says what this run did, then the totals.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/boot.js';
import { createTestDatabase, DB_KIND, newAccount, OPERATOR_KEY, order, startTestServer } from '../support/harness.js';
import { CLI_ARGS, spawnServer } from '../support/process.js';

const run = promisify(execFile);
const START = '2026-04-01T09:00:00+09:00';
const A_YEAR_ON = '2027-04-01T09:00:00+09:00';

/** Every "done/total (pct%)" of the progress lines on stderr. */
function progressLines(stderr: string): Array<{ done: number; total: number; pct: number; line: string }> {
  return [...stderr.matchAll(/running due effects(?: on \S+)?: ([\d,]+)\/([\d,]+) \((\d+)%\)[^\n\r]*/g)].map((m) => ({
    done: Number(m[1]!.replaceAll(',', '')),
    total: Number(m[2]!.replaceAll(',', '')),
    pct: Number(m[3]),
    line: m[0],
  }));
}

/** The effects of `accounts` ebook5 contracts renewing every month from 2026-04-01, made while a server ran; then it stops. */
async function monthlyContracts(where: Record<string, string>, database: { url: string } | undefined, accounts: number): Promise<void> {
  const t = await startTestServer({ KEIYAKU_TEST_CLOCK: START, ...where }, database ? { url: database.url, drop: async () => undefined } : null);
  try {
    for (let i = 0; i < accounts; i++) {
      const accountId = await newAccount(t, 'ebook5');
      await order(t, { type: 'new-contract', accountId, planId: 'business-5', term: 'P1M', startDate: '2026-04-01', paymentMethod: 'card' });
    }
  } finally {
    await t.stop();
  }
}

function expectHonestProgress(stderr: string, ran: number, dueAtStart: number): void {
  const lines = progressLines(stderr);
  expect(lines.length, stderr).toBeGreaterThan(0);
  for (const l of lines) {
    expect(l.done, l.line).toBeLessThanOrEqual(l.total);
    expect(l.pct, l.line).toBeLessThanOrEqual(100);
    // 100% only on the last line, when the run is over.
    if (l !== lines.at(-1)) expect(l.pct, l.line).toBeLessThan(100);
  }
  // The last line is the run's own figure, far more than was due when it began.
  expect(lines.at(-1)).toMatchObject({ done: ran, total: ran, pct: 100 });
  expect(ran).toBeGreaterThan(dueAtStart * 5);
}

describe(`keiyaku catch-up over effects that schedule more (${DB_KIND})`, () => {
  it('on the database: the progress total grows with what the run schedules, and the command prints what it ran, then the totals', async () => {
    const database = await createTestDatabase();
    const folder = mkdtempSync(join(tmpdir(), 'keiyaku-catchup-'));
    const where: Record<string, string> = database ? { DATABASE_URL: database.url } : { KEIYAKU_DATA: folder };
    const env = { ...process.env, KEIYAKU_OPERATOR_KEY: OPERATOR_KEY, ...where };
    try {
      await monthlyContracts(where, database, 6);
      const before = JSON.parse((await run(process.execPath, [...CLI_ARGS, 'effects'], { cwd: PROJECT_ROOT, env })).stdout) as Record<string, number>;
      // Small batches: many progress reports, as on a large database.
      const caught = await run(process.execPath, [...CLI_ARGS, 'catch-up'], { cwd: PROJECT_ROOT, env: { ...env, KEIYAKU_TEST_CLOCK: A_YEAR_ON, KEIYAKU_SCHEDULER_BATCH: '4' } });
      const summary = /^caught up to 2027-04-01T00:00:00Z in \d+ ms: ran (\d+) effects, 0 failed; effects now: (\{.*\})\n$/.exec(caught.stdout);
      expect(summary, caught.stdout).not.toBeNull();
      const ran = Number(summary![1]);
      const now = JSON.parse(summary![2]!) as Record<string, number>;
      // The totals are the database's, and this run's effects are exactly the growth of `done`.
      expect(now).toEqual(JSON.parse((await run(process.execPath, [...CLI_ARGS, 'effects'], { cwd: PROJECT_ROOT, env })).stdout));
      expect((now.done ?? 0) - (before.done ?? 0)).toBe(ran);
      expectHonestProgress(caught.stderr, ran, before.pending!);
    } finally {
      await database?.drop();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 180_000);

  // The embedded database's folder is held by the server: the command asks it (on PostgreSQL it goes to the database).
  if (DB_KIND === 'pglite') it('through the running server that holds the data folder: the same honest count, and what the server ran', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'keiyaku-catchup-live-'));
    try {
      await monthlyContracts({ KEIYAKU_DATA: folder }, undefined, 6);
      writeFileSync(join(folder, 'operator-key'), `${OPERATOR_KEY}\n`);
      const server = await spawnServer({ KEIYAKU_DATA: folder, KEIYAKU_TEST_CLOCK: START, KEIYAKU_SCHEDULER_BATCH: '4' });
      try {
        const before = (await server.api('GET', '/v1/effects?limit=1')).body.counts as Record<string, number>;
        const env = { ...process.env, KEIYAKU_OPERATOR_KEY: OPERATOR_KEY, KEIYAKU_DATA: folder, KEIYAKU_TEST_CLOCK: A_YEAR_ON };
        const caught = await run(process.execPath, [...CLI_ARGS, 'catch-up'], { cwd: PROJECT_ROOT, env });
        expect(caught.stderr).toContain('going through its API');
        const summary = /^caught up to 2027-04-01T00:00:00Z in \d+ ms: ran (\d+) effects, 0 failed; effects now: (\{.*\})\n$/.exec(caught.stdout);
        expect(summary, caught.stdout).not.toBeNull();
        const ran = Number(summary![1]);
        const now = (await server.api('GET', '/v1/effects?limit=1')).body.counts as Record<string, number>;
        expect(JSON.parse(summary![2]!)).toEqual(now);
        expect((now.done ?? 0) - (before.done ?? 0)).toBe(ran);
        expectHonestProgress(caught.stderr, ran, before.pending!);
      } finally {
        await server.kill();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
