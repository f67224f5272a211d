/** The payment routes: the client's pay page and checkout (HTML), and Stripe's webhook (JSON). */
import * as z from 'zod';
import { contract } from '../shared/http.ts';
import { pageContract } from '../shared/page.ts';
import { TokenParams } from '../shared/schemas.ts';

const page = pageContract;

export const pages = {
  payPage: page({ route: 'GET /pay/{token}', params: TokenParams, description: 'The invoice’s amount due, its PDF and the button to pay' }),
  startCheckout: page({
    route: 'POST /pay/{token}/checkout',
    params: TokenParams,
    form: z.object({}),
    description: 'The Stripe Checkout page',
    redirect: true,
    errors: {
      409: 'Nothing to pay now: the invoice is paid, cancelled, or a debit is processing; or its amount changed meanwhile',
      422: 'Stripe cannot take the amount due (below 0,50 € or above 999 999,99 €): the page names another way to pay',
      503: 'Stripe does not answer; nothing was charged',
    },
  }),
};

export const contracts = {
  stripeWebhook: contract({
    route: 'POST /webhooks/stripe',
    success: {
      status: 200,
      schema: z.object({ received: z.literal(true), outcome: z.string() }),
      description: 'The event was verified and applied (or ignored)',
    },
    errors: {
      400: 'The Stripe-Signature header does not sign this body',
      409: 'The event is being applied right now, or the invoice kept changing: Stripe delivers it again',
    },
  }),
};
