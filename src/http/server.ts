/** The HTTP edge: Fastify with zod schemas that validate requests and write the OpenAPI document. */
import type { Socket } from 'node:net';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { NOT_YOURS, OPERATOR_ONLY, UNAUTHENTICATED, authenticate, requireCredential } from './auth.js';
import { langOf, rawProblemResponse, sendEdgeError } from './problems.js';
import type { RateLimitOptions } from './rate-limit.js';
import { isRateLimited, registerRateLimit, sendRateLimited } from './rate-limit.js';
import { refuseNulCharacters } from './text-guard.js';
import type { FieldError, Lang } from './problems.js';
import { systemRoutes } from './routes/system.js';
import { accountRoutes } from './routes/accounts.js';
import { orderRoutes } from './routes/orders.js';
import { invoiceRoutes } from './routes/invoices.js';
import { contractRoutes } from './routes/contracts.js';
import { memberRoutes } from './routes/members.js';
import { noticeRoutes } from './routes/notices.js';
import { usageRoutes } from './routes/usage.js';
import { importRoutes } from './routes/imports.js';
import { paymentRoutes } from './routes/payments.js';
import { webRoutes } from './web.js';

/** Where log lines go (pino's destination): the default is stdout. */
export interface LogStream {
  write(line: string): void;
}

export interface ServerOptions {
  operatorKey: string;
  logger?: boolean | { level: string; stream?: LogStream };
  /** Requests a minute per customer token (KEIYAKU_RATE_LIMIT); see rate-limit.ts. */
  rateLimit?: RateLimitOptions;
}

/** Where a validation error points: `body.startDate`, `querystring.at`. */
function fieldErrors(error: FastifyError, lang: Lang): FieldError[] {
  const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body';
  return (error.validation ?? []).flatMap((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const at = path ? `${context}.${path}` : context;
    // A field a strict body does not take (a misspelling): named one by one, at its own path.
    const keys = v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys) ? (v.params.keys as unknown[]).map(String) : [];
    if (keys.length > 0) return keys.map((key) => ({ path: `${at}.${key}`, message: lang === 'ja' ? 'この項目は受け付けていません。綴りを確認するか、削除してください。' : 'No such field: check its spelling, or leave it out.' }));
    return [{ path: at, message: lang === 'ja' ? fieldMessageJa(v) : (v.message ?? 'invalid') }];
  });
}

/** zod's own Japanese messages for a field's issue (the request asked for Japanese). */
const zodJa = z.locales.ja();
const TYPES_JA: Record<string, string> = { number: '数値', string: '文字列', boolean: '真偽値（true/false）', object: 'オブジェクト', array: '配列', int: '整数' };
function fieldMessageJa(v: { keyword: string; message?: string | undefined; params: Record<string, unknown> }): string {
  const issue = { ...v.params, code: v.keyword, path: [] } as unknown as Parameters<typeof zodJa.localeError>[0];
  // zod keeps no input on an issue, so "expected X" is all that can be said of a wrong type.
  if (v.keyword === 'invalid_type') return v.params.expected === 'undefined' ? 'この項目は指定できません' : `${TYPES_JA[String(v.params.expected)] ?? String(v.params.expected)}を指定してください`;
  const message = zodJa.localeError(issue);
  return (typeof message === 'string' ? message : message?.message) ?? v.message ?? '無効な値です';
}

/** The error a JSON body with a key that could reach an object's prototype is refused with (invalid_request). */
const FORBIDDEN_KEY = 'KEIYAKU_FORBIDDEN_KEY';

/**
 * Where a parsed JSON value has a key that would reach an object's prototype if the body were
 * merged into an object — `__proto__`, or `constructor` holding an object with `prototype` — as
 * `body.a.__proto__`; undefined when it has none. The keys Fastify's own parser refuses (secure-json-parse).
 */
function forbiddenKeyPath(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, 'body']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const own = (key: string) => Object.prototype.hasOwnProperty.call(node, key);
    if (!Array.isArray(node)) {
      if (own('__proto__')) return `${path}.__proto__`;
      const ctor = own('constructor') ? (node as Record<string, unknown>).constructor : undefined;
      if (ctor !== null && typeof ctor === 'object' && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) return `${path}.constructor.prototype`;
    }
    for (const [key, child] of Object.entries(node)) stack.push([child, `${path}.${key}`]);
  }
  return undefined;
}

/**
 * How a server stops (docs/operations.md, "Stopping"). From `stopping` on, every answer closes its
 * connection. Requests that reach it at first are still answered as usual — those sent before the
 * stop are read only now when the embedded database held the event loop, or when the primary of
 * several processes hands its connections over one at a time — until none has come for
 * `QUIET_MS` (at most `GRACE_MAX_MS`). Then it is `refusing`: a request is answered 503
 * `shutting_down`, nothing of it done, unless it is the first on a connection accepted before the
 * stop. `closeServer` waits for every request in flight.
 */
