/** The e-mail that carries the client's link: plain, polite French; the amounts are the quote's. */
import { formatDate, formatEuros } from '../shared/french.ts';
import type { QuoteDocument } from './views.ts';
import { escapeHtml } from '../shared/html.ts';

export function quoteEmail(document: QuoteDocument, link: string): { subject: string; text: string; html: string } {
  const revised = document.supersedes ? ` (nouvelle version, révision ${document.revision})` : '';
  const subject = `Votre devis n° ${document.number}${revised} — ${document.title}`;
  const lines = [
    `Bonjour ${document.client.name},`,
    '',
    `${document.entrepreneur.name}, de la ${document.issuer.legalName}, vous adresse le devis n° ${document.number}${revised} pour : ${document.title}.`,
    '',
    `Montant total : ${formatEuros(document.totals.grossCents)} TTC${document.depositPercent > 0 ? `, dont un acompte de ${formatEuros(document.totals.depositCents)} ${document.consumer?.paymentWait ? 'à verser au plus tôt 8 jours après votre accord' : 'à la commande'}` : ''}.`,
    ...(document.consumer?.withdrawal
      ? ['Après votre accord, vous disposez de 14 jours pour vous rétracter, par le même lien : les conditions sont dans le devis.']
      : []),
    `Ce devis est valable jusqu’au ${formatDate(document.validUntil)}.`,
    '',
    'Pour le lire, le télécharger et donner votre accord (ou le refuser), ouvrez ce lien :',
    link,
    '',
    ...(document.supersedes ? ['Cette version annule et remplace la précédente : l’ancien lien ne permet plus de signer.', ''] : []),
    'Ce lien vous est personnel : ne le transmettez pas.',
    `Pour toute question, contactez ${document.entrepreneur.name}${document.entrepreneur.phone ? ` au ${document.entrepreneur.phone}` : ''}.`,
    '',
    'Bien cordialement,',
    `${document.issuer.legalName} — réseau Oui Ensemble`,
  ];
  const text = lines.join('\n');
  const html = `<!doctype html><html lang="fr"><body style="font-family:sans-serif;font-size:18px;line-height:1.5">${lines
    .map((line) =>
      line === link ? `<p><a href="${escapeHtml(link)}">Voir et signer le devis</a></p>` : line ? `<p>${escapeHtml(line)}</p>` : '',
    )
    .join('')}</body></html>`;
  return { subject, text, html };
}
