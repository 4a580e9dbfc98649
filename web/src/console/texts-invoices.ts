/** The console's words for the invoices screen (invoices across accounts), in Japanese and English; spread into texts.ts. */
import type { Text } from '../shared/i18n.js';

// Every key starts with `inv`: the spread into `tx` must never replace a word of another screen.
export const invoicesTexts = {
  invNav: { ja: '請求書', en: 'Invoices' },
  invTitle: { ja: '請求書（全アカウント）', en: 'Invoices (all accounts)' },
  invIntro: {
    ja: '入金の消込（振込の金額・名義・請求書番号で探す）、支払期限を過ぎた請求書の確認、月ごとの請求額の集計に使います。',
    en: 'Find the invoice a bank transfer pays (by amount, name or number), see who is overdue, and sum a month’s invoices.',
  },
  invView: { ja: '表示', en: 'Show' },
  'invView.unpaid': { ja: '未入金（期限超過を含む）', en: 'Unpaid (overdue included)' },
  'invView.overdue': { ja: '支払期限超過', en: 'Overdue' },
  'invView.paid': { ja: '入金済み', en: 'Paid' },
  'invView.all': { ja: 'すべて', en: 'All' },
  invMonth: { ja: '発行月', en: 'Issued in' },
  invMonthHint: { ja: '空欄ならすべての月', en: 'Empty: every month' },
  invSearch: { ja: '検索', en: 'Search' },
  invSearchHint: { ja: '金額（合計または未払残高。例: 5500）、名前、請求書番号、メールアドレス', en: 'An amount (the total or the balance, e.g. 5500), a name, an invoice number or an email' },
  invFind: { ja: '表示する', en: 'Show' },
  invCheckMonth: { ja: '発行月を正しく入力してください（例: 2026-04）。', en: 'Enter the month as a real month (for example 2026-04).' },
  invTotals: {
    ja: '{count}件　請求額 {invoiced}　返金 {credited}　未入金残高 {balance}',
    en: '{count} document(s) · invoiced {invoiced} · credited {credited} · still owed {balance}',
  },
  invShownFirst: { ja: '（最初の{shown}件を表示しています。条件を絞り込んでください）', en: ' (the first {shown} are shown: narrow the search)' },
  invCsv: { ja: 'CSVをダウンロード', en: 'Download CSV' },
  invCsvHint: {
    ja: '条件に合うすべての請求書・返還請求書（表示されていない分も含む）を、会計ソフト向けのCSV（UTF-8、税率別の内訳つき）で保存します。',
    en: 'Saves every invoice and credit note that matches (those not shown too) as CSV for accounting (UTF-8, tax per rate).',
  },
  // reminders (both invoice lists; the keys outside the inv prefix are the account card's words too)
  remind: { ja: '督促メール', en: 'Send a reminder' },
  remindOf: { ja: '{number}のお支払いのお願いを送る', en: 'Send a payment reminder for {number}' },
  reminderSent: { ja: '{number}のお支払いのお願い（未入金額 {balance}）を {to} に送りました。', en: 'A payment reminder for {number} ({balance} outstanding) was sent to {to}.' },
  invRemindAll: { ja: '表示中の期限超過{count}件に督促メールを送る', en: 'Send reminders for the {count} overdue invoice(s) shown' },
  invRemindAllConfirm: { ja: '{count}件の請求書の宛先に、お支払いのお願いを1通ずつ送ります（本日送信済みのものは送りません）。よろしいですか？', en: 'A payment reminder goes to each of the {count} invoice(s) (none to those reminded today). Go ahead?' },
  invRemindAllGo: { ja: '送信する', en: 'Send them' },
  invRemindAllCancel: { ja: 'やめる', en: 'Cancel' },
  invRemindAllDone: { ja: '督促メールを{sent}件送りました（本日送信済みのため送らなかったもの {already}件）。', en: '{sent} reminder(s) sent ({already} already reminded today, not sent again).' },
  invRemindAllFailed: { ja: '{failed}件は送れませんでした: {detail}', en: '{failed} could not be sent: {detail}' },
  invNone: { ja: '該当する請求書はありません。', en: 'No invoice matches.' },
  invDaysOver: { ja: '{days}日超過', en: '{days} day(s) over' },
} satisfies Record<string, Text>;
