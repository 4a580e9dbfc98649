/**
 * Importing a vendor's existing customers (issue 8: long CLI runs such as imports; docs/imports.md):
 * an account with the contract it already has in the vendor's old system, its members and usage.
 *
 * An imported contract was sold and billed before Keiyaku: no order, no invoice and no notice
 * now. Its term is decided by the same rules as a `new-contract` order (plan, term, quantity,
 * payment method and renewal from the catalog; G1 for the period; the catalog's prices), except
 * that it may have started before today; it must still run today. What follows from it is
 * scheduled as for any term (its end: a renewal invoice or the return to the free plan), but a
 * notice whose day passed before the import (an expiry reminder, a renewal offer) is not sent:
 * the old system's to send. Every change is audited (G5: `account.created`, `contract.imported`,
 * `member.registered`, `usage.reported`).
 *
 * Each account is imported whole or not at all (a savepoint per account), so an import that stops
 * half way is run again as it is: an email that already has an account is skipped.
 */
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../store/tables.js';
import { findAccountIdByEmail, emailKey } from '../store/accounts.js';
import { toRow, writeRows } from '../store/row-writes.js';
import { insertMember } from '../store/members.js';
import type { MemberRecord } from '../store/members.js';
import type { ContractTerm } from '../domain/contract.js';
import { productOf } from '../domain/contract.js';
import { decideOrder } from '../domain/orders/decide-order.js';
import type { NewContractRequest } from '../domain/orders/new-contract.js';
import type { Refusal } from '../domain/refusals.js';
import { isRefusal, refuse } from '../domain/refusals.js';
import type { Actor, AppContext } from './context.js';
import { newId, nowInstant, nowIso, today } from './context.js';
import { createAccount } from './accounts.js';
import { audit } from './audit.js';
import { hasSeats, memberView } from './members.js';
import { loadFacts, stateOf } from './state.js';
import type { GaugeReport } from './usage.js';
import { reportUsage } from './usage.js';
import { termEndEffects } from './scheduler.js';

/** One account to import (a line of the import file; `POST /v1/imports` takes a list of them). */
export interface ImportLine {
  email: string;
  name: string;
  product: string;
  options?: Record<string, string> | undefined;
  /** The term running today in the old system (a new contract's fields; `startDate` its first day). */
  contract?: Omit<NewContractRequest, 'accountId'> | undefined;
  /** Members besides the owner (the account's own email), in the order they joined. */
  members?: Array<{ email: string; name: string; registeredAt?: string | undefined }> | undefined;
  usage?: GaugeReport | undefined;
}

export type ImportStatus = 'imported' | 'valid' | 'skipped' | 'refused';

export interface ImportResult {
  /** The line's place in the list given (0-based). */
  index: number;
  email: string;
  /** `valid`: a dry run found nothing to refuse; `skipped`: the email already has an account. */
  status: ImportStatus;
  accountId?: string;
  /** Why it was refused; `field` (a refusal's) is a path in the line, e.g. `contract.planId`. */
  refusal?: Refusal;
}

const cmp = Temporal.PlainDate.compare;

/**
 * Imports the lines in the caller's transaction, each account under its own savepoint: a refused
 * line changes nothing and the others go on. With `dryRun` every line is imported and then rolled
 * back, so what it answers is exactly what the import would do.
 */
export async function importAccounts(ctx: AppContext, trx: Transaction<Database>, actor: Actor, lines: readonly ImportLine[], opts: { dryRun?: boolean } = {}): Promise<ImportResult[]> {
  const importId = newId('imp');
  const results: ImportResult[] = [];
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    const email = line.email.trim();
    const key = emailKey(email);
    const existing = seen.has(key) ? undefined : await findAccountIdByEmail(trx, email);
    if (seen.has(key) || existing) {
      // Already imported (by an earlier run, or earlier in this list): a second run skips it.
      results.push({ index, email, status: 'skipped', ...(existing ? { accountId: existing } : {}) });
      continue;
    }
    seen.add(key);
    await sql`savepoint import_account`.execute(trx);
    const outcome = await importOne(ctx, trx, actor, importId, line);
    if (isRefusal(outcome) || opts.dryRun) await sql`rollback to savepoint import_account`.execute(trx);
    await sql`release savepoint import_account`.execute(trx);
    if (isRefusal(outcome)) results.push({ index, email, status: 'refused', refusal: outcome });
    else if (opts.dryRun) results.push({ index, email, status: 'valid' });
    else results.push({ index, email, status: 'imported', accountId: outcome });
  }
  return results;
}

/** Prefixes a refusal's field with where it is in the line. */
function at(prefix: string, r: Refusal): Refusal {
  return { ...r, field: r.field ? `${prefix}.${r.field}` : prefix };
}

