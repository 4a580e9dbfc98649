/**
 * Effects and warnings of an order or quote: a stable code, the facts it states, and messages for
 * people in Japanese and English (API.md: `effects` and `warnings` are `{code, message, ...}`).
 */
import { formatDateEn, formatDateJa } from './notice-templates.js';

type Params = Record<string, string | number>;

/** A business date of the params as people read it (the params keep `YYYY-MM-DD`). */
const ja = (d: string | number | undefined) => formatDateJa(String(d));
const en = (d: string | number | undefined) => formatDateEn(String(d));

export const NOTES = {
  limit_changed: {
    en: (p: Params) => `${p.limit}: ${p.from} → ${p.to}`,
    ja: (p: Params) => `${p.limit}: ${p.from} → ${p.to}`,
  },
  feature_gained: {
    en: (p: Params) => `Feature gained: ${p.feature}`,
    ja: (p: Params) => `利用可能になる機能: ${p.feature}`,
  },
  feature_lost: {
    en: (p: Params) => `Feature lost: ${p.feature}`,
    ja: (p: Params) => `利用できなくなる機能: ${p.feature}`,
  },
  // No `from` (or the '-' of quotes stored before 2026-11-28): the account had no plan.
  plan_changed: {
    en: (p: Params) => `Plan: ${p.from === undefined || p.from === '-' ? 'none' : p.from} → ${p.to}`,
    ja: (p: Params) => `プラン: ${p.from === undefined || p.from === '-' ? 'なし' : p.from} → ${p.to}`,
  },
  starts_later: {
    en: (p: Params) => `The contract starts on ${en(p.start)}; until then the account stays on ${p.current}.`,
    ja: (p: Params) => `契約は${ja(p.start)}に開始します。それまでは ${p.current} のままです。`,
  },
  renewal_offer_better: {
    en: (p: Params) => `The upgrade renewal is open: for ${p.price} you get ${p.planName} from today until ${en(p.newEnd)} (your remaining days + 1 year).`,
    ja: (p: Params) => `更新受付中です。${p.price} で、本日から${ja(p.newEnd)}まで（残り期間＋1年）${p.planName} をご利用いただけます。`,
  },
  validity_extended: {
    en: (p: Params) => `Valid until: ${en(p.from)} → ${en(p.to)}`,
    ja: (p: Params) => `有効期限: ${ja(p.from)} → ${ja(p.to)}`,
  },
  members_will_be_deactivated: {
    en: (p: Params) => `${p.count} member(s) over the seat limit will be deactivated on ${en(p.on)}.`,
    ja: (p: Params) => `${ja(p.on)}に席数の上限を超える ${p.count} 名のメンバーが無効化されます。`,
  },
  reupload_required: {
    en: (p: Params) => `The heatmap feature is ${p.change}: download the book files again and upload them to your server (external publishing: developer).`,
    ja: (p: Params) => `ヒートマップ機能が${p.change === 'gained' ? '追加' : '削除'}されるため、書籍ファイルを再度ダウンロードし、お使いのサーバーへアップロードしてください（外部サーバー公開: 開発者向け）。`,
  },
  storage_over_limit: {
    en: (p: Params) => `${p.usage} MB are stored and ${p.planName} allows ${p.limit} MB: the content stays, but new pages and uploads are refused until usage is under the limit.`,
    ja: (p: Params) => `現在 ${p.usage} MB を使用しており、${p.planName} の上限は ${p.limit} MB です。既存のコンテンツはそのまま残りますが、上限を下回るまでページ追加やアップロードはできません。`,
  },
  change_takes_effect: {
    en: (p: Params) => `The new limits apply when the order completes; the new term is billed from ${en(p.billedFrom)} to ${en(p.end)}. The current term's remainder is neither refunded nor billed again.`,
    ja: (p: Params) => `新しい上限は手続き完了時から適用され、新しい契約期間（${ja(p.billedFrom)}〜${ja(p.end)}）の料金が請求されます。現在の契約期間の残りの返金・精算はありません。`,
  },
} as const;

export type NoteCode = keyof typeof NOTES;

/** One effect or warning of an order. */
export interface Note {
  readonly code: NoteCode;
  readonly params: Params;
}

export function note(code: NoteCode, params: Params): Note {
  return { code, params };
}

/** The note as the API shows it: its code, its facts and a message in the language asked for. */
export function renderNote(n: Note, lang: 'ja' | 'en'): Record<string, string | number> {
  return { code: n.code, ...n.params, message: NOTES[n.code][lang](n.params) };
}
