/**
 * Issue 9, audit (SPEC G5): over a long scenario through the API — accounts, a contract, a spot
 * order, members registered, deactivated and reactivated, a payment, usage, a plan change with
 * its quotation and acceptance, a cancellation with a refund, the scheduler renewing, ending and
 * marking invoices overdue on the test clock — every state change has exactly one audit event,
 * with its actor and its before/after, and a refused request adds none.
 *
 * After each step the test observes the accounts through the API (state, members, invoices,
 * orders), derives the changes from the difference, and compares them with the new events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, email, startTestServer } from '../support/harness.js';

interface Observed {
  exists: boolean;
  contract: { id: string; end: string; term: string; renewal: string; planId: string } | null;
  spots: string[];
  usage: Record<string, number>;
  members: Map<string, string>;
  /** Each member's name and email, as `name <email>`. */
  memberDetails: Map<string, string>;
  invoices: Map<string, { kind: string; status: string; paidAmount: number }>;
  orders: Map<string, { status: string; quoteId: string | null }>;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-12-01T09:00:00+09:00' });
});
afterAll(async () => t?.stop());

const accounts: string[] = [];
const seen = new Map<string, Set<number>>();
const log: string[] = [];

async function ok(method: string, path: string, body?: unknown, token?: string, status = [200, 201]) {
  const res = await t.api(method, path, body, token === undefined ? {} : { token });
  if (!status.includes(res.status)) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function observe(id: string): Promise<Observed> {
  const account = await t.api('GET', `/v1/accounts/${id}`);
  if (account.status === 404) return { exists: false, contract: null, spots: [], usage: {}, members: new Map(), memberDetails: new Map(), invoices: new Map(), orders: new Map() };
  const state = await ok('GET', `/v1/accounts/${id}/state`);
  const members = await t.api('GET', `/v1/accounts/${id}/members`);
  const invoices = await ok('GET', `/v1/accounts/${id}/invoices`);
  const orders = await ok('GET', `/v1/orders?accountId=${id}&limit=500`);
  return {
    exists: true,
    contract: state.contract ? { id: state.contract.id, end: state.contract.end, term: state.contract.term, renewal: state.contract.renewal, planId: state.plan.id } : null,
    spots: (state.spots ?? []).map((s: any) => s.id),
    usage: state.usage ?? {},
    members: new Map(members.status === 200 ? members.body.members.map((m: any) => [m.id, m.status]) : []),
    memberDetails: new Map(members.status === 200 ? members.body.members.map((m: any) => [m.id, `${m.name} <${m.email}>`]) : []),
    invoices: new Map(invoices.invoices.map((i: any) => [i.id, { kind: i.kind, status: i.status, paidAmount: i.paidAmount ?? 0 }])),
    orders: new Map(orders.orders.map((o: any) => [o.id, { status: o.status, quoteId: o.quoteId ?? null }])),
  };
}

function termMonths(term: string): number {
  const d = Temporal.Duration.from(term);
  return d.years * 12 + d.months;
}

/** The events the difference between two observations calls for: `action subjectId`, one per change. */
function changes(before: Observed, after: Observed, accountId: string, bySystem: boolean): string[] {
  const out: string[] = [];
  if (!before.exists && after.exists) out.push(`account.created ${accountId}`);
  for (const [id, status] of after.members) {
    const was = before.members.get(id);
    if (was === undefined) out.push(`member.registered ${id}`);
    else if (was !== status) out.push(`${status === 'deactivated' ? 'member.deactivated' : 'member.reactivated'} ${id}`);
    if (was !== undefined && before.memberDetails.get(id) !== after.memberDetails.get(id)) out.push(`member.updated ${id}`);
  }
  for (const [id, inv] of after.invoices) {
    const was = before.invoices.get(id);
    if (!was) out.push(`${inv.kind}.issued ${id}`);
    // An invoice is issued open; within one step it may also have been paid or fallen overdue.
    const wasStatus = was?.status ?? (inv.kind === 'invoice' ? 'open' : inv.status);
    if (inv.paidAmount !== (was?.paidAmount ?? 0)) out.push(`payment.recorded ${id}`);
    else if (wasStatus !== inv.status) out.push(`${inv.status === 'overdue' ? 'invoice.overdue' : `invoice.${inv.status}`} ${id}`);
  }
  for (const [id, order] of after.orders) {
    const was = before.orders.get(id);
    if (!was) out.push(`order.placed ${id}`);
    if ((was?.status ?? 'placed') !== order.status) out.push(`order.${order.status} ${id}`);
    if (order.quoteId && !was?.quoteId) out.push(`quotation.issued ${order.quoteId}`);
  }
  const b = before.contract;
  const a = after.contract;
  if (b && b.id !== a?.id) out.push(`${bySystem ? 'contract.ended' : 'contract.cancelled'} ${b.id}`);
  if (a && a.id !== b?.id) out.push(`contract.created ${a.id}`);
  if (a && b && a.id === b.id) {
    if (a.renewal !== b.renewal) out.push(`contract.renewal_changed ${a.id}`);
    if (a.planId !== b.planId) out.push(`contract.term_replaced ${a.id}`);
    else if (a.end !== b.end) {
      const months = Temporal.PlainDate.from(b.end).add({ days: 1 }).until(Temporal.PlainDate.from(a.end).add({ days: 1 }), { largestUnit: 'months' }).months;
      for (let i = 0; i < months / termMonths(a.term); i++) out.push(`contract.renewed ${a.id}`);
    }
  }
  for (const spot of after.spots) if (!before.spots.includes(spot) && a) out.push(`contract.spot_added ${a.id}`);
  if (JSON.stringify(after.usage) !== JSON.stringify(before.usage)) out.push(`usage.reported ${accountId}`);
  return out.sort();
}

const CREATIONS = /\.(created|registered|issued|placed|spot_added|license_added)$/;

/**
 * Runs one step and checks it: the events it added to each account are exactly the changes
 * observed (plus `extra`, changes the API cannot show), each with the step's actor, a time, and
 * `after` — and `before` too when something existing changed.
 */
async function step(name: string, actor: 'operator' | 'customer' | 'system', fn: () => Promise<unknown>, opts: { expect?: string[]; extra?: Array<[string, string]> } = {}) {
  const before = new Map<string, Observed>();
  for (const id of accounts) before.set(id, await observe(id));
  const created = (await fn()) as string | undefined;
  if (typeof created === 'string' && created.startsWith('acc_')) {
    accounts.push(created);
    before.set(created, { exists: false, contract: null, spots: [], usage: {}, members: new Map(), memberDetails: new Map(), invoices: new Map(), orders: new Map() });
  }
  const all: string[] = [];
  for (const id of accounts) {
    const after = await observe(id);
    const expected = [...changes(before.get(id)!, after, id, actor === 'system'), ...(opts.extra ?? []).filter(([acc]) => acc === id).map(([, e]) => e)].sort();
    const events = ((await ok('GET', `/v1/accounts/${id}/events?limit=1000`)).events as any[]).filter((e) => !seen.get(id)?.has(e.seq));
    seen.set(id, new Set([...(seen.get(id) ?? []), ...events.map((e) => e.seq)]));
    expect(events.map((e) => `${e.action} ${e.subjectId}`).sort(), `${name}: the events of ${id} are the changes observed`).toEqual(expected);
    for (const e of events) {
      const who = actor === 'system' ? /^system:\w/ : actor === 'operator' ? /^operator$/ : new RegExp(`^customer:${id}$`);
      expect(e.actor, `${name}: actor of ${e.action}`).toMatch(who);
      expect(Temporal.Instant.from(e.at)).toBeTruthy();
      expect(e.after, `${name}: ${e.action} has after`).not.toBeNull();
      if (!CREATIONS.test(e.action)) expect(e.before, `${name}: ${e.action} has before`).not.toBeNull();
      // A status change says from what to what.
      if (/^(member\.(deactivated|reactivated)|invoice\.overdue|order\.completed)$/.test(e.action)) expect(e.before.status, `${name}: ${e.action} before/after`).not.toBe(e.after.status);
      if (e.action.startsWith('member.') && e.action !== 'member.registered') expect(e.after.status).toBe(after.members.get(e.subjectId));
    }
    all.push(...events.map((e) => e.action));
  }
  for (const action of opts.expect ?? []) expect(all, `${name}: the step did what it should`).toContain(action);
  log.push(`${name}: ${all.length} events`);
  return all;
}

describe(`every state change has exactly one audit event, with actor and before/after (${DB_KIND})`, () => {
  it('a long scenario: two accounts, operator, customers and the scheduler; refused requests add none', async () => {
    let ts = '';
    let tsToken = '';
    let eb = '';
    let ebToken = '';
    const members: string[] = [];
    const customer = (token: string) => token;

    // ---- teamspace: account, session, contract, payment, members ----
    await step('create a teamspace account', 'operator', async () => (ts = (await ok('POST', '/v1/accounts', { email: email('audit'), name: '監査テスト株式会社', product: 'teamspace' })).id), {
      expect: ['account.created', 'member.registered'],
    });
    await step('a portal session', 'operator', async () => (tsToken = (await ok('POST', `/v1/accounts/${ts}/portal-sessions`)).token), { extra: [[ts, `portal_session.created ${ts}`]] });
    let contract1 = '';
    let invoice1 = '';
    await step(
      'the customer buys Starter',
      'customer',
      async () => {
        const o = await ok('POST', '/v1/orders', { type: 'new-contract', accountId: ts, planId: 'starter', term: 'P12M', startDate: '2026-12-01', paymentMethod: 'card' }, customer(tsToken));
        invoice1 = o.invoiceId;
        contract1 = (await ok('GET', `/v1/accounts/${ts}/state`)).contract.id;
      },
      { expect: ['order.placed', 'contract.created', 'invoice.issued', 'order.completed'] },
    );
    await step('the customer pays the invoice by card', 'customer', () => ok('POST', `/v1/invoices/${invoice1}/pay`, { method: 'card', token: 'tok_visa' }, tsToken), { expect: ['payment.recorded'] });
    await step(
      'the customer registers twelve members',
      'customer',
      async () => {
        for (let i = 0; i < 12; i++) members.push((await ok('POST', `/v1/accounts/${ts}/members`, { email: email(`m${i}`), name: `Member ${i}` }, tsToken)).id);
      },
      { expect: ['member.registered'] },
    );
    await step('refused requests change nothing', 'customer', async () => {
      const taken = (await ok('GET', `/v1/accounts/${ts}/members/${members[0]}`)).email;
      const refused: Array<[string, string, unknown, number]> = [
        ['POST', `/v1/accounts/${ts}/members`, { email: taken, name: 'Again' }, 409],
        ['POST', `/v1/accounts/${ts}/members`, { email: 'not-an-email', name: 'x' }, 400],
        ['POST', '/v1/orders', { type: 'spot', accountId: ts, seats: 5, startDate: '2026-12-01', months: 1, agreeToTerms: false, paymentMethod: 'card' }, 422],
        ['POST', '/v1/orders', { type: 'new-contract', accountId: ts, planId: 'starter', term: 'P12M', startDate: '2026-12-01', paymentMethod: 'card' }, 409],
        ['POST', `/v1/accounts/${ts}/contracts/${contract1}/cancel`, { reason: 'customer tries' }, 403],
        ['POST', `/v1/accounts/${ts}/members/${members[0]}/reactivate`, undefined, 409],
        ['POST', `/v1/invoices/${invoice1}/pay`, { method: 'card', token: 'tok_visa' }, 409],
        ['POST', '/v1/orders/preview', { type: 'spot', accountId: ts, seats: 100, startDate: '2026-12-01', months: 1, agreeToTerms: true, paymentMethod: 'card' }, 200],
      ];
      for (const [method, path, body, status] of refused) {
        const res = await t.api(method, path, body, { token: tsToken });
        expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(status);
      }
      // Refused for the operator too: a refund above what was paid, an unknown plan.
      expect((await t.api('POST', `/v1/accounts/${ts}/contracts/${contract1}/cancel`, { reason: 'x', refund: { amount: 10_000_000 } })).status).toBe(422);
      expect((await t.api('POST', '/v1/orders', { type: 'new-contract', accountId: ts, planId: 'nope', term: 'P12M', startDate: '2026-12-01', paymentMethod: 'card' })).status).toBe(422);
    });
    await step(
      'the customer adds 100 spot seats for a month',
      'customer',
      () => ok('POST', '/v1/orders', { type: 'spot', accountId: ts, seats: 100, startDate: '2026-12-01', months: 1, agreeToTerms: true, paymentMethod: 'card' }, tsToken),
      { expect: ['order.placed', 'contract.spot_added', 'invoice.issued', 'order.completed'] },
    );

    // ---- ebook5: usage, plan change with quotation and acceptance ----
    await step('create an ebook5 account', 'operator', async () => (eb = (await ok('POST', '/v1/accounts', { email: email('audit-eb'), name: 'Ebook Audit', product: 'ebook5' })).id), { expect: ['account.created'] });
    await step('its portal session', 'operator', async () => (ebToken = (await ok('POST', `/v1/accounts/${eb}/portal-sessions`)).token), { extra: [[eb, `portal_session.created ${eb}`]] });
    await step('the operator sells Business 5 monthly', 'operator', () => ok('POST', '/v1/orders', { type: 'new-contract', accountId: eb, planId: 'business-5', term: 'P1M', startDate: '2026-12-01', paymentMethod: 'card' }), {
      expect: ['contract.created', 'invoice.issued'],
    });
    await step('the app reports usage', 'customer', () => ok('PUT', `/v1/accounts/${eb}/usage`, { books: 3, storageMb: 40 }, ebToken), { expect: ['usage.reported'] });
    await step('the same usage again changes nothing', 'customer', () => ok('PUT', `/v1/accounts/${eb}/usage`, { books: 3 }, ebToken));
    let change = '';
    await step(
      'the customer asks for Business 10 yearly, paid by invoice: a quotation',
      'customer',
      async () => (change = (await ok('POST', '/v1/orders', { type: 'plan-change', accountId: eb, planId: 'business-10', term: 'P12M', paymentMethod: 'invoice' }, ebToken)).id),
      { expect: ['order.placed', 'quotation.issued'] },
    );
    await step('the customer accepts', 'customer', () => ok('POST', `/v1/orders/${change}/accept`, undefined, ebToken), { expect: ['contract.term_replaced', 'invoice.issued', 'order.completed'] });
    await step('accepting twice is refused', 'customer', async () => expect((await t.api('POST', `/v1/orders/${change}/accept`, undefined, { token: ebToken })).status).toBe(409));

    // ---- cancellation with refund: the seat limit drops, members are deactivated ----
    await step('the operator cancels Starter with a refund', 'operator', () => ok('POST', `/v1/accounts/${ts}/contracts/${contract1}/cancel`, { reason: 'moving to another service', refund: { amount: 11_000 } }), {
      expect: ['contract.cancelled', 'credit-note.issued', 'member.deactivated'],
    });
    await step('no seat is free for a reactivation: refused', 'customer', async () => expect((await t.api('POST', `/v1/accounts/${ts}/members/${members.at(-1)}/reactivate`, undefined, { token: tsToken })).status).toBe(409));
    await step('the operator sells Starter again', 'operator', () => ok('POST', '/v1/orders', { type: 'new-contract', accountId: ts, planId: 'starter', term: 'P12M', startDate: '2026-12-01', paymentMethod: 'bank-transfer' }), {
      expect: ['contract.created', 'invoice.issued'],
    });
    await step('the customer reactivates a member', 'customer', () => ok('POST', `/v1/accounts/${ts}/members/${members.at(-1)}/reactivate`, undefined, tsToken), { expect: ['member.reactivated'] });
    await step('the customer deactivates a member who left', 'customer', () => ok('POST', `/v1/accounts/${ts}/members/${members.at(-1)}/deactivate`, undefined, tsToken), { expect: ['member.deactivated'] });
    await step('deactivating the owner-manager is refused', 'customer', async () => {
      const owner = ((await ok('GET', `/v1/accounts/${ts}/members`)).members as any[]).find((m) => m.role === 'owner');
      expect((await t.api('POST', `/v1/accounts/${ts}/members/${owner.id}/deactivate`, undefined, { token: tsToken })).status).toBe(409);
    });
    await step('the operator reactivates it (it came back)', 'operator', () => ok('POST', `/v1/accounts/${ts}/members/${members.at(-1)}/reactivate`), { expect: ['member.reactivated'] });
    await step("the customer corrects a member's name", 'customer', () => t.api('PATCH', `/v1/accounts/${ts}/members/${members.at(-1)}`, { name: 'Corrected Name' }, { token: tsToken }).then((r) => expect(r.status).toBe(200)), { expect: ['member.updated'] });
    await step('the same name again changes nothing', 'customer', () => t.api('PATCH', `/v1/accounts/${ts}/members/${members.at(-1)}`, { name: 'Corrected Name' }, { token: tsToken }).then((r) => expect(r.status).toBe(200)));
    await step('the operator records the bank transfer', 'operator', async () => {
      const invoices = (await ok('GET', `/v1/accounts/${ts}/invoices`)).invoices as any[];
      const open = invoices.find((i) => i.kind === 'invoice' && i.paymentMethod === 'bank-transfer' && i.status === 'open');
      return ok('POST', `/v1/invoices/${open.id}/payments`, { amount: open.amount.total, method: 'bank-transfer', paidOn: '2026-12-01' });
    }, { expect: ['payment.recorded'] });

    // ---- the scheduler on the test clock ----
    const tokens = async () => {
      tsToken = (await ok('POST', `/v1/accounts/${ts}/portal-sessions`)).token;
      ebToken = (await ok('POST', `/v1/accounts/${eb}/portal-sessions`)).token;
    };
    await step('mid-December: unpaid card invoices fall overdue', 'system', () => ok('POST', '/v1/clock', { now: '2026-12-20T09:00:00+09:00' }), { expect: ['invoice.overdue'] });
    await step('new sessions', 'operator', tokens, { extra: [[ts, `portal_session.created ${ts}`], [eb, `portal_session.created ${eb}`]] });
    await step('Starter renews after its year', 'system', () => ok('POST', '/v1/clock', { now: '2027-12-01T09:00:00+09:00' }), { expect: ['contract.renewed', 'invoice.issued'] });
    await step('new sessions again', 'operator', tokens, { extra: [[ts, `portal_session.created ${ts}`], [eb, `portal_session.created ${eb}`]] });
    const contract2 = (await ok('GET', `/v1/accounts/${ts}/state`)).contract.id;
    await step('the customer chooses to return to the free plan', 'customer', () => ok('POST', `/v1/accounts/${ts}/contracts/${contract2}/renewal`, { renewal: 'to-free' }, tsToken), { expect: ['contract.renewal_changed'] });
    await step('the term ends: back to 10 seats, the excess deactivated; Business 10 renews', 'system', () => ok('POST', '/v1/clock', { now: '2028-12-01T09:00:00+09:00' }), {
      expect: ['contract.ended', 'member.deactivated', 'contract.renewed'],
    });

    // The trail as a whole: every event has an actor and a time, and nothing was recorded twice.
    for (const id of accounts) {
      const events = (await ok('GET', `/v1/accounts/${id}/events?limit=1000`)).events as any[];
      expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
      expect(events.every((e) => e.actor && e.at && e.accountId === id)).toBe(true);
    }
    expect(log.length).toBeGreaterThan(20);
  }, 120_000);
});
