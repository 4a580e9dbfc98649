/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a query with one fails. Found by the
 * fuzz test (issue 9) as a 500 on `GET /v1/orders/%00`; refused here, at the edge, for every
 * route at once, as a malformed request naming the field.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from './problems.js';
import { sendEdgeError } from './problems.js';

function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (!value || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return path;
    const found = findNul(child, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** preValidation hook: 400 `invalid_request` when a path parameter, query value or body string holds U+0000. */
export async function refuseNulCharacters(request: FastifyRequest, reply: FastifyReply) {
  for (const [part, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const path = findNul(value, part);
    if (path) {
      const errors: FieldError[] = [{ path, message: 'must not contain the NUL character (U+0000)' }];
      return sendEdgeError(request, reply, 'invalid_request', errors);
    }
  }
  return undefined;
}
