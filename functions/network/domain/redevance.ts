/**
 * The redevance of a territory over a period. Pure: the facts and the rate versions in, the
 * statement out.
 *
 * Base. The turnover HT of the territory's two CAEs (SAMAD and MSG) on the basis of the rate
 * version in force on each fact's date:
 * - `invoiced`: invoices issued minus credit notes, HT, by issue date;
 * - `cashed`: payments received minus refunds, their HT share (the exact cumulative pro rata of
 *   the sales events), by date.
 * A fact of the other basis, or dated before the territory's first rate version, counts for nothing.
 *
 * Lines. One line per CAE and per rate version in force in the period (a version starting mid-period
 * splits it), then one regularisation line per CAE, rate version and earlier period for the facts
 * dated in an earlier period that arrived after that period's statement was issued (a credit note
 * or a refund dated in a stated period, recorded later): an issued statement is never rewritten,
 * its correction is a line of the next one, at the rates of the corrected period.
 *
 * Rounding (written in the README): each part of each line is `base × basis points / 10 000`
 * rounded to the nearest cent, halves away from zero (so a credit note of the same base cancels an
 * invoice exactly); the statement's totals are the sums of its lines' rounded parts, never rounded
 * again. Conceptual and operational parts are rounded separately, so each adds up on its own.
 */
import { sha256 } from '../../shared/hash.ts';
import { type Frequency, type Period, periodContaining } from './periods.ts';

export const bases = ['invoiced', 'cashed'] as const;
export type Basis = (typeof bases)[number];
export const factKinds = ['invoice', 'credit-note', 'payment', 'refund'] as const;
export type FactKind = (typeof factKinds)[number];
export type CaeName = 'SAMAD' | 'MSG';

/** A rate version of a territory, in force from `from` until the next version's `from`. */
export interface RateVersion {
  /** First day, `YYYY-MM-DD`. */
  readonly from: string;
  /** Part of the concept's owners (the SAS, its designers), basis points of the base HT. */
  readonly conceptualBasisPoints: number;
  /** Part of the network's operations, basis points of the base HT. */
  readonly operationalBasisPoints: number;
  readonly basis: Basis;
  readonly frequency: Frequency;
}

/** One sales fact of the base (from a sales event), immutable once recorded. */
export interface Fact {
  /** `inv:<invoiceId>`, `crn:<creditNoteId>`, `pay:<paymentIntent>`, `ref:<refundId>`. */
  readonly factId: string;
  readonly kind: FactKind;
  readonly basis: Basis;
  readonly etd: string;
  readonly cae: CaeName;
  /** Issue / receipt / refund date, Paris, `YYYY-MM-DD`. */
  readonly date: string;
  /** HT, signed: invoices and payments positive, credit notes and refunds negative. */
  readonly netCents: number;
  readonly invoiceId: string;
  /** Invoice or credit-note number, when the fact has one. */
  readonly number?: string | undefined;
  /** When the back office recorded it (ISO instant): what a statement's cutoff compares. */
  readonly recordedAt: string;
}

export interface StatementLine {
  readonly kind: 'period' | 'regularisation';
  readonly cae: CaeName;
  readonly versionFrom: string;
  readonly basis: Basis;
  readonly conceptualBasisPoints: number;
  readonly operationalBasisPoints: number;
  /** For a regularisation: the earlier period its facts are dated in. */
  readonly regularises?: string | undefined;
  readonly facts: number;
  readonly baseCents: number;
  readonly conceptualCents: number;
  readonly operationalCents: number;
}

export interface StatementTotals {
  readonly baseCents: number;
  readonly conceptualCents: number;
  readonly operationalCents: number;
  readonly redevanceCents: number;
  /** The part of the totals that regularises earlier periods. */
  readonly regularisationBaseCents: number;
}

export interface StatementContent {
  readonly etd: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly lines: readonly StatementLine[];
  readonly totals: StatementTotals;
  /** Base per CAE (both CAEs always present). */
  readonly baseByCae: Readonly<Record<CaeName, number>>;
  /** SHA-256 of the facts counted (ids, sorted): two statements with the same content counted the same facts. */
  readonly factsDigest: string;
  /** SHA-256 of everything above: re-running a period gives the same hash. */
  readonly contentHash: string;
}

/** `base × basisPoints / 10 000`, to the nearest cent, halves away from zero. Exact in integers. */
export function partOf(baseCents: number, basisPoints: number): number {
  const product = Math.abs(baseCents) * basisPoints;
  const rounded = Math.floor((product + 5_000) / 10_000);
  return baseCents < 0 ? -rounded : rounded;
}

/** The version in force on a day: the last whose `from` is not after it (versions in any order). */
export function versionAt(versions: readonly RateVersion[], day: string): RateVersion | undefined {
  let found: RateVersion | undefined;
  for (const v of versions) if (v.from <= day && (!found || v.from > found.from)) found = v;
  return found;
}

