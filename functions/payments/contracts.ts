/**
 * The payment routes: the client's pay page and checkout (HTML), Stripe's webhook (JSON), and the
 * staff's record of a payment received outside Stripe (JSON).
 */
import * as z from '../shared/zod.ts';
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { pageContractsOf } from '../shared/page.ts';
import { FundingSchema, Id, IsoDate, lazy, singleLine, TokenParams } from '../shared/schemas.ts';
import { offlineMethods } from './offline-rules.ts';

const contract = /* @__PURE__ */ contractsOf(routes);
const pageContract = /* @__PURE__ */ pageContractsOf(routes);

export const payPage = /* @__PURE__ */ pageContract({
  route: 'GET /pay/{token}',
  params: TokenParams,
  description: 'The invoice’s amount due, its PDF and the button to pay',
});
export const startCheckout = /* @__PURE__ */ pageContract({
  route: 'POST /pay/{token}/checkout',
  params: TokenParams,
  form: () => z.object({}),
  description: 'The Stripe Checkout page',
  redirect: true,
  errors: {
    409: 'Nothing to pay now: the invoice is paid, cancelled, or a debit is processing; or its amount changed meanwhile',
    422: 'Stripe cannot take the amount due (below 0,50 € or above 999 999,99 €): the page names another way to pay',
    503: 'Stripe does not answer; nothing was charged',
  },
});

/** The client's pages (HTML, French), reached by the pay link e-mailed with the invoice. */
export const pages = { payPage, startCheckout };

export const stripeWebhook = /* @__PURE__ */ contract({
  route: 'POST /webhooks/stripe',
  success: {
    status: 200,
    schema: () => z.object({ received: z.literal(true), outcome: z.string() }),
    description: 'The event was verified and applied (or ignored)',
  },
  errors: {
    400: 'The Stripe-Signature header does not sign this body',
    409: 'The event is being applied right now, or the invoice kept changing: Stripe delivers it again',
  },
});

/** A payment received outside Stripe, as staff record it (functions/payments/offline-rules.ts). */
export const OfflinePaymentBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    method: z
      .enum(offlineMethods)
      .check(
        z.describe(
          'transfer, cheque: the client’s own money; cesu-prefunded (CESU préfinancés), apa-pch (paid by the département), avance-immediate (URSSAF): financed by a third party, deducted from the yearly tax-credit attestation',
        ),
      ),
    amountCents: z
      .number()
      .check(
        z.int('must be a whole number of cents'),
        z.positive('must be more than 0'),
        z.lte(99_999_999_99, 'must be at most 9 999 999 999 cents'),
        z.describe('TTC received, at most what remains due'),
      ),
    receivedOn: IsoDate().check(
      z.describe('The Paris business date the money was received: not in the future, not before the invoice’s issue date'),
    ),
    reference: singleLine(200).check(
      z.describe(
        'The bank reference, cheque number, CESU titles’ numbers, the département’s decision… With the method, it identifies the payment: the same again is the same payment',
      ),
    ),
  }),
);

export const RecordedPayment = /* @__PURE__ */ lazy(() =>
  z.object({
    key: z.string().check(z.describe('off_…: from the method and the reference')),
    kind: z.literal('payment'),
    status: z.literal('succeeded'),
    amountCents: z.number().check(z.int()),
    method: z.enum(offlineMethods),
    reference: z.string(),
    receivedOn: z.string(),
    recordedBy: z.string(),
    funding: z
      .optional(FundingSchema())
      .check(z.describe('What a third party financed (from the method); absent for a transfer or a cheque')),
    at: z.string(),
    updatedAt: z.string(),
  }),
);

const InvoiceParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('inv') }));

const RecordedPaymentAnswer = /* @__PURE__ */ lazy(() =>
  z.object({
    payment: RecordedPayment(),
    invoice: z.object({
      id: z.string(),
      number: z.nullable(z.string()),
      state: z.string(),
      version: z.number().check(z.int()),
      amountPaidCents: z.number().check(z.int()),
      amountPendingCents: z.number().check(z.int()),
      amountCreditedCents: z.number().check(z.int()),
      amountDueCents: z.number().check(z.int()),
    }),
    recorded: z.boolean().check(z.describe('False: this payment (same method and reference) was already recorded; nothing was written')),
  }),
);

export const recordPayment = /* @__PURE__ */ contract({
  route: 'POST /invoices/{id}/payments',
  params: InvoiceParams,
  body: OfflinePaymentBody,
  success: {
    status: 200,
    schema: RecordedPaymentAnswer,
    description: 'The payment and the invoice’s new balance (the same call again answers the same payment and writes nothing)',
  },
  errors: {
    409: 'The invoice is a draft or cancelled; the amount is above what remains due (less a debit processing); the date is before the invoice’s issue date or the first day a payment may be received (off-premises contract, C. conso L221-10); the reference is already recorded with another amount or date. `field` names the field',
  },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = { stripeWebhook, recordPayment };
