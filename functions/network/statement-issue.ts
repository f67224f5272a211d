/**
 * Redevance statements: issued per territory and period by the monthly job (every period ended and
 * not stated yet, in order) or on demand by an operator; read by operators (all) and managers
 * (their territory).
 *
 * Issuing a period:
 * - the period has ended, is of the territory's frequency (the rate version in force on its first
 *   day), and is the next after the last one stated (none stated: any);
 * - its facts are those dated in it and recorded up to the cutoff (the issue instant less a margin
 *   for the index to catch up), plus the late facts recorded since the previous statement's cutoff
 *   and dated in an earlier stated period (regularisations);
 * - the content (lines, totals) and its hash are computed, the PDF is rendered and stored under the
 *   hash, then ONE transaction writes the statement (never there before) and moves the territory's
 *   head from the previous period; the statement is then e-mailed to the territory's managers.
 * - Re-running an issued period writes nothing: the statement is read back and its content
 *   recomputed from the same facts with the same cutoff, which gives the same hash.
 */
import * as onboarding from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { addDays, parisDate } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { formatEuros } from '../shared/french.ts';
import { logger } from '../shared/observability.ts';
import { transact } from '../shared/transactions.ts';
import { hasEnded, type Period, parsePeriod, periodContaining } from './domain/periods.ts';
import { computeStatement, type Fact, type RateVersion, versionAt } from './domain/redevance.ts';
import { periodLabel, renderStatementPdf } from './pdf.ts';
import { visibleTerritory } from './rates.ts';
import { factsDated, factsRecorded, findStatement, type Head, headOf, rateVersions, type StatementRecord, statementPuts } from './store.ts';
import { statedFromOf, statementId } from './statements.ts';

/** Facts recorded in the last minutes may not be in the index yet: the cutoff stays this far behind. */
export const CUTOFF_MARGIN_MS = 5 * 60 * 1000;
/** How long the link in the e-mail works. */
export const MAIL_LINK_TTL_SECONDS = 7 * 24 * 3600;

const rateOnly = (v: RateVersion): RateVersion => ({
  from: v.from,
  conceptualBasisPoints: v.conceptualBasisPoints,
  operationalBasisPoints: v.operationalBasisPoints,
  basis: v.basis,
  frequency: v.frequency,
});

/** The frequency of a territory's statements at a period: the version in force on its first day, else the first version's. */
function frequencyAt(versions: readonly RateVersion[], day: string) {
  const sorted = [...versions].sort((a, b) => (a.from < b.from ? -1 : 1));
  return (versionAt(sorted, day) ?? sorted[0])?.frequency;
}

/** The period to state after the head (none: undefined). */
function nextDue(head: Head | undefined, versions: readonly RateVersion[]): Period | undefined {
  if (versions.length === 0) return undefined;
  const first = [...versions].sort((a, b) => (a.from < b.from ? -1 : 1))[0]!;
  const day = head ? addDays(head.lastTo, 1) : first.from;
  return periodContaining(day, frequencyAt(versions, day) ?? 'monthly');
}

interface Computed {
  readonly content: ReturnType<typeof computeStatement>;
  readonly versions: RateVersion[];
}

async function compute(
  etd: string,
  period: Period,
  versions: readonly RateVersion[],
  head: Pick<Head, 'lastCutoff' | 'statedFrom'> | undefined,
  cutoff: string,
): Promise<Computed> {
  const [periodFacts, lateFacts] = await Promise.all([
    factsDated(etd, period.from, period.to),
    head ? factsRecorded(etd, head.lastCutoff, cutoff) : Promise.resolve([] as Fact[]),
  ]);
  const content = computeStatement({
    etd,
    period,
    versions,
    periodFacts,
    lateFacts,
    cutoff,
    previousCutoff: head?.lastCutoff,
    statedFrom: head?.statedFrom,
  });
  const used = new Set(content.lines.map((l) => l.versionFrom));
  const atStart = versionAt(versions, period.from);
  const relevant = versions.filter((v) => used.has(v.from) || v === atStart || (v.from >= period.from && v.from <= period.to));
  return { content, versions: relevant.map(rateOnly).sort((a, b) => (a.from < b.from ? -1 : 1)) };
}

export interface IssueOutcome {
  readonly statement: StatementRecord;
  readonly created: boolean;
  readonly emailed: number;
}

