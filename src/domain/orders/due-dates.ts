/**
 * `dueDate` (B8) remembered by date, method and calendar: the business-day walk checks holidays
 * day by day, and every order of a day asks the same few questions (issue 8: ~8 % of a spot
 * order's time in the server). Pure: the same answer as `dueDate`.
 */
import type { BusinessCalendar, PaymentMethod, PlainDate } from '../calendar.js';
import { DEFAULT_BUSINESS_CALENDAR, dueDate } from '../calendar.js';

const remembered = new Map<string, PlainDate>();

export function dueDateOf(completedOn: PlainDate, method: PaymentMethod, cal: BusinessCalendar = DEFAULT_BUSINESS_CALENDAR): PlainDate {
  const key = `${completedOn.toString()}|${method}|${JSON.stringify(cal.closedDays)}`;
  let due = remembered.get(key);
  if (!due) {
    if (remembered.size >= 10_000) remembered.clear();
    remembered.set(key, (due = dueDate(completedOn, method, cal)));
  }
  return due;
}
