/**
 * Rewrites the table of docs/errors.md from the code (EDGE_ERRORS, then REFUSALS):
 * `npx tsx scripts/errors-table.ts`. test/unit/error-codes.test.ts fails when they drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_ERRORS, STATUS_OF_KIND } from '../src/http/problems.js';
import { REFUSALS } from '../src/domain/refusals.js';

const file = join(process.cwd(), 'docs', 'errors.md');
const doc = readFileSync(file, 'utf8');
const header = '| --- | --- | --- |\n';
const at = doc.indexOf(header);
if (at < 0) throw new Error('docs/errors.md: table header not found');
/** Shows each fact of the case as `{name}`. */
const placeholders = new Proxy({}, { get: (_t, key) => `{${String(key)}}` }) as Record<string, never>;
const rows = [
  ...Object.entries(EDGE_ERRORS).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.en} |`),
  ...Object.entries(REFUSALS).map(([code, r]) => `| \`${code}\` | ${STATUS_OF_KIND[r.kind]} | ${r.en(placeholders)} |`),
];
writeFileSync(file, doc.slice(0, at + header.length) + rows.join('\n') + '\n');
console.log(`docs/errors.md: ${rows.length} codes`);
