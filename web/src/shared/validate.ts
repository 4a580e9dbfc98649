/**
 * Forms check their own fields before sending (required, a whole number, at least 1, in the
 * catalog's steps, a real date) and say what to enter in the reader's language, under the field.
 * The business rules stay the API's: what passes here is sent, and the API's refusal is shown.
 * When the API still answers `invalid_request` (its schema validation), the validator's text
 * ("Invalid input: expected number, received null") is replaced by the form's own message for
 * that field: it is written for developers, not for customers or operators.
 */
import type { FieldProblem, Problem } from './api.js';
import { fieldMessage } from './api.js';
import type { I18n } from './i18n.js';

/** Field name → the form's own message for it (in the reader's language); undefined when the field is fine. */
export type FieldChecks = Record<string, string | undefined>;

/** The code of a problem found by the browser before sending (never sent by the API). */
export const FORM_INVALID = 'form_invalid';

/** The form's own check as a Problem, shown like the API's (each message under its field); null when every field is fine. */
export function formProblem(checks: FieldChecks, i18n: I18n): Problem | null {
  const errors: FieldProblem[] = Object.entries(checks).flatMap(([path, message]) => (message ? [{ path, message }] : []));
  return errors.length ? { status: 0, code: FORM_INVALID, detail: i18n.t('checkEntries'), errors } : null;
}

export type NumberIssue = 'empty' | 'notWhole' | 'tooSmall' | 'tooBig' | 'notStep';

/**
 * What is wrong with a typed whole number, if anything: empty (unless optional), not a whole
 * number, below `min`, above `max`, not a multiple of `step`.
 */
export function checkWhole(value: string, o: { min: number; max?: number; step?: number; optional?: boolean }): NumberIssue | null {
  const v = value.trim();
  if (v === '') return o.optional ? null : 'empty';
  if (!/^-?\d+$/.test(v)) return 'notWhole';
  const n = Number(v);
  if (!Number.isSafeInteger(n)) return 'tooBig';
  if (n < o.min) return 'tooSmall';
  if (o.max !== undefined && n > o.max) return 'tooBig';
  if (o.step && o.step > 1 && n % o.step !== 0) return 'notStep';
  return null;
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** A time of day written `HH:MM` (the value of an `<input type="time">`). */
export function isTimeOfDay(value: string): boolean {
  const m = /^(\d{2}):(\d{2})$/.exec(value.trim());
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** An address that looks like `name@example.jp` (the API decides the rest). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

/**
 * The API's answer in the form's words. `invalid_request` (schema validation): each error on a
 * field of the form gets the form's message for that field (one per field), any other error and
 * the detail a plain "could not be accepted" (shown when no field of the form is named). Every other problem is a business refusal already
 * written for people in the reader's language: unchanged.
 */
export function readableProblem(problem: Problem, fieldTexts: Record<string, string>, i18n: I18n): Problem {
  if (problem.code !== 'invalid_request') return problem;
  const seen = new Set<string>();
  const errors: FieldProblem[] = [];
  let unmatched = false;
  for (const e of problem.errors) {
    const field = Object.keys(fieldTexts).find((f) => fieldMessage({ ...problem, errors: [e] }, f) !== undefined);
    if (!field) {
      unmatched = true;
      continue;
    }
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ path: field, message: fieldTexts[field]! });
  }
  // A form shows its fields' messages under them, and the detail only when none of them is named.
  return { ...problem, detail: i18n.t(unmatched || errors.length === 0 ? 'requestNotAccepted' : 'checkEntries'), errors };
}

/**
 * Moves the keyboard focus to the form's first control marked invalid, once the messages are on the
 * screen. After an API answer React may render the messages a frame later than a timer of 0 fires,
 * so it looks again for a few frames before giving up (a form with nothing marked keeps its focus).
 */
export function focusFirstInvalid(form: HTMLElement | null, frames = 5): void {
  const attempt = (left: number) => {
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else if (left > 0) requestAnimationFrame(() => attempt(left - 1));
  };
  setTimeout(() => attempt(frames), 0);
}
