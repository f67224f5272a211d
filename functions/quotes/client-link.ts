/** The client's side of a quote link, in the words the client reads (French pages). */
import { PageError } from '../shared/page.ts';
import { ClosedQuoteError, quoteOfLink, StaleDocumentError, type QuoteRecord } from './service.ts';

export async function quoteOfLinkOrRefuse(token: string): Promise<QuoteRecord> {
  const quote = await quoteOfLink(token);
  if (!quote) {
    throw new PageError(
      404,
      'Lien inconnu',
      'Ce lien ne correspond à aucun devis. Vérifiez que vous avez copié le lien en entier, ou contactez la personne qui vous a envoyé le devis.',
    );
  }
  return quote;
}

/** Maps the refusals of the use cases to the pages the client sees. */
export function asPageError(error: unknown): unknown {
  if (error instanceof StaleDocumentError) {
    return new PageError(
      409,
      'Le devis a changé',
      'Le document affiché n’est plus celui du devis. Rouvrez le lien reçu par e-mail pour voir la version à jour.',
    );
  }
  if (!(error instanceof ClosedQuoteError)) return error;
  switch (error.state) {
    case 'accepted':
      return new PageError(409, 'Devis déjà accepté', 'Votre accord est déjà enregistré pour ce devis : il n’y a rien d’autre à faire.');
    case 'declined':
      return new PageError(
        409,
        'Devis refusé',
        'Ce devis a été refusé : il ne peut plus être accepté. Contactez la personne qui vous l’a envoyé pour en recevoir un nouveau.',
      );
    case 'expired':
      return new PageError(
        410,
        'Devis expiré',
        'La durée de validité de ce devis est dépassée : il ne peut plus être accepté ni refusé. Contactez la personne qui vous l’a envoyé pour en recevoir un nouveau.',
      );
    case 'superseded':
      return new PageError(
        410,
        'Devis remplacé',
        'Ce devis a été remplacé par une nouvelle version : utilisez le lien du dernier e-mail reçu.',
      );
    case 'withdrawn':
      return new PageError(
        409,
        'Rétractation déjà enregistrée',
        'Vous vous êtes déjà rétracté(e) de ce devis : il n’y a rien d’autre à faire.',
      );
    default:
      return new PageError(409, 'Action impossible', 'Ce devis ne peut pas être signé dans son état actuel.');
  }
}
