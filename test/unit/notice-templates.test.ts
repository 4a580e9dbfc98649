import { describe, expect, it } from 'vitest';
import type { NoticeKind, NoticeParams } from '../../src/domain/notice-templates.js';
import { formatDateEn, formatDateJa, NOTICE_TEMPLATES, renderNotice } from '../../src/domain/notice-templates.js';

/** One example of every kind, with the facts (as displayed) each language must state. */
const EXAMPLES: { [K in NoticeKind]: { params: NoticeParams[K]; ja: string[]; en: string[] } } = {
  'renewal-offer-open': {
    params: { planName: 'Plan 10', end: '2022-12-31', opens: '2022-11-01' },
    // P3: the new validity runs to the current end + 1 year.
    ja: ['Plan 10', '2022年12月31日', '2022年11月1日', '2023年12月31日', '上位'],
    en: ['Plan 10', '31 December 2022', '1 November 2022', '31 December 2023', 'higher'],
  },
  'expiry-reminder': {
    params: { planName: 'Plan 20', end: '2026-07-01' },
    ja: ['Plan 20', '2026年7月1日'],
    en: ['Plan 20', '1 July 2026'],
  },
  'contract-cancelled': {
    params: { planName: 'Starter', cancelledFrom: '2026-07-15', freePlanName: 'Free', refundTotal: 33000, creditNoteNumber: 'CN-000004' },
    // P5: cancelled as of the day, on the free plan, the refund's credit note named.
    ja: ['Starter', '2026年7月15日付けで解約', 'Free', '33,000円', 'CN-000004'],
    en: ['Starter', 'cancelled as of 15 July 2026', 'Free', '33,000 yen (tax included)', 'CN-000004'],
  },
  'contract-renewed': {
    params: { planName: 'Starter', start: '2027-04-01', end: '2028-03-31', total: 66000, dueOn: '2027-04-06', invoiceNumber: 'INV-000123' },
    // The term renewed by itself: the new term, the renewal invoice's amount, due date and number.
    ja: ['Starter', '自動更新', '2027年4月1日〜2028年3月31日', '66,000円（税込）', '2027年4月6日', '請求書（INV-000123）のPDFを添付'],
    en: ['Starter', 'renewed', '1 April 2027 – 31 March 2028', '66,000 yen (tax included)', '6 April 2027', 'invoice INV-000123 is attached'],
  },
  'order-cancelled': {
    params: { orderId: 'ord_1', orderType: 'plan-change', total: 9900, placedOn: '2026-11-27', byOperator: false },
    // B9: a placed order withdrawn before acceptance: nothing changes, nothing is billed.
    ja: ['ord_1', 'プラン変更', '2026年11月27日', '取り消し', '9,900円（税込）', 'ご請求も発生しません'],
    en: ['ord_1', 'plan change order', '27 November 2026', 'withdrawn', '9,900 yen (tax included)', 'nothing is billed'],
  },
  'contract-expired': {
    params: { planName: 'Plan 5', end: '2022-12-31', freePlanName: 'Free' },
    // P2: on the free plan, entries kept, only features limited.
    ja: ['Plan 5', '2022年12月31日', 'Free', 'データ', '保持', '機能'],
    en: ['Plan 5', '31 December 2022', 'Free', 'kept', 'features'],
  },
  'members-will-be-deactivated': {
    params: { count: 3, on: '2026-04-01' },
    // S9: deactivated, cannot log in, group "Auto Deactivation", data kept.
    ja: ['3名', '2026年4月1日', 'Auto Deactivation', 'ログイン'],
    en: ['3 members', '1 April 2026', 'Auto Deactivation', 'log in'],
  },
  'order-completed': {
    params: { planName: 'Starter', total: 5500, dueOn: '2026-07-31', invoiceNumber: 'INV-000001' },
    ja: ['Starter', '5,500円（税込）', '2026年7月31日', '請求書（INV-000001）のPDFを添付'],
    en: ['Starter', '5,500 yen (tax included)', '31 July 2026', 'invoice INV-000001 is attached'],
  },
  'plan-change-completed': {
    params: { fromPlan: 'Business 5', planName: 'Business 10', total: 118800, dueOn: '2026-05-31', billedFrom: '2026-05-01', reupload: true, invoiceNumber: 'INV-000002' },
    ja: ['Business 5', 'Business 10', '118,800円（税込）', '2026年5月31日', '2026年5月1日', '再度ダウンロード', 'INV-000002'],
    en: ['Business 5', 'Business 10', '118,800 yen (tax included)', '31 May 2026', '1 May 2026', 'download the book files again', 'INV-000002'],
  },
  'statement-issued': {
    // B9: the billing statement of an order that waits for acceptance.
    params: { orderId: 'ord_1', planName: 'Business 10', subtotal: 108000, tax: 10800, total: 118800, periodStart: '2026-05-01', periodEnd: '2027-04-30', validUntil: '2026-04-30' },
    ja: ['Business 10', 'ord_1', '108,000円', '10,800円', '118,800円（税込）', '2026年5月1日', '2027年4月30日', '2026年4月30日', '承認'],
    en: ['Business 10', 'ord_1', '108,000 yen', '10,800 yen', '118,800 yen (tax included)', '1 May 2026', '30 April 2027', '30 April 2026', 'accept'],
  },
  'quotation-issued': {
    // B9: invoice payment gets a quotation (its PDF attached to the mail).
    params: { orderId: 'ord_2', quoteNumber: 'QT-000007', planName: 'Business 20', subtotal: 216000, tax: 21600, total: 237600, periodStart: '2026-05-01', periodEnd: '2027-04-30', validUntil: '2026-04-30' },
    ja: ['QT-000007', 'Business 20', 'ord_2', '216,000円', '21,600円', '237,600円（税込）', '2026年5月1日', '2027年4月30日', '有効期限: 2026年4月30日', '添付'],
    en: ['QT-000007', 'Business 20', 'ord_2', '216,000 yen', '21,600 yen', '237,600 yen (tax included)', '1 May 2026', '30 April 2027', 'Valid until: 30 April 2026', 'attached'],
  },
  'invoice-overdue': {
    params: { invoiceId: 'inv_1', invoiceNumber: 'INV-000042', total: 55000, balance: 22000, dueOn: '2026-06-30' },
    ja: ['INV-000042', '55,000円（税込）', '22,000円', '2026年6月30日', '期限'],
    en: ['INV-000042', '55,000 yen (tax included)', '22,000 yen', '30 June 2026', 'overdue'],
  },
  'payment-reminder': {
    params: { invoiceId: 'inv_3', invoiceNumber: 'INV-000044', total: 66000, balance: 66000, dueOn: '2026-07-31', overdue: true },
    ja: ['INV-000044', '66,000円（税込）', '66,000円', '2026年7月31日', '過ぎて', '添付'],
    en: ['INV-000044', '66,000 yen (tax included)', '66,000 yen', '31 July 2026', 'not received', 'attached'],
  },
  'portal-link': {
    params: { url: 'https://billing.example.jp/portal#token=kyc_abc', minutes: 1440 },
    ja: ['https://billing.example.jp/portal#token=kyc_abc', '24時間', '破棄'],
    en: ['https://billing.example.jp/portal#token=kyc_abc', '24 hours', 'ignore this email'],
  },
  'email-change-confirm': {
    params: { url: 'https://billing.example.jp/portal/confirm-email#code=kye_abc', newEmail: 'new@example.jp', minutes: 1440 },
    ja: ['new@example.jp', 'https://billing.example.jp/portal/confirm-email#code=kye_abc', '24時間', '変更を確定する'],
    en: ['new@example.jp', 'https://billing.example.jp/portal/confirm-email#code=kye_abc', '24 hours', 'Confirm the change'],
  },
  'email-changed': {
    params: { oldEmail: 'old@example.jp', newEmail: 'new@example.jp' },
    ja: ['old@example.jp', 'new@example.jp', '至急'],
    en: ['old@example.jp', 'new@example.jp', 'at once'],
  },
  'payment-received': {
    params: { invoiceId: 'inv_2', invoiceNumber: 'INV-000043', amount: 33000, paidOn: '2026-07-03', balance: 0 },
    ja: ['INV-000043', '33,000円', '2026年7月3日', 'すべて完了'],
    en: ['INV-000043', '33,000 yen', '3 July 2026', 'paid in full'],
  },
};

