/**
 * The personalised withholding rate (taux du prélèvement à la source) the tax administration sends for
 * an entrepreneur-salarié: recorded by staff of the territory with the month from which it applies and
 * its source, as versions appended, never edited (a version never starts before the latest one; two
 * versions of the same month both stay, the last received applying). A payslip uses the rate in force
 * for its month (functions/payroll/payslips.ts, `withholdingRateAt`); one already issued keeps the rate
 * it was computed with (its figures never change). Without any version, the neutral grid applies.
 */
import { loadEntrepreneur } from '../onboarding/index.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { transact } from '../shared/transactions.ts';
import type { Out } from '../shared/contract.ts';
import { canManage, canSee } from './domain/access.ts';
import type { WithholdingRateBody } from './schemas.ts';
import { type WithholdingVersion, withholdingHistory, withholdingWrites } from './store.ts';

export function presentWithholding(version: WithholdingVersion) {
  return {
    rateBasisPoints: version.rateBasisPoints,
    rate: version.rate,
    source: version.source,
    from: version.date.slice(0, 7),
    date: version.date,
    receivedAt: version.receivedAt,
  };
}

/** Every version, oldest first, and the one that applies this month or the latest before it (`current`). */
function presentHistory(entrepreneurId: string, versions: readonly WithholdingVersion[], now: Date) {
  const today = parisDate(now);
  const current = versions.filter((v) => v.date <= today).at(-1);
  return { entrepreneurId, ...(current ? { current: presentWithholding(current) } : {}), versions: versions.map(presentWithholding) };
}

export async function setWithholdingRate(principal: Principal, entrepreneurId: string, body: Out<typeof WithholdingRateBody>, now: Date) {
  const entrepreneur = await loadEntrepreneur(entrepreneurId);
  if (!canManage(principal, { etd: entrepreneur.etd, entrepreneurId: entrepreneur.id })) {
    throw new NotFoundError(`Entrepreneur ${entrepreneurId} not found.`);
  }
  const history = await withholdingHistory(entrepreneur.id);
  const date = `${body.from}-01`;
  const tooEarly = (latest: string) =>
    new ConflictError(`A withholding rate applies from ${latest.slice(0, 7)}: a new one cannot start before it.`, {
      field: 'from',
      latestFrom: latest.slice(0, 7),
    });
  const latest = history.at(-1);
  if (latest && date < latest.date) throw tooEarly(latest.date);
  const version: WithholdingVersion = {
    entrepreneurId: entrepreneur.id,
    etd: entrepreneur.etd,
    rateBasisPoints: body.rateBasisPoints,
    rate: body.rateBasisPoints / 100,
    source: body.source,
    date,
    receivedAt: now.toISOString(),
    receivedBy: principal.sub,
  };
  await transact(withholdingWrites(version), (index) =>
    index === 0 ? tooEarly(date) : new ConflictError('A withholding rate was recorded at the same instant; try again.'),
  );
  return presentHistory(entrepreneur.id, [...history, version], now);
}

export async function withholdingRates(principal: Principal, entrepreneurId: string, now: Date) {
  const entrepreneur = await loadEntrepreneur(entrepreneurId);
  if (!canSee(principal, { etd: entrepreneur.etd, entrepreneurId: entrepreneur.id })) {
    throw new NotFoundError(`Entrepreneur ${entrepreneurId} not found.`);
  }
  return presentHistory(entrepreneur.id, await withholdingHistory(entrepreneur.id), now);
}
