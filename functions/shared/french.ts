/**
 * French formatting for the documents and pages clients read. Narrow no-break spaces (U+202F) as
 * Intl writes them: the embedded DejaVu fonts and browsers print them correctly.
 *
 * Amounts, quantities and calendar dates are written here, character for character as Intl's
 * fr-FR formats write them (test/unit/french-format.test.ts checks it against Intl on generated
 * values): the first `Intl.NumberFormat` of a process initialises ICU's number formatting, ≈ 11–17 ms
 * of CPU, and the first `Intl.DateTimeFormat` ≈ 3 ms, paid by the first quote, invoice or page of
 * every container (issue 14). Intl stays the reference, and formats what these do not cover
 * (non-integer cents, numbers in exponent notation, years before 1 or after 9999), and the
 * instants of Paris time (time zones are ICU's).
 */
import { BUSINESS_TIMEZONE } from './clock.ts';
import { once } from './once.ts';

// Built on first use (once.ts): constructing them at import cost every function's cold start.
const euros = /* @__PURE__ */ once(() => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }));
const decimal = /* @__PURE__ */ once(() => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 }));
const longDate = /* @__PURE__ */ once(
  () => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
);
const longMonth = /* @__PURE__ */ once(() => new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }));
const dateTime = /* @__PURE__ */ once(
  () => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: BUSINESS_TIMEZONE }),
);

const GROUP = '\u202f';
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "1234567" → "1 234 567": groups of three digits, from four digits on (fr-FR). */
function grouped(digits: string): string {
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? GROUP : '') + digits.slice(Math.max(0, end - 3), end) + out;
  return out;
}

/** 123456 → "1 234,56 €" */
export function formatEuros(cents: number): string {
  if (!Number.isSafeInteger(cents) || Object.is(cents, -0)) return euros().format(cents / 100);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${grouped(String(Math.floor(abs / 100)))},${String(abs % 100).padStart(2, '0')}\u00a0€`;
}

/**
 * 1.5 → "1,5"; at most three decimals, rounded half away from zero on the number's shortest
 * decimal writing (1.0005 → "1,001"), as ICU rounds.
 */
export function formatQuantity(quantity: number): string {
  const written = /^(\d+)(?:\.(\d+))?$/.exec(String(Math.abs(quantity)));
  if (!written) return decimal().format(quantity); // NaN, ±Infinity, exponent notation
  const fraction = written[2] ?? '';
  let thousandths = BigInt(written[1]! + fraction.slice(0, 3).padEnd(3, '0'));
  if (fraction.length > 3 && fraction[3]! >= '5') thousandths += 1n;
  const whole = String(thousandths / 1000n);
  const decimals = String(thousandths % 1000n)
    .padStart(3, '0')
    .replace(/0+$/, '');
  const negative = quantity < 0 || Object.is(quantity, -0);
  return `${negative ? '-' : ''}${grouped(whole)}${decimals ? `,${decimals}` : ''}`;
}

/** "5.5" → "5,5 %" */
export const formatRate = (rate: string): string => `${rate.replace('.', ',')}\u00a0%`;

/** French writes the first of a month as an ordinal: « 1er octobre », never « 1 octobre ». */
const firstOfMonth = (text: string): string => text.replace(/^1 /, '1er ');

/** The UTC calendar fields of a date Intl would format, or undefined where Intl is left to it. */
function calendar(date: Date): { day: number; month: string; year: number } | undefined {
  const year = date.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) return undefined; // also an invalid date: Intl throws its RangeError
  return { day: date.getUTCDate(), month: MONTHS[date.getUTCMonth()]!, year };
}

/** A calendar date YYYY-MM-DD → "25 novembre 2026", "1er décembre 2026" */
export function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const fields = calendar(date);
  return firstOfMonth(fields ? `${fields.day} ${fields.month} ${fields.year}` : longDate().format(date));
}

/** A month YYYY-MM → "octobre 2026" */
export function formatMonth(period: string): string {
  const date = new Date(`${period}-01T00:00:00Z`);
  const fields = calendar(date);
  return fields ? `${fields.month} ${fields.year}` : longMonth().format(date);
}

/** An instant → "25 novembre 2026 à 11:00", "1er décembre 2026 à 09:00" (Paris time) */
export const formatDateTime = (instant: string | Date): string =>
  firstOfMonth(dateTime().format(typeof instant === 'string' ? new Date(instant) : instant));

export const unitLabels = { h: 'h', day: 'jour', m2: 'm²', ml: 'ml', m3: 'm³', u: 'u', 'lump-sum': 'forfait' } as const;
