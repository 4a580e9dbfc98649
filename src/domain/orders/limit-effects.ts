/** Effects of moving from one set of limits and features to another (SPEC B6, API `limit_changed`). */
import type { Limits, LimitKey } from '../catalog.js';
import type { Note } from '../notes.js';
import { note } from '../notes.js';

export function limitEffects(before: { limits: Limits; features: readonly string[] }, after: { limits: Limits; features: readonly string[] }): Note[] {
  const notes: Note[] = [];
  const keys = new Set([...Object.keys(before.limits), ...Object.keys(after.limits)] as LimitKey[]);
  for (const limit of keys) {
    const from = before.limits[limit] ?? 0;
    const to = after.limits[limit] ?? 0;
    if (from !== to) notes.push(note('limit_changed', { limit, from, to }));
  }
  for (const feature of after.features) if (!before.features.includes(feature)) notes.push(note('feature_gained', { feature }));
  for (const feature of before.features) if (!after.features.includes(feature)) notes.push(note('feature_lost', { feature }));
  return notes;
}
