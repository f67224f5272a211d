/** Quotes contract: request and response shapes. Lines and their VAT rules are shared with invoices. */
import * as z from '../shared/zod.ts';
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
  isSingleLine,
  lazy,
  multiLine,
  formText,
  singleLine,
} from '../shared/schemas.ts';
import { hasAtMostThreeDecimals, lineKinds, units, vatEligibilityErrors, vatRates } from '../shared/pricing.ts';
import { caes, poles, rgeDomains } from '../onboarding/index.ts';
import { sapActivities } from '../shared/sap.ts';

export const MAX_LINES = 500;

export const Line = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    section: z.optional(singleLine(120)).check(z.describe('Chapter grouping consecutive lines, e.g. "Salle de bains"')),
    description: singleLine(500),
    kind: z.enum(lineKinds),
    quantity: z
      .number()
      .check(
        z.gte(0.001, 'must be at least 0.001'),
        z.lte(100_000, 'must be at most 100 000'),
        z.refine(hasAtMostThreeDecimals, 'must have at most 3 decimals'),
      ),
    unit: z.enum(units),
    unitPriceCents: Cents().check(z.lte(10_000_000, 'must be at most 100 000 € per unit')),
    vatRate: z.enum(vatRates),
    energyRenovation: z.optional(z.boolean()).check(z.describe('Energy-renovation works (the only lines that may use 5.5 %)')),
    rgeDomain: z
      .optional(z.enum(rgeDomains))
      .check(z.describe('The RGE domain of an energy-renovation line: checked against the named partner’s qualification')),
    sapActivity: z
      .optional(z.enum(sapActivities))
      .check(z.describe('Invoices of services à la personne: the activity of the line (its nature and VAT rate)')),
  }),
);

const Lines = /* @__PURE__ */ lazy(() =>
  z
    .array(Line())
    .check(z.minLength(1, 'a quote needs at least one line'), z.maxLength(MAX_LINES, `a quote has at most ${MAX_LINES} lines`)),
);

/** The fields a quote is drafted with (zod fields: built by each schema that spreads them). */
const quoteFields = () => ({
  clientId: Id('cli'),
  siteAddress: Address().check(z.describe('Where the works take place')),
  title: singleLine(200),
  housingOver2Years: z.boolean().check(z.describe('The housing was completed more than two years ago (reduced VAT rates)')),
  depositPercent: z.number().check(z.int('must be a whole percentage'), z.gte(0), z.lte(100)),
  validityDays: z.number().check(z.int(), z.gte(1), z.lte(365)),
  feeCents: Cents().check(z.lte(100_000, 'must be at most 1 000 €'), z.describe('0: free quote')),
  partnerId: z.optional(Id('par')).check(z.describe('The partner company that will perform the works')),
  notes: z.optional(multiLine(2000)),
  lines: Lines(),
  pole: z
    .optional(z.enum(poles))
    .check(z.describe('The activity pole of the quote; building renovation (default) comes from CAE MSG and an entrepreneur of that pole')),
  energyAid: z
    .optional(z.boolean())
    .check(z.describe('The job claims energy-renovation aid (MaPrimeRénov’, CEE): every 5.5 % line must be covered by the partner’s RGE')),
  offPremises: z
    .optional(z.boolean())
    .check(
      z.describe('Prepared at the client’s home (default): for an individual, no payment within 7 days of acceptance (C. conso L221-10)'),
    ),
  worksStartDate: z
    .optional(IsoDate())
    .check(z.describe('When the works start (a quote to an individual states it, or worksStartWithinDays)')),
  worksStartWithinDays: z
    .optional(z.number().check(z.int(), z.gte(1), z.lte(365)))
    .check(z.describe('The works start at the latest this many days after acceptance')),
  worksDurationDays: z
    .optional(z.number().check(z.int(), z.gte(1), z.lte(730)))
    .check(z.describe('Estimated duration of the works, in working days')),
});

/** Reduced VAT rates must be allowed for each line (refused with the line named). */
function checkVat(
  quote: { housingOver2Years?: boolean | undefined; lines?: readonly z.output<ReturnType<typeof Line>>[] | undefined },
  ctx: z.core.$RefinementCtx,
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
      entrepreneurId: z.optional(Id('ent')).check(z.describe('The author; required when a manager creates the quote')),
      ...fields,
      // Defaults when drafting (a PATCH leaves what it does not name untouched).
      depositPercent: z._default(fields.depositPercent, 0),
      validityDays: z._default(fields.validityDays, 30),
      feeCents: z._default(fields.feeCents, 0),
      pole: z._default(fields.pole, 'renovation'),
    })
    .check(z.superRefine(checkVat));
});

