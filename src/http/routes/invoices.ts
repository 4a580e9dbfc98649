/** Invoices as records. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { findInvoices, getInvoice, getQuote, invoicesCsv, listInvoices } from '../../app/invoices.js';
import { documentPdf, receiptPdf } from '../../app/documents.js';
import { getAccount } from '../../app/accounts.js';
import { invoicePayments } from '../../app/payments.js';
import { correctInvoice } from '../../app/invoice-corrections.js';
import { accountScope, requireAccountAccess, requireActor, requireOperator } from '../auth.js';
import { command, send } from '../reply.js';
import { refuse } from '../../domain/refusals.js';
import { dateSchema, requestDateSchema, idParams, lineSchema, moneySchema, paymentMethodSchema, periodSchema, problems, taxBreakdownSchema } from '../schemas.js';

const invoiceSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(['invoice', 'credit-note', 'quotation']),
  number: z.string(),
  orderId: z.string().nullable(),
  issuedOn: dateSchema,
  dueOn: dateSchema,
  status: z.enum(['open', 'paid', 'overdue', 'void', 'issued']),
  paymentMethod: paymentMethodSchema,
  lines: z.array(lineSchema),
  amount: moneySchema,
  taxBreakdown: taxBreakdownSchema,
  registrationNumber: z.string().regex(/^T\d{13}$/),
  period: periodSchema.nullable(),
});

export function invoiceRoutes(server: FastifyInstance, ctx: AppContext): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  const statuses = ['open', 'overdue', 'paid', 'void'] as const;
  /** An issue range whose start is after its end: 400 invalid_date_range (both the list and its CSV). */
  const backwardsRange = (f: { issuedFrom?: string | undefined; issuedTo?: string | undefined }) =>
    f.issuedFrom && f.issuedTo && f.issuedFrom > f.issuedTo ? refuse('invalid_date_range', { from: f.issuedFrom, to: f.issuedTo }, 'issuedTo') : undefined;
  /** What GET /v1/invoices and its CSV filter on. */
  const filterFields = {
    status: z
      .string()
      .regex(/^[a-z]+(,[a-z]+)*$/, `one or more of ${statuses.join(', ')}, separated by commas (status=open,overdue)`)
      .transform((v) => [...new Set(v.split(','))])
      .pipe(z.array(z.enum(statuses)))
      .optional()
      .describe('comma-separated: open, overdue, paid, void'),
    kind: z.enum(['invoice', 'credit-note']).optional(),
    paymentMethod: paymentMethodSchema.optional(),
    issuedFrom: requestDateSchema.optional().describe('issued on or after'),
    issuedTo: requestDateSchema.optional().describe('issued on or before'),
    dueTo: requestDateSchema.optional().describe('due on or before'),
    q: z.string().trim().min(1).max(200).optional().describe('an amount in yen (the total or the balance), or part of the number, the customer\'s name or email; or an account or order id'),
  };
  app.get(
    '/v1/invoices',
    {
      config: { operatorOnly: true },
      schema: {
        tags: ['invoices'],
        summary: 'Invoices and credit notes across accounts (operator): unpaid ones to reconcile or chase, a month\'s with their sums',
        querystring: z.object({
          ...filterFields,
          sort: z.enum(['dueOn', '-issuedOn']).default('-issuedOn').describe('dueOn: oldest due first; -issuedOn: newest first'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            invoices: z.array(invoiceSchema.extend({ accountId: z.string(), accountName: z.string(), accountEmail: z.string() })),
            totals: z.object({ count: z.int(), invoiced: z.int(), credited: z.int(), balance: z.int(), currency: z.literal('JPY') }).describe('over every document the filter matches, not only those listed'),
          }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const backwards = backwardsRange(request.query);
      if (backwards) return send(request, reply, backwards);
      return send(request, reply, await findInvoices(ctx, request.query));
    },
  );

  app.get(
    '/v1/invoices.csv',
    {
      config: { operatorOnly: true },
      schema: {
        tags: ['invoices'],
        summary: 'The same invoices and credit notes as CSV for accounting (operator): every one that matches, oldest issued first, a row each with the tax per rate; UTF-8 with a BOM, Japanese headings (?lang=en for English)',
        querystring: z.object({ ...filterFields, lang: z.enum(['ja', 'en']).default('ja') }),
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const { lang, ...filter } = request.query;
      const backwards = backwardsRange(filter);
      if (backwards) return send(request, reply, backwards);
      const name = `invoices${filter.issuedFrom ? `-${filter.issuedFrom}` : ''}${filter.issuedTo ? `-${filter.issuedTo}` : ''}.csv`;
      const csv = invoicesCsv(ctx, filter, lang);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
    },
  );

  app.get(
    '/v1/accounts/:id/invoices',
    { schema: { tags: ['invoices'], summary: "The account's invoices, newest first", params: idParams, response: { 200: z.object({ invoices: z.array(invoiceSchema) }), ...problems(401, 404) } } },
    async (request, reply) => {
      const actor = requireAccountAccess(request, reply, request.params.id);
      if (!actor) return reply;
      const account = await getAccount(ctx, request.params.id);
      if ('refused' in account) return send(request, reply, account);
      return { invoices: await listInvoices(ctx, request.params.id) };
    },
  );

  app.get('/v1/quotes/:id', { schema: { tags: ['invoices'], summary: 'A quotation (見積書) issued before acceptance (B9)', params: idParams, response: { 200: invoiceSchema, ...problems(401, 404) } } }, async (request, reply) => {
    const actor = requireActor(request, reply);
    if (!actor) return reply;
    return send(request, reply, await getQuote(ctx, request.params.id, accountScope(actor)));
  });

  const pdfQuery = z.object({ lang: z.enum(['ja', 'en']).default('ja') });
  for (const [path, kinds, summary] of [
    ['/v1/invoices/:id/pdf', ['invoice', 'credit-note'], 'The invoice or credit note as a PDF (Japanese; ?lang=en for English), byte-identical every time'],
    ['/v1/quotes/:id/pdf', ['quotation'], 'The quotation as a PDF (Japanese; ?lang=en for English), byte-identical every time'],
  ] as const) {
    app.get(path, { schema: { tags: ['invoices'], summary, params: idParams, querystring: pdfQuery } }, async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      const pdf = await documentPdf(ctx, request.params.id, kinds, request.query.lang, accountScope(actor));
      if ('refused' in pdf) return send(request, reply, pdf);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${request.params.id}.pdf"`).send(pdf);
    });
  }

  app.get(
    '/v1/invoices/:id/receipt',
    {
      schema: {
        tags: ['invoices'],
        summary: 'The receipt (領収書) of a paid invoice as a PDF (Japanese; ?lang=en for English), byte-identical every time; 409 receipt_not_available until it is paid in full',
        params: idParams,
        querystring: pdfQuery,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, reply);
      if (!actor) return reply;
      const pdf = await receiptPdf(ctx, request.params.id, request.query.lang, accountScope(actor));
      if ('refused' in pdf) return send(request, reply, pdf);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${request.params.id}-receipt.pdf"`).send(pdf);
    },
  );

  app.post(
    '/v1/invoices/:id/corrections',
    {
      config: { operatorOnly: true },
      schema: {
        tags: ['invoices'],
        summary: 'Correct an unpaid invoice (operator): a credit note reverses it, a new invoice with the right lines replaces it, and it becomes void',
        params: idParams,
        body: z.object({
          reason: z.string().trim().min(1).max(1000),
          lines: z
            .array(
              z.object({
                description: z.string().trim().min(1).max(200),
                descriptionJa: z.string().trim().min(1).max(200).optional(),
                quantity: z.int().min(1).max(1_000_000),
                unitPrice: z.int().min(0).max(10_000_000_000).describe('yen, tax excluded'),
                taxRate: z.union([z.literal(10), z.literal(8)]).default(10),
              }),
            )
            .min(1)
            .max(50),
        }),
        response: { 201: z.object({ corrected: invoiceSchema, creditNote: invoiceSchema, invoice: invoiceSchema, reason: z.string() }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      if (!requireOperator(request, reply)) return reply;
      const lines = request.body.lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice }));
      return command(ctx, request, reply, 201, (trx) => correctInvoice(ctx, trx, request.actor!, { invoiceId: request.params.id, reason: request.body.reason, lines }));
    },
  );

  app.get('/v1/invoices/:id', { schema: { tags: ['invoices'], summary: 'One invoice, with its payments', params: idParams, response: { 200: invoiceSchema, ...problems(401, 404) } } }, async (request, reply) => {
    const actor = requireActor(request, reply);
    if (!actor) return reply;
    const invoice = await getInvoice(ctx, request.params.id, accountScope(actor));
    if ('refused' in invoice) return send(request, reply, invoice);
    return { ...invoice, payments: await invoicePayments(ctx, invoice.accountId, invoice.id) };
  });
}
