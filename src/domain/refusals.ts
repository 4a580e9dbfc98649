/**
 * Business-rule refusals: returned values, never thrown (DESIGN 5). Each code is stable and
 * documented in docs/errors.md (a test keeps the two in step). The HTTP status is chosen at the
 * edge from `kind`, in one table (src/http/problems.ts).
 */

/** What sort of refusal: a rule (422), a conflict with current state (409), an unknown id (404). */
export type RefusalKind = 'rule' | 'conflict' | 'not_found' | 'invalid';

type Params = Record<string, string | number | undefined>;
interface RefusalDef {
  kind: RefusalKind;
  en: (p: Params) => string;
  ja: (p: Params) => string;
}

/** Contract terms and payment methods as a Japanese reader knows them (ids elsewhere stay as they are). */
const JA_WORDS: Record<string, string> = {
  P1M: '1か月',
  P3M: '3か月',
  P6M: '6か月',
  P12M: '12か月',
  P1Y: '1年',
  'bank-transfer': '銀行振込',
  card: 'クレジットカード',
  paypal: 'PayPal',
  invoice: '請求書払い',
};
/** A value, or a comma-separated list of them, in Japanese words where there are some. */
function ja(value: string | number | undefined): string {
  return String(value ?? '')
    .split(', ')
    .map((v) => JA_WORDS[v] ?? v)
    .join('、');
}

/** Tax-included yen as a reader writes it: 5,500 yen / 5,500円（税込）. */
function yen(value: string | number | undefined, lang: 'en' | 'ja'): string {
  const n = Number(value ?? 0).toLocaleString('en-US');
  return lang === 'ja' ? `${n}円（税込）` : `${n} yen (tax included)`;
}

