import { adapters } from '../../shared/adapters.ts';
import { htmlPage, PAGE_HEADERS, pageHandler } from '../../shared/page.ts';
import * as pages from '../contracts.ts';
import { renderPayPage } from '../page.ts';
import { invoiceOfLink, payPageView } from '../client-link.ts';

const ports = () => adapters();

/**
 * The « Payer » form is answered by a 303 to Stripe's hosted checkout, and browsers check CSP
 * `form-action` on the redirect too: allow Stripe's checkout origin (and, in the local runtime,
 * whose public URL is on the loopback, the embedded stand-in's checkout page).
 */
function contentSecurityPolicy(): string {
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(ports().publicBaseUrl()) ? ' http://127.0.0.1:* http://localhost:*' : '';
  return PAGE_HEADERS['content-security-policy']!.replace("form-action 'self'", `form-action 'self' https://checkout.stripe.com${local}`);
}

export const handler = pageHandler(pages.payPage, async ({ params, event }) => {
  const back = event.queryStringParameters?.paiement;
  const returned = back === 'ok' || back === 'annule' ? back : undefined;
  const invoice = await invoiceOfLink(params.token);
  const page = htmlPage(renderPayPage(await payPageView(ports(), invoice, params.token, returned, new Date())));
  return { ...page, headers: { 'content-security-policy': contentSecurityPolicy() } };
});
