/**
 * Sending notices (SPEC §6): a notice is rendered in the account's language and written to the
 * outbox in the caller's transaction — that row is the record that it was sent. When a mail
 * transport is configured (SMTP_URL) the row waits as `pending` and `deliverDueNotices` mails it,
 * with its document's PDF attached, retrying with backoff; otherwise it is `not-configured` and
 * the row is the only record. docs/notices.md has the rules.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { findAccount } from '../store/accounts.js';
import type { AccountRecord } from '../store/accounts.js';
import { findInvoice } from '../store/invoices.js';
import type { DeliveryStatus, NewNotice, NoticeRecord } from '../store/notices.js';
import { claimDueNotices, insertNotice, listAllNotices, listNotices, recordDelivery, releaseClaim } from '../store/notices.js';
import type { NoticeKind, NoticeLang, NoticeParams } from '../domain/notice-templates.js';
import { renderNotice } from '../domain/notice-templates.js';
import { isRefusal } from '../domain/refusals.js';
import type { MailAttachment, MailTransport } from '../notices/mail-transport.js';
import { messageIdOf } from '../notices/mail-transport.js';
import type { AppContext } from './context.js';
import { isoInstant, newId, nowInstant, nowIso } from './context.js';
import { documentPdf } from './documents.js';

export interface SendNoticeInput<K extends NoticeKind> {
  accountId: string;
  kind: K;
  params: NoticeParams[K];
  /** Notices with the same key on the same account are sent once: a retried effect sends nothing more. */
  dedupeKey?: string | undefined;
  /** An issued document (invoice, quotation) whose PDF the mail carries. */
  attachDocumentId?: string | undefined;
  /** Another address than the account's (an email change: its confirmation to the new one, its notice to the old). */
  to?: string | undefined;
}

/** How the outbox is delivered when a transport is configured (boot.ts sets it up). */
export interface NoticeDelivery {
  transport: MailTransport;
  /** The From of every mail (`KEIYAKU_MAIL_FROM`). */
  from: string;
  /** Attempts before a notice is marked failed. */
  maxAttempts: number;
  /** Wait before the second attempt; it doubles with each further one (capped at 6 hours). */
  retrySeconds: number;
  /** Notices claimed per pass. */
  batch: number;
  /** How long a claimed notice is held before another process may try it (a crash mid-send). */
  leaseSeconds: number;
  /** Asks the worker to look soon (a notice was just written). */
  wake?: (() => void) | undefined;
}

// The delivery of each running app, keyed by its context (AppContext stays the same for the
// use cases that never mail). Absent: no transport, notices are `not-configured`.
const deliveries = new WeakMap<AppContext, NoticeDelivery>();

export function useNoticeDelivery(ctx: AppContext, delivery: NoticeDelivery): void {
  deliveries.set(ctx, delivery);
}

export function noticeDeliveryOf(ctx: AppContext): NoticeDelivery | undefined {
  return deliveries.get(ctx);
}

export interface NoticeView {
  id: string;
  kind: string;
  lang: NoticeLang;
  to: string;
  subject: string;
  body: string;
  sentAt: string;
  /** The issued document attached to the mail, by id (`GET /v1/invoices/{id}/pdf`, `/v1/quotes/{id}/pdf`). */
  attachment: { documentId: string } | null;
  /** Whether the mail went out; the customer sees no more (server errors are the operator's). */
  delivery: Pick<NoticeRecord['delivery'], 'status' | 'deliveredAt'>;
}

/** The operator's view of a notice: whose it is, and every fact of its delivery. */
export type OperatorNoticeView = Omit<NoticeView, 'delivery'> & { accountId: string; delivery: NoticeRecord['delivery'] };

/** The language an account reads: its `lang` option when it has one, else Japanese (the vendor's default). */
export function noticeLangOf(account: AccountRecord): NoticeLang {
  const lang = account.options.lang;
  return lang === 'ja' || lang === 'en' ? lang : 'ja';
}

/**
 * Renders a notice for the account and writes it to the outbox in `trx`, sent now. Returns false
 * when a notice with the same dedupe key was already sent. An unknown account is a bug: it throws.
 */
export async function sendNotice<K extends NoticeKind>(ctx: AppContext, trx: Transaction<Database>, input: SendNoticeInput<K>): Promise<boolean> {
  const account = await findAccount(trx, input.accountId);
  if (!account) throw new Error(`sendNotice: no account ${input.accountId}`);
  const written = await insertNotice(trx, buildNotice(ctx, account, input));
  if (written) noticeDeliveryOf(ctx)?.wake?.();
  return written;
}

/** The outbox row of a notice to the account, rendered in its language, sent now (pure). */
export function buildNotice<K extends NoticeKind>(ctx: AppContext, account: AccountRecord, input: Omit<SendNoticeInput<K>, 'accountId'>): NewNotice {
  const lang = noticeLangOf(account);
  const { subject, body } = renderNotice(input.kind, lang, input.params, { recipientName: account.name, senderName: ctx.settings.issuerName });
  const delivery = deliveries.get(ctx);
  const now = nowIso(ctx);
  return {
    accountId: account.id,
    id: newId('ntc'),
    kind: input.kind,
    lang,
    toEmail: input.to ?? account.email,
    subject,
    body,
    // A link's token goes in the mail only: never in the kept facts.
    params: LINK_KINDS.has(input.kind) ? (JSON.parse(withoutTokens(JSON.stringify(input.params))) as Record<string, unknown>) : { ...input.params },
    dedupeKey: input.dedupeKey ?? null,
    sentAt: now,
    attachmentDocumentId: input.attachDocumentId ?? null,
    delivery: delivery ? { status: 'pending', nextAttemptAt: now } : { status: 'not-configured', nextAttemptAt: null },
  };
}

