/** Invoicing contract: invoices (standard, deposit, final), credit notes, payments. */
import * as z from 'zod';
import { Audit, Cursor, EtdCode, FundingSchema, Id, Limit, TotalsSchema, Version, lazy, multiLine, singleLine } from '../shared/schemas.ts';
import { caes, poles } from '../onboarding/index.ts';
import { Line } from '../quotes/index.ts';
import { hasAtMostThreeDecimals } from '../shared/pricing.ts';

export const invoiceKinds = ['standard', 'deposit', 'final'] as const;
export const invoiceStates = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'] as const;
export type InvoiceState = (typeof invoiceStates)[number];

const Lines = /* @__PURE__ */ lazy(() =>
  z.array(Line()).min(1, 'an invoice needs at least one line').max(500, 'an invoice has at most 500 lines'),
);

/** The fields a draft's creation and its patch share (built inside their lazies). */
const editable = () => ({
  title: singleLine(200).optional(),
  lines: Lines().optional().describe('Standard invoices only: deposit and final invoices take their lines from the quote'),
  sapEligible: z.boolean().optional().describe('Home services opening the tax credit for services to individuals'),
  dueDays: z.number().int().min(0).max(60, 'must be at most 60 days (C. com. L441-10)').optional(),
  purchaseOrder: singleLine(60).optional(),
  notes: multiLine(2000).optional(),
  serviceDate: z.iso
    .date('must be a date YYYY-MM-DD')
    .optional()
    .describe(
      'Date of the service or its completion; default: the issue date. A deposit invoice: the date the deposit was paid, if before the issue',
    ),
  pole: z
    .enum(poles)
    .optional()
    .describe(
      'Standard invoices: the activity pole (renovation: works invoice, CAE MSG, insurance printed); default from the CAE and sapEligible',
    ),
  housingOver2Years: z.boolean().optional().describe('Works invoices at 10 % or 5.5 %: the housing was completed more than two years ago'),
  dependentBeneficiary: z
    .boolean()
    .optional()
    .describe('SAP invoices at 5.5 %: the beneficiary is elderly, disabled or dependent (CGI 278-0 bis D)'),
});

export const CreateInvoiceBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      etd: EtdCode(),
      cae: z.enum(caes),
      clientId: Id('cli'),
      entrepreneurId: Id('ent').optional().describe('The entrepreneur the CAE invoices for; required when a manager creates the invoice'),
      kind: z.enum(invoiceKinds),
      quoteId: Id('quo').optional(),
      ...editable(),
    })
    .superRefine((body, ctx) => {
      if (body.kind === 'standard') {
        if (!body.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'a standard invoice needs its lines' });
        if (body.quoteId) ctx.addIssue({ code: 'custom', path: ['quoteId'], message: 'only deposit and final invoices come from a quote' });
      } else {
        if (!body.quoteId)
          ctx.addIssue({ code: 'custom', path: ['quoteId'], message: `a ${body.kind} invoice comes from an accepted quote` });
        if (body.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: `a ${body.kind} invoice takes its lines from the quote` });
      }
    }),
);

export const PatchInvoiceBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({ version: Version(), ...editable() })
    .refine((patch) => Object.keys(patch).length > 1, { message: 'name at least one field to change besides version' }),
);

