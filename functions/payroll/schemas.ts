/** Input and output schemas of the payroll routes (amounts in integer cents, months as `YYYY-MM`). */
import * as z from '../shared/zod.ts';
import { Cents, Cursor, EtdCode, Id, IsoDate, Limit, lazy, PdfLink, singleLine } from '../shared/schemas.ts';
import { isFuturePeriod, isPeriod } from './domain/period.ts';
import { RECEIPT_MAX_BYTES, receiptTypes } from './domain/receipt.ts';

/** A month `YYYY-MM`, not in the future (Paris calendar). */
export const Period = /* @__PURE__ */ lazy(() =>
  z.string().check(
    z.refine(isPeriod, { message: 'must be a month YYYY-MM', abort: true }),
    z.refine((p) => !isFuturePeriod(p, new Date()), 'must not be a month in the future'),
  ),
);

export const EntrepreneurParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('ent') }));
export const ExpenseParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('exp') }));
export const PeriodParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('ent'), period: Period() }));

export const expenseCategories = ['travel', 'meals', 'supplies', 'equipment', 'training', 'telecom', 'other'] as const;
/** How a category reads on the payslip and the account statement (French). */
export const expenseCategoryLabels: Record<(typeof expenseCategories)[number], string> = {
  travel: 'déplacement',
  meals: 'repas',
  supplies: 'fournitures',
  equipment: 'matériel',
  training: 'formation',
  telecom: 'télécommunications',
  other: 'autre',
};

export const DeclareExpenseBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    amountCents: Cents().check(z.positive('must be more than zero'), z.lte(10_000_000, 'must be at most 100 000 €')),
    vatCents: Cents(),
    date: IsoDate(),
    category: z.enum(expenseCategories),
    label: z.optional(singleLine(200)),
    receipt: z.strictObject(
      {
        contentType: z.enum(receiptTypes, 'must be application/pdf, image/jpeg or image/png'),
        bytes: z
          .number()
          .check(
            z.int('must be a whole number of bytes'),
            z.positive('must not be empty'),
            z.lte(RECEIPT_MAX_BYTES, `must be at most ${RECEIPT_MAX_BYTES} bytes (5 MiB)`),
          ),
      },
      'is required: the receipt’s type and size (it is uploaded through the link returned)',
    ),
  }),
);

export const RefuseExpenseBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({ reason: singleLine(500).check(z.minLength(3, 'must say why (3 characters at least)')) }),
);

export const Expense = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    cae: z.string(),
    entrepreneurId: z.string(),
    amountCents: z.number().check(z.int()),
    vatCents: z.number().check(z.int()),
    date: z.string(),
    category: z.string(),
    label: z.optional(z.string()),
    state: z.enum(['declared', 'validated', 'refused']),
    receipt: z.optional(z.object({ contentType: z.string(), bytes: z.number().check(z.int()), sha256: z.string() })),
    refusalReason: z.optional(z.string()),
    decidedAt: z.optional(z.string()),
    createdAt: z.string(),
    version: z.number().check(z.int()),
  }),
);

export const UploadLink = /* @__PURE__ */ lazy(() =>
  z.object({
    url: z.string(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  }),
);

export const DeclaredExpense = /* @__PURE__ */ lazy(() => z.object({ expense: Expense(), receiptUpload: UploadLink() }));

/** `{ grossCents }` or `{ maximum: true }` (one of them), with the hours declared; one object so that errors name their field. */
export const SalaryBody = /* @__PURE__ */ lazy(() =>
  z.pipe(
    z
      .strictObject({
        grossCents: z.optional(Cents().check(z.lte(100_000_000, 'must be at most 1 000 000 €'))),
        maximum: z.optional(z.literal(true, 'must be true (or leave it out and give grossCents)')),
        hours: z.optional(z.number().check(z.gte(0, 'must not be negative'), z.lte(300, 'must be at most 300 hours a month'))),
      })
      .check(
        z.superRefine((body, ctx) => {
          if ((body.grossCents === undefined) === (body.maximum === undefined))
            ctx.addIssue({ code: 'custom', path: ['grossCents'], message: 'give either grossCents or maximum: true' });
        }),
      ),
    z.transform((body) => ({
      ...(body.maximum ? { maximum: true as const } : { grossCents: body.grossCents ?? 0 }),
      ...(body.hours === undefined ? {} : { hours: body.hours }),
    })),
  ),
);

export const SalaryDraft = /* @__PURE__ */ lazy(() =>
  z.object({
    entrepreneurId: z.string(),
    etd: z.string(),
    cae: z.string(),
    period: z.string(),
    request: z.union([z.object({ grossCents: z.number().check(z.int()) }), z.object({ maximum: z.literal(true) })]),
    hours: z.number(),
    state: z.enum(['draft', 'issued']),
    updatedAt: z.string(),
  }),
);

export const Payslip = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    number: z.string(),
    entrepreneurId: z.string(),
    etd: z.string(),
    cae: z.string(),
    period: z.string(),
    issuedAt: z.string(),
    hours: z.number(),
    grossCents: z.number().check(z.int()),
    netCents: z.number().check(z.int()),
    employerCostCents: z.number().check(z.int()),
    expensesCents: z.number().check(z.int()),
    figures: z.record(z.string(), z.unknown()),
    documentPending: z.optional(z.boolean()),
  }),
);

