/**
 * Notice (email) templates in Japanese and English (SPEC §6: notices are kept with their rendered
 * text). Pure: the facts come in as params, already chosen by the caller; dates are business dates
 * `YYYY-MM-DD`, amounts integer yen.
 */
import { parseDate } from './calendar.js';
import { formatTaxIncluded, formatYen } from './money.js';
import type { Yen } from './money.js';

export type NoticeLang = 'ja' | 'en';

/** The facts each kind of notice states. */
export interface NoticeParams {
  /** SPEC P3: the upgrade-renewal window of a premium contract has opened. */
  'renewal-offer-open': { planName: string; end: string; opens: string };
  /** 30 days before a contract's end. */
  'expiry-reminder': { planName: string; end: string };
  /** A term ended and the contract renewed for the next (`start` … `end`), with its renewal invoice; `total` tax included (SPEC G2). */
  'contract-renewed': { planName: string; start: string; end: string; total: Yen; dueOn: string; invoiceNumber: string };
  /** SPEC P2: the contract ended; the account is on the free plan, its entries kept. */
  'contract-expired': { planName: string; end: string; freePlanName: string };
  /** SPEC P5: the operator cancelled the contract on the customer's behalf, with a refund (credit note) or none. */
  'contract-cancelled': { planName: string; cancelledFrom: string; freePlanName: string | null; refundTotal: Yen | null; creditNoteNumber: string | null };
  /** SPEC S9: the seat limit drops on `on` and `count` members will be deactivated. */
  'members-will-be-deactivated': { count: number; on: string };
  /** An order completed; `total` is the tax-included amount billed (SPEC G2). */
  'order-completed': { planName: string; total: Yen; dueOn: string; invoiceNumber?: string | undefined };
  /** SPEC B9, B10: a plan change completed; `reupload` when the heatmap changed for a developer publisher. */
  'plan-change-completed': { fromPlan: string; planName: string; total: Yen; dueOn: string; billedFrom: string; reupload: boolean; invoiceNumber?: string | undefined };
  /**
   * SPEC B9: an order placed with bank transfer, card or PayPal waits for acceptance; this is its
   * billing statement. `validUntil`: the last day it can be accepted as stated (the period moves
   * with the month of acceptance, B3).
   */
  'statement-issued': { orderId: string; planName: string; subtotal: Yen; tax: Yen; total: Yen; periodStart: string; periodEnd: string; validUntil: string };
  /** SPEC B9: an order paid by invoice waits for acceptance; its quotation (PDF attached). */
  'quotation-issued': { orderId: string; quoteNumber: string; planName: string; subtotal: Yen; tax: Yen; total: Yen; periodStart: string; periodEnd: string; validUntil: string };
  /** SPEC B9: an order awaiting acceptance was withdrawn by the customer, or cancelled by the operator (`byOperator`); nothing is billed. */
  'order-cancelled': { orderId: string; orderType: string; total: Yen; placedOn: string; byOperator: boolean };
  /** SPEC §6: an invoice is unpaid after its due date; `balance` is what remains to pay. */
  'invoice-overdue': { invoiceId: string; invoiceNumber: string; total: Yen; balance: Yen; dueOn: string };
  /** SPEC §6: a payment was recorded against an invoice; `balance` is what remains (0: paid in full). */
  'payment-received': { invoiceId: string; invoiceNumber: string; amount: Yen; paidOn: string; balance: Yen };
  /** SPEC §6: the operator reminds the customer of an unpaid invoice (its PDF attached); `overdue`: its due date has passed. */
  'payment-reminder': { invoiceId: string; invoiceNumber: string; total: Yen; balance: Yen; dueOn: string; overdue: boolean };
  /** The customer asked for a sign-in link to the portal (`url`, with its token), valid `minutes`. */
  'portal-link': { url: string; minutes: number };
  /** The customer asked to move the account to `newEmail`: sent there, with the link (`url`) that confirms it, valid `minutes`. */
  'email-change-confirm': { url: string; newEmail: string; minutes: number };
  /** The account's email was changed: sent to the old address, so its owner learns of it. */
  'email-changed': { oldEmail: string; newEmail: string };
}

export type NoticeKind = keyof NoticeParams;