export const Invoice = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    cae: z.enum(caes),
    entrepreneurId: z.string(),
    clientId: z.string(),
    kind: z.enum(invoiceKinds),
    quoteId: z.string().optional(),
    title: z.string(),
    lines: z.array(Line().extend({ totalCents: z.number().int() })),
    deductions: z.array(z.object({ invoiceId: z.string(), number: z.string(), issueDate: z.string(), totals: TotalsSchema() })).optional(),
    totals: TotalsSchema(),
    sapEligible: z.boolean(),
    dueDays: z.number().int(),
    purchaseOrder: z.string().optional(),
    notes: z.string().optional(),
    serviceDate: z.string().optional(),
    pole: z.enum(poles).optional(),
    housingOver2Years: z.boolean().optional(),
    dependentBeneficiary: z.boolean().optional(),
    operationNature: z
      .enum(['services', 'goods', 'mixed'])
      .optional()
      .describe('Deposit and final invoices: the nature of the quote’s works'),
    noPaymentBefore: z
      .string()
      .optional()
      .describe('Off-premises contract with an individual: the first day a payment may be received (C. conso L221-10)'),
    state: z.enum(invoiceStates),
    number: z.string().nullable(),
    issueDate: z.string().optional(),
    dueDate: z.string().optional(),
    overdue: z.boolean(),
    amountPaidCents: z.number().int(),
    amountPendingCents: z.number().int().describe('Bank debits still processing: never counted as paid'),
    amountCreditedCents: z.number().int(),
    amountDueCents: z.number().int(),
    creditNotes: z.array(z.object({ id: z.string(), number: z.string(), issueDate: z.string(), grossCents: z.number().int() })),
    document: z.object({ sha256: z.string(), bytes: z.number().int() }).optional(),
    links: z.object({ self: z.string(), pdf: z.string().optional(), pay: z.string().optional() }),
    ...Audit(),
  }),
);

export const InvoiceParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('inv') }));
export const ListInvoicesQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: EtdCode().optional(),
    state: z.enum(invoiceStates).optional(),
    clientId: Id('cli').optional(),
    overdue: z.enum(['true', 'false']).optional(),
    limit: Limit(),
    cursor: Cursor(),
  }),
);

export const CreditNoteBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    lines: z
      .array(
        z.strictObject({
          index: z.number().int().nonnegative(),
          // As a line's quantity: at least one thousandth, at most 3 decimals (else a 500 from DynamoDB or the pricing rules).
          quantity: z
            .number()
            .min(0.001, 'must be at least 0.001')
            .refine(hasAtMostThreeDecimals, 'must have at most 3 decimals')
            .optional()
            .describe('Default: the whole line'),
        }),
      )
      .min(1)
      .optional()
      .describe('Lines of the invoice to credit (all when omitted)'),
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
    lines: z.array(Line().extend({ totalCents: z.number().int() })),
    totals: TotalsSchema(),
    document: z.object({ sha256: z.string(), bytes: z.number().int() }),
  }),
);

export const Payment = /* @__PURE__ */ lazy(() =>
  z.object({
    key: z.string(),
    kind: z.enum(['payment', 'refund']),
    status: z.enum(['processing', 'succeeded', 'failed']),
    amountCents: z.number().int(),
    method: z.string().optional(),
    stripe: z
      .object({ paymentIntent: z.string().optional(), checkoutSession: z.string().optional(), refund: z.string().optional() })
      .optional()
      .describe('A Stripe payment or refund; absent on a payment received outside Stripe (key off_…)'),
    reference: z.string().optional().describe('A payment received outside Stripe: its bank reference, cheque or CESU titles’ numbers…'),
    receivedOn: z.string().optional().describe('A payment received outside Stripe: the Paris date it was received'),
    recordedBy: z.string().optional().describe('A payment received outside Stripe: who recorded it'),
    funding: FundingSchema()
      .optional()
      .describe('What a third party financed of this payment (pre-funded CESU, APA/PCH, avance immédiate)'),
    at: z.string(),
    updatedAt: z.string(),
  }),
);

export const InvoicePaymentsQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

/** A credit note of the invoice, by its number (A-SAMAD44-2026-000007) or its id (crn_…). */
export const CreditNoteParams = /* @__PURE__ */ lazy(() =>
  z.object({
    id: Id('inv'),
    n: z.string().regex(/^(crn_[0-9a-z]{26}|A-[A-Z]+[0-9A-Z]{2,3}-\d{4}-\d{6})$/, 'is not a credit note number (A-…) or id (crn_…)'),
  }),
);
