/**
 * Effects and warnings of an order or quote: a stable code, the facts it states, and messages for
 * people in Japanese and English (API.md: `effects` and `warnings` are `{code, message, ...}`).
 */
type Params = Record<string, string | number>;

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
  plan_changed: {
    en: (p: Params) => `Plan: ${p.from} → ${p.to}`,
    ja: (p: Params) => `プラン: ${p.from} → ${p.to}`,
  },
  starts_later: {
    en: (p: Params) => `The contract starts on ${p.start}; until then the account stays on ${p.current}.`,
    ja: (p: Params) => `契約は ${p.start} に開始します。それまでは ${p.current} のままです。`,
  },
  renewal_offer_better: {
    en: (p: Params) => `The upgrade renewal is open: for ${p.price} you get ${p.planName} from today until ${p.newEnd} (your remaining days + 1 year).`,
    ja: (p: Params) => `更新受付中です。${p.price} で、本日から ${p.newEnd} まで（残り期間＋1年）${p.planName} をご利用いただけます。`,
  },
  validity_extended: {
    en: (p: Params) => `Valid until ${p.from} → ${p.to}`,
    ja: (p: Params) => `有効期限: ${p.from} → ${p.to}`,
  },
  members_will_be_deactivated: {
    en: (p: Params) => `${p.count} member(s) over the seat limit will be deactivated on ${p.on}.`,
    ja: (p: Params) => `${p.on} に席数の上限を超える ${p.count} 名のメンバーが無効化されます。`,
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