/** Notices that mail a link with a token in it: a sign-in link (`kyc_…`), an email change's confirmation (`kye_…`). */
const LINK_KINDS: ReadonlySet<string> = new Set(['portal-link', 'email-change-confirm']);

/**
 * A mailed link's token, shown as `kyc_…` / `kye_…` in every list of notices (the portal's, the
 * console's): the mail carries it, a screen or an API listing never does.
 */
export function withoutTokens(body: string): string {
  return body.replace(/\b(kyc|kye)_[A-Za-z0-9_-]+/g, '$1_…');
}

/** What the outbox keeps of a mail once it is sent or given up: a link's body loses its token (the database then holds no usable token). */
function keptBodyOf(n: NoticeRecord): string | undefined {
  return LINK_KINDS.has(n.kind) ? withoutTokens(n.body) : undefined;
}

function noticeView(n: NoticeRecord): NoticeView {
  // Only sendNotice writes the outbox, always with a NoticeLang.
  return {
    id: n.id,
    kind: n.kind,
    lang: n.lang as NoticeLang,
    to: n.toEmail,
    subject: n.subject,
    body: LINK_KINDS.has(n.kind) ? withoutTokens(n.body) : n.body,
    sentAt: n.sentAt,
    attachment: n.attachmentDocumentId ? { documentId: n.attachmentDocumentId } : null,
    delivery: { status: n.delivery.status, deliveredAt: n.delivery.deliveredAt },
  };
}

/** The account's notices, newest first. */
export async function listAccountNotices(ctx: AppContext, accountId: string, limit: number): Promise<NoticeView[]> {
  return (await listNotices(ctx.db, accountId, limit)).map(noticeView);
}

/** Every notice (the operator's view), newest first. */
export async function listOutbox(
  ctx: AppContext,
  opts: { accountId?: string | undefined; kind?: string | undefined; status?: DeliveryStatus | undefined; limit: number },
): Promise<OperatorNoticeView[]> {
  return (await listAllNotices(ctx.db, opts)).map((n) => ({ accountId: n.accountId, ...noticeView(n), delivery: n.delivery }));
}

/** The wait before attempt `attempt + 1`: retrySeconds, doubling, at most 6 hours. */
export function retryDelaySeconds(retrySeconds: number, attempt: number): number {
  return Math.min(retrySeconds * 2 ** Math.max(0, attempt - 1), 6 * 3600);
}

/** The PDF of the notice's document, named by its number; a missing document is a bug. */
async function attachmentOf(ctx: AppContext, n: NoticeRecord): Promise<MailAttachment[]> {
  if (!n.attachmentDocumentId) return [];
  const lang = n.lang === 'en' ? 'en' : 'ja';
  const doc = await findInvoice(ctx.db, n.attachmentDocumentId, n.accountId, ['invoice', 'quotation', 'credit-note']);
  const pdf = await documentPdf(ctx, n.attachmentDocumentId, ['invoice', 'quotation', 'credit-note'], lang, n.accountId);
  if (!doc || isRefusal(pdf)) throw new Error(`notice ${n.id}: no document ${n.attachmentDocumentId} to attach`);
  return [{ filename: `${doc.number}.pdf`, content: pdf, contentType: 'application/pdf' }];
}

/**
 * One delivery pass: claims the notices whose attempt is due (in a short transaction of its own,
 * FOR UPDATE SKIP LOCKED, so processes share the work), mails each outside any transaction, and
 * records the outcome — sent; or retried later with backoff; or failed after `maxAttempts`.
 * `signal` (shutdown) cuts the send in progress and gives back the claims not yet finished,
 * uncounted. Returns how many it claimed.
 */
export async function deliverDueNotices(ctx: AppContext, delivery: NoticeDelivery, signal?: AbortSignal): Promise<number> {
  const now = nowInstant(ctx);
  const claimed = await ctx.db
    .transaction()
    .execute((trx) => claimDueNotices(trx, isoInstant(now), isoInstant(now.add({ seconds: delivery.leaseSeconds })), delivery.batch));
  for (const n of claimed) {
    const attempt = n.delivery.attempts;
    const messageId = messageIdOf(n.id, delivery.from);
    if (signal?.aborted) {
      await releaseClaim(ctx.db, n, attempt, nowIso(ctx));
      continue;
    }
    try {
      const attachments = await attachmentOf(ctx, n);
      const message = { from: delivery.from, to: n.toEmail, subject: n.subject, text: n.body, messageId, headers: { 'X-Keiyaku-Notice': n.id, 'X-Keiyaku-Notice-Kind': n.kind }, attachments };
      await delivery.transport.send(message, signal);
      await recordDelivery(ctx.db, n, attempt, { status: 'sent', at: nowIso(ctx), via: delivery.transport.name, messageId }, keptBodyOf(n));
    } catch (err) {
      if (signal?.aborted) {
        await releaseClaim(ctx.db, n, attempt, nowIso(ctx));
        continue;
      }
      const error = err instanceof Error ? err.message : String(err);
      if (attempt >= delivery.maxAttempts) await recordDelivery(ctx.db, n, attempt, { status: 'failed', error }, keptBodyOf(n));
      else {
        const next = nowInstant(ctx).add({ seconds: retryDelaySeconds(delivery.retrySeconds, attempt) });
        await recordDelivery(ctx.db, n, attempt, { status: 'pending', error, nextAttemptAt: isoInstant(next) });
      }
    }
  }
  return claimed.length;
}
