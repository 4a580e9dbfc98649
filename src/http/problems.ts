/**
 * problem+json (RFC 9457) at the edge: the one table that turns a refusal's kind or an edge
 * error into an HTTP status (DESIGN 5, 6). Every code is listed in docs/errors.md.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Refusal, RefusalKind } from '../domain/refusals.js';
import { REFUSALS, refusalMessage } from '../domain/refusals.js';

export type Lang = 'ja' | 'en';

/** The language a person reading the answer asked for: Japanese when preferred, else English. */
export function langOf(request: FastifyRequest): Lang {
  const header = request.headers['accept-language'];
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export const STATUS_OF_KIND: Record<RefusalKind, number> = { invalid: 400, not_found: 404, conflict: 409, rule: 422 };

/** Errors raised by the edge itself (not business rules), with their status and messages. */
export const EDGE_ERRORS = {
  invalid_request: { status: 400, en: 'The request has invalid fields: see errors for each one.', ja: 'リクエストに不正な項目があります。errors の各項目を確認してください。' },
  malformed_json: { status: 400, en: 'The body is not valid JSON. Send a JSON object with Content-Type: application/json.', ja: '本文が正しいJSONではありません。Content-Type: application/json でJSONオブジェクトを送ってください。' },
  malformed_request: { status: 400, en: 'The request is not valid HTTP/1.1 (its request line, a header or its framing). Check the client or proxy that sent it.', ja: 'リクエストが正しいHTTP/1.1ではありません（リクエスト行、ヘッダー、または本文の区切り）。送信したクライアントやプロキシを確認してください。' },
  unsupported_media_type: { status: 415, en: 'Send the body as JSON with Content-Type: application/json (it came as another type, such as text/plain, or with none).', ja: '本文は Content-Type: application/json を付けたJSONで送ってください（text/plain など別の形式か、Content-Type なしで送られました）。' },
  payload_too_large: { status: 413, en: 'The body is too large. Send at most 1 MB.', ja: '本文が大きすぎます。1MB以内にしてください。' },
  headers_too_large: { status: 431, en: 'The request headers are too large: at most 16 KB in all. Send a shorter Authorization header (a Bearer key or token) and fewer or shorter cookies and headers.', ja: 'リクエストヘッダーが大きすぎます（合計16KBまで）。Authorization ヘッダー（Bearer のキーやトークン）を短くし、Cookie やヘッダーを減らすか短くしてください。' },
  request_timeout: { status: 408, en: 'The request did not arrive in time: its headers or body came too slowly. Send it again.', ja: 'リクエストが時間内に届きませんでした（ヘッダーまたは本文の送信が遅すぎます）。もう一度送ってください。' },
  shutting_down: { status: 503, en: 'The server is shutting down and did not take this request: nothing was done. Retry it (on another server process, or on this one once it is back).', ja: 'サーバーが停止処理中のため、このリクエストは受け付けませんでした（何も処理されていません）。再試行してください（別のサーバープロセス、または再起動後のこのサーバーで）。' },
  unauthorized: { status: 401, en: 'Missing or wrong credentials. Send Authorization: Bearer <operator key or customer token>.', ja: '認証情報がないか誤っています。Authorization: Bearer <オペレーターキーまたは顧客トークン> を送ってください。' },
  forbidden: { status: 403, en: 'This needs the operator key: a customer token may not do it.', ja: 'この操作にはオペレーターキーが必要です。顧客トークンではできません。' },
  not_found: { status: 404, en: 'Nothing here: check the id.', ja: '見つかりません。IDを確認してください。' },
  route_not_found: { status: 404, en: 'No such endpoint. See GET /openapi.json for the API.', ja: 'そのエンドポイントはありません。GET /openapi.json を参照してください。' },
  method_not_allowed: { status: 405, en: 'This method is not allowed on this path: the Allow header lists those that are.', ja: 'このパスではこのメソッドは使えません。使えるメソッドは Allow ヘッダーにあります。' },
  idempotency_key_reused: { status: 409, en: 'This Idempotency-Key was already used with a different request. Use a new key for a new request.', ja: 'この Idempotency-Key は別の内容のリクエストで使用済みです。新しいリクエストには新しいキーを使ってください。' },
  rate_limited: { status: 429, en: 'Too many requests. Retry after the number of seconds in the Retry-After header.', ja: 'リクエストが多すぎます。Retry-After ヘッダーの秒数の後に再試行してください。' },
  internal_error: { status: 500, en: 'Something went wrong on our side. It is logged; please retry later.', ja: 'サーバー側でエラーが発生しました。記録済みです。しばらくしてから再試行してください。' },
} as const;
export type EdgeCode = keyof typeof EDGE_ERRORS;

/** Every code the API can answer with: the edge's and the domain's. */
export function allErrorCodes(): string[] {
  return [...Object.keys(EDGE_ERRORS), ...Object.keys(REFUSALS)].sort();
}

export interface FieldError {
  path: string;
  message: string;
}

export function problemBody(status: number, code: string, detail: string, errors?: FieldError[]) {
  return {
    type: `https://keiyaku.dev/problems/${code}`,
    title: code.replaceAll('_', ' '),
    status,
    code,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendEdgeError(request: FastifyRequest, reply: FastifyReply, code: EdgeCode, errors?: FieldError[], detail?: string) {
  const def = EDGE_ERRORS[code];
  return reply
    .code(def.status)
    .type('application/problem+json')
    .send(problemBody(def.status, code, detail ?? def[langOf(request)], errors));
}

/**
 * A problem as a whole HTTP/1.1 response, for what Node refuses before there is a request to
 * answer (a header block over 16 KB, a broken request line, a timeout: Fastify's clientErrorHandler).
 * In English: no header of the request could be read. The connection is closed after it.
 */
export function rawProblemResponse(code: EdgeCode, detail?: string): string {
  const def = EDGE_ERRORS[code];
  const body = JSON.stringify(problemBody(def.status, code, detail ?? def.en));
  return [`HTTP/1.1 ${def.status} ${STATUS_CODES[def.status] ?? 'Error'}`, 'Content-Type: application/problem+json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join('\r\n');
}

export function sendRefusal(request: FastifyRequest, reply: FastifyReply, refusal: Refusal) {
  const status = STATUS_OF_KIND[REFUSALS[refusal.code].kind];
  const message = refusalMessage(refusal, langOf(request));
  const errors = refusal.field ? [{ path: refusal.field, message }] : undefined;
  return reply.code(status).type('application/problem+json').send(problemBody(status, refusal.code, message, errors));
}