export const PatchQuoteBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({ version: Version(), ...z.partial(z.object(quoteFields())).shape })
    .check(z.refine((patch) => Object.keys(patch).length > 1, { message: 'name at least one field to change besides version' })),
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
    lines: z.array(z.extend(Line(), { totalCents: z.number().check(z.int()) })),
    totals: TotalsSchema(),
    state: z.enum(quoteStates),
    revision: z.number().check(z.int()),
    number: z.nullable(z.string()),
    issueDate: z.optional(z.string()),
    validUntil: z.optional(z.string()),
    supersedes: z.optional(z.object({ id: z.string(), revision: z.number().check(z.int()) })),
    supersededBy: z.optional(z.string()),
    supersededAt: z.optional(z.string()),
    document: z.optional(z.object({ sha256: z.string(), bytes: z.number().check(z.int()) })),
    parties: z
      .optional(z.object({ issuerName: z.string(), entrepreneurName: z.string(), clientName: z.string() }))
      .check(z.describe('Names as printed on the sent document')),
    delivery: z
      .optional(
        z.object({
          email: z.enum(['pending', 'sent', 'no-address', 'failed']),
          at: z.optional(z.string()).check(z.describe('When the e-mail was handed to the mail service (sent) or last tried (failed)')),
          messageId: z.optional(z.string()),
        }),
      )
      .check(z.describe('pending: numbered and committed, e-mail not yet confirmed; failed: POST /send again retries it')),
    acceptance: z.optional(
      z.object({
        at: z.string(),
        signerName: z.string(),
        ip: z.string(),
        userAgent: z.string(),
        pdfSha256: z.string(),
        vatCertified: z.boolean(),
        earlyStartRequested: z
          .optional(z.boolean())
          .check(
            z.describe('The client expressly asked for the works to start before the end of the withdrawal period (C. conso L221-25)'),
          ),
      }),
    ),
    withdrawal: z
      .optional(z.object({ at: z.string(), signerName: z.string(), ip: z.string(), userAgent: z.string() }))
      .check(z.describe('The client withdrew within 14 days of acceptance through the signed link (C. conso L221-18)')),
    warnings: z
      .optional(z.array(z.object({ path: z.string(), message: z.string() })))
      .check(z.describe('What the author should know about the sent document, e.g. a 5.5 % line no RGE qualification covers')),
    decline: z.optional(z.object({ at: z.string(), reason: z.optional(z.string()) })),
    expiredAt: z.optional(z.string()),
    links: z.object({ self: z.string(), pdf: z.optional(z.string()), accept: z.optional(z.string()) }),
    ...Audit(),
  }),
);

export const QuoteParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('quo') }));
export const ListQuotesQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: z.optional(EtdCode()),
    state: z.optional(z.enum(quoteStates)),
    clientId: z.optional(Id('cli')),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

export const AcceptForm = /* @__PURE__ */ lazy(() =>
  z.object({
    signerName: z.string().check(
      z.refine(isSingleLine, {
        message: 'Écrivez vos nom et prénom sur une seule ligne, sans caractère spécial invisible.',
        abort: true,
      }),
      z.trim(),
      z.minLength(2, 'Indiquez vos nom et prénom.'),
      z.maxLength(120, 'Le nom est trop long (120 caractères au plus).'),
    ),
    certifyVat: z.optional(z.literal('on')),
    pdfSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'Le document affiché n’est pas reconnu.')),
    earlyStart: z.optional(z.literal('on')),
  }),
);

export const WithdrawForm = /* @__PURE__ */ lazy(() =>
  z.object({
    signerName: AcceptForm().shape.signerName,
  }),
);

export const DeclineForm = /* @__PURE__ */ lazy(() =>
  z.object({
    reason: z.optional(
      formText(1000, {
        control: 'Le motif contient un caractère spécial invisible : retirez-le.',
        tooLong: 'Le motif est trop long (1 000 caractères au plus).',
      }),
    ),
  }),
);
