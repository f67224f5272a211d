/**
 * Salaries of the month: a manager of the territory sets the gross salary of an entrepreneur for a
 * month (or asks for the maximum the account allows, computed when the payslip is issued), with the
 * hours declared. A month already issued never changes (a correction is a regularisation next month).
 */
import { loadEntrepreneur } from '../onboarding/index.ts';
import type { Principal } from '../shared/auth.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { transact } from '../shared/transactions.ts';
import type { Out } from '../shared/contract.ts';
import { canManage } from './domain/access.ts';
import { profileFor } from './domain/profiles.ts';
import { FULL_TIME_HOURS } from './employer.ts';
import type { SalaryBody } from './schemas.ts';
import { findPayslip, salaryDraftPut, type SalaryDraft } from './store.ts';

/** The hours of a month when none are declared: the entrepreneur's business-plan profile, else full time. */
export const defaultHours = (competences: readonly string[]): number => {
  const profile = profileFor(competences);
  return profile ? profile.hundredthsOfHoursPerMonth / 100 : FULL_TIME_HOURS;
};

export function presentSalary(draft: SalaryDraft) {
  const { updatedBy: _by, ...view } = draft;
  return view;
}

export async function setSalary(principal: Principal, entrepreneurId: string, period: string, body: Out<typeof SalaryBody>, now: Date) {
  const entrepreneur = await loadEntrepreneur(entrepreneurId);
  if (!canManage(principal, { etd: entrepreneur.etd, entrepreneurId: entrepreneur.id })) {
    throw new NotFoundError(`Entrepreneur ${entrepreneurId} not found.`);
  }
  if (await findPayslip(entrepreneur.id, period)) {
    throw new ConflictError(`The payslip of ${period} is issued: it never changes (correct it by a regularisation next month).`);
  }
  const draft: SalaryDraft = {
    entrepreneurId: entrepreneur.id,
    etd: entrepreneur.etd,
    cae: entrepreneur.cae,
    period,
    request: 'maximum' in body ? { maximum: true } : { grossCents: body.grossCents },
    hours: body.hours ?? defaultHours(entrepreneur.competences),
    state: 'draft',
    updatedAt: now.toISOString(),
    updatedBy: principal.sub,
  };
  await transact([salaryDraftPut(draft)], () => new ConflictError(`The payslip of ${period} is issued: it never changes.`));
  return presentSalary(draft);
}
