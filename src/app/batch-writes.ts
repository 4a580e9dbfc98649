/**
 * The writes of many scheduled effects, planned first and then written together (issue 8: a day on
 * which a million contracts renew). Planning is pure: the scheduler's handlers read facts loaded
 * for the whole batch and add rows here; `flush` writes each table in a few multi-row statements,
 * numbers the documents from their gapless series in one step (one counter update a series, the
 * numbers in the order the documents were planned), and announces the changed accounts to the state
 * caches. Everything happens in the caller's transaction, so a batch is written whole or not at all.
 */
import type { PlainDate, PaymentMethod } from '../domain/calendar.js';
import { dueDate } from '../domain/calendar.js';
import type { ContractTerm } from '../domain/contract.js';
import type { NoticeKind } from '../domain/notice-templates.js';
import type { AccountRecord } from '../store/accounts.js';
import { notifyMany } from '../store/db.js';
import type { NewEffect } from '../store/effects.js';
import type { InvoiceRecord } from '../store/invoices.js';
import { setInvoiceStatuses, takeDocumentNumbers } from '../store/invoices.js';
import type { ExcessRequest } from '../store/members.js';
import type { CancelReason } from '../store/orders.js';
import { cancelOrderRows } from '../store/orders.js';
import { deactivateExcessOf } from '../store/members.js';
import { AUTO_DEACTIVATION_GROUP } from '../domain/seats.js';
import { deactivationEvent } from './members.js';
import type { NewNotice } from '../store/notices.js';
import { toRow, writeRows } from '../store/row-writes.js';
import type { Actor, AppContext, Tx } from './context.js';
import { actorName, nowIso } from './context.js';
import type { InvoiceInput } from './invoices.js';
import { buildInvoice, documentNumber, invoiceIssued, overdueAt, seriesOf } from './invoices.js';
import type { SendNoticeInput } from './notices.js';
import { buildNotice, noticeDeliveryOf } from './notices.js';
import { STATE_CHANNEL } from './state-cache.js';
import type { AuditEvent } from '../store/events.js';

/** An audit event as planned: `after` is a function when it shows a document numbered only at flush. */
type PlannedEvent = Omit<AuditEvent, 'before' | 'after'> & { before?: unknown; after?: unknown };

export class BatchWrites {
  readonly #ctx: AppContext;
  readonly #terms: Array<{ accountId: string; term: ContractTerm }> = [];
  readonly #invoices: InvoiceRecord[] = [];
  readonly #effects: NewEffect[] = [];
  readonly #events: PlannedEvent[] = [];
  readonly #notices: Array<NewNotice | (() => NewNotice)> = [];
  readonly #excess: Array<ExcessRequest & { actor: Actor }> = [];
  readonly #invoiceStatuses: Array<{ accountId: string; id: string; status: 'paid' | 'overdue' | 'void' }> = [];
  readonly #orderCancels: Array<{ accountId: string; id: string; at: string; reason: CancelReason }> = [];
  readonly #changed = new Set<string>();
  readonly #dueDates = new Map<string, PlainDate>();

  constructor(ctx: AppContext) {
    this.#ctx = ctx;
  }

  /** G5: an audit event of a change to the account (which also leaves the state caches). */
  audit(actor: Actor, e: { accountId: string; action: string; subjectType: string; subjectId: string; before?: unknown; after?: unknown }): void {
    this.#changed.add(e.accountId);
    this.#events.push({ ...e, at: nowIso(this.#ctx), actor: actorName(actor) });
  }

  /** A notice to the account; `input` is a function when it states a document numbered only at flush (rendered then). */
  notice<K extends NoticeKind>(account: AccountRecord, input: Omit<SendNoticeInput<K>, 'accountId'> | (() => Omit<SendNoticeInput<K>, 'accountId'>)): void {
    this.#notices.push(typeof input === 'function' ? () => buildNotice(this.#ctx, account, input()) : buildNotice(this.#ctx, account, input));
  }

  effect(e: NewEffect): void {
    this.#effects.push(e);
  }

  term(accountId: string, term: ContractTerm): void {
    this.#changed.add(accountId);
    this.#terms.push({ accountId, term });
  }