/** What a statement counts: the facts of its period known at its cutoff, and the late ones. */
export interface StatementInput {
  readonly etd: string;
  readonly period: Period;
  readonly versions: readonly RateVersion[];
  /** Facts dated in the period (others are ignored). */
  readonly periodFacts: readonly Fact[];
  /** Facts dated before the period (others are ignored). */
  readonly lateFacts: readonly Fact[];
  /** Facts recorded after this instant are left to the next statement. */
  readonly cutoff: string;
  /** The previous statement's cutoff: late facts recorded until then were counted by it (none: no regularisation). */
  readonly previousCutoff?: string | undefined;
  /** First day of the territory's first statement: a late fact dated before it regularises nothing. */
  readonly statedFrom?: string | undefined;
}

/** Where a fact goes in the statement, or undefined when it counts for nothing there. */
export function lineOf(
  fact: Fact,
  input: Omit<StatementInput, 'periodFacts' | 'lateFacts'>,
): Omit<StatementLine, 'facts' | 'baseCents' | 'conceptualCents' | 'operationalCents'> | undefined {
  if (fact.etd !== input.etd || fact.recordedAt > input.cutoff) return undefined;
  const inPeriod = fact.date >= input.period.from && fact.date <= input.period.to;
  const late =
    fact.date < input.period.from &&
    input.previousCutoff !== undefined &&
    fact.recordedAt > input.previousCutoff &&
    (input.statedFrom === undefined || fact.date >= input.statedFrom);
  if (!inPeriod && !late) return undefined;
  const version = versionAt(input.versions, fact.date);
  if (!version || version.basis !== fact.basis) return undefined;
  return {
    kind: inPeriod ? 'period' : 'regularisation',
    cae: fact.cae,
    versionFrom: version.from,
    basis: version.basis,
    conceptualBasisPoints: version.conceptualBasisPoints,
    operationalBasisPoints: version.operationalBasisPoints,
    ...(inPeriod ? {} : { regularises: periodContaining(fact.date, version.frequency).id }),
  };
}

const lineKey = (l: Pick<StatementLine, 'kind' | 'cae' | 'versionFrom' | 'regularises'>) =>
  `${l.kind === 'period' ? 0 : 1}|${l.regularises ?? ''}|${l.cae === 'SAMAD' ? 0 : 1}|${l.versionFrom}`;

export function computeStatement(input: StatementInput): StatementContent {
  const groups = new Map<string, { line: ReturnType<typeof lineOf> & object; facts: number; baseCents: number }>();
  const counted: string[] = [];
  // A fact recorded since the previous cutoff and dated in the period is in both lists: once.
  const facts = new Map([...input.periodFacts, ...input.lateFacts].map((f) => [f.factId, f]));
  for (const fact of facts.values()) {
    const line = lineOf(fact, input);
    if (!line) continue;
    const key = lineKey(line);
    const group = groups.get(key) ?? { line, facts: 0, baseCents: 0 };
    group.facts++;
    group.baseCents += fact.netCents;
    groups.set(key, group);
    counted.push(fact.factId);
  }
  const lines: StatementLine[] = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({
      ...g.line,
      facts: g.facts,
      baseCents: g.baseCents,
      conceptualCents: partOf(g.baseCents, g.line.conceptualBasisPoints),
      operationalCents: partOf(g.baseCents, g.line.operationalBasisPoints),
    }));
  const sum = (pick: (l: StatementLine) => number, only?: (l: StatementLine) => boolean) =>
    lines.filter((l) => !only || only(l)).reduce((s, l) => s + pick(l), 0);
  const conceptualCents = sum((l) => l.conceptualCents);
  const operationalCents = sum((l) => l.operationalCents);
  const totals: StatementTotals = {
    baseCents: sum((l) => l.baseCents),
    conceptualCents,
    operationalCents,
    redevanceCents: conceptualCents + operationalCents,
    regularisationBaseCents: sum(
      (l) => l.baseCents,
      (l) => l.kind === 'regularisation',
    ),
  };
  const baseByCae = {
    SAMAD: sum(
      (l) => l.baseCents,
      (l) => l.cae === 'SAMAD',
    ),
    MSG: sum(
      (l) => l.baseCents,
      (l) => l.cae === 'MSG',
    ),
  };
  const factsDigest = sha256(counted.sort().join('\n'));
  const body = {
    etd: input.etd,
    period: input.period.id,
    from: input.period.from,
    to: input.period.to,
    lines,
    totals,
    baseByCae,
    factsDigest,
  };
  return { ...body, contentHash: sha256(JSON.stringify(body)) };
}

/** Why a new rate version is refused, or undefined. `statedTo`: the last day already stated (none: any day). */
export function rateVersionProblem(
  version: Pick<RateVersion, 'from' | 'conceptualBasisPoints' | 'operationalBasisPoints'>,
  statedTo: string | undefined,
): { path: string; message: string } | undefined {
  if (version.conceptualBasisPoints + version.operationalBasisPoints > 10_000) {
    return { path: 'operationalBasisPoints', message: 'the two parts together must not exceed 10 000 basis points (100 %)' };
  }
  if (statedTo !== undefined && version.from <= statedTo) {
    return { path: 'from', message: `must be after ${statedTo}, the last day of a period already stated` };
  }
  return undefined;
}
