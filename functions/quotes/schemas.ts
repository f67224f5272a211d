/** Quotes contract: request and response shapes. Lines and their VAT rules are shared with invoices. */
import * as z from 'zod';
import {
  Address,
  Audit,
  Cents,
  Cursor,
  EtdCode,
  Id,
  IsoDate,
  Limit,
  TotalsSchema,
  Version,
  isMultiLine,
  isSingleLine,
  lazy,
  multiLine,
  normaliseLineBreaks,
  singleLine,
} from '../shared/schemas.ts';
import { hasAtMostThreeDecimals, lineKinds, units, vatEligibilityErrors, vatRates } from '../shared/pricing.ts';
import { caes, poles, rgeDomains } from '../onboarding/index.ts';
import { sapActivities } from '../shared/sap.ts';

export const MAX_LINES = 500;

export const Line = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    section: singleLine(120).optional().describe('Chapter grouping consecutive lines, e.g. "Salle de bains"'),
    description: singleLine(500),
    kind: z.enum(lineKinds),
    quantity: z
      .number()
      // At least one thousandth: a positive quantity below it (1e-300) passed the 3-decimals check and
      // reached DynamoDB, which refuses numbers under 1e-130 (a 500).
      .min(0.001, 'must be at least 0.001')
      .max(100_000, 'must be at most 100 000')
      .refine(hasAtMostThreeDecimals, 'must have at most 3 decimals'),
    unit: z.enum(units),
    unitPriceCents: Cents().max(10_000_000, 'must be at most 100 000 € per unit'),
    vatRate: z.enum(vatRates),
    energyRenovation: z.boolean().optional().describe('Energy-renovation works (the only lines that may use 5.5 %)'),
    rgeDomain: z
      .enum(rgeDomains)
      .optional()
      .describe('The RGE domain of an energy-renovation line: checked against the named partner’s qualification'),
    sapActivity: z
      .enum(sapActivities)
      .optional()
      .describe('Invoices of services à la personne: the activity of the line (its nature and VAT rate)'),
  }),
);

const Lines = /* @__PURE__ */ lazy(() =>
  z.array(Line()).min(1, 'a quote needs at least one line').max(MAX_LINES, `a quote has at most ${MAX_LINES} lines`),
);

/** The fields a quote is drafted with (zod fields: built by each schema that spreads them). */
const quoteFields = () => ({
  clientId: Id('cli'),
  siteAddress: Address().describe('Where the works take place'),
  title: singleLine(200),
  housingOver2Years: z.boolean().describe('The housing was completed more than two years ago (reduced VAT rates)'),
  depositPercent: z.number().int('must be a whole percentage').min(0).max(100),
  validityDays: z.number().int().min(1).max(365),
  feeCents: Cents().max(100_000, 'must be at most 1 000 €').describe('0: free quote'),
  partnerId: Id('par').optional().describe('The partner company that will perform the works'),
  notes: multiLine(2000).optional(),
  lines: Lines(),
  pole: z
    .enum(poles)
    .optional()
    .describe('The activity pole of the quote; building renovation (default) comes from CAE MSG and an entrepreneur of that pole'),
  energyAid: z
    .boolean()
    .optional()
    .describe('The job claims energy-renovation aid (MaPrimeRénov’, CEE): every 5.5 % line must be covered by the partner’s RGE'),
  offPremises: z
    .boolean()
    .optional()
    .describe('Prepared at the client’s home (default): for an individual, no payment within 7 days of acceptance (C. conso L221-10)'),
  worksStartDate: IsoDate().optional().describe('When the works start (a quote to an individual states it, or worksStartWithinDays)'),
  worksStartWithinDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe('The works start at the latest this many days after acceptance'),
  worksDurationDays: z.number().int().min(1).max(730).optional().describe('Estimated duration of the works, in working days'),
});

/** Reduced VAT rates must be allowed for each line (refused with the line named). */
function checkVat(
  quote: { housingOver2Years?: boolean | undefined; lines?: readonly z.output<ReturnType<typeof Line>>[] | undefined },
  ctx: z.RefinementCtx,
) {
  if (quote.lines === undefined || quote.housingOver2Years === undefined) return;
  for (const error of vatEligibilityErrors({ housingOver2Years: quote.housingOver2Years, lines: quote.lines })) {
    ctx.addIssue({ code: 'custom', path: ['lines', error.index, 'vatRate'], message: error.message });
  }
}