export interface RenderedNotice {
  subject: string;
  body: string;
}

/** Who the notice is addressed to and who signs it; both optional. */
export interface NoticeParties {
  recipientName?: string | undefined;
  senderName?: string | undefined;
}

export type NoticeTemplate<K extends NoticeKind> = Record<NoticeLang, (params: NoticeParams[K]) => RenderedNotice>;

/** An order's type as the customer reads it (API.md's order types). */
const ORDER_TYPE_JA: Record<string, string> = { 'new-contract': '新規契約', spot: 'スポット', 'license-addition': 'ライセンス追加', 'plan-change': 'プラン変更', upgrade: 'アップグレード', renewal: '更新' };
const ORDER_TYPE_EN: Record<string, string> = { 'new-contract': 'new contract', spot: 'spot', 'license-addition': 'license addition', 'plan-change': 'plan change', upgrade: 'upgrade', renewal: 'renewal' };

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A business date the way Japanese letters write it.
 *
 * @example
 * formatDateJa('2026-07-01'); // '2026年7月1日'
 */
export function formatDateJa(date: string): string {
  const d = parseDate(date);
  return `${d.year}年${d.month}月${d.day}日`;
}

/**
 * A business date in English, day first (unambiguous for every reader).
 *
 * @example
 * formatDateEn('2026-07-01'); // '1 July 2026'
 */
export function formatDateEn(date: string): string {
  const d = parseDate(date);
  return `${d.day} ${MONTHS_EN[d.month - 1]} ${d.year}`;
}

/** SPEC P3: a renewal makes the new end the current end + 1 year. */
function endPlusOneYear(end: string): string {
  return parseDate(end).add({ years: 1 }).toString();
}

/** Where the invoice is: attached (its PDF goes with the mail, SPEC B9) and in the portal. */
function invoiceLineJa(invoiceNumber: string | undefined): string {
  return invoiceNumber ? `請求書（${invoiceNumber}）のPDFを添付しております。ポータルからもご確認いただけます。` : '請求書はポータルからご確認いただけます。';
}

function invoiceLineEn(invoiceNumber: string | undefined): string {
  return invoiceNumber ? `The invoice ${invoiceNumber} is attached as a PDF; you can also see it in the portal.` : 'You can see the invoice in the portal.';
}

/** What a notice that bills states: the amount (tax included), the due date and the invoice. */
function billedJa(total: Yen, dueOn: string, invoiceNumber: string | undefined): string[] {
  return [`ご請求金額: ${formatTaxIncluded(total, 'ja')}`, `お支払期限: ${formatDateJa(dueOn)}`, '', invoiceLineJa(invoiceNumber)];
}

function billedEn(total: Yen, dueOn: string, invoiceNumber: string | undefined): string[] {
  return [`Amount: ${formatTaxIncluded(total, 'en')}`, `Due date: ${formatDateEn(dueOn)}`, '', invoiceLineEn(invoiceNumber)];
}

