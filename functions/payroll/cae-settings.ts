/**
 * The payroll settings of a CAE of a territory (cooperative contribution in basis points and an optional
 * fixed monthly amount, the turnover basis `invoiced` | `cashed`, the overdraft allowed), recorded by an
 * operator as effective-dated versions, appended, never edited: a new version starts on the first day of a
 * month strictly after the latest version's, and after the last month for which the CAE issued a payslip
 * (an issued month keeps the rules it was computed with). Without any version, the defaults of store.ts.
 */
import { loadEtd } from '../onboarding/index.ts';
import type { Principal } from '../shared/auth.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { transact } from '../shared/transactions.ts';
import type { Out } from '../shared/contract.ts';
import type { CaeSettingsBody } from './schemas.ts';
import { type CaeSettings, caeSettingsAppend, caeSettingsHistory, lastIssuedPeriodOfCae } from './store.ts';

export function presentCaeSettings(settings: CaeSettings) {
  const { etd: _etd, cae: _cae, ...view } = settings;
  return view;
}

export async function setCaePayrollSettings(principal: Principal, code: string, cae: 'SAMAD' | 'MSG', body: Out<typeof CaeSettingsBody>) {
  if (principal.role !== 'operator') throw new NotFoundError(`Territory ${code} not found.`);
  const etd = await loadEtd(code);
  const from = `${body.from}-01`;
  const [history, lastIssued] = await Promise.all([caeSettingsHistory(etd.code, cae), lastIssuedPeriodOfCae(etd.code, cae)]);
  if (lastIssued !== undefined && body.from <= lastIssued) {
    throw new ConflictError(
      `A payslip of ${cae} ${etd.code} is issued for ${lastIssued}: its settings never change; a new version starts after that month.`,
      { field: 'from', lastIssuedPeriod: lastIssued },
    );
  }
  const notAfter = (latest: string) =>
    new ConflictError(`The latest settings version of ${cae} ${etd.code} starts on ${latest}: a new one starts after it.`, {
      field: 'from',
      latestFrom: latest.slice(0, 7),
    });
  const latest = history.at(-1)!;
  if (from <= latest.from) throw notAfter(latest.from);
  const settings: CaeSettings = {
    etd: etd.code,
    cae,
    from,
    contributionBasisPoints: body.contributionBasisPoints,
    contributionFixedCents: body.contributionFixedCents ?? 0,
    basis: body.basis,
    overdraftCents: body.overdraftCents ?? 0,
    source: `recorded by an operator (${principal.sub})`,
  };
  await transact(caeSettingsAppend(settings), () => notAfter(from));
  return { etd: etd.code, cae, versions: [...history, settings].map(presentCaeSettings) };
}
