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
    params: { planName: 'Starter', total: 5500, dueOn: '2026-07-31' },
    ja: ['Starter', '5,500円（税込）', '2026年7月31日'],
    en: ['Starter', '5,500 yen (tax included)', '31 July 2026'],
  },
  'plan-change-completed': {
    params: { fromPlan: 'Business 5', planName: 'Business 10', total: 118800, dueOn: '2026-05-31', billedFrom: '2026-05-01', reupload: true },
    ja: ['Business 5', 'Business 10', '118,800円（税込）', '2026年5月31日', '2026年5月1日', '再度ダウンロード'],
    en: ['Business 5', 'Business 10', '118,800 yen (tax included)', '31 May 2026', '1 May 2026', 'download the book files again'],
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

  it('order-completed states the tax-included total (G2)', () => {
    expect(renderNotice('order-completed', 'ja', { planName: 'Plan 10', total: 5500, dueOn: '2026-07-31' }).body).toContain('5,500円（税込）');
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