/**
 * Issues the statement of a territory for a period (`by`: the operator, or 'job'). A period already
 * stated answers its statement, `created: false`, and writes nothing.
 */
export async function issueStatement(
  ports: Pick<Adapters, 'documents' | 'mailer'>,
  by: Principal | 'job',
  etd: string,
  periodId: string,
  now: Date,
): Promise<IssueOutcome> {
  // The monthly job states every territory in one invocation: its usage is shared, named to none.
  if (by !== 'job') await visibleTerritory(by, etd);
  const period = parsePeriod(periodId);
  if (!period) throw new ValidationError([{ path: 'period', message: 'must be a month YYYY-MM or a quarter YYYY-Qn' }]);
  if (!hasEnded(period, parisDate(now))) throw new ValidationError([{ path: 'period', message: 'must be a period that has ended' }]);

  const [versions, head] = await Promise.all([rateVersions(etd), headOf(etd)]);
  const existing = await findStatement(etd, period.from);
  if (existing && existing.period === period.id) return { statement: await checkedRerun(existing, versions), created: false, emailed: 0 };
  if (versions.length === 0)
    throw new ConflictError(`Territory ${etd} has no redevance rate version yet: set one first (POST /etds/${etd}/redevance/rates).`);
  const frequency = frequencyAt(versions, period.from);
  if (frequency !== period.frequency) {
    throw new ValidationError([
      { path: 'period', message: `territory ${etd} is stated ${frequency === 'monthly' ? 'monthly (YYYY-MM)' : 'quarterly (YYYY-Qn)'}` },
    ]);
  }
  if (head && period.from <= head.lastTo) {
    throw new ConflictError(`The period overlaps one already stated (up to ${head.lastTo}).`, { field: 'period', statedTo: head.lastTo });
  }
  const due = nextDue(head, versions)!;
  if (head && due.id !== period.id)
    throw new ConflictError(`State ${due.id} first: statements follow each other.`, { field: 'period', next: due.id });

  const cutoff = new Date(now.getTime() - CUTOFF_MARGIN_MS).toISOString();
  const { content, versions: used } = await compute(etd, period, versions, head, cutoff);
  const territory = await onboarding.loadEtd(etd);
  const id = statementId(etd, period.id);
  const issuedAt = now.toISOString();
  const pdf = await renderStatementPdf({
    id,
    statement: content,
    territory: { code: territory.code, name: territory.name },
    caeNames: { SAMAD: territory.caes.samad.legalName, MSG: territory.caes.msg.legalName },
    versions: used,
    issuedAt,
    cutoff,
  });
  const stored = await ports.documents.put(`redevance/${etd}/${period.id}-${content.contentHash.slice(0, 16)}.pdf`, pdf, 'application/pdf');
  const record: StatementRecord = {
    ...content,
    id,
    frequency: period.frequency,
    issuedAt,
    issuedBy: by === 'job' ? 'job' : by.sub,
    cutoff,
    ...(head ? { previousCutoff: head.lastCutoff } : {}),
    versions: used,
    documentKey: stored.key,
    documentSha256: stored.sha256,
  };
  try {
    await transact(
      statementPuts(record, head),
      () => new ConflictError('Another statement of this territory was issued meanwhile; try again.', { field: 'period' }),
    );
  } catch (error) {
    // The same period issued meanwhile (a concurrent run): answer that one.
    const meanwhile = await findStatement(etd, period.from);
    if (meanwhile && meanwhile.period === period.id) return { statement: meanwhile, created: false, emailed: 0 };
    throw error;
  }
  const emailed = await mailManagers(ports, territory, record);
  return { statement: record, created: true, emailed };
}

/** A re-run: the content recomputed from the same facts and cutoff must give the stored hash. */
async function checkedRerun(existing: StatementRecord, versions: readonly RateVersion[]): Promise<StatementRecord> {
  const period = parsePeriod(existing.period)!;
  const previous = existing.previousCutoff ? { lastCutoff: existing.previousCutoff, statedFrom: await statedFromOf(existing) } : undefined;
  const { content } = await compute(existing.etd, period, versions, previous, existing.cutoff);
  if (content.contentHash !== existing.contentHash) {
    // Never rewritten: a difference (a rate version edited by hand?) is reported, the next statement regularises facts.
    logger.warn('redevance statement re-run gives another content: the issued one is kept', { id: existing.id });
  }
  return existing;
}

