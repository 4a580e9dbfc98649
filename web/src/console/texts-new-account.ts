/** The console's words for creating an account (the accounts screen) and correcting it (the account's screen), in Japanese and English; spread into texts.ts. */
import type { Text } from '../shared/i18n.js';

// Every key starts with `newAccount`: the spread into `tx` must never replace a word of another screen.
export const newAccountTexts = {
  newAccount: { ja: 'アカウントを作成', en: 'New account' },
  newAccountTitle: { ja: '新しいアカウント', en: 'New account' },
  newAccountIntro: {
    ja: 'お電話などでお申し込みを受けたお客様のアカウントを作成します（1つのメールアドレスにつき1アカウント）。作成後のアカウント画面で、ポータルへのリンクを発行してお客様にお送りください。',
    en: 'Create the account of a customer who applied by phone or email (one email, one account). Then, on the account’s screen, make a portal link and send it to the customer.',
  },
  newAccountName: { ja: '会社名またはお客様名', en: 'Company or customer name' },
  newAccountEmailHint: { ja: 'お知らせの送り先です。', en: 'Notices are sent to this address.' },
  newAccountChooseProduct: { ja: '選んでください', en: 'Choose a product' },
  newAccountLang: { ja: 'お知らせの言語', en: 'Language of notices' },
  newAccountLangHint: { ja: 'お客様へのメール（請求書、更新のご案内など）の言語です。', en: 'The language of the emails to the customer (invoices, renewal offers…).' },
  // each language by its own name, as the language switch shows them
  'newAccountLang.ja': { ja: '日本語', en: '日本語' },
  'newAccountLang.en': { ja: 'English', en: 'English' },
  newAccountDefault: { ja: '{value}（既定）', en: '{value} (default)' },
  // a product's own options (GET /v1/catalog gives their codes; a code without words here is shown as it is)
  'newAccountOption.externalPublishing': { ja: '外部出版', en: 'External publishing' },
  'newAccountOption.externalPublishing.off': { ja: 'なし', en: 'Off' },
  'newAccountOption.externalPublishing.standard': { ja: 'スタンダード', en: 'Standard' },
  'newAccountOption.externalPublishing.developer': { ja: 'デベロッパー', en: 'Developer' },
  newAccountCreate: { ja: 'アカウントを作成する', en: 'Create the account' },
  // correcting an account (the account's screen)
  editAccount: { ja: '編集', en: 'Edit' },
  editAccountTitle: { ja: 'アカウント情報の変更', en: 'Correct the account' },
  editAccountIntro: {
    ja: 'メールアドレス（1つのメールアドレスにつき1アカウント）、名前、お知らせの言語などを変更します。発行済みの請求書の宛名は変わりません。',
    en: 'Change the email (one email, one account), the name, the language of notices and the options. Documents already issued keep the name they were issued to.',
  },
  editAccountSave: { ja: '変更を保存する', en: 'Save the changes' },
  accountSaved: { ja: 'アカウント情報を変更しました。', en: 'The account is updated.' },
  // what to enter
  newAccountCheckName: { ja: '会社名またはお客様名を入力してください（200文字以内）。', en: 'Enter the company or customer name (up to 200 characters).' },
  newAccountCheckNameLength: { ja: '名前は200文字以内で入力してください（現在{count}文字）。', en: 'Enter a name of 200 characters or fewer (it has {count}).' },
  newAccountCheckEmailEmpty: { ja: 'メールアドレスを入力してください。', en: 'Enter the email address.' },
  newAccountCheckEmail: { ja: 'メールアドレスを taro@example.jp の形で入力してください。', en: 'Enter an email address such as taro@example.jp.' },
  newAccountCheckProduct: { ja: '商品を選んでください。', en: 'Choose the product.' },
  newAccountCheckOption: { ja: '一覧から選んでください。', en: 'Choose one of the listed values.' },
  newAccountNetwork: {
    ja: 'サーバーに接続できませんでした。通信を確認して、もう一度「アカウントを作成する」を押してください（同じ内容なら、アカウントが二重に作られることはありません）。',
    en: 'The server could not be reached. Check the connection and press “Create the account” again (with the same entries, the account is never created twice).',
  },
} satisfies Record<string, Text>;
