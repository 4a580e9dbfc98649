/**
 * The import example a vendor starts from (examples/import-sample.jsonl, docs/imports.md) imports
 * as it is on the days docs/imports.md promises: its contracts are yearly terms from 2026-11-01,
 * running until 2027-10-31 (a monthly one from 2026-11-01 was refused with import_term_ended from
 * 2026-12-01). On the test clock (tests never read the wall clock): the first day it was written
 * for and the last day it holds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/boot.js';
import { CLI_ARGS } from '../support/process.js';

const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), 'keiyaku-import-sample-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const keiyaku = (args: string[], testClock = '') =>
  run(process.execPath, [...CLI_ARGS, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', KEIYAKU_TEST_CLOCK: testClock, KEIYAKU_DATA: 'memory' } });

const FIRST = '2026-11-27T12:00:00+09:00';
const LAST = '2027-10-31T12:00:00+09:00';

describe('the import examples import on the days they are written for', () => {
  it('examples/import-sample.jsonl: every account would be imported, none refused', { timeout: 60_000 }, async () => {
    const dry = await keiyaku(['import', join(PROJECT_ROOT, 'examples', 'import-sample.jsonl'), '--dry-run'], FIRST);
    expect(dry.stdout).toMatch(/^dry run of 4 account\(s\) in \d+ ms: 4 would be imported, 0 skipped .*, 0 refused; nothing was kept/);
    // … and still on the last day docs/imports.md promises.
    const last = await keiyaku(['import', join(PROJECT_ROOT, 'examples', 'import-sample.jsonl'), '--dry-run'], LAST);
    expect(last.stdout).toMatch(/: 4 would be imported, 0 skipped .*, 0 refused/);
  });

  it("docs/imports.md's example lines too", { timeout: 60_000 }, async () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'imports.md'), 'utf8');
    const lines = /## The file[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1]?.trim().split('\n') ?? [];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const file = join(folder, 'doc-lines.jsonl');
    writeFileSync(file, lines.join('\n'));
    const dry = await keiyaku(['import', file, '--dry-run'], FIRST);
    expect(dry.stdout).toMatch(new RegExp(`: ${lines.length} would be imported, 0 skipped .*, 0 refused`));
  });
});