interface Drain {
  stopping: boolean;
  refusing: boolean;
  /** The connections accepted before the stop, until they send a request after it. */
  early: WeakSet<object>;
  inFlight: number;
  /** performance.now() of the last connection or request that arrived. */
  lastArrival: number;
  settled?: () => void;
}
const drains = new WeakMap<FastifyInstance, Drain>();

/** How long without a new connection or request counts as quiet. */
const QUIET_MS = 100;
/** At most this long of requests still coming in are served as usual after a stop, … */
const GRACE_MAX_MS = 1000;
/** … and at most this long more are answered 503 before the listener closes. */
const REFUSE_MAX_MS = 2000;

/** Resolves once no connection or request has arrived for `QUIET_MS`, or after `maxMs`. */
async function quiet(drain: Drain, maxMs: number): Promise<void> {
  const from = performance.now();
  while (performance.now() - Math.max(drain.lastArrival, from) < QUIET_MS && performance.now() - from < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS / 4));
  }
}

/**
 * Stops the server without losing a request (SIGTERM, SIGINT, the primary's stop): the requests it
 * has received are answered as usual, however long they take (a catch-up through `POST /v1/clock`);
 * a request that arrives after them is answered 503 `shutting_down` with `Connection: close`, so
 * a client always knows whether it was done; once no request has arrived for 100 ms the listener
 * and the idle connections close. The database may close when this resolves.
 */
export async function closeServer(server: FastifyInstance): Promise<void> {
  const drain = drains.get(server);
  if (drain && !drain.stopping && server.server.listening) {
    drain.stopping = true;
    await quiet(drain, GRACE_MAX_MS);
    drain.refusing = true;
    if (drain.inFlight > 0) await new Promise<void>((resolve) => (drain.settled = resolve));
    // What still comes (sent before the listener closes) is answered 503 rather than cut by the close.
    await quiet(drain, REFUSE_MAX_MS);
  } else if (drain) {
    drain.stopping = true;
    drain.refusing = true;
  }
  await server.close();
}

/** Fastify's clientErrorHandler: what Node refuses before routing, as a problem (not Fastify's own JSON). */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A connection reset has nothing left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let response: string;
  if (error.code === 'HPE_HEADER_OVERFLOW') response = rawProblemResponse('headers_too_large');
  else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') response = rawProblemResponse('request_timeout');
  else if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') response = rawProblemResponse('payload_too_large', 'The chunk extensions of the body are too large (at most 16 KB). Send the body without chunk extensions.');
  else response = rawProblemResponse('malformed_request');
  if (socket.writable) socket.write(response);
  socket.destroy(error);
}

