/** Input and output schemas of the CESU routes (amounts in integer cents, months `YYYY-MM`, days `YYYY-MM-DD`). */
import * as z from '../shared/zod.ts';
import { parisDate } from '../shared/clock.ts';
import { Cents, Email, Id, IsoDate, lazy, PdfLink, Phone, singleLine } from '../shared/schemas.ts';
import { exemptionKinds, paidLeaveMethods } from './domain/declaration.ts';
import { FIRST_COVERED_DAY } from './rates.ts';

const currentYear = () => Number(parisDate(new Date()).slice(0, 4));

/** A month `YYYY-MM` the parameter table covers, not in the future (Paris calendar). */
export const Period = /* @__PURE__ */ lazy(() =>
  z.string().check(
    z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM', abort: true }),
    z.refine((p) => p >= FIRST_COVERED_DAY.slice(0, 7), { message: `must be ${FIRST_COVERED_DAY.slice(0, 7)} or later`, abort: true }),
    z.refine((p) => p <= parisDate(new Date()).slice(0, 7), 'must not be a month in the future'),
  ),
);

export const ClientParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('cli') }));
export const DeclarationParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('cli'), period: Period() }));
export const AttestationParams = /* @__PURE__ */ lazy(() =>
  z.object({
    code: z.string().check(z.regex(/^(\d{2}|2A|2B|97[1-6])$/, 'is not a territory code')),
    year: z.coerce.number().check(
      z.int('must be a year'),
      z.refine((y) => y >= 2024, 'must be 2024 or later'),
      z.refine((y) => y <= currentYear(), 'must not be a year in the future'),
    ),
  }),
);

export const Exemption = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.enum(exemptionKinds.filter((k) => k !== 'none') as ['aged-70', 'apa-pch-disability']),
      from: z.optional(IsoDate()),
    }),
  ]),
);

export const EmployerBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      coordinatorId: Id('ent').check(z.describe('The entrepreneur of the territory who runs this employer’s CESU')),
      cesuNumber: z.string().check(z.regex(/^[0-9A-Z]{6,20}$/, 'must be the CESU employer number (6 to 20 digits or capital letters)')),
      birthYear: z.number().check(
        z.int('must be a year'),
        z.refine((y) => y >= 1900 && y <= currentYear() - 18, 'must be a plausible birth year (aged 18 or more)'),
      ),
      exemption: Exemption().check(
        z.describe('The exemption the employer is entitled to, with its start date (aged 70+, APA/PCH/disability)'),
      ),
      alsaceMoselle: z.boolean(),
    })
    .check(
      z.superRefine((body, ctx) => {
        if (body.exemption.kind === 'none') return;
        if (!body.exemption.from) {
          ctx.addIssue({ code: 'custom', path: ['exemption', 'from'], message: 'an exemption needs its start date' });
        } else if (body.exemption.kind === 'aged-70' && Number(body.exemption.from.slice(0, 4)) < body.birthYear + 70) {
          ctx.addIssue({
            code: 'custom',
            path: ['exemption', 'from'],
            message: 'the 70+ exemption starts in the year of the 70th birthday at the earliest',
          });
        }
      }),
    ),
);

export const WorkerBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    firstName: singleLine(60),
    lastName: singleLine(60),
    email: z.optional(Email()),
    phone: z.optional(Phone()),
    startDate: IsoDate(),
    netHourlyCents: Cents().check(z.positive('must be more than zero'), z.lte(10_000, 'must be at most 100 € an hour')),
    paidLeave: z
      .enum(paidLeaveMethods)
      .check(z.describe('`plus-10`: +10 % on every hour (compulsory under 32 h a month); `monthly`: leave paid when taken')),
  }),
);

const Hours = /* @__PURE__ */ lazy(() =>
  z
    .number()
    .check(
      z.positive('must be more than zero'),
      z.lte(744, 'must be at most the hours of a month'),
      z.multipleOf(0.25, 'must be in quarters of an hour'),
    ),
);

export const WorkerMonth = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      workerId: Id('wrk'),
      hours: z.optional(Hours()).check(z.describe('The month’s total hours; or give `days`')),
      days: z
        .optional(
          z
            .array(z.strictObject({ date: IsoDate(), hours: Hours().check(z.lte(24, 'must be at most 24 hours a day')) }))
            .check(z.minLength(1), z.maxLength(31)),
        )
        .check(z.describe('Hours per day; or give `hours`')),
      extraNetCents: z.optional(Cents().check(z.lte(1_000_000))).check(z.describe('Extra net pay of the month (a bonus, a compensation)')),
      netHourlyCents: z
        .optional(Cents().check(z.positive('must be more than zero'), z.lte(10_000, 'must be at most 100 € an hour')))
        .check(
          z.describe(
            'The net hourly wage of this month, without the +10 % (the CESU form asks it every month, e.g. after a raise); default: the worker’s',
          ),
        ),
    })
    .check(
      z.superRefine((w, ctx) => {
        if ((w.hours === undefined) === (w.days === undefined))
          ctx.addIssue({ code: 'custom', path: ['hours'], message: 'give either hours or days' });
      }),
    ),
);