export const CreateQuoteBody = /* @__PURE__ */ lazy(() => {
  const fields = quoteFields();
  return z
    .strictObject({
      etd: EtdCode(),
      cae: z.enum(caes),
      entrepreneurId: Id('ent').optional().describe('The author; required when a manager creates the quote'),
      ...fields,
      // Defaults when drafting (a PATCH leaves what it does not name untouched).
      depositPercent: fields.depositPercent.default(0),
      validityDays: fields.validityDays.default(30),
      feeCents: fields.feeCents.default(0),
      pole: fields.pole.default('renovation'),
    })
    .superRefine(checkVat);
});

export const PatchQuoteBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({ version: Version(), ...z.object(quoteFields()).partial().shape })
    .refine((patch) => Object.keys(patch).length > 1, { message: 'name at least one field to change besides version' }),
);

export const quoteStates = ['draft', 'sent', 'accepted', 'declined', 'expired', 'superseded', 'withdrawn'] as const;
export type QuoteState = (typeof quoteStates)[number];

export const Quote = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    cae: z.enum(caes),
    entrepreneurId: z.string(),
    ...quoteFields(),
    lines: z.array(Line().extend({ totalCents: z.number().int() })),
    totals: TotalsSchema(),
    state: z.enum(quoteStates),
    revision: z.number().int(),
    number: z.string().nullable(),
    issueDate: z.string().optional(),
    validUntil: z.string().optional(),
    supersedes: z.object({ id: z.string(), revision: z.number().int() }).optional(),
    supersededBy: z.string().optional(),
    supersededAt: z.string().optional(),
    document: z.object({ sha256: z.string(), bytes: z.number().int() }).optional(),
    parties: z
      .object({ issuerName: z.string(), entrepreneurName: z.string(), clientName: z.string() })
      .optional()
      .describe('Names as printed on the sent document'),
    delivery: z
      .object({
        email: z.enum(['pending', 'sent', 'no-address', 'failed']),
        at: z.string().optional().describe('When the e-mail was handed to the mail service (sent) or last tried (failed)'),
        messageId: z.string().optional(),
      })
      .optional()
      .describe('pending: numbered and committed, e-mail not yet confirmed; failed: POST /send again retries it'),
    acceptance: z
      .object({
        at: z.string(),
        signerName: z.string(),
        ip: z.string(),
        userAgent: z.string(),
        pdfSha256: z.string(),
        vatCertified: z.boolean(),
        earlyStartRequested: z
          .boolean()
          .optional()
          .describe('The client expressly asked for the works to start before the end of the withdrawal period (C. conso L221-25)'),
      })
      .optional(),
    withdrawal: z
      .object({ at: z.string(), signerName: z.string(), ip: z.string(), userAgent: z.string() })
      .optional()
      .describe('The client withdrew within 14 days of acceptance through the signed link (C. conso L221-18)'),
    warnings: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('What the author should know about the sent document, e.g. a 5.5 % line no RGE qualification covers'),
    decline: z.object({ at: z.string(), reason: z.string().optional() }).optional(),
    expiredAt: z.string().optional(),
    links: z.object({ self: z.string(), pdf: z.string().optional(), accept: z.string().optional() }),
    ...Audit(),
  }),
);

export const QuoteParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('quo') }));
export const ListQuotesQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: EtdCode().optional(),
    state: z.enum(quoteStates).optional(),
    clientId: Id('cli').optional(),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

export const AcceptForm = /* @__PURE__ */ lazy(() =>
  z.object({
    signerName: z
      .string()
      .refine(isSingleLine, { message: 'Écrivez vos nom et prénom sur une seule ligne, sans caractère spécial invisible.', abort: true })
      .trim()
      .min(2, 'Indiquez vos nom et prénom.')
      .max(120, 'Le nom est trop long (120 caractères au plus).'),
    certifyVat: z.literal('on').optional(),
    pdfSha256: z.string().regex(/^[0-9a-f]{64}$/, 'Le document affiché n’est pas reconnu.'),
    earlyStart: z.literal('on').optional(),
  }),
);

export const WithdrawForm = /* @__PURE__ */ lazy(() =>
  z.object({
    signerName: AcceptForm().shape.signerName,
  }),
);

export const DeclineForm = /* @__PURE__ */ lazy(() =>
  z.object({
    reason: z
      .string()
      .overwrite(normaliseLineBreaks)
      .refine(isMultiLine, { message: 'Le motif contient un caractère spécial invisible : retirez-le.', abort: true })
      .trim()
      .max(1000, 'Le motif est trop long (1 000 caractères au plus).')
      .optional(),
  }),
);
