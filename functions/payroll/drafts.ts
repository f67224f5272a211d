/**
 * The monthly preparation (job PrepareSalaryDrafts, first working day of the month): a salary draft
 * of the previous month for every active entrepreneur that has none — the salary of the month
 * before carried over, else the maximum the account allows; the hours of the month before, else of
 * the profile — then the drafts still open counted per territory for the managers' reminder.
 * A draft that exists (set by a manager, or issued) is never replaced: running it again changes nothing.
 */
import { isFirstWorkingDayOfMonth } from '../shared/working-days.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError } from '../shared/errors.ts';
import { transact } from '../shared/transactions.ts';
import { periodOf, previousPeriod } from './domain/period.ts';
import { defaultHours } from './salaries.ts';
import { findSalaryDraft, openDrafts, salaryDraftCreate, type SalaryDraft } from './store.ts';

export interface ActiveEntrepreneur {
  readonly id: string;
  readonly etd: string;
  readonly cae: string;
  readonly competences: readonly string[];
}

export interface PreparationResult {
  readonly skipped?: 'not the first working day of the month';
  readonly period: string;
  readonly created: number;
  readonly kept: number;
  /** Drafts still open (not issued) per territory: what managers are reminded of. */
  readonly openByEtd: Readonly<Record<string, number>>;
}

export async function prepareSalaryDrafts(entrepreneurs: AsyncIterable<ActiveEntrepreneur>, now: Date): Promise<PreparationResult> {
  const period = previousPeriod(periodOf(now));
  if (!isFirstWorkingDayOfMonth(parisDate(now))) {
    return { skipped: 'not the first working day of the month', period, created: 0, kept: 0, openByEtd: {} };
  }
  let created = 0;
  let kept = 0;
  for await (const entrepreneur of entrepreneurs) {
    if (await findSalaryDraft(entrepreneur.id, period)) {
      kept++;
      continue;
    }
    const before = await findSalaryDraft(entrepreneur.id, previousPeriod(period));
    const draft: SalaryDraft = {
      entrepreneurId: entrepreneur.id,
      etd: entrepreneur.etd,
      cae: entrepreneur.cae,
      period,
      request: before?.request ?? { maximum: true },
      hours: before?.hours ?? defaultHours(entrepreneur.competences),
      state: 'draft',
      updatedAt: now.toISOString(),
      updatedBy: 'job:PrepareSalaryDrafts',
    };
    const exists = new ConflictError('exists');
    await transact([salaryDraftCreate(draft)], () => exists).then(
      () => created++,
      (error: unknown) => {
        if (error !== exists) throw error;
        kept++;
      },
    );
  }
  const openByEtd: Record<string, number> = {};
  for await (const open of openDrafts(period)) openByEtd[open.etd] = (openByEtd[open.etd] ?? 0) + 1;
  return { period, created, kept, openByEtd };
}
