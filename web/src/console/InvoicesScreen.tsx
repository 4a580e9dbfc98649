/**
 * Invoices across accounts (GET /v1/invoices): the unpaid ones to match a bank transfer to (by its
 * amount, the payer's name, the invoice number) and record it; the overdue ones, oldest due first,
 * with how many days over, reminded one by one or all at once; a month's documents with their sums. The filter is kept in the address
 * (`/console/invoices?view=unpaid&month=2026-04&q=5500`), so a reload or a link shows the same list.
 */
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { downloadFile, openPdf, toProblem } from '../shared/api.js';
import type { Problem } from '../shared/api.js';
import { Button, Card, Field, ProblemAlert } from '../shared/ui.js';
import { formProblem, focusFirstInvalid } from '../shared/validate.js';
import { useConsole, useLoad, useTexts } from './context.js';
import { ConsoleLink, DataTable, LoadProblem, Loading, Outcome, StatusBadge } from './parts.js';
import type { Invoice } from './types.js';
import { RecordPaymentForm } from './RecordPaymentForm.js';
import { InvoiceActions, shownStatus } from './InvoicesCard.js';

const VIEWS = {
  unpaid: { status: 'open,overdue', sort: 'dueOn' },
  overdue: { status: 'overdue', sort: 'dueOn' },
  paid: { status: 'paid', sort: '-issuedOn' },
  all: { status: '', sort: '-issuedOn' },
} as const;
type View = keyof typeof VIEWS;
const LIMIT = 200;

interface Listed extends Invoice {
  accountId: string;
  accountName: string;
  accountEmail: string;
}
interface Found {
  invoices: Listed[];
  totals: { count: number; invoiced: number; credited: number; balance: number };
}
interface Filter {
  view: View;
  month: string;
  q: string;
}

const isMonth = (v: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v);

