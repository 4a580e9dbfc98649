/**
 * The Japanese wording of invoice lines (the English one is `description`): a Japanese invoice
 * names its items in Japanese (インボイス制度: 取引内容), dates as 2026年7月1日.
 */
import { formatDateJa } from './notice-templates.js';

export const jaMonths = (n: number): string => `${n}か月`;
export const jaPeriod = (start: string, end: string): string => `${formatDateJa(start)}〜${formatDateJa(end)}`;
