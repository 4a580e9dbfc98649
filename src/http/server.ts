/** The HTTP edge: Fastify with zod schemas that validate requests and write the OpenAPI document. */
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { NOT_YOURS, OPERATOR_ONLY, UNAUTHENTICATED, authenticate, requireCredential } from './auth.js';
import { langOf, sendEdgeError } from './problems.js';
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
  return (error.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return { path: path ? `${context}.${path}` : context, message: lang === 'ja' ? fieldMessageJa(v) : (v.message ?? 'invalid') };
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

export async function buildServer(ctx: AppContext, options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a bad %-escape, a path parameter over 100 characters) as problems too.
    frameworkErrors: (error, request, reply) =>
      sendEdgeError(request, reply, 'invalid_request', [{ path: 'url', message: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is longer than 100 characters' : 'the URL is not validly %-encoded' }]),
    // Fastify's default request serializer logs method, URL and host, never the Authorization header.
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.decorateRequest('actor', null);
  server.decorateRequest('credentialHash', null);
  // An empty body sent as JSON is no body (clients often send the header on every POST): the
  // endpoints that take none accept it, the others refuse it field by field. Anything else goes
  // through Fastify's own parser (prototype-poisoning protection included).
  const parseJson = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, done);
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
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) return sendEdgeError(request, reply, 'payload_too_large');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) return sendEdgeError(request, reply, 'unsupported_media_type');
    if (error.statusCode === 400) return sendEdgeError(request, reply, 'malformed_json', undefined, undefined);
    request.log.error({ err: error }, 'unhandled error');
    return sendEdgeError(request, reply, 'internal_error');
  });
  // Unknown paths are counted by the rate limit too: their credential was looked up all the same.
  server.setNotFoundHandler({ preHandler: server.rateLimit() }, (request, reply) => sendEdgeError(request, reply, 'route_not_found'));

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
