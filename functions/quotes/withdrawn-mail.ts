/**
 * After a client withdrew through the link: the entrepreneur who wrote the quote learns it by
 * e-mail (plain French, no link), with what follows — any money received goes back within 14 days
 * (C. conso L221-24), a deposit invoice is credited. Logs name ids only.
 */
import { loadEntrepreneur } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import { formatDateTime } from '../shared/french.ts';
import { logger } from '../shared/observability.ts';
import type { QuoteRecord } from './store.ts';

export function quoteWithdrawnEmail(input: {
  readonly firstName: string;
  readonly number: string;
  readonly revision: number;
  readonly clientName?: string | undefined;
  readonly withdrawnAt: string;
  readonly earlyStartRequested: boolean;
}): { subject: string; text: string } {
  const revision = input.revision > 1 ? ` (révision ${input.revision})` : '';
  const forClient = input.clientName ? ` de ${input.clientName}` : '';
  return {
    subject: `Devis n° ${input.number} : rétractation${forClient}`,
    text: [
      `Bonjour ${input.firstName},`,
      '',
      `${input.clientName ?? 'Votre client'} s’est rétracté(e) du devis n° ${input.number}${revision} le ${formatDateTime(input.withdrawnAt)}, dans le délai de 14 jours (article L221-18 du Code de la consommation).`,
      'Le contrat est annulé : ne commencez pas les travaux, ou arrêtez-les.',
      'Toute somme reçue (l’acompte notamment) doit lui être remboursée au plus tard 14 jours après sa rétractation : établissez un avoir sur la facture d’acompte.',
      ...(input.earlyStartRequested
        ? [
            'Le client avait demandé que les travaux commencent avant la fin du délai : les travaux déjà réalisés restent dus, en proportion.',
          ]
        : []),
      '',
      'La preuve de la rétractation (nom, date, adresse IP, navigateur) est dans votre espace Oui Ensemble.',
      '',
      'Bien cordialement,',
      'Le réseau Oui Ensemble',
    ].join('\n'),
  };
}

/** E-mails the author; a failure is logged, never undoes the withdrawal (recorded already). */
export async function notifyWithdrawal(ports: Pick<Adapters, 'mailer'>, quote: QuoteRecord): Promise<void> {
  try {
    const author = await loadEntrepreneur(quote.entrepreneurId);
    const mail = quoteWithdrawnEmail({
      firstName: author.firstName,
      number: quote.number ?? '',
      revision: quote.revision,
      clientName: quote.parties?.clientName,
      withdrawnAt: quote.withdrawal?.at ?? quote.updatedAt,
      earlyStartRequested: quote.acceptance?.earlyStartRequested === true,
    });
    await ports.mailer.send({ to: author.email, ...mail });
  } catch (error) {
    logger.error('quote withdrawn: the entrepreneur could not be e-mailed', { quoteId: quote.id, error: (error as Error).name });
  }
}