describe('notice templates (SPEC §6)', () => {
  it('every kind has an example here', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(NOTICE_TEMPLATES).sort());
  });

  for (const kind of Object.keys(EXAMPLES) as NoticeKind[]) {
    for (const lang of ['ja', 'en'] as const) {
      it(`${kind} (${lang}) renders a subject and a body stating its facts`, () => {
        const example = EXAMPLES[kind];
        const { subject, body } = renderNotice(kind, lang, example.params as never);
        expect(subject.trim().length).toBeGreaterThan(0);
        expect(body.trim().length).toBeGreaterThan(0);
        expect(subject).not.toContain('\n');
        for (const fact of example[lang]) expect(`${subject}\n${body}`, fact).toContain(fact);
        for (const text of [subject, body]) {
          expect(text).not.toContain('undefined');
          expect(text).not.toContain('NaN');
          expect(text).not.toContain('${');
        }
        if (lang === 'ja') expect(body).toMatch(/(です|ます)。/);
      });
    }
  }

  it('Japanese is the polite form and names the recipient and the sender when given', () => {
    const { body } = renderNotice('expiry-reminder', 'ja', { planName: 'Plan 10', end: '2026-07-01' }, { recipientName: '株式会社テスト', senderName: '株式会社ベンダー' });
    expect(body.startsWith('株式会社テスト 様')).toBe(true);
    expect(body.trimEnd().endsWith('株式会社ベンダー')).toBe(true);
    const en = renderNotice('expiry-reminder', 'en', { planName: 'Plan 10', end: '2026-07-01' }, { recipientName: 'Test Ltd' });
    expect(en.body.startsWith('Dear Test Ltd,')).toBe(true);
  });

  it('S9 in English: one member is singular', () => {
    expect(renderNotice('members-will-be-deactivated', 'en', { count: 1, on: '2026-04-01' }).subject).toContain('1 member will');
  });

  it("P3: renewal on a 29 February end runs to 28 February of the next year", () => {
    expect(renderNotice('renewal-offer-open', 'ja', { planName: 'Plan 10', end: '2028-02-29', opens: '2027-12-29' }).body).toContain('2029年2月28日');
  });

  it('payment-received with a balance left states what remains to pay', () => {
    const params = { invoiceId: 'inv_3', invoiceNumber: 'INV-000044', amount: 10000, paidOn: '2026-07-03', balance: 1000 };
    const ja = renderNotice('payment-received', 'ja', params).body;
    expect(ja).toContain('10,000円');
    expect(ja).toContain('未入金額: 1,000円');
    expect(ja).not.toContain('すべて完了');
    const en = renderNotice('payment-received', 'en', params).body;
    expect(en).toContain('Outstanding: 1,000 yen');
    expect(en).not.toContain('paid in full');
  });

  it('order-completed states the tax-included total (G2); without an invoice number it points to the portal', () => {
    const body = renderNotice('order-completed', 'ja', { planName: 'Plan 10', total: 5500, dueOn: '2026-07-31' }).body;
    expect(body).toContain('5,500円（税込）');
    expect(body).toContain('ポータル');
    expect(body).not.toContain('添付');
  });
});

describe('formatDateJa / formatDateEn', () => {
  it.each([
    ['2026-07-01', '2026年7月1日', '1 July 2026'],
    ['2022-12-31', '2022年12月31日', '31 December 2022'],
    ['2024-02-29', '2024年2月29日', '29 February 2024'],
    ['2026-01-10', '2026年1月10日', '10 January 2026'],
  ])('%s → %s / %s', (date, ja, en) => {
    expect(formatDateJa(date)).toBe(ja);
    expect(formatDateEn(date)).toBe(en);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => formatDateJa('2026-02-30')).toThrow(RangeError);
    expect(() => formatDateEn('2026-7-1')).toThrow(RangeError);
  });
});