/**
 * Whom the statement goes to: the territory's managers, reached through each CAE's contact address
 * (onboarding's `payrollContactEmail`, the address the managers of a CAE receive the back office's
 * e-mails at, as payroll's reminders do), once per address. A failure is logged (no address) and the others go on.
 */
async function mailManagers(ports: Pick<Adapters, 'documents' | 'mailer'>, etd: onboarding.Etd, s: StatementRecord): Promise<number> {
  const to = [...new Set([etd.caes.samad.payrollContactEmail, etd.caes.msg.payrollContactEmail].filter((e): e is string => Boolean(e)))];
  if (to.length === 0) return 0;
  const link = await ports.documents.link(s.documentKey, { ttlSeconds: MAIL_LINK_TTL_SECONDS, fileName: `redevance-${s.id}.pdf` });
  const message = statementMessage(etd, s, link.url);
  let sent = 0;
  for (const address of to) {
    try {
      await ports.mailer.send({ to: address, ...message });
      sent++;
    } catch (error) {
      logger.error('redevance statement e-mail failed', { etd: s.etd, id: s.id, error: (error as Error).name });
    }
  }
  return sent;
}

/** The e-mail of a statement (pure: the tests read it). */
export function statementMessage(etd: Pick<onboarding.Etd, 'code' | 'name'>, s: StatementRecord, url: string) {
  const lines = [
    'Bonjour,',
    '',
    `Le relevé de redevance du territoire ${etd.code} — ${etd.name} pour ${periodLabel(s.period)} est établi (n° ${s.id}).`,
    '',
    `Base HT : ${formatEuros(s.totals.baseCents)} (CAE SAMAD : ${formatEuros(s.baseByCae.SAMAD)} ; CAE MSG : ${formatEuros(s.baseByCae.MSG)})`,
    `Part conceptuelle : ${formatEuros(s.totals.conceptualCents)}`,
    `Part opérationnelle : ${formatEuros(s.totals.operationalCents)}`,
    `Redevance due : ${formatEuros(s.totals.redevanceCents)}`,
  ];
  if (s.totals.regularisationBaseCents !== 0) {
    lines.push(`Dont régularisations de périodes précédentes (base HT) : ${formatEuros(s.totals.regularisationBaseCents)}`);
  }
  lines.push('', `Le relevé PDF (lien valable 7 jours) : ${url}`, '', 'Bien cordialement,', 'Le back-office du réseau Oui Ensemble');
  return {
    subject: `Relevé de redevance — ${etd.code} — ${periodLabel(s.period)} : ${formatEuros(s.totals.redevanceCents)}`,
    text: lines.join('\n'),
  };
}

// ---- The monthly job ---------------------------------------------------------------------------------

/** At most this many periods stated per territory and run (a territory far behind catches up over runs). */
export const MAX_PERIODS_PER_RUN = 12;

export interface JobOutcome {
  readonly issued: { readonly id: string; readonly redevanceCents: number; readonly emailed: number }[];
  readonly withoutRates: number;
  /** Territories whose statement failed (logged); the others went on. */
  readonly failed: readonly string[];
}

/** Every territory: each period ended and not stated yet, in order. */
export async function issueDueStatements(
  ports: Pick<Adapters, 'documents' | 'mailer'>,
  territories: AsyncIterable<string>,
  now: Date,
): Promise<JobOutcome> {
  const issued: JobOutcome['issued'][number][] = [];
  const failed: string[] = [];
  let withoutRates = 0;
  const today = parisDate(now);
  for await (const etd of territories) {
    const versions = await rateVersions(etd);
    if (versions.length === 0) {
      withoutRates++;
      continue;
    }
    try {
      let head = await headOf(etd);
      for (let n = 0; n < MAX_PERIODS_PER_RUN; n++) {
        const due = nextDue(head, versions);
        if (!due || !hasEnded(due, today)) break;
        const outcome = await issueStatement(ports, 'job', etd, due.id, now);
        issued.push({ id: outcome.statement.id, redevanceCents: outcome.statement.totals.redevanceCents, emailed: outcome.emailed });
        head = await headOf(etd);
      }
    } catch (error) {
      // One territory's failure does not hold the others; the job fails at the end, to be run again (idempotent).
      failed.push(etd);
      logger.error('redevance statement failed', { etd, error: (error as Error).name });
    }
  }
  return { issued, withoutRates, failed };
}
