/** The console's words for placing an order on the customer's behalf (the account screen), in Japanese and English; spread into texts.ts. */
import type { Text } from '../shared/i18n.js';

export const placeOrderTexts = {
  poOpen: { ja: '注文を作成', en: 'Place an order' },
  poTitle: { ja: 'お客様に代わって注文を作成', en: 'Place an order on the customer’s behalf' },
  poIntro: {
    ja: '電話やお問い合わせフォームで受けた注文を入力します。まず見積もりを確認し、内容をお客様と確かめてから確定してください。',
    en: 'Enter an order taken by phone or through the inquiry form. Check the quote first, confirm it with the customer, then place it.',
  },
  poChoosePlan: { ja: 'プランを選んでください', en: 'Choose a plan' },
  poKeepPlan: { ja: '変更なし（現在のプラン）', en: 'Unchanged (the current plan)' },
  poCurrentSuffix: { ja: '（現在）', en: ' (current)' },
  poKeepTerm: { ja: '変更なし（{term}）', en: 'Unchanged ({term})' },
  poKeepMethod: { ja: '変更なし（{method}）', en: 'Unchanged ({method})' },
  poQuantity: { ja: 'ライセンス数', en: 'Licenses' },
  poQuantityHint: { ja: '空欄なら1ライセンス（{size}席）。', en: 'Empty: one license ({size} seats).' },
  poStartDate: { ja: '開始日', en: 'Start date' },
  poEffectiveDate: { ja: '追加日', en: 'Effective date' },
  poSeats: { ja: '追加する席数', en: 'Seats to add' },
  poSeatsHint: { ja: '{size}席単位', en: 'In steps of {size}' },
  poMonths: { ja: '期間', en: 'Duration' },
  poMonthsValue: { ja: '{n}か月', en: '{n} month(s)' },
  poAgree: {
    ja: 'お客様が利用規約に同意したことを確認しました',
    en: 'The customer has agreed to the Terms of Use',
  },
  poPreview: { ja: '見積もりを確認', en: 'Preview the quote' },
  poQuoteTitle: { ja: '見積もり', en: 'Quote' },
  poLine: { ja: '内容', en: 'Item' },
  poQty: { ja: '数量', en: 'Qty' },
  poAmountExcl: { ja: '金額（税抜）', en: 'Amount (excl. tax)' },
  poDueOn: { ja: 'お支払期限', en: 'Payment due' },
  poCompletesAtOnce: {
    ja: '確定すると注文はすぐに完了し、請求書を発行してお客様に通知します。',
    en: 'Placed, the order completes at once: the invoice is issued and the customer is told by notice.',
  },
  poNeedsStatement: {
    ja: 'この注文はお客様の承認が必要です。確定すると明細書が作成され、お客様がポータルで承認した時点で完了します（当月末まで）。',
    en: 'The customer must accept this order: placing it makes the billing statement, and the order completes when the customer accepts it in the portal (by the end of the month).',
  },
  poNeedsQuotation: {
    ja: 'この注文はお客様の承認が必要です。確定すると見積書（PDF）が発行され、お客様がポータルで承認した時点で完了します（当月末まで）。',
    en: 'The customer must accept this order: placing it issues the quotation (PDF), and the order completes when the customer accepts it in the portal (by the end of the month).',
  },
  poPlace: { ja: 'この内容で注文を確定', en: 'Place the order' },
  poPlaceForAcceptance: { ja: '注文を作成してお客様の承認を待つ', en: 'Place it for the customer to accept' },
  poCompletedInvoice: {
    ja: '{type}の注文が完了しました。請求書 {number}（{total}、お支払期限 {due}）を発行しました。',
    en: 'The {type} order is completed: invoice {number} ({total}, due {due}) is issued.',
  },
  poCompleted: { ja: '{type}の注文が完了しました（{total}）。', en: 'The {type} order is completed ({total}).' },
  poPlacedAwaiting: {
    ja: '{type}の注文（{total}）を作成しました。お客様の承認待ちです（承認期限 {date}）。',
    en: 'The {type} order ({total}) is placed and awaits the customer’s acceptance (until {date}).',
  },
  // what to enter, field by field
  poCheckType: { ja: '注文の種類を選んでください。', en: 'Choose the type of order.' },
  poCheckPlan: { ja: 'プランを選んでください。', en: 'Choose a plan.' },
  poCheckTerm: { ja: '契約期間を選んでください。', en: 'Choose the term.' },
  poCheckQuantity: { ja: 'ライセンス数を1以上の整数で入力してください（空欄なら1）。', en: 'Enter the number of licenses as a whole number, 1 or more (or leave it empty for one).' },
  poCheckDate: { ja: '日付を正しく入力してください（例: 2026年12月1日）。', en: 'Enter a real date (for example December 1, 2026).' },
  poCheckSeats: { ja: '席数を1以上の整数で入力してください。', en: 'Enter the seats as a whole number, 1 or more.' },
  poCheckMonths: { ja: '期間を選んでください。', en: 'Choose the duration.' },
  poCheckTerms: {
    ja: 'スポット契約にはお客様の利用規約への同意が必要です。同意を確認してからチェックを入れてください。',
    en: 'A spot order needs the customer’s agreement to the Terms of Use: confirm it, then tick the box.',
  },
  poCheckRenewal: { ja: '更新の方法を選んでください。', en: 'Choose what happens at the end of the term.' },
  poCheckMethod: { ja: 'お支払い方法を選んでください。', en: 'Choose a payment method.' },
} satisfies Record<string, Text>;