/** Days from one business date to another (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  const utc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

function fromAddress(): Filter {
  const p = new URLSearchParams(window.location.search);
  const view = p.get('view') ?? 'unpaid';
  return { view: view in VIEWS ? (view as View) : 'unpaid', month: p.get('month') ?? '', q: p.get('q') ?? '' };
}

function queryOf(f: Filter): string {
  const v = VIEWS[f.view];
  const p = new URLSearchParams({ sort: v.sort, limit: String(LIMIT) });
  if (v.status) p.set('status', v.status);
  if (isMonth(f.month)) {
    const [y, m] = f.month.split('-').map(Number) as [number, number];
    p.set('issuedFrom', `${f.month}-01`);
    p.set('issuedTo', `${f.month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`);
  }
  if (f.q.trim()) p.set('q', f.q.trim());
  return p.toString();
}

export function InvoicesScreen() {
  const { api, today } = useConsole();
  const i18n = useTexts();
  const { ct, t, label, yen, yenPlain, date, lang } = i18n;
  const form = useRef<HTMLFormElement>(null);
  const [typed, setTyped] = useState<Filter>(fromAddress);
  const [shown, setShown] = useState<Filter>(fromAddress);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [paying, setPaying] = useState<Listed | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [reminding, setReminding] = useState<'confirm' | 'sending' | null>(null);
  const found = useLoad(() => api.get<Found>(`/v1/invoices?${queryOf(shown)}`), [api, shown, version]);

  function show(e: FormEvent) {
    e.preventDefault();
    const own = formProblem({ month: typed.month !== '' && !isMonth(typed.month) ? ct('invCheckMonth') : undefined }, i18n);
    setProblem(own);
    if (own) {
      focusFirstInvalid(form.current);
      return;
    }
    setShown({ ...typed, q: typed.q.trim() });
    setDone(null);
    setPaying(null);
    const p = new URLSearchParams({ view: typed.view });
    if (typed.month) p.set('month', typed.month);
    if (typed.q.trim()) p.set('q', typed.q.trim());
    window.history.replaceState(null, '', `/console/invoices?${p.toString()}`);
  }

  /** The document's PDF, or the receipt of a paid invoice. */
  async function pdf(i: Invoice, receipt = false) {
    try {
      await openPdf(api, `/v1/invoices/${i.id}/${receipt ? 'receipt' : 'pdf'}?lang=${lang}`);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }

  async function csv() {
    const p = new URLSearchParams(queryOf(shown));
    p.delete('sort');
    p.delete('limit');
    p.set('lang', lang);
    setProblem(null);
    setExporting(true);
    try {
      await downloadFile(api, `/v1/invoices.csv?${p.toString()}`, `invoices${isMonth(shown.month) ? `-${shown.month}` : ''}.csv`);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setExporting(false);
    }
  }

  /**
   * 督促 for every overdue invoice shown, one after the other through the same call as a row's
   * button (POST /v1/invoices/{id}/reminders): those already reminded today are counted, not sent
   * again (409 reminder_already_sent); any other refusal is said with its count.
   */
  async function remindAll(invoices: Listed[]) {
    setReminding('sending');
    setProblem(null);
    setDone(null);
    let sent = 0;
    let already = 0;
    const failures: string[] = [];
    for (const i of invoices) {
      try {
        await api.post(`/v1/invoices/${i.id}/reminders`, {});
        sent++;
      } catch (err) {
        const p = toProblem(err);
        if (p.code === 'reminder_already_sent') already++;
        else failures.push(`${i.number}: ${p.detail}`);
      }
    }
    setReminding(null);
    setDone(ct('invRemindAllDone', { sent, already }));
    if (failures.length > 0) setProblem({ status: 409, code: 'reminders', detail: ct('invRemindAllFailed', { failed: failures.length, detail: failures.join(' / ') }), errors: [] });
  }

  const data = found.data;
  const overdueShown = shown.view === 'overdue' ? (data?.invoices ?? []).filter((i) => i.kind === 'invoice' && i.status === 'overdue') : [];
  return (
    <Card testId="invoices-screen">
      <p>{ct('invIntro')}</p>
      <form ref={form} className="kc-search" onSubmit={show} noValidate role="search" data-testid="invoices-filter">
        <Field label={ct('invView')} name="view">
          {({ id }) => (
            <select id={id} value={typed.view} onChange={(e) => setTyped({ ...typed, view: e.target.value as View })} data-testid="invoices-view">
              {(Object.keys(VIEWS) as View[]).map((v) => (
                <option key={v} value={v}>
                  {label('invView', v)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={ct('invMonth')} name="month" hint={ct('invMonthHint')} problem={problem}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="month" placeholder="2026-04" value={typed.month} onChange={(e) => setTyped({ ...typed, month: e.target.value })} aria-describedby={describedBy} aria-invalid={invalid || undefined} data-testid="invoices-month" />
          )}
        </Field>
        <Field label={ct('invSearch')} name="q" hint={ct('invSearchHint')}>
          {({ id, describedBy }) => <input id={id} type="search" className="kc-input" value={typed.q} onChange={(e) => setTyped({ ...typed, q: e.target.value })} aria-describedby={describedBy} data-testid="invoices-q" />}
        </Field>
        <Button type="submit">{ct('invFind')}</Button>
      </form>
      <ProblemAlert problem={problem} fields={['month']} />
      {done ? <Outcome testId="invoices-payment-done">{done}</Outcome> : null}
      <LoadProblem problem={found.problem} onRetry={() => void found.reload()} />
      <Loading when={found.loading && !data} />
      {data ? (
        <>
          <div className="kc-totals">
            <p className="k-muted" data-testid="invoices-totals">
              {ct('invTotals', { count: data.totals.count.toLocaleString('en-US'), invoiced: yen(data.totals.invoiced), credited: yen(data.totals.credited), balance: yen(data.totals.balance) })}
              {data.totals.count > data.invoices.length ? ct('invShownFirst', { shown: data.invoices.length }) : ''}
            </p>
            <Button variant="secondary" busy={exporting} onClick={() => void csv()} disabled={data.totals.count === 0} data-testid="invoices-csv" title={ct('invCsvHint')}>
              {ct('invCsv')}
            </Button>
          </div>
          {overdueShown.length > 0 ? (
            <div className="k-actions" data-testid="remind-all">
              {reminding === null ? (
                <Button variant="secondary" onClick={() => setReminding('confirm')} data-testid="remind-all-start">
                  {ct('invRemindAll', { count: overdueShown.length })}
                </Button>
              ) : (
                <>
                  <span>{ct('invRemindAllConfirm', { count: overdueShown.length })}</span>
                  <Button busy={reminding === 'sending'} onClick={() => void remindAll(overdueShown)} data-testid="remind-all-go">
                    {ct('invRemindAllGo')}
                  </Button>
                  <Button variant="secondary" disabled={reminding === 'sending'} onClick={() => setReminding(null)}>
                    {ct('invRemindAllCancel')}
                  </Button>
                </>
              )}
            </div>
          ) : null}
          <DataTable
            testId="invoices-list"
            rows={data.invoices}
            rowKey={(i) => i.id}
            rowTestId={(i) => `invoice-${i.number}`}
            empty={ct('invNone')}
            columns={[
              {
                header: ct('number'),
                cell: (i) => (
                  <>
                    <span className="kc-code kc-nowrap">{i.number}</span>
                    {i.kind !== 'invoice' ? <span className="kc-sub">{label('kind', i.kind)}</span> : null}
                  </>
                ),
              },
              { header: ct('account'), cell: (i) => <ConsoleLink to={`/console/accounts/${i.accountId}`}>{i.accountName}</ConsoleLink> },
              { header: ct('issuedOn'), cell: (i) => <span className="kc-nowrap">{date(i.issuedOn)}</span> },
              {
                header: ct('dueOn'),
                cell: (i) =>
                  i.kind === 'invoice' ? (
                    <>
                      <span className="kc-nowrap">{date(i.dueOn)}</span>
                      {i.status === 'overdue' && today && daysBetween(i.dueOn, today) > 0 ? (
                        <span className="kc-sub">
                          <span className="k-badge" data-kind="warn" data-testid="days-over">
                            {ct('invDaysOver', { days: daysBetween(i.dueOn, today) })}
                          </span>
                        </span>
                      ) : null}
                    </>
                  ) : (
                    '—'
                  ),
              },
              { header: t('total'), cell: (i) => yenPlain(i.amount.total), numeric: true },
              { header: ct('balance'), cell: (i) => (i.kind === 'invoice' && i.balance !== undefined ? <span data-testid="invoice-balance">{yenPlain(i.balance)}</span> : '—'), numeric: true },
              {
                header: t('status'),
                cell: (i) => (
                  <>
                    <StatusBadge prefix="status" code={shownStatus(i)} testId="invoice-status" />
                    <span className="kc-sub kc-nowrap">{label('pm', i.paymentMethod)}</span>
                  </>
                ),
              },
              {
                header: ct('actions'),
                cell: (i) => (
                  <InvoiceActions
                    invoice={i}
                    onPdf={(inv, receipt) => void pdf(inv, receipt)}
                    onPay={() => {
                      setDone(null);
                      setPaying(i);
                    }}
                    paying={paying?.id === i.id}
                    onReminded={(message, failed) => {
                      setProblem(failed ? { status: 409, code: 'reminder', detail: message, errors: [] } : null);
                      setDone(failed ? null : message);
                    }}
                  />
                ),
              },
            ]}
          />
        </>
      ) : null}
      {paying ? (
        <>
          <p className="kc-form" style={{ marginBottom: 0 }} data-testid="paying-account">
            {ct('account')}: <strong>{paying.accountName}</strong> <span className="k-muted">{paying.accountEmail}</span>
          </p>
          <RecordPaymentForm
            key={paying.id}
            invoice={paying}
            onClose={() => setPaying(null)}
            onDone={(message) => {
              setPaying(null);
              setDone(message);
              setVersion((v) => v + 1);
            }}
          />
        </>
      ) : null}
    </Card>
  );
}
