/**
 * Once a test run: the server build (`build/`, scripts/build-server.mjs) brought up to date with
 * src/, for the tests that run Keiyaku as a process as `npm start` does (support/process.ts).
 *
 * And a migrated, empty embedded database dumped to a temporary file, so each test
 * server on PGlite starts from it instead of creating and migrating its own (~3x faster a start).
 * Nothing on PostgreSQL, where each test file gets a fresh database on the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { memorySnapshot } from '../../src/store/db.js';
import { buildServer } from '../../scripts/build-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The dump's path, or '' on PostgreSQL. */
    memorySnapshot: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  await buildServer({ quiet: true });
  if (process.env.KEIYAKU_TEST_DATABASE_URL) {
    project.provide('memorySnapshot', '');
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'keiyaku-test-'));
  const file = join(dir, 'memory-snapshot.tar');
  writeFileSync(file, Buffer.from(await (await memorySnapshot()).arrayBuffer()));
  project.provide('memorySnapshot', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