export const NOTICE_TEMPLATES: { [K in NoticeKind]: NoticeTemplate<K> } = {
  'renewal-offer-open': {
    ja: (p) => ({
      subject: `【更新のご案内】「${p.planName}」の更新手続きができるようになりました`,
      body: [
        `ご契約中の「${p.planName}」の有効期限は${formatDateJa(p.end)}です。`,
        `${formatDateJa(p.opens)}から、更新のお手続きができるようになりました。`,
        '',
        '現在と同じプラン、またはより上位のプランへ更新いただけます（下位のプランへの更新はできません）。',
        `新しいプランはお手続きの日から適用され、新しい有効期限は${formatDateJa(endPlusOneYear(p.end))}となります。`,
        '料金は新しいプランの1年分です。',
        '',
        '自動更新はございませんので、引き続きご利用の場合は有効期限までにお手続きをお願いいたします。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Renewal: you can now renew ${p.planName}`,
      body: [
        `Your contract for ${p.planName} is valid until ${formatDateEn(p.end)}.`,
        `From ${formatDateEn(p.opens)} you can renew it.`,
        '',
        'You can renew into the same plan or a higher one (not a lower one).',
        `The new plan applies from the day you renew, and it is valid until ${formatDateEn(endPlusOneYear(p.end))}.`,
        "The price is the new plan's 1-year price.",
        '',
        'Plans do not renew automatically: to keep your plan, please renew before it ends.',
      ].join('\n'),
    }),
  },
  'expiry-reminder': {
    ja: (p) => ({
      subject: `【有効期限のお知らせ】「${p.planName}」の有効期限は${formatDateJa(p.end)}です`,
      body: [
        `ご契約中の「${p.planName}」は、${formatDateJa(p.end)}に有効期限を迎えます。`,
        '',
        '引き続きご利用いただく場合は、有効期限までに更新のお手続きをお願いいたします。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Your contract for ${p.planName} ends on ${formatDateEn(p.end)}`,
      body: [`Your contract for ${p.planName} ends on ${formatDateEn(p.end)}.`, '', 'To keep using it, please renew before that date.'].join('\n'),
    }),
  },
  'contract-cancelled': {
    ja: (p) => ({
      subject: `【ご契約解約のお知らせ】「${p.planName}」を解約しました`,
      body: [
        `ご契約いただいていた「${p.planName}」は、${formatDateJa(p.cancelledFrom)}付けで解約いたしました。`,
        p.freePlanName ? `現在のプランは「${p.freePlanName}」です。登録いただいた内容はそのまま残っています。` : '現在、有料プランのご契約はありません。',
        ...(p.refundTotal && p.creditNoteNumber ? ['', `返金額 ${formatTaxIncluded(p.refundTotal, 'ja')}について、返還請求書 ${p.creditNoteNumber} を発行いたしました。`] : []),
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Your ${p.planName} contract was cancelled`,
      body: [
        `Your ${p.planName} contract was cancelled as of ${formatDateEn(p.cancelledFrom)}.`,
        p.freePlanName ? `You are now on the ${p.freePlanName} plan; everything you registered is kept.` : 'You have no paid contract now.',
        ...(p.refundTotal && p.creditNoteNumber ? ['', `A refund of ${formatTaxIncluded(p.refundTotal, 'en')} is stated in credit note ${p.creditNoteNumber}.`] : []),
      ].join('\n'),
    }),
  },
  'contract-renewed': {
    ja: (p) => ({
      subject: `【契約更新のお知らせ】「${p.planName}」のご契約を更新しました`,
      body: [
        `ご契約いただいている「${p.planName}」は、契約期間の満了に伴い自動更新されました。`,
        '',
        `新しい契約期間: ${formatDateJa(p.start)}〜${formatDateJa(p.end)}`,
        ...billedJa(p.total, p.dueOn, p.invoiceNumber),
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Your contract for ${p.planName} has renewed`,
      body: [
        `Your contract for ${p.planName} reached the end of its term and has renewed.`,
        '',
        `New term: ${formatDateEn(p.start)} – ${formatDateEn(p.end)}`,
        ...billedEn(p.total, p.dueOn, p.invoiceNumber),
      ].join('\n'),
    }),
  },
  'contract-expired': {
    ja: (p) => ({
      subject: `【契約終了のお知らせ】「${p.planName}」の有効期限が終了しました`,
      body: [
        `ご契約いただいていた「${p.planName}」は、${formatDateJa(p.end)}をもって有効期限が終了しました。`,
        `現在のプランは「${p.freePlanName}」です。`,
        '',
        'ご登録いただいたデータはすべてそのまま保持されており、制限されるのは一部の機能のみです。',
        '有料プランを再びご利用いただく場合は、お好きなプランで新たにご契約ください。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Your contract for ${p.planName} has ended`,
      body: [
        `Your contract for ${p.planName} was valid until ${formatDateEn(p.end)} and has ended. Your account is now on ${p.freePlanName}.`,
        '',
        'Everything you entered is kept; only some features are limited.',
        'To use a paid plan again, start a new contract on any plan.',
      ].join('\n'),
    }),
  },
  'members-will-be-deactivated': {
    ja: (p) => ({
      subject: `【重要】${formatDateJa(p.on)}にメンバー${p.count}名のアカウントが無効になります`,
      body: [
        `${formatDateJa(p.on)}にご利用可能な席数が減るため、上限を超える${p.count}名のメンバーのアカウントが無効になります。`,
        '対象は登録日の新しいメンバーから順に選ばれます（スポット契約の終了時は、その期間中に登録されたメンバーが対象です。管理者のアカウントは対象外です）。',
        '',
        '無効になったアカウントはログインできなくなり、グループ「Auto Deactivation」に移動します。',
        'データはすべて保持され、空きの席ができれば再び有効にできます。',
        '',
        `引き続きすべてのメンバーでご利用になる場合は、${formatDateJa(p.on)}より前に席の追加をご検討ください。`,
      ].join('\n'),
    }),
    en: (p) => {
      const members = p.count === 1 ? '1 member' : `${p.count} members`;
      return {
        subject: `Important: ${members} will be deactivated on ${formatDateEn(p.on)}`,
        body: [
          `On ${formatDateEn(p.on)} your seat limit drops, and ${members} over the new limit will be deactivated.`,
          'They are chosen latest registered first (when a spot ends, among the members registered during the spot); the owner is never deactivated.',
          '',
          'A deactivated member cannot log in any more and is moved to the group "Auto Deactivation".',
          'All their data is kept, and they can be reactivated when a seat is free.',
          '',
          `To keep every member active, add seats before ${formatDateEn(p.on)}.`,
        ].join('\n'),
      };
    },
  },
  'order-completed': {
    ja: (p) => ({
      subject: `【ご注文完了】「${p.planName}」のご注文を承りました`,
      body: [
        `このたびは「${p.planName}」をご注文いただき、誠にありがとうございます。ご注文の手続きが完了しました。`,
        '',
        ...billedJa(p.total, p.dueOn, p.invoiceNumber),
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Order completed: ${p.planName}`,
      body: [
        `Thank you for your order of ${p.planName}. It is now complete.`,
        '',
        ...billedEn(p.total, p.dueOn, p.invoiceNumber),
      ].join('\n'),
    }),
  },
  'plan-change-completed': {
    ja: (p) => ({
      subject: `【プラン変更完了】「${p.fromPlan}」から「${p.planName}」への変更が完了しました`,
      body: [
        `「${p.planName}」へのプラン変更の手続きが完了しました。新しいプランの上限は本日から適用されています。`,
        '',
        `ご請求金額: ${formatTaxIncluded(p.total, 'ja')}（${formatDateJa(p.billedFrom)}からの契約期間分）`,
        `お支払期限: ${formatDateJa(p.dueOn)}`,
        ...(p.invoiceNumber ? ['', invoiceLineJa(p.invoiceNumber)] : []),
        ...(p.reupload
          ? ['', 'ヒートマップ機能の変更に伴い、書籍ファイルを再度ダウンロードし、お使いのサーバーへアップロードしてください。']
          : []),
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Plan changed: ${p.fromPlan} → ${p.planName}`,
      body: [
        `Your change to ${p.planName} is complete. The new plan's limits apply from today.`,
        '',
        `Amount: ${formatTaxIncluded(p.total, 'en')} (the term from ${formatDateEn(p.billedFrom)})`,
        `Due date: ${formatDateEn(p.dueOn)}`,
        ...(p.invoiceNumber ? ['', invoiceLineEn(p.invoiceNumber)] : []),
        ...(p.reupload ? ['', 'The heatmap feature changed: download the book files again and upload them to your server.'] : []),
      ].join('\n'),
    }),
  },
  'statement-issued': {
    ja: (p) => ({
      subject: `【ご請求明細】「${p.planName}」のご注文内容のご確認`,
      body: [
        `「${p.planName}」のご注文を承りました。下記の内容をご確認のうえ、ポータルからご注文を確定（承認）してください。`,
        '承認いただいた日にご注文が完了し、新しいプランが適用されます。',
        '',
        `ご注文番号: ${p.orderId}`,
        `契約期間: ${formatDateJa(p.periodStart)}〜${formatDateJa(p.periodEnd)}`,
        `小計: ${formatYen(p.subtotal, 'ja')}`,
        `消費税: ${formatYen(p.tax, 'ja')}`,
        `ご請求金額: ${formatTaxIncluded(p.total, 'ja')}`,
        '',
        `この内容は${formatDateJa(p.validUntil)}までに承認いただいた場合に有効です。それ以降は改めてご注文ください。`,
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Statement: your order of ${p.planName}`,
      body: [
        `We have received your order of ${p.planName}. Please check the statement below and accept the order in the portal.`,
        'The order completes, and the new plan applies, on the day you accept it.',
        '',
        `Order: ${p.orderId}`,
        `Term: ${formatDateEn(p.periodStart)} – ${formatDateEn(p.periodEnd)}`,
        `Subtotal: ${formatYen(p.subtotal, 'en')}`,
        `Consumption tax: ${formatYen(p.tax, 'en')}`,
        `Amount: ${formatTaxIncluded(p.total, 'en')}`,
        '',
        `This statement holds if you accept it by ${formatDateEn(p.validUntil)}; after that, please place the order again.`,
      ].join('\n'),
    }),
  },
  'order-cancelled': {
    ja: (p) => ({
      subject: `【ご注文取消】${ORDER_TYPE_JA[p.orderType] ?? 'ご注文'}のご注文（${p.orderId}）を取り消しました`,
      body: [
        p.byOperator
          ? `${formatDateJa(p.placedOn)}にいただいた${ORDER_TYPE_JA[p.orderType] ?? ''}のご注文を、お客様のご依頼により取り消しました。`
          : `${formatDateJa(p.placedOn)}にいただいた${ORDER_TYPE_JA[p.orderType] ?? ''}のご注文の取り消しを承りました。`,
        'ご注文は承認前のため、ご契約内容は変わらず、ご請求も発生しません。',
        '',
        `ご注文番号: ${p.orderId}`,
        `ご注文金額: ${formatTaxIncluded(p.total, 'ja')}`,
        '',
        '改めてお申し込みいただく場合は、ポータルからご注文ください。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Order ${p.orderId} cancelled`,
      body: [
        p.byOperator
          ? `At your request, we have cancelled your ${ORDER_TYPE_EN[p.orderType] ?? ''} order placed on ${formatDateEn(p.placedOn)}.`
          : `Your ${ORDER_TYPE_EN[p.orderType] ?? ''} order placed on ${formatDateEn(p.placedOn)} has been withdrawn.`,
        'It had not been accepted, so your contract stays as it was and nothing is billed.',
        '',
        `Order: ${p.orderId}`,
        `Amount: ${formatTaxIncluded(p.total, 'en')}`,
        '',
        'To order again, use the portal.',
      ].join('\n'),
    }),
  },
  'quotation-issued': {
    ja: (p) => ({
      subject: `【御見積書】「${p.planName}」のお見積り（${p.quoteNumber}）`,
      body: [
        `「${p.planName}」のお見積りをお送りいたします。御見積書（PDF）を添付しておりますので、ご確認ください。`,
        'ご承認いただいた日にご注文が完了し、請求書を発行いたします。',
        '',
        `見積番号: ${p.quoteNumber}`,
        `ご注文番号: ${p.orderId}`,
        `契約期間: ${formatDateJa(p.periodStart)}〜${formatDateJa(p.periodEnd)}`,
        `小計: ${formatYen(p.subtotal, 'ja')}`,
        `消費税: ${formatYen(p.tax, 'ja')}`,
        `お見積金額: ${formatTaxIncluded(p.total, 'ja')}`,
        `有効期限: ${formatDateJa(p.validUntil)}`,
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Quotation ${p.quoteNumber}: ${p.planName}`,
      body: [
        `Please find attached our quotation (PDF) for ${p.planName}.`,
        'The order completes, and the invoice is issued, on the day you accept it.',
        '',
        `Quotation: ${p.quoteNumber}`,
        `Order: ${p.orderId}`,
        `Term: ${formatDateEn(p.periodStart)} – ${formatDateEn(p.periodEnd)}`,
        `Subtotal: ${formatYen(p.subtotal, 'en')}`,
        `Consumption tax: ${formatYen(p.tax, 'en')}`,
        `Amount: ${formatTaxIncluded(p.total, 'en')}`,
        `Valid until: ${formatDateEn(p.validUntil)}`,
      ].join('\n'),
    }),
  },
  'invoice-overdue': {
    ja: (p) => ({
      subject: `【お支払いのお願い】請求書 ${p.invoiceNumber} のお支払期限が過ぎています`,
      body: [
        `請求書 ${p.invoiceNumber} のお支払期限（${formatDateJa(p.dueOn)}）を過ぎましたが、お支払いを確認できておりません。`,
        '',
        `ご請求金額: ${formatTaxIncluded(p.total, 'ja')}`,
        `未入金額: ${formatYen(p.balance, 'ja')}`,
        '',
        'お手数ですが、至急お支払いのお手続きをお願いいたします。行き違いでお支払い済みの場合はご容赦ください。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Payment overdue: invoice ${p.invoiceNumber}`,
      body: [
        `Invoice ${p.invoiceNumber} was due on ${formatDateEn(p.dueOn)}, and we have not received its payment yet.`,
        '',
        `Amount: ${formatTaxIncluded(p.total, 'en')}`,
        `Outstanding: ${formatYen(p.balance, 'en')}`,
        '',
        'Please pay it as soon as possible. If you have paid it in the meantime, please disregard this notice.',
      ].join('\n'),
    }),
  },
  'payment-reminder': {
    ja: (p) => ({
      subject: p.overdue ? `【再度のお願い】請求書 ${p.invoiceNumber} のお支払いについて` : `【お支払いのご案内】請求書 ${p.invoiceNumber} のお支払期限は${formatDateJa(p.dueOn)}です`,
      body: [
        p.overdue
          ? `請求書 ${p.invoiceNumber} のお支払期限（${formatDateJa(p.dueOn)}）を過ぎておりますが、現時点でお支払いを確認できておりません。`
          : `請求書 ${p.invoiceNumber} のお支払期限（${formatDateJa(p.dueOn)}）が近づいておりますので、ご案内いたします。`,
        '',
        `ご請求金額: ${formatTaxIncluded(p.total, 'ja')}`,
        `未入金額: ${formatYen(p.balance, 'ja')}`,
        '',
        '請求書（PDF）を再度添付いたします。お手続きをお願いいたします。行き違いでお支払い済みの場合はご容赦ください。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: p.overdue ? `Reminder: invoice ${p.invoiceNumber} is still unpaid` : `Reminder: invoice ${p.invoiceNumber} is due on ${formatDateEn(p.dueOn)}`,
      body: [
        p.overdue
          ? `Invoice ${p.invoiceNumber} was due on ${formatDateEn(p.dueOn)}, and we have not received its payment yet.`
          : `This is a reminder that invoice ${p.invoiceNumber} is due on ${formatDateEn(p.dueOn)}.`,
        '',
        `Amount: ${formatTaxIncluded(p.total, 'en')}`,
        `Outstanding: ${formatYen(p.balance, 'en')}`,
        '',
        'The invoice (PDF) is attached again. If you have paid it in the meantime, please disregard this notice.',
      ].join('\n'),
    }),
  },
  'portal-link': {
    ja: (p) => ({
      subject: '【ログイン用リンク】マイページへのリンクをお送りします',
      body: [
        'マイページへのログイン用リンクのご依頼を受け付けました。次のリンクからお入りください。',
        '',
        p.url,
        '',
        `このリンクの有効期限は${durationJa(p.minutes)}です。期限が過ぎたら、ログイン画面からもう一度お申し込みください。`,
        'お心当たりのない場合は、このメールを破棄してください。リンクを開かない限り、何も変わりません。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: 'Your sign-in link to the customer portal',
      body: [
        'You asked for a link to sign in to your customer portal. Open it here:',
        '',
        p.url,
        '',
        `The link works for ${durationEn(p.minutes)}. After that, ask for a new one on the sign-in page.`,
        'If you did not ask for it, ignore this email: nothing changes unless the link is opened.',
      ].join('\n'),
    }),
  },
  'email-change-confirm': {
    ja: (p) => ({
      subject: '【ご確認】メールアドレス変更のお手続き',
      body: [
        `マイページで、ご登録のメールアドレスを ${p.newEmail} に変更するお申し込みがありました。`,
        '次のリンクを開き、「変更を確定する」を押すと変更が完了します。',
        '',
        p.url,
        '',
        `このリンクの有効期限は${durationJa(p.minutes)}です。確定するまで、メールアドレスは変わりません。`,
        'お心当たりのない場合は、このメールを破棄してください。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: 'Confirm your new email address',
      body: [
        `Someone asked on the customer portal to change the account's email address to ${p.newEmail}.`,
        'Open this link and press "Confirm the change" to complete it:',
        '',
        p.url,
        '',
        `The link works for ${durationEn(p.minutes)}. Until the change is confirmed, the email address stays as it is.`,
        'If you did not ask for it, ignore this email.',
      ].join('\n'),
    }),
  },
  'email-changed': {
    ja: (p) => ({
      subject: '【ご通知】ご登録のメールアドレスを変更しました',
      body: [
        `ご登録のメールアドレスを ${p.oldEmail} から ${p.newEmail} に変更しました。今後のお知らせと請求書は新しいアドレスにお送りします。`,
        '',
        'お心当たりのない場合は、至急サービス提供者までご連絡ください。',
      ].join('\n'),
    }),
    en: (p) => ({
      subject: 'Your email address was changed',
      body: [
        `The account's email address was changed from ${p.oldEmail} to ${p.newEmail}. Notices and invoices now go to the new address.`,
        '',
        'If you did not make this change, contact your service provider at once.',
      ].join('\n'),
    }),
  },
  'payment-received': {
    ja: (p) => ({
      subject: `【ご入金確認】請求書 ${p.invoiceNumber} のお支払いを確認しました`,
      body: [
        `${formatDateJa(p.paidOn)}に、請求書 ${p.invoiceNumber} へのお支払い${formatYen(p.amount, 'ja')}を確認いたしました。ありがとうございます。`,
        '',
        p.balance === 0 ? 'この請求書のお支払いはすべて完了しています。領収書（PDF）はお客様ポータルの契約情報からダウンロードいただけます。' : `未入金額: ${formatYen(p.balance, 'ja')}（残額のお支払いをお願いいたします。）`,
      ].join('\n'),
    }),
    en: (p) => ({
      subject: `Payment received: invoice ${p.invoiceNumber}`,
      body: [
        `We received your payment of ${formatYen(p.amount, 'en')} for invoice ${p.invoiceNumber} on ${formatDateEn(p.paidOn)}. Thank you.`,
        '',
        p.balance === 0 ? 'This invoice is now paid in full. Its receipt (PDF) can be downloaded from Contract information in the customer portal.' : `Outstanding: ${formatYen(p.balance, 'en')} (please pay the rest).`,
      ].join('\n'),
    }),
  },
};

/** A link's lifetime as a reader says it: 24時間, 30分, 7日. */
function durationJa(minutes: number): string {
  if (minutes % 1440 === 0 && minutes > 1440) return `${minutes / 1440}日`;
  return minutes % 60 === 0 ? `${minutes / 60}時間` : `${minutes}分`;
}
function durationEn(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0 && minutes > 1440) return plural(minutes / 1440, 'day');
  return minutes % 60 === 0 ? plural(minutes / 60, 'hour') : plural(minutes, 'minute');
}

/** The salutation and signature around a body, in the notice's language. */
function frame(body: string, lang: NoticeLang, parties: NoticeParties): string {
  const head =
    lang === 'ja'
      ? [...(parties.recipientName ? [`${parties.recipientName} 様`, ''] : []), 'いつもご利用いただき、ありがとうございます。', '']
      : [parties.recipientName ? `Dear ${parties.recipientName},` : 'Hello,', ''];
  const tail = parties.senderName ? ['', '--', parties.senderName] : [];
  return [...head, body, ...tail].join('\n');
}

/**
 * Renders a notice in a language: its subject and its full body.
 *
 * @example
 * renderNotice('expiry-reminder', 'ja', { planName: 'Plan 10', end: '2026-07-01' }).subject;
 * // '【有効期限のお知らせ】「Plan 10」の有効期限は2026年7月1日です'
 */
export function renderNotice<K extends NoticeKind>(kind: K, lang: NoticeLang, params: NoticeParams[K], parties: NoticeParties = {}): RenderedNotice {
  const template: NoticeTemplate<K> = NOTICE_TEMPLATES[kind];
  const rendered = template[lang](params);
  return { subject: rendered.subject, body: frame(rendered.body, lang, parties) };
}
