/**
 * SPEC §6, DESIGN 8: an issued invoice never changes; a correction is a credit note (適格返還請求書)
 * reversing it plus a new invoice, and the corrected invoice is void.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/harness.js';
import { DB_KIND, newAccount, order, startTestServer } from '../support/harness.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ KEIYAKU_TEST_CLOCK: '2026-04-10T10:00:00+09:00' });
});
afterAll(async () => t?.stop());

async function invoiceFor() {
  const accountId = await newAccount(t, 'teamspace');
  const startDate = (await t.api('GET', `/v1/accounts/${accountId}/state`)).body.date as string;
  const placed = await order(t, { type: 'new-contract', accountId, planId: 'starter', term: 'P12M', startDate, paymentMethod: 'bank-transfer' });
  return { accountId, invoice: (await t.api('GET', `/v1/invoices/${placed.invoiceId}`)).body };
}
const discounted = { reason: '値引きの反映漏れ', lines: [{ description: 'Starter 100 (12 months, discounted)', descriptionJa: 'Starter 100（12か月・割引）', quantity: 1, unitPrice: 50000 }] };

describe(`invoice corrections (${DB_KIND})`, () => {
  it('SPEC §6: a correction issues a credit note for the whole invoice and a new invoice; the old one is void, its PDF unchanged', async () => {
    const { accountId, invoice } = await invoiceFor();
    const pdfBefore = (await t.running.server.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}/pdf`, headers: { authorization: 'Bearer test-operator-key-0123456789' } })).rawPayload;
    const res = await t.api('POST', `/v1/invoices/${invoice.id}/corrections`, discounted);
    expect(res.status).toBe(201);
    expect(res.body.corrected).toMatchObject({ id: invoice.id, number: invoice.number, status: 'void' });
    expect(res.body.creditNote).toMatchObject({ kind: 'credit-note', status: 'issued', corrects: invoice.id, amount: invoice.amount, taxBreakdown: invoice.taxBreakdown, lines: invoice.lines });
    expect(res.body.creditNote.number).toMatch(/^CN-\d{6}$/);
    expect(res.body.invoice).toMatchObject({ kind: 'invoice', status: 'open', corrects: invoice.id, orderId: invoice.orderId, amount: { subtotal: 50000, tax: 5000, total: 55000 }, dueOn: '2026-04-30', balance: 55000 });
    expect(res.body.invoice.number).not.toBe(invoice.number);
    const listed = (await t.api('GET', `/v1/accounts/${accountId}/invoices`)).body.invoices.map((i: any) => [i.number, i.status]);
    expect(listed).toEqual(expect.arrayContaining([[invoice.number, 'void'], [res.body.creditNote.number, 'issued'], [res.body.invoice.number, 'open']]));
    const pdfAfter = (await t.running.server.inject({ method: 'GET', url: `/v1/invoices/${invoice.id}/pdf`, headers: { authorization: 'Bearer test-operator-key-0123456789' } })).rawPayload;
    expect(Buffer.compare(pdfAfter, pdfBefore)).toBe(0);
    const event = (await t.api('GET', `/v1/accounts/${accountId}/events`)).body.events.find((e: any) => e.action === 'invoice.corrected');
    expect(event).toMatchObject({ actor: 'operator', before: { status: 'open', total: 66000 }, after: { status: 'void', reason: '値引きの反映漏れ', creditNoteId: res.body.creditNote.id, invoiceId: res.body.invoice.id } });

    // The void invoice never becomes overdue; the new one does.
    await t.api('POST', '/v1/clock', { now: '2026-05-01T09:00:00+09:00' });
    expect((await t.api('GET', `/v1/invoices/${invoice.id}`)).body.status).toBe('void');
    expect((await t.api('GET', `/v1/invoices/${res.body.invoice.id}`)).body.status).toBe('overdue');
    const overdue = (await t.api('GET', `/v1/accounts/${accountId}/notices`)).body.notices.filter((n: any) => n.kind === 'invoice-overdue');
    expect(overdue.map((n: any) => n.subject.includes(res.body.invoice.number))).toEqual([true]);
  });

  it('refused: a void invoice, an invoice with payments, a customer, malformed lines — each changing nothing', async () => {
    const { accountId, invoice } = await invoiceFor();
    const first = await t.api('POST', `/v1/invoices/${invoice.id}/corrections`, discounted);
    const again = await t.api('POST', `/v1/invoices/${invoice.id}/corrections`, discounted);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invoice_not_correctable');
    const paid = await t.api('POST', `/v1/invoices/${first.body.invoice.id}/payments`, { amount: 1000, method: 'bank-transfer', paidOn: (await t.api('GET', `/v1/accounts/${accountId}/state`)).body.date });
    expect(paid.status).toBe(201);
    const withPayments = await t.api('POST', `/v1/invoices/${first.body.invoice.id}/corrections`, discounted);
    expect(withPayments.status).toBe(409);
    expect(withPayments.body.code).toBe('invoice_has_payments');
    const token = (await t.api('POST', `/v1/accounts/${accountId}/portal-sessions`, {})).body.token;
    expect((await t.api('POST', `/v1/invoices/${first.body.invoice.id}/corrections`, discounted, { token })).status).toBe(403);
    const malformed = await t.api('POST', `/v1/invoices/${first.body.invoice.id}/corrections`, { reason: '', lines: [{ description: 'x', quantity: 0, unitPrice: -1, taxRate: 5 }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: any) => e.path).sort()).toEqual(['body.lines.0.quantity', 'body.lines.0.taxRate', 'body.lines.0.unitPrice', 'body.reason']);
    expect((await t.api('GET', `/v1/accounts/${accountId}/invoices`)).body.invoices).toHaveLength(3);
    expect((await t.api('POST', '/v1/invoices/inv_missing/corrections', discounted)).status).toBe(404);
  });
});
