/**
 * Who is deactivated when the seat limit drops (SPEC S9): the excess, chosen first among the
 * members registered during the ending spot period, latest first; then, for any other drop (a
 * license end, the return to the free plan), among the rest, latest first. The owner-manager is
 * never deactivated (S9 Decision).
 */
import { Temporal } from 'temporal-polyfill';

export const AUTO_DEACTIVATION_GROUP = 'Auto Deactivation';

export interface SeatHolder {
  id: string;
  role: 'owner' | 'member';
  status: 'active' | 'deactivated';
  registeredAt: Temporal.Instant;
  /** Registration order, to break ties of equal instants. */
  seq: number;
}

/**
 * @param window the ending spot's period as instants [from, to): its members go first.
 * @example chooseDeactivations(members, 2, window) // the 2 latest registered during the spot
 */
export function chooseDeactivations(members: readonly SeatHolder[], limit: number, window?: { from: Temporal.Instant; to: Temporal.Instant }): string[] {
  const active = members.filter((m) => m.status === 'active');
  let excess = active.length - limit;
  if (excess <= 0) return [];
  const latestFirst = (a: SeatHolder, b: SeatHolder) => Temporal.Instant.compare(b.registeredAt, a.registeredAt) || b.seq - a.seq;
  const candidates = active.filter((m) => m.role !== 'owner').sort(latestFirst);
  const inWindow = (m: SeatHolder) => !!window && Temporal.Instant.compare(m.registeredAt, window.from) >= 0 && Temporal.Instant.compare(m.registeredAt, window.to) < 0;
  const ordered = [...candidates.filter(inWindow), ...candidates.filter((m) => !inWindow(m))];
  const chosen: string[] = [];
  for (const m of ordered) {
    if (excess <= 0) break;
    chosen.push(m.id);
    excess--;
  }
  return chosen;
}