export async function buildServer(ctx: AppContext, options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a bad %-escape, a path parameter over 100 characters) as problems too.
    frameworkErrors: (error, request, reply) =>
      sendEdgeError(request, reply, 'invalid_request', [{ path: 'url', message: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is longer than 100 characters' : 'the URL is not validly %-encoded' }]),
    // … and Node's, before there is a request: headers over 16 KB (431), a broken request line (400), a timeout (408).
    clientErrorHandler,
    // While stopping, the drain hook below answers 503 as a problem (Fastify's own is bare JSON).
    return503OnClosing: false,
    // Fastify's default request serializer logs method, URL and host, never the Authorization header.
  });
  const drain: Drain = { stopping: false, refusing: false, early: new WeakSet(), inFlight: 0, lastArrival: 0 };
  drains.set(server, drain);
  server.server.on('connection', (socket: Socket) => {
    drain.lastArrival = performance.now();
    if (!drain.stopping) drain.early.add(socket);
  });
  // First of all hooks: a request refused while the server stops is answered before anything reads the database.
  server.addHook('onRequest', (request, reply, done) => {
    drain.lastArrival = performance.now();
    if (drain.refusing && !drain.early.delete(request.raw.socket)) {
      reply.header('connection', 'close');
      void sendEdgeError(request, reply, 'shutting_down');
      return;
    }
    drain.inFlight++;
    reply.raw.once('close', () => {
      drain.inFlight--;
      if (drain.inFlight === 0) drain.settled?.();
    });
    done();
  });
  // The answers to the requests in flight when the stop began close their connection too.
  server.addHook('onSend', (_request, reply, payload, done) => {
    if (drain.stopping) reply.header('connection', 'close');
    done(null, payload);
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.decorateRequest('actor', null);
  server.decorateRequest('credentialHash', null);
  // An empty body sent as JSON is no body (clients often send the header on every POST): the
  // endpoints that take none accept it, the others refuse it field by field. Anything else goes
  // through Fastify's own parser (prototype-poisoning protection included); a key it refuses for
  // that (`__proto__`, `constructor.prototype`) is named as a field, not called invalid JSON.
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, (err, value) => {
      if (!err) return done(null, value);
      let path: string | undefined;
      try {
        path = forbiddenKeyPath(JSON.parse(text));
      } catch {
        // Not JSON at all: Fastify's error stands (malformed_json).
      }
      done(path ? Object.assign(new Error(`the key at ${path} is not allowed`), { code: FORBIDDEN_KEY, statusCode: 400, path }) : err, undefined);
    });
  });
  // A body as text/plain (fetch's default for a string) is not read as a string for a schema to
  // refuse as "expected object": 415, send it as JSON. Sent empty, it is no body, as above.
  server.removeContentTypeParser('text/plain');
  server.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    if (body.toString().trim() === '') return done(null, undefined);
    done(Object.assign(new Error('a text/plain body'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), undefined);
  });

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Keiyaku API', version: '0.1.0', description: 'Subscription contracts and billing. Errors are application/problem+json; codes in docs/errors.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Operator key or customer portal token' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Callback style: the operator key and a missing credential are resolved without a promise.
  server.addHook('onRequest', (request, _reply, done) => {
    const actor = authenticate(ctx, options.operatorKey, request);
    if (!(actor instanceof Promise)) {
      request.actor = actor;
      return done();
    }
    actor.then((resolved) => {
      request.actor = resolved;
      done();
    }, done);
  });
  // After the rate limit's route hooks (onRequest), before the body is parsed.
  server.addHook('preParsing', requireCredential);
  server.addHook('preValidation', refuseNulCharacters);

  await registerRateLimit(server, options.rateLimit ?? { perToken: 600 });

  server.setErrorHandler((error: FastifyError, request, reply) => {
    if (isRateLimited(error)) return sendRateLimited(request, reply, error);
    if (error.code === UNAUTHENTICATED) return sendEdgeError(request, reply, 'unauthorized');
    if (error.code === NOT_YOURS) return sendEdgeError(request, reply, 'not_found');
    if (error.code === OPERATOR_ONLY) return sendEdgeError(request, reply, 'forbidden');
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) return sendEdgeError(request, reply, 'invalid_request', fieldErrors(error, langOf(request)));
    if (error.code === FORBIDDEN_KEY) {
      const path = (error as FastifyError & { path: string }).path;
      const key = path.endsWith('.constructor.prototype') ? '"constructor" with a "prototype" in it' : '"__proto__"';
      const keyJa = path.endsWith('.constructor.prototype') ? '"prototype" を含む "constructor"' : '"__proto__"';
      return sendEdgeError(request, reply, 'invalid_request', [
        { path, message: langOf(request) === 'ja' ? `キー ${keyJa} は使えません（オブジェクトのプロトタイプを書き換えうるため）。名前を変えるか取り除いてください。` : `a key ${key} is not allowed (it could change an object's prototype): rename or remove it` },
      ]);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) return sendEdgeError(request, reply, 'payload_too_large');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) return sendEdgeError(request, reply, 'unsupported_media_type');
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) return sendEdgeError(request, reply, 'malformed_json');
    // Fastify's other 400s are about the message, not its JSON (a body shorter than its Content-Length).
    if (error.statusCode === 400) return sendEdgeError(request, reply, 'malformed_request');
    request.log.error({ err: error }, 'unhandled error');
    return sendEdgeError(request, reply, 'internal_error');
  });
  // A known path with another method answers 405 with Allow (RFC 9110 §15.5.6); unknown paths 404.
  // Both are counted by the rate limit too: their credential was looked up all the same.
  const routes: Array<{ method: string; path: RegExp }> = [];
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, path: routePattern(route.url) });
  });
  server.setNotFoundHandler({ preHandler: server.rateLimit() }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = [...new Set(routes.filter((r) => r.path.test(path)).map((r) => r.method))];
    // The path's handler itself found nothing (a file under /web, say): not a question of method.
    if (allowed.length === 0 || allowed.includes(request.method) || (request.method === 'HEAD' && allowed.includes('GET'))) return sendEdgeError(request, reply, 'route_not_found');
    void reply.header('allow', allowed.sort().join(', '));
    return sendEdgeError(request, reply, 'method_not_allowed', undefined, methodNotAllowed(request, allowed));
  });

  systemRoutes(server, ctx);
  accountRoutes(server, ctx);
  orderRoutes(server, ctx);
  invoiceRoutes(server, ctx);
  contractRoutes(server, ctx);
  memberRoutes(server, ctx);
  noticeRoutes(server, ctx);
  usageRoutes(server, ctx);
  paymentRoutes(server, ctx);
  importRoutes(server, ctx);
  await webRoutes(server);

  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  await server.ready();
  return server;
}

/** A route's URL (`/v1/orders/:id/accept`, `/web/*`) as a pattern of the paths it serves. */
function routePattern(url: string): RegExp {
  const segments = url.split('/').map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}

function methodNotAllowed(request: FastifyRequest, allowed: string[]): string {
  const list = allowed.sort().join(', ');
  return langOf(request) === 'ja' ? `${request.method} はこのパスでは使えません。使えるメソッド: ${list}。` : `${request.method} is not allowed on this path. Use one of: ${list}.`;
}
