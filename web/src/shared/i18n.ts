/**
 * Japanese and English for the portal and console. The customer chooses; the choice is kept in
 * localStorage; the default comes from the browser (navigator.languages). Amounts are shown tax
 * included (SPEC G2): "5,500円（税込）" / "¥5,500 (tax incl.)"; dates "2026年7月1日" / "July 1, 2026".
 */
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

/** A text in both languages; `{name}` placeholders are filled from params. */
export interface Text {
  ja: string;
  en: string;
}

const STORAGE_KEY = 'keiyaku.lang';

/** Words both apps use. Screens keep their own texts next to them as `{ ja, en }` pairs. */
export const common = {
  language: { ja: '言語', en: 'Language' },
  skipToContent: { ja: '本文へ移動', en: 'Skip to content' },
  mainNav: { ja: 'メインメニュー', en: 'Main menu' },
  loading: { ja: '読み込み中…', en: 'Loading…' },
  back: { ja: '戻る', en: 'Back' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
  next: { ja: '次へ', en: 'Next' },
  close: { ja: '閉じる', en: 'Close' },
  retry: { ja: '再読み込み', en: 'Reload' },
  none: { ja: 'なし', en: 'None' },
  error: { ja: 'エラー', en: 'Error' },
  checkEntries: { ja: '入力内容を確認してください。', en: 'Check the entries marked below.' },
  requestNotAccepted: { ja: '入力内容を受け付けられませんでした。内容を確認して、もう一度お試しください。', en: 'The entries could not be accepted. Check them and try again.' },
  signOut: { ja: 'ログアウト', en: 'Sign out' },
  plan: { ja: 'プラン', en: 'Plan' },
  period: { ja: '期間', en: 'Period' },
  amount: { ja: '金額', en: 'Amount' },
  status: { ja: '状態', en: 'Status' },
  email: { ja: 'メールアドレス', en: 'Email' },
  name: { ja: '名前', en: 'Name' },
  paymentMethod: { ja: 'お支払い方法', en: 'Payment method' },
  'pm.bank-transfer': { ja: '銀行振込', en: 'Bank transfer' },
  'pm.card': { ja: 'クレジットカード', en: 'Credit card' },
  'pm.paypal': { ja: 'PayPal', en: 'PayPal' },
  'pm.invoice': { ja: '請求書払い', en: 'Invoice payment' },
  'term.P1M': { ja: '1か月', en: '1 month' },
  'term.P3M': { ja: '3か月', en: '3 months' },
  'term.P6M': { ja: '6か月', en: '6 months' },
  'term.P12M': { ja: '12か月', en: '12 months' },
  'term.P1Y': { ja: '1年', en: '1 year' },
  subtotal: { ja: '小計（税抜）', en: 'Subtotal (excl. tax)' },
  tax: { ja: '消費税', en: 'Consumption tax' },
  total: { ja: '合計（税込）', en: 'Total (tax incl.)' },
} satisfies Record<string, Text>;
export type CommonKey = keyof typeof common;

function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** The language the browser prefers, Japanese or English (English when neither is listed). */
export function browserLang(): Lang {
  const prefs = typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [];
  for (const p of prefs) {
    const tag = (p ?? '').toLowerCase();
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function storedLang(): Lang | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'ja' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

/** "5,500円（税込）" / "¥5,500 (tax incl.)": a tax-included amount in yen (SPEC G2). */
export function formatYen(amount: number, lang: Lang): string {
  const n = Math.trunc(amount).toLocaleString('en-US');
  return lang === 'ja' ? `${n}円（税込）` : `¥${n} (tax incl.)`;
}

/** "5,000円" / "¥5,000": an amount without the tax note (subtotals, tax lines). */
export function formatYenPlain(amount: number, lang: Lang): string {
  const n = Math.trunc(amount).toLocaleString('en-US');
  return lang === 'ja' ? `${n}円` : `¥${n}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * "2026年7月1日" / "July 1, 2026" from a business date `YYYY-MM-DD` (parsed as text: a Date
 * would shift it by the browser's time zone). An instant (RFC 3339) shows its date part.
 */
export function formatDate(date: string | null | undefined, lang: Lang): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return lang === 'ja' ? `${y}年${mo}月${d}日` : `${MONTHS[mo - 1]} ${d}, ${y}`;
}

/** An inclusive period (SPEC G1): "2026年7月1日 〜 2026年7月31日" / "July 1, 2026 – July 31, 2026". */
export function formatPeriod(start: string | null | undefined, end: string | null | undefined, lang: Lang): string {
  return `${formatDate(start, lang)} ${lang === 'ja' ? '〜' : '–'} ${formatDate(end, lang)}`;
}

/** "2026年7月1日 09:00" / "July 1, 2026, 09:00": an instant on the vendor's wall clock. */
export function formatInstant(instant: string | null | undefined, timeZone: string, lang: Lang): string {
  if (!instant) return '';
  const parsed = Date.parse(instant);
  if (Number.isNaN(parsed)) return instant;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(parsed)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const day = formatDate(`${parts.year}-${parts.month}-${parts.day}`, lang);
  return `${day}${lang === 'ja' ? ' ' : ', '}${parts.hour}:${parts.minute}`;
}

/**
 * The vendor's calendar date of an instant (RFC 3339), formatted like formatDate. Business dates
 * are in the vendor's time zone (SPEC G1), Asia/Tokyo unless told otherwise.
 */
export function formatInstantDate(instant: string | null | undefined, lang: Lang, timeZone = 'Asia/Tokyo'): string {
  if (!instant) return '';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return formatDate(`${get('year')}-${get('month')}-${get('day')}`, lang);
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  /** A common word by key, or an inline `{ ja, en }` pair, with `{placeholders}` filled. */
  t(text: CommonKey | Text, params?: Record<string, string | number>): string;
  yen(amount: number): string;
  yenPlain(amount: number): string;
  date(date: string | null | undefined): string;
  period(start: string | null | undefined, end: string | null | undefined): string;
  /** The vendor-time date of an instant. */
  instant(instant: string | null | undefined): string;
}

function makeI18n(lang: Lang, setLang: (l: Lang) => void): I18n {
  return {
    lang,
    setLang,
    t: (text, params) => fill((typeof text === 'string' ? common[text] : text)[lang], params),
    yen: (n) => formatYen(n, lang),
    yenPlain: (n) => formatYenPlain(n, lang),
    date: (d) => formatDate(d, lang),
    period: (s, e) => formatPeriod(s, e, lang),
    instant: (i) => formatInstantDate(i, lang),
  };
}

const I18nContext = createContext<I18n>(makeI18n('ja', () => {}));

/** Holds the chosen language for the whole app; `initial` overrides storage and browser. */
export function I18nProvider(props: { children: ReactNode; initial?: Lang }): ReactNode {
  const [lang, setLangState] = useState<Lang>(() => props.initial ?? storedLang() ?? browserLang());
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  return createElement(I18nContext.Provider, { value }, props.children);
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
