/**
 * The checkout's root folder (catalog/, web/dist, data/ are found from it). Worked out from this
 * module's own address, one folder down from the root both as source (src/paths.ts, under tsx or
 * Vitest) and in the server build (build/*.mjs, scripts/build-server.mjs): keep both one deep.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
