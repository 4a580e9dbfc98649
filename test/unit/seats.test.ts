import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { SeatHolder } from '../../src/domain/seats.js';
import { chooseDeactivations } from '../../src/domain/seats.js';

// A spot running 2026-04-01 〜 2026-04-30 in Tokyo, as instants [from, to).
const window = { from: Temporal.Instant.from('2026-04-01T00:00:00+09:00'), to: Temporal.Instant.from('2026-05-01T00:00:00+09:00') };

let nextSeq = 0;
function holder(id: string, at: string, extra: Partial<SeatHolder> = {}): SeatHolder {
  nextSeq++;
  return { id, role: 'member', status: 'active', registeredAt: Temporal.Instant.from(at), seq: nextSeq, ...extra };
}

const owner = () => holder('owner', '2026-01-10T09:00:00+09:00', { role: 'owner' });
const before = (id: string, day: string) => holder(id, `2026-03-${day}T10:00:00+09:00`);
const during = (id: string, day: string, extra: Partial<SeatHolder> = {}) => holder(id, `2026-04-${day}T10:00:00+09:00`, extra);

/** The same members in reverse and rotated order: the choice must not depend on input order. */
function orders(members: SeatHolder[]): SeatHolder[][] {
  return [members, [...members].reverse(), [...members.slice(2), ...members.slice(0, 2)]];
}

describe('S9 chooseDeactivations', () => {
  it('chooses the excess among members registered during the spot window, latest first', () => {
    const members = [owner(), before('a', '05'), before('b', '20'), during('c', '02'), during('d', '10'), during('e', '25')];
    // 6 active, limit 4: 2 over.
    for (const list of orders(members)) expect(chooseDeactivations(list, 4, window)).toEqual(['e', 'd']);
    // Even a member registered earlier outside the window is kept while window members remain.
    expect(chooseDeactivations(members, 3, window)).toEqual(['e', 'd', 'c']);
  });

  it('never chooses the owner, even when the owner registered last, inside the window', () => {
    const members = [before('a', '05'), during('b', '03'), during('c', '04'), holder('owner', '2026-04-29T23:59:59+09:00', { role: 'owner' })];
    for (const list of orders(members)) expect(chooseDeactivations(list, 3, window)).toEqual(['c']);
    expect(chooseDeactivations(members, 1, window)).toEqual(['c', 'b', 'a']);
    // The owner alone over a limit of 0 stays: there is nobody else to choose.
    expect(chooseDeactivations([owner()], 0, window)).toEqual([]);
    expect(chooseDeactivations([owner(), during('x', '10')], 0, window)).toEqual(['x']);
  });

  it('when the window holds fewer than the excess, the rest come from outside it, latest first', () => {
    const members = [owner(), before('a', '05'), before('b', '20'), during('c', '02'), during('d', '10'), holder('later', '2026-05-03T10:00:00+09:00')];
    // 6 active, limit 2: 4 over; the window has c and d only.
    for (const list of orders(members)) expect(chooseDeactivations(list, 2, window)).toEqual(['d', 'c', 'later', 'b']);
  });

  it('the window is [from, to): its first instant is in, the first instant after it is out', () => {
    const atStart = holder('atStart', '2026-04-01T00:00:00+09:00');
    const atEnd = holder('atEnd', '2026-05-01T00:00:00+09:00');
    const justBefore = holder('justBefore', '2026-03-31T23:59:59.999+09:00');
    expect(chooseDeactivations([owner(), justBefore, atStart, atEnd], 3, window)).toEqual(['atStart']);
  });

  it('without a window (a license end, the return to the free plan) the latest registered go first', () => {
    const members = [owner(), before('a', '05'), during('b', '10'), before('c', '20'), holder('d', '2026-05-03T10:00:00+09:00')];
    for (const list of orders(members)) expect(chooseDeactivations(list, 3)).toEqual(['d', 'b']);
  });

  it('ties on the registration instant are broken by seq: the higher seq is the later', () => {
    const at = '2026-04-15T12:00:00+09:00';
    const members = [owner(), holder('x', at, { seq: 101 }), holder('y', at, { seq: 103 }), holder('z', at, { seq: 102 })];
    for (const list of orders(members)) {
      expect(chooseDeactivations(list, 3, window)).toEqual(['y']);
      expect(chooseDeactivations(list, 2, window)).toEqual(['y', 'z']);
      expect(chooseDeactivations(list, 1, window)).toEqual(['y', 'z', 'x']);
    }
  });

  it('no excess chooses nobody', () => {
    const members = [owner(), before('a', '05'), during('b', '10')];
    expect(chooseDeactivations(members, 3, window)).toEqual([]);
    expect(chooseDeactivations(members, 10, window)).toEqual([]);
    expect(chooseDeactivations(members, 10)).toEqual([]);
    expect(chooseDeactivations([], 0, window)).toEqual([]);
  });

  it('already deactivated members neither count against the limit nor are chosen again', () => {
    const members = [owner(), before('a', '05'), during('b', '10'), during('gone', '28', { status: 'deactivated' }), during('c', '20')];
    // Active: owner, a, b, c = 4; limit 3: one over, and it is c, not the later but deactivated "gone".
    for (const list of orders(members)) expect(chooseDeactivations(list, 3, window)).toEqual(['c']);
    expect(chooseDeactivations(members, 4, window)).toEqual([]);
    const allGone = [owner(), during('p', '02', { status: 'deactivated' }), during('q', '03', { status: 'deactivated' })];
    expect(chooseDeactivations(allGone, 1, window)).toEqual([]);
  });
});
