/**
 * `keiyaku import <file.jsonl> [--dry-run]` (docs/imports.md): one account a line. The whole file
 * is read and checked first (JSON, fields) and nothing is imported while a line is malformed;
 * then the accounts go in batches, with progress and an ETA, to the database or to the running
 * server's `POST /v1/imports`. A refused account is reported with its line and what to fix, and
 * the others are imported; the file can be imported again once fixed (accounts already imported
 * are skipped).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ImportLineBody, ImportResultView } from '../http/routes/imports.js';
import { importLineSchema } from '../http/routes/imports.js';
import { emailKey } from '../store/accounts.js';
import { Progress } from './progress.js';

export type ResultView = ImportResultView;

/** Sends a batch (to the database or to a server) and answers each line's outcome, in order. */
export type ImportSink = (accounts: ImportLineBody[], dryRun: boolean) => Promise<ResultView[]>;

/** Lines a batch holds at most, and its JSON size at most (a server takes bodies up to 1 MB). */
const BATCH_LINES = 200;
const BATCH_BYTES = 512 * 1024;

export interface ReadFile {
  lines: Array<{ lineNo: number; body: ImportLineBody; bytes: number }>;
  errors: string[];
}

/** Reads and checks the file: every malformed line is named with what to fix. Blank lines are skipped. */
export function readImportFile(text: string): ReadFile {
  const lines: ReadFile['lines'] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      errors.push(`line ${lineNo}: not JSON (${(err as Error).message}); each line is one account as a JSON object`);
      return;
    }
    const parsed = importLineSchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`line ${lineNo}: ${issue.path.length > 0 ? issue.path.join('.') : '(the line)'}: ${issue.message}`);
      return;
    }
    lines.push({ lineNo, body: parsed.data, bytes: Buffer.byteLength(raw) });
  });
  return { lines, errors };
}

/** Consecutive batches of at most BATCH_LINES lines and about BATCH_BYTES of JSON. */
export function batchesOf<T extends { bytes: number }>(lines: readonly T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const line of lines) {
    if (batch.length > 0 && (batch.length >= BATCH_LINES || bytes + line.bytes > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(line);
    bytes += line.bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Runs the import of a file through `sink`, `parallel` batches at a time (each its own
 * transaction); answers the exit code (0 all in, 1 some refused, 2 nothing done).
 */
export async function runImport(path: string, dryRun: boolean, sink: ImportSink, where: string, parallel = 1): Promise<number> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    process.stderr.write(`keiyaku: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})\n`);
    return 2;
  }
  const file = readImportFile(text);
  if (file.errors.length > 0) {
    const shown = file.errors.slice(0, 50);
    process.stderr.write(`keiyaku: ${path} has ${file.errors.length} problem(s); nothing was imported. Fix them and run the command again:\n${shown.map((e) => `  ${e}\n`).join('')}`);
    if (file.errors.length > shown.length) process.stderr.write(`  … and ${file.errors.length - shown.length} more\n`);
    return 2;
  }
  if (file.lines.length === 0) {
    process.stderr.write(`keiyaku: ${path} has no accounts (one JSON object a line)\n`);
    return 2;
  }
  const t0 = performance.now();
  const progress = new Progress(`${dryRun ? 'checking' : 'importing'} accounts ${where}`, file.lines.length);
  const counts = { imported: 0, valid: 0, skipped: 0, refused: 0 };
  const refused: Array<{ lineNo: number; text: string }> = [];
  // An email met again later in the file is skipped here, as the import would skip it: batches
  // sent at once then never hold the same email, and the outcome is the file's order's.
  const seen = new Set<string>();
  const first = file.lines.filter((l) => {
    const key = emailKey(l.body.email);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  counts.skipped += file.lines.length - first.length;
  let done = file.lines.length - first.length;
  const batches = batchesOf(first);
  let next = 0;
  const send = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const results = await sink(
        batch.map((l) => l.body),
        dryRun,
      );
      for (const r of results) {
        counts[r.status]++;
        const line = batch[r.index];
        if (r.status === 'refused' && line) {
          const at = r.errors?.[0]?.path;
          refused.push({ lineNo: line.lineNo, text: `line ${line.lineNo} (${r.email}): ${r.code ?? 'refused'}${at ? ` at ${at}` : ''}: ${r.detail ?? ''}` });
        }
      }
      done += batch.length;
      progress.update(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, batches.length)) }, send));
  progress.end();
  for (const r of refused.sort((a, b) => a.lineNo - b.lineNo)) process.stderr.write(`  ${r.text}\n`);
  const ms = Math.round(performance.now() - t0);
  const summary = dryRun
    ? `dry run of ${file.lines.length} account(s) in ${ms} ms: ${counts.valid} would be imported, ${counts.skipped} skipped (email already has an account), ${counts.refused} refused; nothing was kept`
    : `${file.lines.length} account(s) in ${ms} ms: ${counts.imported} imported, ${counts.skipped} skipped (email already has an account), ${counts.refused} refused`;
  process.stdout.write(`${summary}\n`);
  return counts.refused > 0 ? 1 : 0;
}
