/** Pieces several portal screens share: labels of limits and terms, a quote's contents. */
import { useState } from 'react';
import type { I18n, Text } from '../shared/i18n.js';
import { useI18n } from '../shared/i18n.js';
import type { ApiClient } from '../shared/api.js';
import { downloadFile, toProblem } from '../shared/api.js';
import { checkWhole } from '../shared/validate.js';
import { Button, Facts, Table } from '../shared/ui.js';
import { usePortal } from './PortalApp.js';
import type { CatalogProduct, Effect, Line, Quote } from './types.js';

const LIMITS: Record<string, Text> = {
  seats: { ja: 'アカウント数', en: 'Accounts (seats)' },
  connections: { ja: '接続数', en: 'Connections' },
  books: { ja: 'ブック数', en: 'Books' },
  storageMb: { ja: 'アップロード容量', en: 'Upload capacity' },
};
const FEATURES: Record<string, Text> = { heatmap: { ja: 'ヒートマップ分析', en: 'Heatmap analysis' } };

export function limitLabel(i18n: I18n, key: string): string {
  return LIMITS[key] ? i18n.t(LIMITS[key]) : key;
}

export function limitValue(i18n: I18n, key: string, n: number): string {
  const v = n.toLocaleString('en-US');
  if (key === 'storageMb') return `${v} MB`;
  if (key === 'seats') return i18n.lang === 'ja' ? `${v}名` : v;
  if (key === 'books') return i18n.lang === 'ja' ? `${v}冊` : v;
  return v;
}

/** The API takes at most this many accounts in one order. */
export const MAX_SEATS = 1_000_000;

/** What to enter in a field of accounts to add (the form's own checks, and the API's invalid_request). */
export function seatsText(i18n: I18n, size: number): string {
  const n = size.toLocaleString('en-US');
  return i18n.t({ ja: '{size}以上の整数でアカウント数を入力してください（{size}アカウント単位）。', en: 'Enter a whole number of accounts, {size} or more (in steps of {size}).' }, { size: n });
}

/**
 * The form's own check of accounts to add (spot orders, license additions) or to contract for (a
 * new contract, `{ adding: false }`): required, a whole number of at least one license, in the
 * license's steps, at most MAX_SEATS. The message, or undefined when the number is right.
 */
export function checkSeats(i18n: I18n, value: string, size: number, opts: { adding?: boolean } = {}): string | undefined {
  const { t } = i18n;
  const n = (v: number) => v.toLocaleString('en-US');
  const issue = checkWhole(value, { min: size, max: MAX_SEATS, step: size });
  if (!issue) return undefined;
  if (issue === 'empty')
    return opts.adding === false
      ? t({ ja: 'アカウント数を入力してください（{size}アカウント単位）。', en: 'Enter the number of accounts (in steps of {size}).' }, { size: n(size) })
      : t({ ja: '追加するアカウント数を入力してください（{size}アカウント単位）。', en: 'Enter the number of accounts to add (in steps of {size}).' }, { size: n(size) });
  if (issue === 'notStep') return t({ ja: 'アカウント数は{size}単位（{size}、{twice}、…）で入力してください。', en: 'Enter the accounts in steps of {size} ({size}, {twice}, …).' }, { size: n(size), twice: n(size * 2) });
  if (issue === 'tooBig') return t({ ja: 'アカウント数は{max}以下で入力してください。', en: 'Enter {max} accounts or fewer.' }, { max: n(MAX_SEATS) });
  return seatsText(i18n, size);
}

/**
 * The name of the account's plan as the portal shows it: the catalog's name (paid plans: "Plan 10",
 * "Starter" — product names, printed as such on invoices), except the free plan, which the
 * Japanese UI calls フリープラン (the catalog names it "Free"); docs/portal.md, "Plan names".
 */
export function planLabel(i18n: I18n, product: CatalogProduct, plan: { id: string; name: string } | null | undefined): string {
  if (!plan) return '';
  const free = product.plans.find((p) => p.id === plan.id)?.free;
  return free && i18n.lang === 'ja' ? 'フリープラン' : plan.name;
}

export function featureLabel(i18n: I18n, key: string): string {
  return FEATURES[key] ? i18n.t(FEATURES[key]) : key;
}

export function termLabel(i18n: I18n, term: string): string {
  const key = `term.${term}` as const;
  return key === 'term.P1M' || key === 'term.P3M' || key === 'term.P6M' || key === 'term.P12M' || key === 'term.P1Y' ? i18n.t(key) : term;
}

export function methodLabel(i18n: I18n, method: string | null | undefined): string {
  if (!method) return '';
  const key = `pm.${method}`;
  return key === 'pm.bank-transfer' || key === 'pm.card' || key === 'pm.paypal' || key === 'pm.invoice' ? i18n.t(key) : method;
}

const INVOICE_STATUS: Record<string, Text> = {
  open: { ja: '未払い', en: 'Open' },
  paid: { ja: '支払済み', en: 'Paid' },
  overdue: { ja: '支払期限超過', en: 'Overdue' },
  void: { ja: '無効', en: 'Void' },
  issued: { ja: '発行済み', en: 'Issued' },
};
export function invoiceStatusLabel(i18n: I18n, status: string): string {
  return INVOICE_STATUS[status] ? i18n.t(INVOICE_STATUS[status]) : status;
}

