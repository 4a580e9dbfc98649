/**
 * PostgreSQL text cannot hold the NUL character (U+0000), nor a lone UTF-16 surrogate (`"\ud800"`
 * in JSON has no UTF-8 form): a query with one fails. Found by the fuzz test (issue 9) as 500s on
 * `GET /v1/orders/%00` and on a product `"\ud800"` sent with an Idempotency-Key (its refusal could
 * not be stored); refused here, at the edge, for every route at once, naming the field.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from './problems.js';
import { sendEdgeError } from './problems.js';

/** The keys leading to the first unstorable text in `value` (`[]`: `value` itself), or undefined; the path is only built for a find. */
function findNulKeys(value: unknown, depth = 0): string[] | undefined {
  if (typeof value === 'string') return unstorable(value) ? [] : undefined;
  if (!value || typeof value !== 'object' || depth > 64) return undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (unstorable(key)) return [];
    const found = findNulKeys((value as Record<string, unknown>)[key], depth + 1);
    if (found) {
      found.push(key);
      return found;
    }
  }
  return undefined;
}

function findNul(value: unknown, path: string): string | undefined {
  const keys = findNulKeys(value);
  return keys ? [path, ...keys.reverse()].join('.') : undefined;
}

/**
 * preValidation hook: 400 `invalid_request` when a path parameter, query value or body string
 * holds U+0000 or a lone surrogate. Callback style (no promise a request): `done` is called only
 * when the request goes on; a refused one is answered here.
 */
export function refuseNulCharacters(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const path = findNul(request.params, 'params') ?? findNul(request.query, 'querystring') ?? findNul(request.body, 'body');
  if (!path) return done();
  const errors: FieldError[] = [{ path, message: 'must not contain the NUL character (U+0000) or a lone surrogate (\\ud800–\\udfff): send valid Unicode text' }];
  void sendEdgeError(request, reply, 'invalid_request', errors);
}
