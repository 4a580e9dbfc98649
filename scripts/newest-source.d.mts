/** Types of scripts/newest-source.mjs. */
export function newestSource(base: string, entries: readonly string[]): number;
