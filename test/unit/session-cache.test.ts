/**
 * The portal sessions the state cache keeps (src/app/state-cache.ts): found once, dropped with
 * their account's change, and never kept when the lookup raced with a change — else a signed-out
 * or revoked token could go on working in a process until it expires.
 */
import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import type { CachedSession } from '../../src/app/state-cache.js';
import { StateCache } from '../../src/app/state-cache.js';
import type { Db } from '../../src/store/db.js';

const session = (accountId: string): CachedSession => ({ accountId, expiresAt: Temporal.Instant.from('2030-01-01T00:00:00Z') });

/** A lookup whose answer the test releases when it wants, counting the lookups made. */
function lookups() {
  let count = 0;
  const pending: Array<() => void> = [];
  return {
    get count() {
      return count;
    },
    load(found: CachedSession | undefined, hold = false) {
      return () => {
        count++;
        return hold ? new Promise<CachedSession | undefined>((resolve) => pending.push(() => resolve(found))) : Promise.resolve(found);
      };
    },
    release() {
      for (const r of pending.splice(0)) r();
    },
  };
}

describe('portal sessions kept by the state cache', () => {
  const cache = () => new StateCache({} as Db, { active: true });

  it('a session is looked up once, then answered from memory; an unknown token is looked up every time', async () => {
    const c = cache();
    const l = lookups();
    for (let i = 0; i < 3; i++) expect(await c.session('h1', l.load(session('acc_a')))).toEqual(session('acc_a'));
    expect(l.count).toBe(1);
    for (let i = 0; i < 3; i++) expect(await c.session('guess', l.load(undefined))).toBeUndefined();
    expect(l.count).toBe(4);
  });

  it("a change to the account (a sign-out, a revocation) drops its sessions, and only its own", async () => {
    const c = cache();
    const l = lookups();
    await c.session('a1', l.load(session('acc_a')));
    await c.session('a2', l.load(session('acc_a')));
    await c.session('b1', l.load(session('acc_b')));
    c.invalidate('acc_a');
    // The rows are gone: the next lookups find nothing.
    expect(await c.session('a1', l.load(undefined))).toBeUndefined();
    expect(await c.session('a2', l.load(undefined))).toBeUndefined();
    expect(await c.session('b1', l.load(undefined))).toEqual(session('acc_b'));
    expect(l.count).toBe(5);
  });

  it('a lookup that was reading while its account changed is answered but not kept', async () => {
    const c = cache();
    const l = lookups();
    const racing = c.session('a1', l.load(session('acc_a'), true));
    c.invalidate('acc_a'); // the session ended while the row was being read
    l.release();
    expect(await racing).toEqual(session('acc_a'));
    expect(await c.session('a1', l.load(undefined))).toBeUndefined();
    expect(l.count).toBe(2);
  });

  it('a lookup that was reading when the invalidation feed reset is not kept; while the feed is down every request looks up', async () => {
    const c = cache();
    const l = lookups();
    const racing = c.session('a1', l.load(session('acc_a'), true));
    c.setActive(false);
    l.release();
    await racing;
    await c.session('a1', l.load(session('acc_a')));
    await c.session('a1', l.load(session('acc_a')));
    expect(l.count).toBe(3);
    c.setActive(true);
    await c.session('a1', l.load(session('acc_a')));
    await c.session('a1', l.load(session('acc_a')));
    expect(l.count).toBe(4);
  });
});
