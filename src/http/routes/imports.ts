/** Importing existing customers (docs/imports.md): `POST /v1/imports`, operator only; the `keiyaku import` command sends its batches here when a server holds the embedded database. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import type { ImportLine, ImportResult } from '../../app/imports.js';
import { importAccounts } from '../../app/imports.js';
import { parseDate } from '../../domain/calendar.js';
import { refusalMessage } from '../../domain/refusals.js';
import { requireOperator } from '../auth.js';
import type { Lang } from '../problems.js';
import { command, langOf } from '../reply.js';
import { paymentMethodSchema, problems, requestDateSchema, requestInstantSchema, termSchema } from '../schemas.js';

/** The most accounts one request imports (the command sends batches of fewer). */
export const IMPORT_BATCH_MAX = 500;

/** One account to import: a line of the import file, as `POST /v1/imports` takes it. */
export const importLineSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  product: z.string().min(1).max(100),
  options: z.record(z.string(), z.string()).optional(),
  contract: z
    .strictObject({
      planId: z.string().min(1).max(100),
      term: termSchema,
      startDate: requestDateSchema.describe('the first day of the term running today'),
      quantity: z.int().min(1).optional(),
      paymentMethod: paymentMethodSchema,
      renewal: z.enum(['renew', 'to-free']).optional(),
    })
    .optional()
    .describe('the contract the customer has today; no invoice or notice is issued for it'),
  members: z
    .array(z.strictObject({ email: z.email().max(254), name: z.string().trim().min(1).max(200), registeredAt: requestInstantSchema('2024-04-01T09:00:00+09:00').optional() }))
    .max(10_000)
    .optional()
    .describe('members besides the owner (the account email), in the order they joined'),
  usage: z.strictObject({ books: z.int().min(0).optional(), storageMb: z.int().min(0).optional() }).optional(),
});
export type ImportLineBody = z.infer<typeof importLineSchema>;

/** The line as the use case takes it (dates parsed). */
export function toImportLine(body: ImportLineBody): ImportLine {
  return { ...body, contract: body.contract ? { ...body.contract, startDate: parseDate(body.contract.startDate) } : undefined };
}

const resultSchema = z.object({
  index: z.int(),
  email: z.string(),
  status: z.enum(['imported', 'valid', 'skipped', 'refused']),
  accountId: z.string().optional(),
  code: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** An account's outcome as answered. */
export interface ImportResultView {
  index: number;
  email: string;
  status: ImportResult['status'];
  accountId?: string;
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** An outcome as answered: a refusal becomes its code, message and field, as a problem has them. */
export function resultView(r: ImportResult, lang: Lang): ImportResultView {
  if (!r.refusal) return { index: r.index, email: r.email, status: r.status, ...(r.accountId ? { accountId: r.accountId } : {}) };
  const message = refusalMessage(r.refusal, lang);
  return { index: r.index, email: r.email, status: r.status, code: r.refusal.code, detail: message, ...(r.refusal.field ? { errors: [{ path: r.refusal.field, message }] } : {}) };
}

export function importRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/imports',
    {
      config: { operatorOnly: true },
      schema: {
        tags: ['accounts'],
        summary: 'Import existing customers: accounts with the contract they have today, members and usage (operator)',
        description:
          'Each account is imported whole or not at all; a refused one is answered with its code and changes nothing, the others are imported. An email that already has an account is skipped, so an interrupted import is sent again as it was. With dryRun nothing is kept and each account answers valid or refused.',
        body: z.strictObject({ accounts: z.array(importLineSchema).min(1).max(IMPORT_BATCH_MAX), dryRun: z.boolean().optional() }),
        response: {
          200: z.object({ dryRun: z.boolean(), counts: z.object({ imported: z.int(), valid: z.int(), skipped: z.int(), refused: z.int() }), results: z.array(resultSchema) }),
          ...problems(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const dryRun = request.body.dryRun ?? false;
      const lang = langOf(request);
      return command(
        ctx,
        request,
        reply,
        200,
        (trx) => importAccounts(ctx, trx, request.actor!, request.body.accounts.map(toImportLine), { dryRun }),
        (results) => {
          const counts = { imported: 0, valid: 0, skipped: 0, refused: 0 };
          for (const r of results) counts[r.status]++;
          return { dryRun, counts, results: results.map((r) => resultView(r, lang)) };
        },
      );
    },
  );
}
