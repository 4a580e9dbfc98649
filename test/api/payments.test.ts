/**
 * SPEC §6: payments recorded against invoices — full, partial, short by the bank fee, one transfer
 * for several invoices, card/PayPal through the payment provider — and what is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
const TODAY = '2026-04-10';
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-10T10:00:00+09:00' });
});
afterAll(async () => t?.stop());

/** An account with a starter contract paid by `method`: its invoice. */
async function invoiceFor(method = 'bank-transfer', product = 'teamspace'): Promise<{ accountId: string; invoice: any }> {
  const accountId = await newAccount(t, product);
  const placed = await order(t, { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', startDate: TODAY, paymentMethod: method });
  const invoice = (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body;
  return { accountId, invoice };
}

const pay = (invoiceId: string, body: Record<string, unknown>, opts: { token?: string | null; headers?: Record<string, string> } = {}) => t.api('POST', `/v1/invoices/${invoiceId}/payments`, body, opts);

async function trail(accountId: string, invoiceId: string) {
  const invoice = (await t.api('GET', `/v1/invoices/${invoiceId}`)).body;
  const events = (await t.api('GET', `/v1/accounts/${accountId}/events`)).body.events as any[];
  const notices = (await t.api('GET', `/v1/accounts/${accountId}/notices`)).body.notices as any[];
  return { invoice, events: events.length, notices: notices.length };
}

describe(`payments (${DB_KIND})`, () => {
  it('SPEC §6: a bank transfer of the whole amount pays the invoice: status paid, the payment listed, audited and acknowledged', async () => {
    const { accountId, invoice } = await invoiceFor();
    expect(invoice).toMatchObject({ status: 'open', paidAmount: 0, balance: invoice.amount.total, payments: [] });
    const res = await pay(invoice.id, { amount: invoice.amount.total, method: 'bank-transfer', paidOn: TODAY, reference: 'ﾌﾘｺﾐ ﾃｽﾄ' });
    expect(res.status).toBe(201);
    expect(res.body.invoice).toMatchObject({ id: invoice.id, status: 'paid', paidAmount: invoice.amount.total, balance: 0 });
    expect(res.body.payment).toMatchObject({ amount: invoice.amount.total, bankFee: 0, method: 'bank-transfer', paidOn: TODAY, reference: 'ﾌﾘｺﾐ ﾃｽﾄ', recordedBy: 'operator' });
    const after = (await t.api('GET', `/v1/invoices/${invoice.id}`)).body;
    expect(after.status).toBe('paid');
    expect(after.payments).toHaveLength(1);
    const events = (await t.api('GET', `/v1/accounts/${accountId}/events`)).body.events as any[];
    const recorded = events.filter((e) => e.action === 'payment.recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ actor: 'operator', before: { status: 'open', balance: invoice.amount.total }, after: { status: 'paid', balance: 0 } });
    const notices = (await t.api('GET', `/v1/accounts/${accountId}/notices`)).body.notices as any[];
    const received = notices.filter((n) => n.kind === 'payment-received');
    expect(received).toHaveLength(1);
    // Paid in full: the notice says where its receipt is.
    expect(received[0].body).toContain('領収書（PDF）はお客様ポータルの契約情報からダウンロードいただけます。');
    // Nothing more to pay.
    const again = await pay(invoice.id, { amount: 1, method: 'bank-transfer', paidOn: TODAY });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invoice_not_payable');
  });

  it('SPEC §6: partial payments leave the rest as the balance; an overpayment is refused and changes nothing', async () => {
    const { accountId, invoice } = await invoiceFor();
    const total = invoice.amount.total as number;
    const first = await pay(invoice.id, { amount: 1000, method: 'bank-transfer', paidOn: TODAY });
    expect(first.status).toBe(201);
    expect(first.body.invoice).toMatchObject({ status: 'open', paidAmount: 1000, balance: total - 1000 });
    const before = await trail(accountId, invoice.id);
    const over = await pay(invoice.id, { amount: total, method: 'bank-transfer', paidOn: TODAY });
    expect(over.status).toBe(409);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.body).toMatchObject({ code: 'payment_exceeds_balance' });
    expect(over.body.detail).toContain(String(total - 1000));
    expect(await trail(accountId, invoice.id)).toEqual(before);
    const rest = await pay(invoice.id, { amount: total - 1000, method: 'bank-transfer', paidOn: TODAY });
    expect(rest.body.invoice).toMatchObject({ status: 'paid', paidAmount: total, balance: 0 });
    expect((await t.api('GET', `/v1/invoices/${invoice.id}`)).body.payments.map((p: any) => p.amount)).toEqual([1000, total - 1000]);
  });

  it('SPEC §6: a transfer short by the bank fee settles the invoice when the fee closes the gap and is within the allowance (¥880)', async () => {
    const { accountId, invoice } = await invoiceFor();
    const total = invoice.amount.total as number;
    const before = await trail(accountId, invoice.id);
    const tooLarge = await pay(invoice.id, { amount: total - 1000, bankFee: 1000, method: 'bank-transfer', paidOn: TODAY });
    expect(tooLarge.status).toBe(422);
    expect(tooLarge.body.code).toBe('bank_fee_too_large');
    expect(tooLarge.body.errors[0].path).toBe('bankFee');
    const notClosing = await pay(invoice.id, { amount: total - 660, bankFee: 440, method: 'bank-transfer', paidOn: TODAY });
    expect(notClosing.status).toBe(422);
    expect(notClosing.body.code).toBe('bank_fee_without_settlement');
    expect(notClosing.body.detail).toContain('660');
    const byCard = await pay(invoice.id, { amount: total - 660, bankFee: 660, method: 'card', paidOn: TODAY });
    expect(byCard.body.code).toBe('bank_fee_only_for_transfers');
    expect(await trail(accountId, invoice.id)).toEqual(before);
    const res = await pay(invoice.id, { amount: total - 660, bankFee: 660, method: 'bank-transfer', paidOn: TODAY });
    expect(res.status).toBe(201);
    expect(res.body.payment).toMatchObject({ amount: total - 660, bankFee: 660 });
    expect(res.body.invoice).toMatchObject({ status: 'paid', balance: 0 });
  });

  it('SPEC §6: one transfer pays several invoices of an account, oldest due date first; the last may stay partly paid', async () => {
    const { accountId, invoice: main } = await invoiceFor('card');
    const spot = await order(t, { type: 'spot', accountId, seats: 100, startDate: TODAY, months: 1, agreeToTerms: true, paymentMethod: 'bank-transfer' });
    const spotInvoice = (await t.api('GET', `/v1/invoices/${spot.invoiceId}`)).body;
    // The card invoice is due in 3 business days, the transfer at the month's end: the card one first.
    expect(main.dueOn < spotInvoice.dueOn).toBe(true);
    const owed = main.amount.total + spotInvoice.amount.total;
    const tooMuch = await t.api('POST', '/v1/payments', { invoiceIds: [spotInvoice.id, main.id], amount: owed + 1, paidOn: TODAY });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('payment_exceeds_balance');
    const res = await t.api('POST', '/v1/payments', { invoiceIds: [spotInvoice.id, main.id], amount: owed - 500, paidOn: TODAY, reference: 'one transfer' });
    expect(res.status).toBe(201);
    expect(res.body.payments).toHaveLength(2);
    expect(new Set(res.body.payments.map((p: any) => p.transferId)).size).toBe(1);
    const byId = Object.fromEntries(res.body.invoices.map((i: any) => [i.id, i]));
    expect(byId[main.id]).toMatchObject({ status: 'paid', balance: 0 });
    expect(byId[spotInvoice.id]).toMatchObject({ status: 'open', balance: 500 });

    const other = await invoiceFor();
    const mixed = await t.api('POST', '/v1/payments', { invoiceIds: [spotInvoice.id, other.invoice.id], amount: 100, paidOn: TODAY });
    expect(mixed.status).toBe(422);
    expect(mixed.body.code).toBe('invoices_of_different_accounts');
    const unknown = await t.api('POST', '/v1/payments', { invoiceIds: [spotInvoice.id, 'inv_missing'], amount: 100, paidOn: TODAY });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('invoice_not_found');
  });

  it('SPEC §6: a payment dated in the future or before the invoice was issued is refused with what to fix', async () => {
    const { invoice } = await invoiceFor();
    const future = await pay(invoice.id, { amount: 100, method: 'bank-transfer', paidOn: '2026-04-11' });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'paid_on_in_future', errors: [{ path: 'paidOn' }] });
    const early = await pay(invoice.id, { amount: 100, method: 'bank-transfer', paidOn: '2026-04-09' });
    expect(early.body.code).toBe('paid_on_before_issue');
    const malformed = await pay(invoice.id, { amount: -5, method: 'cash', paidOn: '2026-02-30' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: any) => e.path).sort()).toEqual(['body.amount', 'body.method', 'body.paidOn']);
    const ja = await pay(invoice.id, { amount: 100, method: 'bank-transfer', paidOn: '2026-04-11' }, { headers: { 'accept-language': 'ja' } });
    expect(ja.body.detail).toContain('入金日');
  });

  it('credit notes and quotations are not payable; customers cannot record transfers', async () => {
    const { accountId, invoice } = await invoiceFor();
    const token = (await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`, {})).body.token;
    const asCustomer = await pay(invoice.id, { amount: 100, method: 'bank-transfer', paidOn: TODAY }, { token });
    expect(asCustomer.status).toBe(403);
    const contractId = (await t.api('GET', `/v1/accounts/${accountId}/state`)).body.contract.id;
    expect((await pay(invoice.id, { amount: invoice.amount.total, method: 'bank-transfer', paidOn: TODAY })).status).toBe(201);
    const cancelled = await t.api('POST', `/v1/accounts/${accountId}/contracts/${contractId}/cancel`, { reason: 'test', refund: { amount: 100 } });
    expect(cancelled.status).toBe(200);
    expect((await t.api('GET', `/v1/invoices/${cancelled.body.refund.creditNoteId}`)).body).toMatchObject({ kind: 'credit-note', status: 'issued', balance: 0 });
    const res = await pay(cancelled.body.refund.creditNoteId, { amount: 100, method: 'bank-transfer', paidOn: TODAY });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invoice_not_payable');
  });

  it('the same Idempotency-Key records the payment once', async () => {
    const { invoice } = await invoiceFor();
    const headers = { 'idempotency-key': `pay-${invoice.id}` };
    const [a, b] = await Promise.all([pay(invoice.id, { amount: 500, method: 'bank-transfer', paidOn: TODAY }, { headers }), pay(invoice.id, { amount: 500, method: 'bank-transfer', paidOn: TODAY }, { headers })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.payment.id).toBe(b.body.payment.id);
    expect((await t.api('GET', `/v1/invoices/${invoice.id}`)).body).toMatchObject({ paidAmount: 500, payments: [{ amount: 500 }] });
  });

  it('concurrent payments never take more than the balance', async () => {
    const { invoice } = await invoiceFor();
    const total = invoice.amount.total as number;
    const part = Math.ceil(total / 4);
    const results = await Promise.all(Array.from({ length: 10 }, () => pay(invoice.id, { amount: part, method: 'bank-transfer', paidOn: TODAY })));
    const ok = results.filter((r) => r.status === 201).length;
    expect(ok).toBe(Math.floor(total / part));
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const after = (await t.api('GET', `/v1/invoices/${invoice.id}`)).body;
    expect(after.paidAmount).toBe(ok * part);
    expect(after.paidAmount).toBeLessThanOrEqual(total);
  });
});

describe(`card and PayPal through the payment provider (${DB_KIND})`, () => {
  it('the customer pays the balance by card: paid, with the provider and its reference; a declined card records nothing', async () => {
    const { accountId, invoice } = await invoiceFor('card');
    const token = (await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`, {})).body.token;
    const before = await trail(accountId, invoice.id);
    const declined = await t.api('POST', `/v1/invoices/${invoice.id}/pay`, { method: 'card', token: 'tok_decline' }, { token });
    expect(declined.status).toBe(422);
    expect(declined.body).toMatchObject({ code: 'payment_declined', errors: [{ path: 'token' }] });
    expect(await trail(accountId, invoice.id)).toEqual(before);
    const paid = await t.api('POST', `/v1/invoices/${invoice.id}/pay`, { method: 'card', token: 'tok_visa' }, { token });
    expect(paid.status).toBe(201);
    expect(paid.body.invoice).toMatchObject({ status: 'paid', balance: 0 });
    expect(paid.body.payment).toMatchObject({ method: 'card', amount: invoice.amount.total, provider: 'sandbox', paidOn: TODAY, recordedBy: `customer:${accountId}` });
    expect(paid.body.payment.providerRef).toMatch(/^sbx_/);
    const twice = await t.api('POST', `/v1/invoices/${invoice.id}/pay`, { method: 'card' }, { token });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('invoice_not_payable');
  });

  it("two clicks at once charge once; another account's token answers 404", async () => {
    const { accountId, invoice } = await invoiceFor('paypal');
    const token = (await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`, {})).body.token;
    const results = await Promise.all([1, 2, 3].map(() => t.api('POST', `/v1/invoices/${invoice.id}/pay`, { method: 'paypal' }, { token })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await t.api('GET', `/v1/invoices/${invoice.id}`)).body.payments).toHaveLength(1);
    const stranger = await newAccount(t, 'teamspace');
    const strangerToken = (await t.api('POST', `/v1/accounts/${stranger}/portal-sessions`, {})).body.token;
    const { invoice: another } = await invoiceFor('card');
    const res = await t.api('POST', `/v1/invoices/${another.id}/pay`, { method: 'card' }, { token: strangerToken });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('invoice_not_found');
  });
});