/**
 * An effect in the reader's words, from its stable code and fields (API.md "effects"); the API's
 * own message for codes the portal does not know.
 */
export function effectText(i18n: I18n, e: Effect, product?: CatalogProduct): string {
  const { t } = i18n;
  // A plan named in an effect: フリープラン for the catalog's free plan in Japanese, like planLabel.
  const planName = (v: unknown) => {
    const name = String(v ?? '');
    // No plan before (a product without a free plan): the API names no `from` ('-' in quotes stored before 2026-11-28).
    if (name === '' || name === '-') return t({ ja: 'プランなし', en: 'No plan' });
    const free = product?.plans.find((p) => p.free && p.name === name);
    return free ? planLabel(i18n, product!, free) : name;
  };
  const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));
  switch (e.code) {
    case 'limit_changed':
      if (typeof e.limit === 'string') return `${limitLabel(i18n, e.limit)}: ${limitValue(i18n, e.limit, num(e.from))} → ${limitValue(i18n, e.limit, num(e.to))}`;
      break;
    case 'feature_gained':
      if (typeof e.feature === 'string') return t({ ja: '使えるようになる機能: {f}', en: 'Feature gained: {f}' }, { f: featureLabel(i18n, e.feature) });
      break;
    case 'feature_lost':
      if (typeof e.feature === 'string') return t({ ja: '使えなくなる機能: {f}', en: 'Feature lost: {f}' }, { f: featureLabel(i18n, e.feature) });
      break;
    case 'plan_changed':
      return t({ ja: 'プラン: {from} → {to}', en: 'Plan: {from} → {to}' }, { from: planName(e.from), to: planName(e.to) });
    case 'validity_extended':
      return t({ ja: '有効期限: {from} → {to}', en: 'Valid until: {from} → {to}' }, { from: i18n.date(String(e.from ?? '')), to: i18n.date(String(e.to ?? '')) });
  }
  return e.message;
}

/** A line's item in the reader's language. */
export function lineText(l: Line, lang: 'ja' | 'en'): string {
  return lang === 'ja' ? (l.descriptionJa ?? l.description) : l.description;
}

/** The contents of a quote or order: lines, subtotal, tax, total, period, due date, effects. */
export function QuoteView(props: { quote: Quote; periodLabel?: Text; testId?: string }) {
  const i18n = useI18n();
  const { t, yen, yenPlain, period, date } = i18n;
  const q = props.quote;
  const { product } = usePortal();
  return (
    <div data-testid={props.testId ?? 'quote'}>
      <Table
        rows={q.lines}
        rowKey={(l) => l.description}
        columns={[
          { header: t({ ja: '内容', en: 'Description' }), cell: (l) => lineText(l, i18n.lang) },
          { header: t({ ja: '数量', en: 'Qty' }), cell: (l) => l.quantity, numeric: true },
          { header: t({ ja: '金額（税抜）', en: 'Amount (excl. tax)' }), cell: (l) => yenPlain(l.amount), numeric: true },
        ]}
      />
      <div style={{ marginTop: '.75rem' }}>
        <Facts
          items={[
            [t('subtotal'), yenPlain(q.amount.subtotal)],
            [t('tax'), yenPlain(q.amount.tax)],
            [t({ ja: 'ご請求金額', en: 'Amount billed' }), <strong data-testid="quote-total">{yen(q.amount.total)}</strong>],
            [t(props.periodLabel ?? 'period'), <span data-testid="quote-period">{period(q.period.start, q.period.end)}</span>],
            ...(q.paymentMethod ? ([[t('paymentMethod'), methodLabel(i18n, q.paymentMethod)]] as Array<[string, string]>) : []),
            ...(q.dueOn ? ([[t({ ja: 'お支払期限', en: 'Payment due' }), date(q.dueOn)]] as Array<[string, string]>) : []),
          ]}
        />
      </div>
      {q.effects.length + q.warnings.length > 0 ? (
        <ul data-testid="quote-effects">
          {q.effects.map((e, i) => (
            <li key={`e${i}`} data-code={e.code}>
              {effectText(i18n, e, product)}
            </li>
          ))}
          {q.warnings.map((w, i) => (
            <li key={`w${i}`} data-code={w.code}>
              <strong>{w.message}</strong>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A button that downloads a document's PDF with the portal token. */
export function PdfButton(props: { api: ApiClient; path: string; filename: string; label: string; text?: string; testId?: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <Button
        variant="secondary"
        busy={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await downloadFile(props.api, props.path, props.filename);
          } catch (err) {
            setError(toProblem(err).detail);
          } finally {
            setBusy(false);
          }
        }}
        aria-label={props.label}
        data-testid={props.testId}
      >
        {props.text ?? 'PDF'}
      </Button>
      {error ? (
        <span className="k-field-error" role="alert">
          {t('error')}: {error}
        </span>
      ) : null}
    </span>
  );
}
