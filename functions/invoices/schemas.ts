/** Invoicing contract: invoices (standard, deposit, final), credit notes, payments. */
import * as z from '../shared/zod.ts';
import { Audit, Cursor, EtdCode, FundingSchema, Id, Limit, TotalsSchema, Version, lazy, multiLine, singleLine } from '../shared/schemas.ts';
import { caes, poles } from '../onboarding/index.ts';
import { Line } from '../quotes/index.ts';
import { hasAtMostThreeDecimals } from '../shared/pricing.ts';

export const invoiceKinds = ['standard', 'deposit', 'final'] as const;
export const invoiceStates = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'] as const;
export type InvoiceState = (typeof invoiceStates)[number];

const Lines = /* @__PURE__ */ lazy(() =>
  z.array(Line()).check(z.minLength(1, 'an invoice needs at least one line'), z.maxLength(500, 'an invoice has at most 500 lines')),
);

/** The fields a draft's creation and its patch share (built inside their lazies). */
const editable = () => ({
  title: z.optional(singleLine(200)),
  lines: z.optional(Lines()).check(z.describe('Standard invoices only: deposit and final invoices take their lines from the quote')),
  sapEligible: z.optional(z.boolean()).check(z.describe('Home services opening the tax credit for services to individuals')),
  dueDays: z.optional(z.number().check(z.int(), z.gte(0), z.lte(60, 'must be at most 60 days (C. com. L441-10)'))),
  purchaseOrder: z.optional(singleLine(60)),
  notes: z.optional(multiLine(2000)),
  serviceDate: z
    .optional(z.iso.date('must be a date YYYY-MM-DD'))
    .check(
      z.describe(
        'Date of the service or its completion; default: the issue date. A deposit invoice: the date the deposit was paid, if before the issue',
      ),
    ),
  pole: z
    .optional(z.enum(poles))
    .check(
      z.describe(
        'Standard invoices: the activity pole (renovation: works invoice, CAE MSG, insurance printed); default from the CAE and sapEligible',
      ),
    ),
  housingOver2Years: z
    .optional(z.boolean())
    .check(z.describe('Works invoices at 10 % or 5.5 %: the housing was completed more than two years ago')),
  dependentBeneficiary: z
    .optional(z.boolean())
    .check(z.describe('SAP invoices at 5.5 %: the beneficiary is elderly, disabled or dependent (CGI 278-0 bis D)')),
});

export const CreateInvoiceBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      etd: EtdCode(),
      cae: z.enum(caes),
      clientId: Id('cli'),
      entrepreneurId: z
        .optional(Id('ent'))
        .check(z.describe('The entrepreneur the CAE invoices for; required when a manager creates the invoice')),
      kind: z.enum(invoiceKinds),
      quoteId: z.optional(Id('quo')),
      ...editable(),
    })
    .check(
      z.superRefine((body, ctx) => {
        if (body.kind === 'standard') {
          if (!body.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'a standard invoice needs its lines' });
          if (body.quoteId)
            ctx.addIssue({ code: 'custom', path: ['quoteId'], message: 'only deposit and final invoices come from a quote' });
        } else {
          if (!body.quoteId)
            ctx.addIssue({ code: 'custom', path: ['quoteId'], message: `a ${body.kind} invoice comes from an accepted quote` });
          if (body.lines)
            ctx.addIssue({ code: 'custom', path: ['lines'], message: `a ${body.kind} invoice takes its lines from the quote` });
        }
      }),
    ),
);

export const PatchInvoiceBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({ version: Version(), ...editable() })
    .check(z.refine((patch) => Object.keys(patch).length > 1, { message: 'name at least one field to change besides version' })),
);