/** Every refusal code the domain can return, with its messages in English and Japanese. */
export const REFUSALS = {
  email_taken: {
    kind: 'conflict',
    en: (p) => `The email ${p.email} already has an account. One email, one account: use another email address.`,
    ja: (p) => `${p.email} は既にアカウントで使われています。1つのメールアドレスにつき1アカウントです。別のメールアドレスを指定してください。`,
  },
  account_not_found: {
    kind: 'not_found',
    en: (p) => `No account ${p.id}. Check the account id.`,
    ja: (p) => `アカウント ${p.id} は見つかりません。アカウントIDを確認してください。`,
  },
  not_a_portal_session: {
    kind: 'invalid',
    en: () => 'The operator key is not a portal session: only a customer token (kyc_…) signs out. To end an account\'s portal sessions, use DELETE /v1/accounts/{id}/portal-sessions.',
    ja: () => 'オペレーターキーはポータルのセッションではありません。ログアウトできるのは顧客トークン（kyc_…）だけです。アカウントのポータルセッションを終了するには DELETE /v1/accounts/{id}/portal-sessions を使ってください。',
  },
  invalid_date_range: {
    kind: 'invalid',
    en: (p) => `issuedFrom (${p.from}) is after issuedTo (${p.to}): give a range whose start is on or before its end.`,
    ja: (p) => `issuedFrom（${p.from}）が issuedTo（${p.to}）より後になっています。開始日が終了日以前になるように指定してください。`,
  },
  portal_session_not_found: {
    kind: 'not_found',
    en: (p) => `Account ${p.accountId} has no live portal session ${p.id}: it has ended or expired. GET /v1/accounts/${p.accountId}/portal-sessions lists the live ones.`,
    ja: (p) => `アカウント ${p.accountId} に有効なポータルセッション ${p.id} はありません（終了済みか期限切れです）。有効なセッションは GET /v1/accounts/${p.accountId}/portal-sessions で確認できます。`,
  },
  order_not_found: {
    kind: 'not_found',
    en: (p) => `No order ${p.id}. Check the order id.`,
    ja: (p) => `注文 ${p.id} は見つかりません。注文IDを確認してください。`,
  },
  invoice_not_found: {
    kind: 'not_found',
    en: (p) => `No invoice ${p.id}. Check the invoice id.`,
    ja: (p) => `請求書 ${p.id} は見つかりません。請求書IDを確認してください。`,
  },
  unknown_product: {
    kind: 'rule',
    en: (p) => `There is no product "${p.product}". Choose one of: ${p.choices}.`,
    ja: (p) => `商品「${p.product}」はありません。次から選んでください: ${p.choices}`,
  },
  unknown_plan: {
    kind: 'rule',
    en: (p) => `The product ${p.product} has no plan "${p.planId}". Choose one of: ${p.choices}.`,
    ja: (p) => `商品 ${p.product} にプラン「${p.planId}」はありません。次から選んでください: ${p.choices}`,
  },
  invalid_option: {
    kind: 'rule',
    en: (p) => `The option ${p.option} cannot be "${p.value}". Choose one of: ${p.choices}.`,
    ja: (p) => `オプション ${p.option} に「${p.value}」は指定できません。次から選んでください: ${p.choices}`,
  },
  plan_is_free: {
    kind: 'rule',
    en: (p) => `${p.planName} is the free plan: it needs no contract. Choose a paid plan.`,
    ja: (p) => `${p.planName} は無料プランのため契約は不要です。有料プランを選んでください。`,
  },
  term_not_offered: {
    kind: 'rule',
    en: (p) => `${p.planName} cannot be bought for ${p.term}. Choose one of: ${p.choices}.`,
    ja: (p) => `${p.planName} は契約期間 ${ja(p.term)} では購入できません。次から選んでください: ${ja(p.choices)}`,
  },
  payment_method_not_allowed: {
    kind: 'rule',
    en: (p) => `${p.method} is not available for ${p.planName} on ${p.term}. Choose one of: ${p.choices}.`,
    ja: (p) => `${p.planName}（${ja(p.term)}）では支払方法「${ja(p.method)}」は選べません。次から選んでください: ${ja(p.choices)}`,
  },
  invalid_quantity: {
    kind: 'rule',
    en: (p) => `The quantity must be a positive multiple of ${p.size} (the plan is sold in units of ${p.size}); ${p.quantity} is not.`,
    ja: (p) => `数量は ${p.size} の倍数（販売単位 ${p.size}）で指定してください。${p.quantity} は指定できません。`,
  },
  renewal_not_offered: {
    kind: 'rule',
    en: (p) => `${p.product} contracts cannot be set to "${p.renewal}". Choose one of: ${p.choices}.`,
    ja: (p) => `${p.product} の契約では更新方法「${p.renewal}」は選べません。次から選んでください: ${p.choices}`,
  },
  start_date_in_past: {
    kind: 'rule',
    en: (p) => `The ${p.order === 'license-addition' ? 'effective' : 'start'} date ${p.startDate} is in the past. Choose today (${p.today}) or a later date.`,
    ja: (p) => `${p.order === 'license-addition' ? 'ライセンスの追加日' : '開始日'} ${p.startDate} は過去の日付です。今日（${p.today}）以降の日付を指定してください。`,
  },
  effective_after_term_end: {
    kind: 'rule',
    en: (p) => `The effective date ${p.effectiveDate} is after the end of the contract period (${p.end}). Choose ${p.end} or earlier${p.renews ? ': licenses added before the renewal are carried into the renewed term' : ''}.`,
    ja: (p) => `ライセンスの追加日 ${p.effectiveDate} は契約期間の終了日（${p.end}）より後です。${p.end} までの日付を指定してください${p.renews ? '（更新前に追加したライセンスは更新後の契約に引き継がれます）' : ''}。`,
  },
  contract_exists: {
    kind: 'conflict',
    en: (p) => `The account already has a contract (${p.planName}, ${p.start} to ${p.end}) that overlaps. Change that contract instead, or start after ${p.end}.`,
    ja: (p) => `期間が重なる契約（${p.planName}、${p.start}〜${p.end}）が既にあります。その契約を変更するか、${p.end} より後に開始してください。`,
  },
  order_type_not_available: {
    kind: 'rule',
    en: (p) => `Orders of type ${p.type} are not offered for ${p.product} accounts. Choose one of: ${p.choices}.`,
    ja: (p) => `${p.product} のアカウントでは種類 ${p.type} の注文は受け付けていません。次のいずれかを選んでください: ${p.choices}。`,
  },
  no_product_for_account: {
    kind: 'rule',
    en: (p) => `The plan ${p.planId} belongs to ${p.planProduct}, but the account is a ${p.product} account. Choose a plan of ${p.product}.`,
    ja: (p) => `プラン ${p.planId} は ${p.planProduct} の商品です。このアカウントは ${p.product} のため、${p.product} のプランを選んでください。`,
  },
  test_clock_disabled: {
    kind: 'conflict',
    en: () => `The server was not started in test-clock mode. Start it with KEIYAKU_TEST_CLOCK set to use the test clock.`,
    ja: () => `テストクロックモードで起動されていません。KEIYAKU_TEST_CLOCK を指定して起動してください。`,
  },
  clock_backwards: {
    kind: 'conflict',
    en: (p) => `The test clock only moves forward: it is ${p.now}, and ${p.to} is earlier.`,
    ja: (p) => `テストクロックは進めることしかできません。現在 ${p.now} で、${p.to} はそれより前です。`,
  },
  order_not_awaiting_acceptance: {
    kind: 'conflict',
    en: (p) => `Order ${p.id} is ${p.status}: it no longer awaits acceptance, so there is nothing to accept or withdraw.`,
    ja: (p) => `注文 ${p.id} は ${p.status === 'completed' ? '完了済み' : p.status === 'cancelled' ? '取消済み' : p.status} のため、承認・取り消しできるものはありません。`,
  },
  not_on_paid_plan: {
    kind: 'rule',
    en: (p) => (p.starts ? `The account's paid plan starts on ${p.starts}; on ${p.today} there is none to change yet. Place this order from ${p.starts} on.` : `The account has no paid plan on ${p.today}. Buy a contract first (a new-contract order).`),
    ja: (p) => (p.starts ? `有料プランの契約は ${p.starts} に開始します。${p.today} 時点では変更できる契約がありません。${p.starts} 以降にお申し込みください。` : `${p.today} 時点で有料プランの契約がありません。先に新規契約をしてください。`),
  },
  renewal_window_closed: {
    kind: 'rule',
    en: (p) => `Upgrade renewal opens on ${p.opens}, when ${p.months} months or less of validity remain (valid until ${p.end}). Until then, a mid-term upgrade is possible; renewing earlier is done by support.`,
    ja: (p) => `更新は有効期限（${p.end}）の残りが${p.months}か月以下になる ${p.opens} から可能です。それまではプランのアップグレードができます。それより前の更新はサポートにお問い合わせください。`,
  },
  plan_not_higher: {
    kind: 'rule',
    en: (p) => `${p.planName} is not higher than your current ${p.currentName}. Choose one of: ${p.choices}.`,
    ja: (p) => `${p.planName} は現在の ${p.currentName} より上位ではありません。次から選んでください: ${p.choices}`,
  },
  plan_lower_than_current: {
    kind: 'rule',
    en: (p) => `${p.planName} is lower than your current ${p.currentName}: renewal is into an equal or higher plan. Choose one of: ${p.choices}.`,
    ja: (p) => `${p.planName} は現在の ${p.currentName} より下位のため選べません。同じか上位のプランを選んでください: ${p.choices}`,
  },
  contract_not_found: {
    kind: 'not_found',
    en: (p) => `The account has no contract ${p.id}. Check the contract id in the account's state.`,
    ja: (p) => `このアカウントに契約 ${p.id} はありません。契約IDを確認してください。`,
  },
  contract_not_active: {
    kind: 'conflict',
    en: (p) => `Contract ${p.id} is not running on ${p.today} (it ended or was cancelled): there is nothing to cancel.`,
    ja: (p) => `契約 ${p.id} は ${p.today} 時点で有効ではありません（終了済みまたは解約済み）。`,
  },
  refund_exceeds_paid: {
    kind: 'rule',
    en: (p) =>
      Number(p.paid) > 0
        ? `A refund of ${yen(p.refund, 'en')} is more than the ${yen(p.paid, 'en')} paid for this contract and not yet refunded. Refund at most ${yen(p.paid, 'en')}.`
        : `Nothing paid for this contract is left to refund (a refund gives back money received). Cancel without a refund.`,
    ja: (p) =>
      Number(p.paid) > 0
        ? `返金額 ${yen(p.refund, 'ja')} が、この契約で支払われた未返金の額 ${yen(p.paid, 'ja')} を超えています。${yen(p.paid, 'ja')} 以下にしてください。`
        : `この契約で返金できる入金はありません（返金は受け取った代金の返還です）。返金なしで解約してください。`,
  },
  seat_limit_reached: {
    kind: 'conflict',
    en: (p) => `All ${p.limit} seats are in use on ${p.date}. ${p.plan === 'free' ? 'The free plan has no more: buy a paid plan (a new contract) to add seats.' : 'Add seats first: a spot order for a while, or a license addition for the rest of the term.'}`,
    ja: (p) => `${p.date} 時点で ${p.limit} 席すべてが使用中です。${p.plan === 'free' ? 'フリープランではこれ以上増やせません。有料プランを新規契約すると席を増やせます。' : 'スポット契約（期間限定）またはライセンス追加（契約期間の終わりまで）で、先に席を増やしてください。'}`,
  },
  email_needs_confirmation: {
    kind: 'rule',
    en: () => 'A customer changes the email with a confirmation: POST /v1/accounts/{id}/email-change mails a link to the new address (Account settings in the portal), and opening it completes the change.',
    ja: () => 'メールアドレスの変更には確認が必要です。ポータルのアカウント設定（POST /v1/accounts/{id}/email-change）から新しいアドレスに確認のリンクを送り、そのリンクを開くと変更が完了します。',
  },
  email_unchanged: {
    kind: 'rule',
    en: (p) => `${p.email} is already the account's email address: enter the new one.`,
    ja: (p) => `${p.email} は現在ご登録のメールアドレスです。新しいメールアドレスを入力してください。`,
  },
  email_change_not_found: {
    kind: 'not_found',
    en: () => 'This confirmation link is not valid, was already used or has expired (a link works for 24 hours). Ask for the change again on Account settings.',
    ja: () => 'この確認リンクは無効か、使用済みか、有効期限（24時間）が切れています。アカウント設定からもう一度お申し込みください。',
  },
  email_change_outdated: {
    kind: 'conflict',
    en: (p) => `The account's email address changed since this link was sent (it is no longer ${p.email}), so the link no longer applies. Ask for the change again on Account settings.`,
    ja: (p) => `このリンクを送った後にメールアドレスが変更されたため（${p.email} ではなくなりました）、このリンクは使えません。アカウント設定からもう一度お申し込みください。`,
  },
  changed_by_vendor: {
    kind: 'rule',
    en: (p) => `The option ${String(p.field).replace('options.', '')} is changed by the vendor, not from the portal: ask the vendor to change it. You may change the name and the notices' language.`,
    ja: (p) => `オプション ${String(p.field).replace('options.', '')} はサービス提供者が変更します（ポータルからは変更できません）。サービス提供者にお問い合わせください。ポータルで変更できるのは名前と通知の言語です。`,
  },
  member_email_taken: {
    kind: 'conflict',
    en: (p) => `${p.email} is already a member of this account.`,
    ja: (p) => `${p.email} は既にこのアカウントのメンバーです。`,
  },
  member_not_found: {
    kind: 'not_found',
    en: (p) => `No member ${p.id} in this account. Check the member id.`,
    ja: (p) => `このアカウントにメンバー ${p.id} はいません。メンバーIDを確認してください。`,
  },
  member_already_active: {
    kind: 'conflict',
    en: (p) => `Member ${p.id} is already active.`,
    ja: (p) => `メンバー ${p.id} は既に有効です。`,
  },
  owner_email_is_account_email: {
    kind: 'conflict',
    en: (p) => `The owner-manager's email (${p.email}) is the account's own: change it in the account settings, with a confirmation sent to the new address.`,
    ja: (p) => `オーナー管理者のメールアドレス（${p.email}）はアカウントのメールアドレスです。アカウント設定から変更してください（新しいアドレスに確認メールをお送りします）。`,
  },
  receipt_not_available: {
    kind: 'conflict',
    en: (p) => `Invoice ${p.number} is ${p.status}, not paid: its receipt is issued once it is paid in full.`,
    ja: (p) => `請求書 ${p.number} はお支払いが完了していません（状態: ${p.status}）。領収書は全額のお支払い後に発行されます。`,
  },
  member_already_deactivated: {
    kind: 'conflict',
    en: (p) => `Member ${p.id} is already deactivated.`,
    ja: (p) => `メンバー ${p.id} は既に無効です。`,
  },
  owner_never_deactivated: {
    kind: 'conflict',
    en: (p) => `The owner-manager (${p.email}) is never deactivated: it is the account's own email. Deactivate another member, or change the account's email.`,
    ja: (p) => `オーナー管理者（${p.email}）は無効にできません（アカウント自体のメールアドレスです）。ほかのメンバーを無効にするか、アカウントのメールアドレスを変更してください。`,
  },
  members_not_offered: {
    kind: 'rule',
    en: (p) => `${p.product} accounts have no seats: members are not registered here.`,
    ja: (p) => `${p.product} のアカウントには席の概念がないため、メンバーは登録できません。`,
  },
  terms_not_accepted: {
    kind: 'rule',
    en: () => `Agree to the Terms of Use to place a spot order (agreeToTerms: true).`,
    ja: () => `スポット契約の申し込みには利用規約への同意が必要です。「利用規約に同意する」にチェックを入れてください。`,
  },
  invalid_months: {
    kind: 'rule',
    en: (p) => `The spot period is a whole number of months from 1 to ${p.max}; ${p.months} is not.`,
    ja: (p) => `スポット契約の期間は1〜${p.max}の整数の月数で指定してください。${p.months} は指定できません。`,
  },
  spot_exceeds_main_term: {
    kind: 'rule',
    en: (p) =>
      `The spot period would end on ${p.end}, after the main contract's ${p.bound} (${p.why === 'renews' ? 'the end of its next term, as it renews' : 'its end, as it returns to the free plan'}). ` +
      (Number(p.maxMonths) > 0 ? `Choose at most ${p.maxMonths} month(s) from ${p.start}.` : `Not even one month from ${p.start} fits: choose an earlier start${p.why === 'renews' ? '' : ', or set the contract to renew'}.`),
    ja: (p) =>
      `スポット契約の終了日 ${p.end} が主契約の ${p.bound}（${p.why === 'renews' ? '自動更新後の次の契約期間の終了日' : 'フリープランに戻る契約の終了日'}）より後になります。` +
      (Number(p.maxMonths) > 0 ? `${p.start} からは最大 ${p.maxMonths} か月まで指定できます。` : `${p.start} からは1か月も指定できません。開始日を早めてください${p.why === 'renews' ? '' : '（または契約を自動更新に設定してください）'}。`),
  },
  spot_before_paid_start: {
    kind: 'rule',
    en: (p) => `The paid plan starts on ${p.paidStart}; ${p.order === 'license-addition' ? 'a license addition cannot take effect' : 'a spot order cannot start'} before it (${p.start}). Choose ${p.paidStart} or later.`,
    ja: (p) => `有料プランの開始日は ${p.paidStart} です。${p.order === 'license-addition' ? 'ライセンスの追加' : 'スポット契約'}はそれより前（${p.start}）には開始できません。${p.paidStart} 以降を指定してください。`,
  },
  spots_past_term_end: {
    kind: 'conflict',
    en: (p) => `A spot contract runs until ${p.spotEnd}, past the term end ${p.end}: the contract cannot be set to return to the free plan until it ends.`,
    ja: (p) => `スポット契約が契約期間の終了日 ${p.end} より後の ${p.spotEnd} まで続くため、無料プランへ戻す設定にはできません。`,
  },
  nothing_to_change: {
    kind: 'rule',
    en: (p) => `The order changes nothing: the contract is already ${p.planName}, ${p.term}, paid by ${p.method}. Choose another plan, term or payment method.`,
    ja: (p) => `変更内容がありません（現在: ${p.planName}、${p.term}、${p.method}）。プラン、契約期間、支払方法のいずれかを変更してください。`,
  },
  usage_over_new_limit: {
    kind: 'rule',
    en: (p) => `${p.planName} allows ${p.limit} ${p.resource}, and ${p.usage} are in use. Remove ${p.remove} ${p.resource} first, then change the plan.`,
    ja: (p) => `${p.planName} の上限は ${p.limit} ですが、現在 ${p.usage} 使用しています。先に ${p.remove} 件削除してからプランを変更してください。`,
  },
  quote_not_found: {
    kind: 'not_found',
    en: (p) => `No quotation ${p.id}. Check the quotation id (the order's quoteId).`,
    ja: (p) => `見積書 ${p.id} は見つかりません。IDを確認してください。`,
  },
  quote_expired: {
    kind: 'conflict',
    en: (p) => `The statement of order ${p.id} no longer holds (it now reads ${yen(p.total, 'en')} for ${p.start} – ${p.end}). Preview and place the order again.`,
    ja: (p) => `注文 ${p.id} の明細は有効ではなくなりました（現在の内容: ${p.start}〜${p.end}、${yen(p.total, 'ja')}）。もう一度見積もりを確認して申し込んでください。`,
  },
  order_lapsed: {
    kind: 'conflict',
    en: (p) => `The statement of order ${p.id} could be accepted until ${p.validUntil}; it has lapsed. Preview and place the order again.`,
    ja: (p) => `注文 ${p.id} の明細の承認期限（${p.validUntil}）を過ぎたため、この注文は承認できません。もう一度見積もりを確認して申し込んでください。`,
  },
  order_outdated: {
    kind: 'conflict',
    en: (p) => `The contract has changed since order ${p.id} was placed: its statement said "${p.then}", it would now be "${p.now}". Nothing was changed; preview and place a new order for the contract as it is now.`,
    ja: (p) => `注文 ${p.id} の申し込み後に契約が変わりました（明細では「${p.thenJa}」でしたが、現在は「${p.nowJa}」になります）。何も変更していません。現在の契約でもう一度見積もりを確認して申し込んでください。`,
  },
  effect_not_found: {
    kind: 'not_found',
    en: (p) => `No scheduled effect ${p.id}. Check the id in GET /v1/effects.`,
    ja: (p) => `予定された処理 ${p.id} は見つかりません。GET /v1/effects でIDを確認してください。`,
  },
  effect_not_failed: {
    kind: 'conflict',
    en: (p) => `Effect ${p.id} is ${p.status}, not failed: only a failed effect is run again.`,
    ja: (p) => `処理 ${p.id} の状態は ${p.status} で、失敗していません。再実行できるのは失敗した処理だけです。`,
  },
  import_term_ended: {
    kind: 'rule',
    en: (p) => `The term from ${p.start} ended on ${p.end}, before today (${p.today}): an imported contract is the one running today. Give the first day of the current term as startDate, or import the account without a contract.`,
    ja: (p) => `${p.start} からの契約期間は ${p.end} に終了しており、今日（${p.today}）は有効ではありません。取り込む契約は今日有効なものです。現在の契約期間の初日を startDate に指定するか、契約なしで取り込んでください。`,
  },
  import_members_over_limit: {
    kind: 'rule',
    en: (p) => `${p.count} active members (the owner included) are more than the ${p.limit} seats the account has on ${p.date}. Import the contract with more seats, or fewer members.`,
    ja: (p) => `有効なメンバー ${p.count} 人（オーナーを含む）は、${p.date} 時点の席数 ${p.limit} を超えています。席数の多い契約で取り込むか、メンバーを減らしてください。`,
  },
  import_registered_later: {
    kind: 'rule',
    en: (p) => `registeredAt ${p.registeredAt} is later than now (${p.now}). Give the instant the member joined, or leave it out.`,
    ja: (p) => `registeredAt ${p.registeredAt} は現在（${p.now}）より後です。メンバーが登録された日時を指定するか、省略してください。`,
  },
  usage_not_offered: {
    kind: 'rule',
    en: (p) => `${p.product} plans have no ${p.resource} limit: there is no ${p.resource} usage to report. Report only the gauges of the account's product.`,
    ja: (p) => `${p.product} のプランには ${p.resource} の上限がないため、${p.resource} の使用量は報告できません。アカウントの商品にある項目だけを報告してください。`,
  },
  paid_on_in_future: {
    kind: 'rule',
    en: (p) => `The payment date ${p.paidOn} is after today (${p.today}). Record a payment on the day it was received or later.`,
    ja: (p) => `入金日 ${p.paidOn} が今日（${p.today}）より後です。入金を確認した日以降に記録してください。`,
  },
  paid_on_before_issue: {
    kind: 'rule',
    en: (p) => `The payment date ${p.paidOn} is before invoice ${p.number} was issued (${p.issuedOn}). Check the date of the transfer or the invoice it pays.`,
    ja: (p) => `入金日 ${p.paidOn} が請求書 ${p.number} の発行日（${p.issuedOn}）より前です。振込日または対象の請求書を確認してください。`,
  },
  reminder_not_needed: {
    kind: 'conflict',
    en: (p) => `${p.number} is ${p.status}: nothing is owed on it, so no reminder is sent. Reminders are for open or overdue invoices with a balance.`,
    ja: (p) => `${p.number} は ${p.status} で未入金額がないため、お支払いのお願いは送りません。送れるのは未払い（open）または支払期限超過（overdue）で残高のある請求書だけです。`,
  },
  reminder_already_sent: {
    kind: 'conflict',
    en: (p) => `A reminder of ${p.number} was already sent today (${p.date}). One a day at the most: send the next one tomorrow.`,
    ja: (p) => `${p.number} のお支払いのお願いは本日（${p.date}）すでに送信済みです。送信は1日1回までです。次は明日以降に送ってください。`,
  },
  invoice_not_payable: {
    kind: 'conflict',
    en: (p) => `${p.number} is ${p.status}: there is nothing to pay on it. Record payments only against open or overdue invoices.`,
    ja: (p) => `${p.number} は ${p.status} のため、入金を記録できません。入金は未払い（open）または支払期限超過（overdue）の請求書にのみ記録できます。`,
  },
  payment_exceeds_balance: {
    kind: 'conflict',
    en: (p) => `${p.amount} yen is more than the ${p.balance} yen still owed on ${p.numbers}. Record at most ${p.balance} yen and refund the rest, or include the other invoices this transfer pays.`,
    ja: (p) => `${p.amount}円は ${p.numbers} の未払残高 ${p.balance}円を超えています。${p.balance}円以下で記録し、超過分は返金するか、この振込で支払われた他の請求書も指定してください。`,
  },
  bank_fee_only_for_transfers: {
    kind: 'rule',
    en: (p) => `A bank fee applies only to bank transfers, not to ${p.method}. Leave bankFee out or set it to 0.`,
    ja: (p) => `振込手数料は銀行振込にのみ適用できます（${p.method} には適用できません）。bankFee を省略するか 0 にしてください。`,
  },
  bank_fee_too_large: {
    kind: 'rule',
    en: (p) => `A bank fee of ${p.bankFee} yen is more than the ${p.allowance} yen the vendor bears. Record the transfer as a partial payment (bankFee 0): the customer owes the rest.`,
    ja: (p) => `振込手数料 ${p.bankFee}円は当社負担の上限 ${p.allowance}円を超えています。一部入金（bankFee 0）として記録してください。残額はお客様のご負担です。`,
  },
  bank_fee_without_settlement: {
    kind: 'rule',
    en: (p) => `The transfer of ${p.amount} yen is short of the ${p.balance} yen owed by ${p.short} yen, not by the bank fee of ${p.bankFee} yen. Set bankFee to ${p.short} if the bank kept that, or record a partial payment with bankFee 0.`,
    ja: (p) => `振込額 ${p.amount}円と未払残高 ${p.balance}円の差は ${p.short}円で、振込手数料 ${p.bankFee}円と一致しません。銀行が差し引いた額が ${p.short}円なら bankFee を ${p.short} に、そうでなければ bankFee 0 の一部入金として記録してください。`,
  },
  invoices_of_different_accounts: {
    kind: 'rule',
    en: (p) => `The invoices belong to different accounts (${p.accounts}). One transfer is recorded against one account's invoices: record it once per account.`,
    ja: (p) => `請求書が複数のアカウント（${p.accounts}）にまたがっています。1件の振込は1つのアカウントの請求書に対して記録してください。`,
  },
  payment_declined: {
    kind: 'rule',
    en: (p) => `The ${p.method === 'card' ? 'card' : p.method === 'paypal' ? 'PayPal' : p.method} payment was declined by the payment provider (${p.reason}). Use another card or payment method, or pay by bank transfer.`,
    ja: (p) => `${p.method === 'card' ? 'クレジットカード' : p.method === 'paypal' ? 'PayPal' : p.method}の決済が決済代行会社に拒否されました（${p.reason}）。別のカードまたは支払方法をお使いいただくか、銀行振込でお支払いください。`,
  },
  invoice_not_correctable: {
    kind: 'conflict',
    en: (p) => `${p.number} is ${p.status}: only an open or overdue invoice can be corrected.`,
    ja: (p) => `${p.number} は ${p.status} のため訂正できません。訂正できるのは未払い（open）または支払期限超過（overdue）の請求書です。`,
  },
  invoice_has_payments: {
    kind: 'conflict',
    en: (p) => `${p.number} has payments (${p.paid} yen): it cannot be replaced. Refund through a cancellation's credit note instead, or record the rest as it is.`,
    ja: (p) => `${p.number} には入金（${p.paid}円）があるため差し替えできません。解約時の返還請求書で返金するか、このまま残額を記録してください。`,
  },
} satisfies Record<string, RefusalDef>;

export type RefusalCode = keyof typeof REFUSALS;

/** A refused business rule: a stable code and the facts its message needs. */
export interface Refusal {
  readonly refused: true;
  readonly code: RefusalCode;
  readonly params: Params;
  /** The request field the refusal concerns, as a JSON path (e.g. `planId`). */
  readonly field?: string;
}

/** Builds a refusal value. */
export function refuse(code: RefusalCode, params: Params = {}, field?: string): Refusal {
  return { refused: true, code, params, ...(field ? { field } : {}) };
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && (x as Refusal).refused === true;
}

/** The refusal's message for people, in the requested language. */
export function refusalMessage(r: Refusal, lang: 'ja' | 'en'): string {
  return REFUSALS[r.code][lang](r.params);
}

/** A domain decision: the value, or the refusal. */
export type Decision<T> = T | Refusal;
