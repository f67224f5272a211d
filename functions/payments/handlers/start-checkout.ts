import { adapters } from '../../shared/adapters.ts';
import { pageHandler } from '../../shared/page.ts';
import * as pages from '../contracts.ts';
import { invoiceOfLink } from '../client-link.ts';
import { startCheckout } from '../service.ts';

const ports = () => adapters();

/** The « Payer » button: a Checkout Session for the amount due, then 303 to Stripe's page. */
export const handler = pageHandler(pages.startCheckout, async ({ params }) => {
  const url = await startCheckout(ports(), await invoiceOfLink(params.token), params.token);
  return { status: 303, html: '', headers: { location: url } };
});
