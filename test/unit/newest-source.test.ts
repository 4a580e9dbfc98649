/**
 * `npm start` rebuilds the server (build/) and the portal (web/dist) when a source is newer than
 * the build (scripts/newest-source.mjs): a source it missed would leave the user running old code.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newestSource } from '../../scripts/newest-source.mjs';

const base = mkdtempSync(join(tmpdir(), 'keiyaku-newest-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function file(path: string, seconds: number): void {
  mkdirSync(join(base, path, '..'), { recursive: true });
  writeFileSync(join(base, path), 'x');
  utimesSync(join(base, path), seconds, seconds);
}

describe('the build scripts see every source change', () => {
  it('the newest file anywhere under the folders given counts, however deep; missing entries are skipped', () => {
    file('src/main.ts', 1_000);
    file('src/app/deep/er/module.ts', 3_000);
    file('package.json', 2_000);
    file('other/ignored.ts', 9_000);
    expect(newestSource(base, ['src', 'package.json', 'package-lock.json'])).toBe(3_000_000);
    file('package.json', 4_000);
    expect(newestSource(base, ['src', 'package.json', 'package-lock.json'])).toBe(4_000_000);
    expect(newestSource(base, ['nothing-here'])).toBe(0);
  });
});