  /**
   * S9: the account's members over `limit` are deactivated at flush, chosen in the database (the
   * scheduler reads only how many are active, not the members), each with its audit event.
   */
  deactivateExcess(actor: Actor, request: ExcessRequest): void {
    // One an account a flush (a wave runs one effect an account): two would choose from the same members.
    if (this.#excess.some((q) => q.accountId === request.accountId)) throw new Error(`two deactivations of account ${request.accountId} in one flush`);
    this.#changed.add(request.accountId);
    this.#excess.push({ ...request, actor });
  }

  invoiceStatus(i: Pick<InvoiceRecord, 'accountId' | 'id'>, status: 'paid' | 'overdue' | 'void'): void {
    this.#changed.add(i.accountId);
    this.#invoiceStatuses.push({ accountId: i.accountId, id: i.id, status });
  }

  /** A placed order becomes cancelled (B9: its statement lapsed). */
  cancelOrder(o: { accountId: string; id: string; at: string; reason: CancelReason }): void {
    this.#changed.add(o.accountId);
    this.#orderCancels.push(o);
  }

  /**
   * Issues a document as `issueInvoice` does (record, overdue effect, audit event); its number is
   * given at flush, so the returned record has it only after `flush`.
   */
  issueInvoice(actor: Actor, input: InvoiceInput): InvoiceRecord {
    const invoice = buildInvoice(this.#ctx, input, 0, this.#dueDate(input.issuedOn, input.paymentMethod));
    invoice.number = '';
    this.#invoices.push(invoice);
    if (invoice.kind === 'invoice') this.effect({ accountId: invoice.accountId, kind: 'invoice-overdue', dueAt: overdueAt(this.#ctx, invoice.dueOn), payload: { invoiceId: invoice.id }, createdAt: invoice.createdAt });
    this.audit(actor, { accountId: invoice.accountId, action: `${invoice.kind}.issued`, subjectType: 'invoice', subjectId: invoice.id, after: () => invoiceIssued(invoice) });
    return invoice;
  }

  get size(): number {
    return this.#terms.length + this.#invoices.length + this.#effects.length + this.#events.length + this.#notices.length + this.#excess.length + this.#invoiceStatuses.length + this.#orderCancels.length;
  }

  /** Writes everything planned, in the caller's transaction. */
  async flush(trx: Tx): Promise<void> {
    for (const series of ['invoice', 'quote', 'credit-note'] as const) {
      const documents = this.#invoices.filter((i) => seriesOf(i.kind) === series);
      if (documents.length === 0) continue;
      const first = await takeDocumentNumbers(trx, series, documents.length);
      documents.forEach((d, k) => (d.number = documentNumber(d.kind, first + k)));
    }
    await setInvoiceStatuses(trx, this.#invoiceStatuses);
    await cancelOrderRows(trx, this.#orderCancels);
    // After the events planned so far: an account's deactivations follow what caused them.
    const actors = new Map(this.#excess.map((q) => [q.accountId, q.actor]));
    for (const d of await deactivateExcessOf(trx, this.#excess, AUTO_DEACTIVATION_GROUP)) this.audit(actors.get(d.member.accountId)!, deactivationEvent(d, d.limit));
    // Every new row in one call of `write_rows`, each table's rows as JSON.
    const { notices: written } = await writeRows(trx, {
      contract_terms: this.#terms.map((t) => toRow.term(t.accountId, t.term)),
      invoices: this.#invoices.map((i) => ({ ...toRow.invoice(i), number: i.number })),
      effects: this.#effects.map(toRow.effect),
      events: this.#events.map((e) => toRow.event({ ...e, before: e.before ?? null, after: (typeof e.after === 'function' ? (e.after as () => unknown)() : e.after) ?? null })),
      notices: this.#notices.map((n) => toRow.notice(typeof n === 'function' ? n() : n)),
    });
    if (this.#changed.size > 0) await notifyMany(trx, STATE_CHANNEL, [...this.#changed]);
    if (written > 0) noticeDeliveryOf(this.#ctx)?.wake?.();
  }

  // Many documents of a day share their issue date and method: their due date is computed once (B8).
  #dueDate(issuedOn: PlainDate, method: PaymentMethod): PlainDate {
    const key = `${issuedOn.toString()}|${method}`;
    let due = this.#dueDates.get(key);
    if (!due) this.#dueDates.set(key, (due = dueDate(issuedOn, method, this.#ctx.settings.businessCalendar)));
    return due;
  }
}
