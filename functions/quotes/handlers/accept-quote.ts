import { adapters } from '../../shared/adapters.ts';
import * as pages from '../contracts.ts';
import { htmlPage, pageHandler, PageError } from '../../shared/page.ts';
import { asPageError, quoteOfLinkOrRefuse } from '../client-link.ts';
import { renderAccepted } from '../page.ts';
import { acceptQuote, pageView } from '../service.ts';
import { vatCertificationNeeded } from '../../shared/pricing.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.acceptQuote, async ({ params, form, sourceIp, userAgent }) => {
  const now = new Date();
  const quote = await quoteOfLinkOrRefuse(params.token);
  const vatCertified = form.certifyVat === 'on';
  if (vatCertificationNeeded(quote.lines) !== 'none' && !vatCertified) {
    throw new PageError(
      400,
      'Attestation à cocher',
      'Pour bénéficier du taux réduit de TVA, cochez la case d’attestation avant de donner votre accord. Revenez à la page précédente.',
    );
  }
  const accepted = await acceptQuote(
    quote,
    {
      signerName: form.signerName,
      ip: sourceIp,
      userAgent,
      pdfSha256: form.pdfSha256,
      vatCertified,
      // L221-25: recorded only when the quote offers it (a consumer's contract) and the client ticked it.
      ...(form.earlyStart === 'on' && quote.documentSource?.consumer?.withdrawal ? { earlyStartRequested: true } : {}),
    },
    now,
  ).catch((error: unknown) => {
    throw asPageError(error);
  });
  return htmlPage(renderAccepted(await pageView(ports(), accepted, params.token, now)));
});
