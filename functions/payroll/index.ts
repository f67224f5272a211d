/**
 * The payroll context's door: what other contexts may use of it, and nothing else.
 *
 * - `recordTurnover({ sourceId, entrepreneurId, period, netCents })`: credits (negative: debits) an
 *   entrepreneur's activity account with turnover HT from a sale, once per source id (a source
 *   already counted answers `{ recorded: false }` and changes nothing). For the sales events'
 *   consumers (functions/consumers.ts) once sales publishes invoice and payment events.
 * - The type `TurnoverRecord`.
 */
export { recordTurnover, type TurnoverRecord } from './account.ts';
