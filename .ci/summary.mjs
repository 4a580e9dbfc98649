// Sums vitest JSON reports (one per suite run) into lines CI can read (DESIGN "CI output").
// Usage: node .ci/summary.mjs test-results/*.json
// Prints `<run>: N passed, N failed` per report (and each failed test with the start of its error), then, as the last line, `N passed, N failed`
// over all runs. Exits 1 when a test failed, a test file failed to run, a report is missing or
// unreadable, or a run ran no test at all.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let ok = files.length > 0;
if (!ok) console.log('no test reports given');

for (const file of files) {
  const name = basename(file, '.json');
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`${name}: unreadable report (${error instanceof Error ? error.message : String(error)})`);
    ok = false;
    continue;
  }
  const p = Number(report.numPassedTests ?? 0);
  const f = Number(report.numFailedTests ?? 0);
  const total = Number(report.numTotalTests ?? 0);
  const skipped = total - p - f;
  // A file that fails to import has no failing test, only a failed file entry.
  const brokenFiles = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  const notes = [];
  if (skipped > 0) notes.push(`${skipped} skipped`);
  if (brokenFiles.length > 0) notes.push(`${brokenFiles.length} test files failed to run`);
  if (total === 0) notes.push('no test ran');
  console.log(`${name}: ${p} passed, ${f} failed${notes.length ? ` (${notes.join(', ')})` : ''}`);
  for (const r of brokenFiles) console.log(`  ${r.name}: ${String(r.message ?? '').split('\n')[0]}`);
  // Each failed test by name with the start of its error, so the tail of CI's output says which failed.
  for (const r of report.testResults ?? []) {
    for (const a of r.assertionResults ?? []) {
      if (a.status !== 'failed') continue;
      const message = stripVTControlCharacters(String(a.failureMessages?.[0] ?? '')).split('\n').filter((l) => l.trim()).slice(0, 6).map((l) => l.slice(0, 300));
      console.log(`  FAILED ${basename(r.name ?? '')} > ${a.fullName ?? a.title}`);
      for (const line of message) console.log(`    ${line}`);
    }
  }
  passed += p;
  failed += f;
  if (f > 0 || total === 0 || brokenFiles.length > 0 || report.success === false) ok = false;
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = ok && failed === 0 && passed > 0 ? 0 : 1;
