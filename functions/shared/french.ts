/**
 * French formatting for the documents and pages clients read. Narrow no-break spaces (U+202F) as
 * Intl writes them: the embedded DejaVu fonts and browsers print them correctly.
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

/** 123456 → "1 234,56 €" */
export const formatEuros = (cents: number): string => euros().format(cents / 100);

/** 1.5 → "1,5" */
export const formatQuantity = (quantity: number): string => decimal().format(quantity);

/** "5.5" → "5,5 %" */
export const formatRate = (rate: string): string => `${rate.replace('.', ',')}\u00a0%`;

/** French writes the first of a month as an ordinal: « 1er octobre », never « 1 octobre ». */
const firstOfMonth = (text: string): string => text.replace(/^1 /, '1er ');

/** A calendar date YYYY-MM-DD → "25 novembre 2026", "1er décembre 2026" */
export const formatDate = (isoDate: string): string => firstOfMonth(longDate().format(new Date(`${isoDate}T00:00:00Z`)));

/** A month YYYY-MM → "octobre 2026" */
export const formatMonth = (period: string): string => longMonth().format(new Date(`${period}-01T00:00:00Z`));

/** An instant → "25 novembre 2026 à 11:00", "1er décembre 2026 à 09:00" (Paris time) */
export const formatDateTime = (instant: string | Date): string =>
  firstOfMonth(dateTime().format(typeof instant === 'string' ? new Date(instant) : instant));

export const unitLabels = { h: 'h', day: 'jour', m2: 'm²', ml: 'ml', m3: 'm³', u: 'u', 'lump-sum': 'forfait' } as const;