export const DeclarationBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    workers: z.array(WorkerMonth()).check(z.minLength(1, 'declare at least one worker'), z.maxLength(10)),
  }),
);

export const SubmitBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    reference: z
      .optional(z.string().check(z.regex(/^[0-9A-Za-z-]{4,40}$/, 'must be the CESU reference of the declaration')))
      .check(
        z.describe('The reference cesu.urssaf.fr gave when declared by hand; without it, the declaration is sent through the URSSAF port'),
      ),
  }),
);

export const PaidBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({ paidOn: IsoDate().check(z.describe('The day URSSAF debited the employer')) }),
);

const Line = /* @__PURE__ */ lazy(() =>
  z.object({ code: z.string(), label: z.string(), baseCents: z.number(), rate: z.string(), amountCents: z.number() }),
);

export const Worker = /* @__PURE__ */ lazy(() => z.extend(WorkerBody(), { id: z.string(), clientId: z.string(), createdAt: z.string() }));
export const Employer = /* @__PURE__ */ lazy(() =>
  z.object({
    clientId: z.string(),
    etd: z.string(),
    coordinatorId: z.string(),
    cesuNumber: z.string(),
    birthYear: z.number(),
    exemption: z.object({ kind: z.enum(exemptionKinds), from: z.optional(z.string()) }),
    alsaceMoselle: z.boolean(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    workers: z.array(Worker()),
  }),
);

export const declarationStates = ['prepared', 'submitted', 'paid'] as const;

export const Declaration = /* @__PURE__ */ lazy(() =>
  z.object({
    clientId: z.string(),
    etd: z.string(),
    period: z.string(),
    state: z.enum(declarationStates),
    deadline: z.string().check(z.describe('The day the declaration is due (the configured day of the next month)')),
    figures: z.object({
      parametersVersion: z.string(),
      parametersVerified: z.boolean(),
      hours: z.number(),
      netCents: z.number(),
      grossCents: z.number(),
      employeeContributionsCents: z.number(),
      employerContributionsBeforeReliefCents: z.number(),
      deductionCents: z.number(),
      exemption: z.object({ kind: z.string(), amountCents: z.number(), capCents: z.nullable(z.number()) }),
      santeAuTravail: z
        .object({ rate: z.string(), capCents: z.number() })
        .check(
          z.describe(
            'The occupational-health contribution’s rate (percent of gross) and its cap per worker and month, from the parameter table',
          ),
        ),
      deductionPerHourCents: z.number().check(z.describe('The employer deduction per hour worked, from the parameter table')),
      employerContributionsCents: z.number(),
      urssafDebitCents: z.number(),
      totalCostCents: z.number(),
      warnings: z.array(z.string()),
      workers: z.array(
        z.object({
          workerId: z.string(),
          name: z.string(),
          hours: z.number(),
          paidLeave: z.string(),
          netHourlyCents: z.number(),
          declaredNetHourlyCents: z.number(),
          extraNetCents: z.number(),
          netCents: z.number(),
          grossCents: z.number(),
          employeeLines: z.array(Line()),
          employeeTotalCents: z.number(),
          employerLines: z.array(Line()),
          santeAuTravailCents: z.number(),
          employerTotalCents: z.number(),
        }),
      ),
    }),
    reference: z.optional(z.string()),
    submittedVia: z.optional(z.enum(['port', 'manual'])),
    submittedAt: z.optional(z.string()),
    paidOn: z.optional(z.string()),
    preparedAt: z.string(),
    version: z.number(),
  }),
);

export const ExportRow = /* @__PURE__ */ lazy(() =>
  z.object({ order: z.number(), field: z.string(), label: z.string(), value: z.string() }),
);
export const DeclarationExport = /* @__PURE__ */ lazy(() =>
  z.object({
    period: z.string(),
    form: z.literal('Cesu — déclaration mensuelle'),
    workers: z.array(z.object({ workerId: z.string(), rows: z.array(ExportRow()) })),
    csv: z.string().check(z.describe('The same rows, `;`-separated, one line per worker, in the order of the form')),
  }),
);

export const Attestation = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    number: z.string(),
    etd: z.string(),
    cae: z.string(),
    clientId: z.string(),
    year: z.number(),
    paidCents: z.number(),
    hours: z.number(),
    issuedAt: z.string(),
    supersedes: z.optional(z.string()),
    emailed: z.optional(z.boolean()),
    pdf: z.optional(PdfLink()),
  }),
);

export const AttestationRun = /* @__PURE__ */ lazy(() =>
  z.object({
    year: z.number(),
    etd: z.string(),
    issued: z.array(Attestation()),
    corrected: z.number(),
    unchanged: z.number(),
  }),
);

export const AttestationList = /* @__PURE__ */ lazy(() => z.object({ items: z.array(Attestation()) }));
