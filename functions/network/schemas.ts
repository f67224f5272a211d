/** The network routes' shapes: redevance rate versions and statements, costs per territory. */
import * as z from 'zod';
import { parisDate } from '../shared/clock.ts';
import { Cursor, EtdCode, IsoDate, Limit, lazy } from '../shared/schemas.ts';
import { bases, factKinds } from './domain/redevance.ts';
import { parsePeriod } from './domain/periods.ts';

export const frequencies = ['monthly', 'quarterly'] as const;

const BasisPoints = /* @__PURE__ */ lazy(() =>
  z
    .number()
    .int('must be a whole number of basis points (1 = 0,01 %)')
    .min(0, 'must not be negative')
    .max(10_000, 'must be at most 10 000 basis points (100 %)'),
);

export const EtdParams = /* @__PURE__ */ lazy(() => z.object({ code: EtdCode() }));

export const RateVersionBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    from: IsoDate().describe('First day the version applies (Paris), YYYY-MM-DD; after every period already stated'),
    conceptualBasisPoints: BasisPoints().describe('Conceptual part (the concept’s owners), basis points of the base HT'),
    operationalBasisPoints: BasisPoints().describe('Operational part (the network’s operations), basis points of the base HT'),
    basis: z.enum(bases).describe('invoiced: invoices minus credit notes by issue date; cashed: payments minus refunds, HT pro rata'),
    frequency: z.enum(frequencies).default('monthly').describe('Statement period: a month (default) or a quarter'),
  }),
);

export const RateVersion = /* @__PURE__ */ lazy(() =>
  z.object({
    etd: z.string(),
    from: z.string(),
    conceptualBasisPoints: z.number().int(),
    operationalBasisPoints: z.number().int(),
    basis: z.enum(bases),
    frequency: z.enum(frequencies),
    setAt: z.string(),
    setBy: z.string(),
  }),
);
export const RateVersions = /* @__PURE__ */ lazy(() =>
  z.object({ etd: z.string(), versions: z.array(RateVersion()), statedTo: z.string().optional() }),
);

/** A statement period: `YYYY-MM` or `YYYY-Qn`, over (ended) at the time of the request. */
export const PeriodText = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .refine((p) => parsePeriod(p) !== undefined, { message: 'must be a month YYYY-MM or a quarter YYYY-Qn', abort: true })
    .refine((p) => parsePeriod(p)!.to < parisDate(new Date()), 'must be a period that has ended (not the current one, not a future one)'),
);

export const StatementBody = /* @__PURE__ */ lazy(() => z.strictObject({ period: PeriodText() }));

export const StatementParams = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string().regex(/^(\d{2,3}|2[AB])-\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'is not a statement id (<territory>-<period>, e.g. 44-2026-10)'),
  }),
);

export const StatementListQuery = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      etd: EtdCode().optional(),
      from: PeriodText().optional(),
      to: PeriodText().optional(),
      limit: Limit(),
      cursor: Cursor(),
    })
    .refine((q) => !q.from || !q.to || parsePeriod(q.from)!.from <= parsePeriod(q.to)!.from, {
      message: 'must not be after `to`',
      path: ['from'],
    }),
);

const Line = /* @__PURE__ */ lazy(() =>
  z.object({
    kind: z.enum(['period', 'regularisation']),
    cae: z.enum(['SAMAD', 'MSG']),
    versionFrom: z.string(),
    basis: z.enum(bases),
    conceptualBasisPoints: z.number().int(),
    operationalBasisPoints: z.number().int(),
    regularises: z.string().optional(),
    facts: z.number().int(),
    baseCents: z.number().int(),
    conceptualCents: z.number().int(),
    operationalCents: z.number().int(),
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
    baseByCae: z.object({ SAMAD: z.number().int(), MSG: z.number().int() }),
    totals: z.object({
      baseCents: z.number().int(),
      conceptualCents: z.number().int(),
      operationalCents: z.number().int(),
      redevanceCents: z.number().int(),
      regularisationBaseCents: z.number().int(),
    }),
    versions: z.array(RateVersion().omit({ etd: true, setAt: true, setBy: true })),
    contentHash: z.string(),
    factsDigest: z.string(),
    cutoff: z.string(),
    previousCutoff: z.string().optional(),
    issuedAt: z.string(),
    issuedBy: z.string(),
  }),
);

export const IssuedStatement = /* @__PURE__ */ lazy(() =>
  Statement().extend({
    /** false: the statement already existed (a re-run), nothing was written. */
    created: z.boolean(),
    emailed: z.number().int(),
  }),
);

export const StatementFact = /* @__PURE__ */ lazy(() =>
  z.object({
    factId: z.string(),
    kind: z.enum(factKinds),
    cae: z.enum(['SAMAD', 'MSG']),
    date: z.string(),
    netCents: z.number().int(),
    invoiceId: z.string(),
    number: z.string().optional(),
    recordedAt: z.string(),
    line: z.object({ kind: z.enum(['period', 'regularisation']), versionFrom: z.string(), regularises: z.string().optional() }),
  }),
);

export const LinesQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

export const CostsQuery = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({ etd: EtdCode().optional(), from: IsoDate(), to: IsoDate() })
    .refine((q) => q.from <= q.to, { message: 'must not be after `to`', path: ['from'] })
    .refine((q) => new Date(q.to).getTime() - new Date(q.from).getTime() <= 366 * 86_400_000, {
      message: 'must be at most 366 days before `to`',
      path: ['from'],
    }),
);

const Euros = /* @__PURE__ */ lazy(() => z.number().describe('Euros (costs are estimates: decimals kept to the micro-euro)'));

export const CostDay = /* @__PURE__ */ lazy(() =>
  z.object({
    etd: z.string(),
    day: z.string(),
    services: z.record(z.string(), Euros()),
    meteredEuros: Euros(),
    sharedEuros: Euros(),
    stripeFeesEuros: Euros(),
    totalEuros: Euros(),
    activeEntrepreneurs: z.number().int(),
    pricesVerified: z.boolean(),
  }),
);

export const Costs = /* @__PURE__ */ lazy(() =>
  z.object({
    from: z.string(),
    to: z.string(),
    etd: z.string().optional(),
    days: z.array(CostDay()),
    totals: z.object({
      totalEuros: Euros(),
      byService: z.record(z.string(), Euros()),
      entrepreneurMonths: z.number(),
      perEntrepreneurMonthEuros: Euros().optional(),
    }),
  }),
);