export const Invoice = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    cae: z.enum(caes),
    entrepreneurId: z.string(),
    clientId: z.string(),
    kind: z.enum(invoiceKinds),
    quoteId: z.optional(z.string()),
    title: z.string(),
    lines: z.array(z.extend(Line(), { totalCents: z.number().check(z.int()) })),
    deductions: z.optional(z.array(z.object({ invoiceId: z.string(), number: z.string(), issueDate: z.string(), totals: TotalsSchema() }))),
    totals: TotalsSchema(),
    sapEligible: z.boolean(),
    dueDays: z.number().check(z.int()),
    purchaseOrder: z.optional(z.string()),
    notes: z.optional(z.string()),
    serviceDate: z.optional(z.string()),
    pole: z.optional(z.enum(poles)),
    housingOver2Years: z.optional(z.boolean()),
    dependentBeneficiary: z.optional(z.boolean()),
    operationNature: z
      .optional(z.enum(['services', 'goods', 'mixed']))
      .check(z.describe('Deposit and final invoices: the nature of the quote’s works')),
    noPaymentBefore: z
      .optional(z.string())
      .check(z.describe('Off-premises contract with an individual: the first day a payment may be received (C. conso L221-10)')),
    state: z.enum(invoiceStates),
    number: z.nullable(z.string()),
    issueDate: z.optional(z.string()),
    dueDate: z.optional(z.string()),
    overdue: z.boolean(),
    amountPaidCents: z.number().check(z.int()),
    amountPendingCents: z.number().check(z.int(), z.describe('Bank debits still processing: never counted as paid')),
    amountCreditedCents: z.number().check(z.int()),
    amountDueCents: z.number().check(z.int()),
    creditNotes: z.array(z.object({ id: z.string(), number: z.string(), issueDate: z.string(), grossCents: z.number().check(z.int()) })),
    document: z.optional(z.object({ sha256: z.string(), bytes: z.number().check(z.int()) })),
    links: z.object({ self: z.string(), pdf: z.optional(z.string()), pay: z.optional(z.string()) }),
    ...Audit(),
  }),
);

export const InvoiceParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('inv') }));
export const ListInvoicesQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: z.optional(EtdCode()),
    state: z.optional(z.enum(invoiceStates)),
    clientId: z.optional(Id('cli')),
    overdue: z.optional(z.enum(['true', 'false'])),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

export const CreditNoteBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    lines: z
      .optional(
        z
          .array(
            z.strictObject({
              index: z.number().check(z.int(), z.nonnegative()),
              // As a line's quantity: at least one thousandth, at most 3 decimals (else a 500 from DynamoDB or the pricing rules).
              quantity: z
                .optional(
                  z
                    .number()
                    .check(z.gte(0.001, 'must be at least 0.001'), z.refine(hasAtMostThreeDecimals, 'must have at most 3 decimals')),
                )
                .check(z.describe('Default: the whole line')),
            }),
          )
          .check(z.minLength(1)),
      )
      .check(z.describe('Lines of the invoice to credit (all when omitted)')),
    reason: singleLine(500),
  }),
);

export const CreditNote = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    invoiceId: z.string(),
    number: z.string(),
    issueDate: z.string(),
    reason: z.string(),
    lines: z.array(z.extend(Line(), { totalCents: z.number().check(z.int()) })),
    totals: TotalsSchema(),
    document: z.object({ sha256: z.string(), bytes: z.number().check(z.int()) }),
  }),
);

export const Payment = /* @__PURE__ */ lazy(() =>
  z.object({
    key: z.string(),
    kind: z.enum(['payment', 'refund']),
    status: z.enum(['processing', 'succeeded', 'failed']),
    amountCents: z.number().check(z.int()),
    method: z.optional(z.string()),
    stripe: z
      .optional(
        z.object({ paymentIntent: z.optional(z.string()), checkoutSession: z.optional(z.string()), refund: z.optional(z.string()) }),
      )
      .check(z.describe('A Stripe payment or refund; absent on a payment received outside Stripe (key off_…)')),
    reference: z
      .optional(z.string())
      .check(z.describe('A payment received outside Stripe: its bank reference, cheque or CESU titles’ numbers…')),
    receivedOn: z.optional(z.string()).check(z.describe('A payment received outside Stripe: the Paris date it was received')),
    recordedBy: z.optional(z.string()).check(z.describe('A payment received outside Stripe: who recorded it')),
    funding: z
      .optional(FundingSchema())
      .check(z.describe('What a third party financed of this payment (pre-funded CESU, APA/PCH, avance immédiate)')),
    at: z.string(),
    updatedAt: z.string(),
  }),
);

export const InvoicePaymentsQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

/** A credit note of the invoice, by its number (A-SAMAD44-2026-000007) or its id (crn_…). */
export const CreditNoteParams = /* @__PURE__ */ lazy(() =>
  z.object({
    id: Id('inv'),
    n: z
      .string()
      .check(z.regex(/^(crn_[0-9a-z]{26}|A-[A-Z]+[0-9A-Z]{2,3}-\d{4}-\d{6})$/, 'is not a credit note number (A-…) or id (crn_…)')),
  }),
);
