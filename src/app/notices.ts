/**
 * Sending notices (SPEC §6): a notice is rendered in the account's language and written to the
 * outbox in the caller's transaction — that row is the record that it was sent. Delivery goes
 * by a transport (SMTP, issue 6; for now the outbox is the only record).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/tables.js';
import { findAccount } from '../store/accounts.js';
import type { AccountRecord } from '../store/accounts.js';
import { insertNotice, listNotices } from '../store/notices.js';
import type { NoticeKind, NoticeLang, NoticeParams } from '../domain/notice-templates.js';
import { renderNotice } from '../domain/notice-templates.js';
import type { AppContext } from './context.js';
import { newId, nowIso } from './context.js';

/** The port a mail sender implements (DESIGN 11: own your ports). */
export interface SendNoticeInput<K extends NoticeKind> {
  accountId: string;
  kind: K;
  params: NoticeParams[K];
  /** Notices with the same key on the same account are sent once: a retried effect sends nothing more. */
  dedupeKey?: string | undefined;
}

export interface NoticeView {
  id: string;
  kind: string;
  lang: NoticeLang;
  to: string;
  subject: string;
  body: string;
  sentAt: string;
}

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
  const lang = noticeLangOf(account);
  const { subject, body } = renderNotice(input.kind, lang, input.params, { recipientName: account.name, senderName: ctx.settings.issuerName });
  return insertNotice(trx, {
    accountId: account.id,
    id: newId('ntc'),
    kind: input.kind,
    lang,
    toEmail: account.email,
    subject,
    body,
    params: { ...input.params },
    dedupeKey: input.dedupeKey ?? null,
    sentAt: nowIso(ctx),
  });
}

/** The account's notices, newest first. */
export async function listAccountNotices(ctx: AppContext, accountId: string, limit: number): Promise<NoticeView[]> {
  // Only sendNotice writes the outbox, always with a NoticeLang.
  return (await listNotices(ctx.db, accountId, limit)).map((n) => ({ id: n.id, kind: n.kind, lang: n.lang as NoticeLang, to: n.toEmail, subject: n.subject, body: n.body, sentAt: n.sentAt }));
}
