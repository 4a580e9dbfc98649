/** The account's invoices and credit notes: amounts, status, balance, PDF, and recording a payment. */
import { useState } from 'react';
import { openPdf, toProblem } from '../shared/api.js';
import type { Problem } from '../shared/api.js';
import { Alert, Button, Card } from '../shared/ui.js';
import { useConsole, useLoad, useTexts } from './context.js';
import { DataTable, LoadProblem, Loading, Outcome, StatusBadge } from './parts.js';
import type { Invoice } from './types.js';
import { RecordPaymentForm } from './RecordPaymentForm.js';

/**
 * A credit note is issued with status `open`, but nothing is owed on it and no payment can be
 * recorded against it: to the operator it reads "issued", not "unpaid".
 */
/** Credit notes issued before they were 'issued' from the start say 'open': shown as issued too. */
export const shownStatus = (i: Invoice) => (i.kind === 'credit-note' && i.status === 'open' ? 'issued' : i.status);
export const payable = (i: Invoice) => i.kind === 'invoice' && (i.status === 'open' || i.status === 'overdue');

export function InvoicesCard(props: { accountId: string; version: number; onChanged: () => void }) {
  const { api } = useConsole();
  const { ct, t, label, yen, date, lang } = useTexts();
  const [paying, setPaying] = useState<Invoice | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pdfProblem, setPdfProblem] = useState<Problem | null>(null);
  const invoices = useLoad(async () => (await api.get<{ invoices: Invoice[] }>(`/v1/accounts/${props.accountId}/invoices`)).invoices, [api, props.accountId, props.version]);

  /** The document's PDF, or the receipt of a paid invoice. */
  async function pdf(i: Invoice, receipt = false) {
    setPdfProblem(null);
    try {
      await openPdf(api, `/v1/invoices/${i.id}/${receipt ? 'receipt' : 'pdf'}?lang=${lang}`);
    } catch (err) {
      setPdfProblem(toProblem(err));
    }
  }

  return (
    <Card title={ct('invoicesTitle')} testId="invoices">
      <LoadProblem problem={invoices.problem} onRetry={() => void invoices.reload()} />
      <Loading when={invoices.loading && !invoices.data} />
      {done ? (
        <Outcome testId="payment-done">
          {done}
        </Outcome>
      ) : null}
      {pdfProblem ? <Alert kind="error">{pdfProblem.detail}</Alert> : null}
      {invoices.data ? (
        <DataTable
          testId="invoices-table"
          rows={invoices.data}
          rowKey={(i) => i.id}
          rowTestId={(i) => `invoice-${i.number}`}
          empty={ct('noInvoices')}
          columns={[
            { header: ct('number'), cell: (i) => <span className="kc-code kc-nowrap">{i.number}</span> },
            { header: ct('kind'), cell: (i) => <span className="kc-nowrap">{label('kind', i.kind)}</span> },
            { header: ct('issuedOn'), cell: (i) => <span className="kc-nowrap">{date(i.issuedOn)}</span> },
            { header: ct('dueOn'), cell: (i) => <span className="kc-nowrap">{i.kind === 'invoice' ? date(i.dueOn) : '—'}</span> },
            { header: t('total'), cell: (i) => <span data-testid="invoice-total">{yen(i.amount.total)}</span>, numeric: true },
            { header: ct('balance'), cell: (i) => (i.kind === 'invoice' && i.balance !== undefined ? <span data-testid="invoice-balance">{yen(i.balance)}</span> : '—'), numeric: true },
            { header: t('status'), cell: (i) => <StatusBadge prefix="status" code={shownStatus(i)} testId="invoice-status" /> },
            {
              header: ct('actions'),
              cell: (i) => (
                <InvoiceActions
                  invoice={i}
                  onPdf={(inv, receipt) => void pdf(inv, receipt)}
                  onPay={(inv) => {
                    setDone(null);
                    setPaying(inv);
                  }}
                  onReminded={(message, failed) => {
                    setPdfProblem(failed ? { status: 409, code: 'reminder', detail: message, errors: [] } : null);
                    setDone(failed ? null : message);
                    if (!failed) props.onChanged();
                  }}
                />
              ),
            },
          ]}
        />
      ) : null}
      {paying ? (
        <RecordPaymentForm
          invoice={paying}
          onClose={() => setPaying(null)}
          onDone={(message) => {
            setPaying(null);
            setDone(message);
            props.onChanged();
          }}
        />
      ) : null}
    </Card>
  );
}

/** A document's actions in a list: its PDF, and "Record a payment" while something is owed on it. */
export function InvoiceActions(props: { invoice: Invoice; onPdf: (i: Invoice, receipt?: boolean) => void; onPay: (i: Invoice) => void; paying?: boolean; onReminded: (message: string, failed: boolean) => void }) {
  const { api } = useConsole();
  const { ct, yen } = useTexts();
  const [reminding, setReminding] = useState(false);
  const i = props.invoice;
  // A payment-reminder notice with the PDF (POST /v1/invoices/{id}/reminders): once a day an invoice.
  async function remind() {
    setReminding(true);
    try {
      const sent = await api.post<{ number: string; balance: number; sentTo: string }>(`/v1/invoices/${i.id}/reminders`, {});
      props.onReminded(ct('reminderSent', { number: sent.number, balance: yen(sent.balance), to: sent.sentTo }), false);
    } catch (err) {
      props.onReminded(toProblem(err).detail, true);
    } finally {
      setReminding(false);
    }
  }
  return (
    <span className="kc-row-actions">
      <Button variant="secondary" onClick={() => props.onPdf(i)} aria-label={ct('pdfOf', { number: i.number })}>
        {ct('pdf')}
      </Button>
      {i.kind === 'invoice' && i.status === 'paid' ? (
        <Button variant="secondary" onClick={() => props.onPdf(i, true)} aria-label={ct('receiptOf', { number: i.number })} data-testid={`receipt-${i.number}`}>
          {ct('receipt')}
        </Button>
      ) : null}
      {payable(i) ? (
        <>
          <Button onClick={() => props.onPay(i)} aria-label={ct('recordPaymentOf', { number: i.number })} aria-expanded={props.paying} data-testid={`pay-${i.number}`}>
            {ct('recordPayment')}
          </Button>
          <Button variant="secondary" busy={reminding} onClick={() => void remind()} aria-label={ct('remindOf', { number: i.number })} data-testid={`remind-${i.number}`}>
            {ct('remind')}
          </Button>
        </>
      ) : null}
    </span>
  );
}
