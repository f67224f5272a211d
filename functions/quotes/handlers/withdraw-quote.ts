import { adapters } from '../../shared/adapters.ts';
import { formatDate } from '../../shared/french.ts';
import { htmlPage, pageHandler, PageError } from '../../shared/page.ts';
import * as pages from '../contracts.ts';
import { asPageError, quoteOfLinkOrRefuse } from '../client-link.ts';
import { renderWithdrawn } from '../page.ts';
import { pageView, withdrawQuote, WithdrawalRefusedError } from '../service.ts';
import { notifyWithdrawal } from '../withdrawn-mail.ts';

const ports = () => adapters();

/** « Me rétracter »: the client withdraws through the signed link within the 14 days (C. conso L221-18). */
export const handler = pageHandler(pages.withdrawQuote, async ({ params, form, sourceIp, userAgent }) => {
  const now = new Date();
  const quote = await quoteOfLinkOrRefuse(params.token);
  const withdrawn = await withdrawQuote(quote, { signerName: form.signerName, ip: sourceIp, userAgent }, now).catch((error: unknown) => {
    if (error instanceof WithdrawalRefusedError) {
      throw error.reason === 'period-over'
        ? new PageError(
            410,
            'Délai de rétractation dépassé',
            `Le délai de 14 jours pour vous rétracter a pris fin le ${formatDate(error.deadline!)}. Pour toute question, contactez la personne qui vous a envoyé le devis.`,
          )
        : new PageError(
            409,
            'Rétractation impossible',
            'Ce devis n’a pas été accepté en ligne par un particulier : il n’y a pas de rétractation à enregistrer ici.',
          );
    }
    throw asPageError(error);
  });
  await notifyWithdrawal(ports(), withdrawn);
  return htmlPage(renderWithdrawn(await pageView(ports(), withdrawn, params.token, now)));
});
