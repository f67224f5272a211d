/** The network routes' shapes: redevance rate versions and statements, costs per territory. */
import * as z from '../shared/zod.ts';
import { parisDate } from '../shared/clock.ts';
import { Cursor, EtdCode, IsoDate, Limit, lazy } from '../shared/schemas.ts';
import { bases, factKinds } from './domain/redevance.ts';
import { parsePeriod } from './domain/periods.ts';

export const frequencies = ['monthly', 'quarterly'] as const;

const BasisPoints = /* @__PURE__ */ lazy(() =>
  z
    .number()
    .check(
      z.int('must be a whole number of basis points (1 = 0,01 %)'),
      z.gte(0, 'must not be negative'),
      z.lte(10_000, 'must be at most 10 000 basis points (100 %)'),
    ),
);

export const EtdParams = /* @__PURE__ */ lazy(() => z.object({ code: EtdCode() }));

export const RateVersionBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    from: IsoDate().check(z.describe('First day the version applies (Paris), YYYY-MM-DD; after every period already stated')),
    conceptualBasisPoints: BasisPoints().check(z.describe('Conceptual part (the concept’s owners), basis points of the base HT')),
    operationalBasisPoints: BasisPoints().check(z.describe('Operational part (the network’s operations), basis points of the base HT')),
    basis: z
      .enum(bases)
      .check(z.describe('invoiced: invoices minus credit notes by issue date; cashed: payments minus refunds, HT pro rata')),
    frequency: z._default(z.enum(frequencies), 'monthly').check(z.describe('Statement period: a month (default) or a quarter')),
  }),
);

export const RateVersion = /* @__PURE__ */ lazy(() =>
  z.object({
    etd: z.string(),
    from: z.string(),
    conceptualBasisPoints: z.number().check(z.int()),
    operationalBasisPoints: z.number().check(z.int()),
    basis: z.enum(bases),
    frequency: z.enum(frequencies),
    setAt: z.string(),
    setBy: z.string(),
  }),
);
export const RateVersions = /* @__PURE__ */ lazy(() =>
  z.object({ etd: z.string(), versions: z.array(RateVersion()), statedTo: z.optional(z.string()) }),
);

/** A statement period: `YYYY-MM` or `YYYY-Qn`, over (ended) at the time of the request. */
export const PeriodText = /* @__PURE__ */ lazy(() =>
  z.string().check(
    z.refine((p) => parsePeriod(p) !== undefined, { message: 'must be a month YYYY-MM or a quarter YYYY-Qn', abort: true }),
    z.refine((p) => parsePeriod(p)!.to < parisDate(new Date()), 'must be a period that has ended (not the current one, not a future one)'),
  ),
);

export const StatementBody = /* @__PURE__ */ lazy(() => z.strictObject({ period: PeriodText() }));

export const StatementParams = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z
      .string()
      .check(z.regex(/^(\d{2,3}|2[AB])-\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'is not a statement id (<territory>-<period>, e.g. 44-2026-10)')),
  }),
);

export const StatementListQuery = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      etd: z.optional(EtdCode()),
      from: z.optional(PeriodText()),
      to: z.optional(PeriodText()),
      limit: Limit(),
      cursor: Cursor(),
    })
    .check(
      z.refine((q) => !q.from || !q.to || parsePeriod(q.from)!.from <= parsePeriod(q.to)!.from, {
        message: 'must not be after `to`',
        path: ['from'],
      }),
    ),
);

const Line = /* @__PURE__ */ lazy(() =>
  z.object({
    kind: z.enum(['period', 'regularisation']),
    cae: z.enum(['SAMAD', 'MSG']),
    versionFrom: z.string(),
    basis: z.enum(bases),
    conceptualBasisPoints: z.number().check(z.int()),
    operationalBasisPoints: z.number().check(z.int()),
    regularises: z.optional(z.string()),
    facts: z.number().check(z.int()),
    baseCents: z.number().check(z.int()),
    conceptualCents: z.number().check(z.int()),
    operationalCents: z.number().check(z.int()),
  }),
);

export const Statement = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    period: z.string(),
    frequency: z.enum(frequencies),
    from: z.string(),
    to: z.string(),
    lines: z.array(Line()),
    baseByCae: z.object({ SAMAD: z.number().check(z.int()), MSG: z.number().check(z.int()) }),
    totals: z.object({
      baseCents: z.number().check(z.int()),
      conceptualCents: z.number().check(z.int()),
      operationalCents: z.number().check(z.int()),
      redevanceCents: z.number().check(z.int()),
      regularisationBaseCents: z.number().check(z.int()),
    }),
    versions: z.array(z.omit(RateVersion(), { etd: true, setAt: true, setBy: true })),
    contentHash: z.string(),
    factsDigest: z.string(),
    cutoff: z.string(),
    previousCutoff: z.optional(z.string()),
    issuedAt: z.string(),
    issuedBy: z.string(),
  }),
);

export const IssuedStatement = /* @__PURE__ */ lazy(() =>
  z.extend(Statement(), {
    /** false: the statement already existed (a re-run), nothing was written. */
    created: z.boolean(),
    emailed: z.number().check(z.int()),
  }),
);

export const StatementFact = /* @__PURE__ */ lazy(() =>
  z.object({
    factId: z.string(),
    kind: z.enum(factKinds),
    cae: z.enum(['SAMAD', 'MSG']),
    date: z.string(),
    netCents: z.number().check(z.int()),
    invoiceId: z.string(),
    number: z.optional(z.string()),
    recordedAt: z.string(),
    line: z.object({ kind: z.enum(['period', 'regularisation']), versionFrom: z.string(), regularises: z.optional(z.string()) }),
  }),
);

export const LinesQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

export const CostsQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({ etd: z.optional(EtdCode()), from: IsoDate(), to: IsoDate() }).check(
    z.refine((q) => q.from <= q.to, { message: 'must not be after `to`', path: ['from'] }),
    z.refine((q) => new Date(q.to).getTime() - new Date(q.from).getTime() <= 366 * 86_400_000, {
      message: 'must be at most 366 days before `to`',
      path: ['from'],
    }),
  ),
);

const Euros = /* @__PURE__ */ lazy(() => z.number().check(z.describe('Euros (costs are estimates: decimals kept to the micro-euro)')));

export const CostDay = /* @__PURE__ */ lazy(() =>
  z.object({
    etd: z.string(),
    day: z.string(),
    services: z.record(z.string(), Euros()),
    meteredEuros: Euros(),
    sharedEuros: Euros(),
    stripeFeesEuros: Euros(),
    totalEuros: Euros(),
    activeEntrepreneurs: z.number().check(z.int()),
    pricesVerified: z.boolean(),
  }),
);

export const Costs = /* @__PURE__ */ lazy(() =>
  z.object({
    from: z.string(),
    to: z.string(),
    etd: z.optional(z.string()),
    days: z.array(CostDay()),
    totals: z.object({
      totalEuros: Euros(),
      byService: z.record(z.string(), Euros()),
      entrepreneurMonths: z.number(),
      perEntrepreneurMonthEuros: z.optional(Euros()),
    }),
  }),
);