/** Imports one account; answers its id, or the first refusal (the caller rolls the account back). */
async function importOne(ctx: AppContext, trx: Transaction<Database>, actor: Actor, importId: string, line: ImportLine): Promise<string | Refusal> {
  const created = await createAccount(ctx, trx, actor, { email: line.email, name: line.name, product: line.product, options: line.options });
  if (isRefusal(created)) return created;
  const account = { id: created.id, email: created.email, name: created.name, productId: created.product, options: created.options, createdAt: created.createdAt };
  const day = today(ctx);
  const product = productOf(ctx.catalog, account.productId);

  if (line.contract) {
    const c = line.contract;
    const facts = await loadFacts(trx, account);
    // The rules of a new contract, as on its first day (it may have started before today).
    const decided = decideOrder(
      { catalog: ctx.catalog, productId: account.productId, contracts: facts.contracts, today: cmp(c.startDate, day) < 0 ? c.startDate : day, stateOn: (date) => stateOf(ctx, facts, date), accountOptions: account.options },
      { type: 'new-contract', accountId: account.id, planId: c.planId, term: c.term, startDate: c.startDate, quantity: c.quantity, paymentMethod: c.paymentMethod, renewal: c.renewal },
    );
    if (isRefusal(decided)) return at('contract', decided);
    if (decided.change.kind !== 'new-contract') throw new Error('a new-contract decision without a new contract');
    const { term: fact, renewal } = decided.change;
    if (cmp(fact.end, day) < 0) return refuse('import_term_ended', { start: fact.start.toString(), end: fact.end.toString(), today: day.toString() }, 'contract.startDate');
    const contractId = newId('con');
    const term: ContractTerm = { ...fact, id: newId('trm'), contractId, seq: 0, orderId: importId };
    const now = nowIso(ctx);
    // What follows from the term; a notice whose day has passed was the old system's to send.
    const effects = termEndEffects(ctx, account.id, contractId, term, renewal, product).filter((e) => e.kind === 'term-end' || Date.parse(e.dueAt) >= Date.parse(now));
    await writeRows(trx, {
      contracts: [toRow.contract({ id: contractId, accountId: account.id, productId: product.id, renewal, createdAt: now })],
      contract_terms: [toRow.term(account.id, term)],
      effects: effects.map(toRow.effect),
    });
    await audit(ctx, trx, actor, {
      accountId: account.id,
      action: 'contract.imported',
      subjectType: 'contract',
      subjectId: contractId,
      after: { importId, planId: term.planId, licenses: term.licenses, start: term.start.toString(), end: term.end.toString(), renewal, paymentMethod: term.paymentMethod, termPrice: term.termPrice },
    });
  }

  const members = line.members ?? [];
  if (members.length > 0) {
    if (!hasSeats(ctx, account)) return refuse('members_not_offered', { product: account.productId }, 'members');
    const facts = await loadFacts(trx, account);
    const limit = stateOf(ctx, facts, day).seats?.limit ?? 0;
    // The owner holds a seat too (S8).
    if (facts.activeMembers + members.length > limit) {
      return refuse('import_members_over_limit', { count: facts.activeMembers + members.length, limit, date: day.toString() }, 'members');
    }
    const taken = new Set([emailKey(account.email)]);
    const now = nowInstant(ctx);
    for (const [i, m] of members.entries()) {
      const email = m.email.trim();
      if (taken.has(emailKey(email))) return refuse('member_email_taken', { email }, `members[${i}].email`);
      taken.add(emailKey(email));
      if (m.registeredAt && Temporal.Instant.compare(Temporal.Instant.from(m.registeredAt), now) > 0) {
        return refuse('import_registered_later', { registeredAt: m.registeredAt, now: now.toString() }, `members[${i}].registeredAt`);
      }
      const member: Omit<MemberRecord, 'seq'> = {
        accountId: account.id,
        id: newId('mem'),
        email,
        name: m.name.trim(),
        role: 'member',
        status: 'active',
        groups: [],
        registeredAt: m.registeredAt ? Temporal.Instant.from(m.registeredAt).toString() : nowIso(ctx),
      };
      await insertMember(trx, member);
      // The same event as a registration through the API, with the import's id.
      await audit(ctx, trx, actor, { accountId: account.id, action: 'member.registered', subjectType: 'member', subjectId: member.id, after: { ...memberView({ ...member, seq: 0 }), importId } });
    }
  }

  if (line.usage && Object.keys(line.usage).length > 0) {
    const reported = await reportUsage(ctx, trx, actor, account.id, line.usage);
    if (isRefusal(reported)) return at('usage', reported);
  }
  return account.id;
}
