// Builds the server and the CLI (src/ → build/) with esbuild when the build is missing or older
// than its sources, so `npm start` and `npm run keiyaku` start on plain JavaScript: Node loads one
// file instead of running ~100 modules through tsx's loader (3.1 s → 1.7 s from `node` to serving
// on an existing data folder; docs/decisions.md). Most packages stay in node_modules, loaded by
// Node as usual (BUILT_IN below). Type checking is `npm run typecheck`'s, as under tsx.
// Usage: node scripts/build-server.mjs [--force] [--quiet]
//
// build/ is one folder below the root, as src/ is: src/paths.ts finds the root from its own
// address, and pdf-pool.ts finds its worker beside itself (build/pdf-worker.mjs).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { newestSource } from './newest-source.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build');
/**
 * The packages built into the server rather than loaded from node_modules: pure ESM of many small
 * modules, which Node otherwise resolves and loads one file at a time (kysely alone ~230 ms of a
 * start), with no file reads of their own. fastify-type-provider-zod goes with zod so that both use
 * the one zod. Every other package (fastify, pg, PGlite and its WebAssembly, pdfkit and its font
 * data, nodemailer) is loaded from node_modules as usual.
 */
const BUILT_IN = new Set(['kysely', 'zod', 'temporal-polyfill', 'temporal-utils', 'fastify-type-provider-zod']);

/** esbuild plugin: a package import stays an import (external) unless its package is BUILT_IN. */
const packagesOutside = {
  name: 'packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const parts = args.path.split('/');
      const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      return BUILT_IN.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/** Node's arguments for the server and the CLI, from the root (package.json "start", "keiyaku"). */
export const SERVER_ARGS = ['--enable-source-maps', 'build/main.mjs'];
export const CLI_ARGS = ['--enable-source-maps', 'build/cli.mjs'];

/** What the build makes, from which source: the names src/ refers to (pdf-pool.ts: ./pdf-worker.mjs). */
const ENTRIES = { main: 'src/main.ts', cli: 'src/cli/main.ts', 'pdf-worker': 'src/documents/pdf-worker-thread.ts' };

/**
 * The sources: src/, this script, package.json, tsconfig.json, and package-lock.json (the packages
 * built in come from node_modules: an update rebuilds).
 */
const SOURCES = ['src', 'scripts/build-server.mjs', 'scripts/newest-source.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The oldest file of a complete build, or 0 when one is missing. */
function builtAt() {
  let oldest = Infinity;
  for (const name of Object.keys(ENTRIES)) {
    const file = join(out, `${name}.mjs`);
    if (!existsSync(file)) return 0;
    oldest = Math.min(oldest, statSync(file).mtimeMs);
  }
  return oldest;
}

/** Builds into build/ unless it is up to date (or `force`); true when it built. */
export async function buildServer({ force = false, quiet = false } = {}) {
  if (!force && builtAt() >= newestSource(root, SOURCES)) return false;
  if (!quiet) process.stdout.write('Building the server (src/ → build/)…\n');
  // Build beside build/, then move the files in: a process starting from build/ meanwhile never
  // reads a half-written file, and two builds at once each move in complete ones.
  const staging = join(root, `build.building-${process.pid}`);
  try {
    await build({
      entryPoints: ENTRIES,
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      plugins: [packagesOutside],
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'warning',
    });
    // File by file into build/ (each rename atomic; build/ itself never goes missing): the source
    // maps, then the worker, then the entries a process starts from.
    mkdirSync(out, { recursive: true });
    const rank = (name) => (name.endsWith('.map') ? 0 : name === 'pdf-worker.mjs' ? 1 : 2);
    for (const name of readdirSync(staging).sort((a, b) => rank(a) - rank(b))) renameSync(join(staging, name), join(out, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildServer({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') });
  } catch {
    // esbuild has printed what is wrong and where.
    process.stderr.write('keiyaku: building the server failed: see above.\n');
    process.exit(1);
  }
}
