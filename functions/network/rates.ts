/**
 * The redevance rate versions of a territory, set by operators only: effective from a day, never
 * edited, never starting on or before the last day of a period already stated (the head guards
 * it atomically). A version that changes the statement frequency starts on the first day of a
 * period of its frequency.
 */
import { loadEtd } from '../onboarding/index.ts';
import type { Principal } from '../shared/auth.ts';
import { ConflictError, NotFoundError, unlessNotFound, ValidationError } from '../shared/errors.ts';
import { meterTerritory } from '../shared/metering.ts';
import { transact } from '../shared/transactions.ts';
import type { Out } from '../shared/contract.ts';
import { canSee } from './domain/access.ts';
import { periodContaining } from './domain/periods.ts';
import { rateVersionProblem, versionAt } from './domain/redevance.ts';
import type { RateVersionBody } from './schemas.ts';
import { headOf, rateVersionPuts, rateVersions, type StoredRate } from './store.ts';

/** The territory, or 404 when it does not exist or the caller may not see it. */
export async function visibleTerritory(principal: Principal, etd: string): Promise<void> {
  meterTerritory(etd);
  if (!canSee(principal, { etd })) throw new NotFoundError(`No territory ${etd}.`);
  await loadEtd(etd);
}

/**
 * A territory named in a query or a body: invisible to the caller → 404 like an absent one; absent
 * for an operator (who sees all) → 400 naming the field.
 */
export async function knownTerritory(principal: Principal, etd: string, field: string): Promise<void> {
  meterTerritory(etd);
  if (!canSee(principal, { etd })) throw new NotFoundError(`No territory ${etd}.`);
  if (!(await unlessNotFound(loadEtd(etd)))) throw new ValidationError([{ path: field, message: `no territory ${etd}` }]);
}

export async function listRates(principal: Principal, etd: string) {
  await visibleTerritory(principal, etd);
  const [versions, head] = await Promise.all([rateVersions(etd), headOf(etd)]);
  return { etd, versions: versions.sort((a, b) => (a.from < b.from ? -1 : 1)), ...(head ? { statedTo: head.lastTo } : {}) };
}

export async function setRate(principal: Principal, etd: string, body: Out<typeof RateVersionBody>, now: Date) {
  await visibleTerritory(principal, etd);
  const [versions, head] = await Promise.all([rateVersions(etd), headOf(etd)]);
  const problem = rateVersionProblem(body, head?.lastTo);
  if (problem) throw new ValidationError([problem]);
  if (versions.some((v) => v.from === body.from))
    throw new ConflictError(`A rate version from ${body.from} already exists: versions are never edited, set one from a later day.`);
  const before = versionAt(versions, body.from);
  if (before && before.frequency !== body.frequency && periodContaining(body.from, body.frequency).from !== body.from) {
    throw new ValidationError([
      {
        path: 'from',
        message: `a change to ${body.frequency} statements must start on the first day of a ${body.frequency === 'monthly' ? 'month' : 'quarter'}`,
      },
    ]);
  }
  const rate: StoredRate = { etd, ...body, setAt: now.toISOString(), setBy: principal.sub };
  await transact(rateVersionPuts(rate), (index) =>
    index === 0
      ? new ConflictError(`A rate version from ${body.from} already exists.`)
      : new ValidationError([
          { path: 'from', message: 'must be after the last day of a period already stated (a statement was issued meanwhile)' },
        ]),
  );
  return rate;
}
