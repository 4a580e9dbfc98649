/** DESIGN 6: one catalogue of error codes, and a test that fails when code and docs/errors.md drift. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_ERRORS, STATUS_OF_KIND, allErrorCodes } from '../../src/http/problems.js';
import { REFUSALS } from '../../src/domain/refusals.js';

const doc = readFileSync(join(process.cwd(), 'docs', 'errors.md'), 'utf8');
const documented = new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

function statusOf(code: string): number {
  if (code in EDGE_ERRORS) return EDGE_ERRORS[code as keyof typeof EDGE_ERRORS].status;
  return STATUS_OF_KIND[REFUSALS[code as keyof typeof REFUSALS].kind];
}

describe('docs/errors.md lists exactly the codes the API answers with', () => {
  it('every code in the code is documented with its status', () => {
    for (const code of allErrorCodes()) expect(documented.get(code), code).toBe(statusOf(code));
  });
  it('every documented code exists in the code', () => {
    expect([...documented.keys()].sort()).toEqual(allErrorCodes());
  });
  it('the codes API.md fixes for what exists so far are among them', () => {
    for (const code of ['email_taken', 'invalid_quantity', 'payment_method_not_allowed', 'idempotency_key_reused']) expect(allErrorCodes()).toContain(code);
  });
  it('every refusal has a message in Japanese and in English', () => {
    for (const def of Object.values(REFUSALS)) {
      expect(def.en({}).length).toBeGreaterThan(10);
      expect(def.ja({}).length).toBeGreaterThan(5);
    }
  });
});
