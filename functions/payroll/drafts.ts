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
  readonly firstName?: string;
  readonly lastName?: string;
}

/** The drafts still open of one CAE of a territory, with the names of the entrepreneurs when known. */
export interface OpenDraftsOfCae {
  readonly etd: string;
  readonly cae: string;
  readonly count: number;
  readonly names: readonly string[];
}

export interface PreparationResult {
  readonly skipped?: 'not the first working day of the month';
  readonly period: string;
  readonly created: number;
  readonly kept: number;
  /** Drafts still open (not issued) per territory: what managers are reminded of. */
  readonly openByEtd: Readonly<Record<string, number>>;
  /** The same per CAE of a territory (the reminder e-mails), in territory then CAE order. */
  readonly openByCae: readonly OpenDraftsOfCae[];
}

export async function prepareSalaryDrafts(entrepreneurs: AsyncIterable<ActiveEntrepreneur>, now: Date): Promise<PreparationResult> {
  const period = previousPeriod(periodOf(now));
  if (!isFirstWorkingDayOfMonth(parisDate(now))) {
    return { skipped: 'not the first working day of the month', period, created: 0, kept: 0, openByEtd: {}, openByCae: [] };
  }
  let created = 0;
  let kept = 0;
  const names = new Map<string, string>();
  for await (const entrepreneur of entrepreneurs) {
    if (entrepreneur.firstName && entrepreneur.lastName) names.set(entrepreneur.id, `${entrepreneur.firstName} ${entrepreneur.lastName}`);
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
  const byCae = new Map<string, { etd: string; cae: string; count: number; names: string[] }>();
  for await (const open of openDrafts(period)) {
    openByEtd[open.etd] = (openByEtd[open.etd] ?? 0) + 1;
    const key = `${open.etd}#${open.cae}`;
    const group = byCae.get(key) ?? { etd: open.etd, cae: open.cae, count: 0, names: [] };
    group.count++;
    const name = names.get(open.entrepreneurId);
    if (name) group.names.push(name);
    byCae.set(key, group);
  }
  const openByCae = [...byCae.values()]
    .map((g) => ({ ...g, names: g.names.sort((a, b) => a.localeCompare(b, 'fr')) }))
    .sort((a, b) => a.etd.localeCompare(b.etd) || a.cae.localeCompare(b.cae));
  return { period, created, kept, openByEtd, openByCae };
}