export const ListQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

export const AccountQuery = /* @__PURE__ */ lazy(() => z.strictObject({ period: z.optional(Period()) }));

export const Movement = /* @__PURE__ */ lazy(() =>
  z.object({
    kind: z.string(),
    sourceId: z.string(),
    period: z.string(),
    at: z.string(),
    amountCents: z.number().check(z.int()),
    label: z.optional(z.string()),
  }),
);

export const Account = /* @__PURE__ */ lazy(() =>
  z.object({
    entrepreneurId: z.string(),
    period: z.optional(z.string()),
    balanceCents: z.number().check(z.int()),
    movements: z.array(Movement()),
  }),
);

export const DashboardQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({ from: Period(), to: Period() }).check(
    z.refine((q) => q.from <= q.to, { message: 'must not be after `to`', path: ['from'] }),
    z.refine((q) => q.from >= `${Number(q.to.slice(0, 4)) - 3}${q.to.slice(4)}`, {
      message: 'must be at most 36 months before `to`',
      path: ['from'],
    }),
  ),
);

export const DashboardMonth = /* @__PURE__ */ lazy(() =>
  z.object({
    period: z.string(),
    hours: z.number(),
    turnoverCents: z.number().check(z.int()),
    contributionCents: z.number().check(z.int()),
    expensesCents: z.number().check(z.int()),
    grossCents: z.number().check(z.int()),
    netCents: z.number().check(z.int()),
    employerCostCents: z.number().check(z.int()),
    balanceCents: z.number().check(z.int()),
    profileTurnoverCents: z.optional(z.number().check(z.int())),
    gapToProfileCents: z.optional(z.number().check(z.int())),
  }),
);

export const Dashboard = /* @__PURE__ */ lazy(() =>
  z.object({
    entrepreneurId: z.string(),
    profile: z.optional(
      z.object({ code: z.string(), label: z.string(), hoursPerMonth: z.number(), hourlyRateCents: z.number().check(z.int()) }),
    ),
    months: z.array(DashboardMonth()),
  }),
);

/** A month `YYYY-MM` from which something applies (may be in the future). */
export const FromMonth = /* @__PURE__ */ lazy(() => z.string().check(z.refine(isPeriod, 'must be a month YYYY-MM')));

/** The personalised withholding rate the tax administration sent (taux PAS), from a month on. */
export const WithholdingRateBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    rateBasisPoints: z
      .number('must be a whole number of basis points')
      .check(z.int('must be a whole number of basis points'), z.gte(0, 'must not be negative'), z.lte(4300, 'must be at most 4300 (43 %)')),
    from: FromMonth(),
    source: z.literal('dgfip', "must be 'dgfip' (the rate sent by the tax administration)"),
  }),
);

export const WithholdingVersion = /* @__PURE__ */ lazy(() =>
  z.object({
    rateBasisPoints: z.number().check(z.int()),
    rate: z.number(),
    source: z.string(),
    from: z.string(),
    date: z.string(),
    receivedAt: z.string(),
  }),
);

export const WithholdingRates = /* @__PURE__ */ lazy(() =>
  z.object({
    entrepreneurId: z.string(),
    current: z.optional(WithholdingVersion()),
    versions: z.array(WithholdingVersion()),
  }),
);

export const caeNames = ['SAMAD', 'MSG'] as const;
export const CaeSettingsParams = /* @__PURE__ */ lazy(() => z.object({ code: EtdCode(), cae: z.enum(caeNames, 'must be SAMAD or MSG') }));

/** A new effective-dated version of a CAE's payroll settings. */
export const CaeSettingsBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    from: FromMonth(),
    contributionBasisPoints: z
      .number('must be a whole number of basis points')
      .check(
        z.int('must be a whole number of basis points'),
        z.gte(0, 'must not be negative'),
        z.lte(10_000, 'must be at most 10000 (100 %)'),
      ),
    contributionFixedCents: z.optional(Cents().check(z.lte(10_000_000, 'must be at most 100 000 €'))),
    basis: z.enum(['invoiced', 'cashed'], "must be 'invoiced' or 'cashed'"),
    overdraftCents: z.optional(Cents().check(z.lte(100_000_000, 'must be at most 1 000 000 €'))),
  }),
);

export const CaeSettingsVersion = /* @__PURE__ */ lazy(() =>
  z.object({
    from: z.string(),
    contributionBasisPoints: z.number().check(z.int()),
    contributionFixedCents: z.number().check(z.int()),
    basis: z.enum(['invoiced', 'cashed']),
    overdraftCents: z.number().check(z.int()),
    source: z.string(),
  }),
);

export const CaeSettingsHistory = /* @__PURE__ */ lazy(() =>
  z.object({
    etd: z.string(),
    cae: z.string(),
    versions: z.array(CaeSettingsVersion()),
  }),
);

export { PdfLink };
