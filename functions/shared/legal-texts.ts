/**
 * The French sentences of the legal mentions that quotes, invoices and the client's pages print:
 * one wording per mention, so the PDF and the page say the same thing. Typography of
 * functions/shared/french.ts: curly apostrophes, no-break spaces before « : ; ? ! % € » and inside
 * numbers, « n° » held to its number.
 */
import { formatDate, formatRate } from './french.ts';
import type { Insurance } from './legal-rules.ts';
import type { PostalAddress } from './documents.ts';
import type { OperationNature } from './pricing.ts';
import type { SapAuthorisation } from './sap.ts';

export const NBSP = '\u00a0';

/** U+2011, the non-breaking hyphen: a document number never splits across lines (DejaVu has the glyph). */
export const NB_HYPHEN = '\u2011';

/** A document or policy number that never splits across lines: its hyphens non-breaking. */
export const unbreakable = (number: string): string => number.replaceAll('-', NB_HYPHEN);

/** « n° D-MSG44-2026-000123 » as printed: never split after « n° » nor at its hyphens. */
export const numbered = (number: string): string => `n°${NBSP}${unbreakable(number)}`;

/** Document numbers inside a free text (a line's description), made unbreakable. */
export const unbreakableNumbers = (text: string): string =>
  text.replace(/\b[ADF]-[A-Z]+[0-9A-Z]{2,3}-\d{4}-\d{6}\b/g, unbreakable).replace(/n° (?=\S)/g, `n°${NBSP}`);

/** A date that never splits across lines (« 27 novembre 2026 » on one line). */
export const unbreakableDate = (date: string): string => formatDate(date).replaceAll(' ', NBSP);

const oneLine = (a: PostalAddress): string => [a.line1, a.line2, `${a.postalCode}${NBSP}${a.city}`].filter(Boolean).join(', ');

/** The issuer's professional insurance (loi 96-603 art. 22-2), as items « label : text ». */
export function insuranceItems(insurance: Insurance): [string, string][] {
  return [
    ['Assureur', `${insurance.insurer}, ${oneLine(insurance.insurerAddress)}`],
    [
      'Contrat',
      `${numbered(insurance.policyNumber)}, valable du ${formatDate(insurance.validFrom)} au ${formatDate(insurance.validUntil)}`,
    ],
    ['Couverture géographique', insurance.coverage],
  ];
}

export const INSURANCE_TITLE = 'Assurance professionnelle de la coopérative (article 22-2 de la loi n° 96-603)';

/** BOI-LETTRE-000280 (22/10/2025): the client's certification for a reduced rate, per rate actually used. */
const CERTIFICATION_CORE =
  'certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d’habitation achevés depuis plus de deux ans ' +
  'et qu’ils n’ont pas eu pour effet, sur une période de deux ans au plus, de concourir à la production d’un immeuble neuf au sens du 2° du 2 du I de l’article 257 du CGI, ' +
  `ni d’entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10${NBSP}%`;

/** The certification after « Je soussigné(e) … »: the energy-renovation sentence covers the 5.5 % works only. */
export function certificationSentence(rates: readonly ('10' | '5.5')[]): string {
  if (rates.includes('5.5') && rates.includes('10'))
    return `${CERTIFICATION_CORE}. Pour les travaux facturés au taux de 5,5${NBSP}%, je certifie en outre qu’ils ont la nature de travaux de rénovation énergétique.`;
  if (rates.includes('5.5')) return `${CERTIFICATION_CORE} et qu’ils ont la nature de travaux de rénovation énergétique.`;
  return `${CERTIFICATION_CORE}.`;
}

/** « Attestation du client — TVA à taux réduit (10 % et 5,5 %) », with the rates actually used. */
export const certificationTitle = (rates: readonly ('10' | '5.5')[]): string =>
  `Attestation du client — TVA à taux réduit (${rates.map(formatRate).join(' et ')})`;

/** C. conso L221-5, L221-18, L221-19, L221-24, L221-25: the withdrawal right, its conditions. */
export function withdrawalConditions(
  issuer: { readonly legalName: string; readonly address: PostalAddress },
  email?: string | undefined,
): string {
  return (
    `Vous disposez d’un délai de 14${NBSP}jours pour vous rétracter de ce contrat, sans avoir à donner de motif ni à payer de frais. ` +
    'Il expire 14\u00a0jours après le jour de la conclusion du contrat, c’est-à-dire de votre accord sur ce devis\u00a0; ' +
    's’il expire un samedi, un dimanche ou un jour férié, il est prolongé jusqu’au premier jour ouvrable suivant. ' +
    `Pour vous rétracter, informez ${issuer.legalName} de votre décision par une déclaration sans ambiguïté\u00a0: par le bouton «${NBSP}Me rétracter${NBSP}» de la page de votre devis (lien reçu par e-mail), ` +
    `par courrier à ${oneLine(issuer.address)}, ${email ? `par e-mail à ${email}, ` : ''}ou au moyen du formulaire ci-dessous. ` +
    'En cas de rétractation, toutes les sommes versées vous sont remboursées au plus tard 14 jours après que nous en avons été informés. ' +
    'Les travaux ne commencent pas avant la fin de ce délai, sauf si vous le demandez expressément\u00a0; vous devrez alors, si vous vous rétractez, ' +
    'payer un montant proportionnel aux travaux réalisés jusqu’à votre rétractation (article L221-25 du Code de la consommation).'
  );
}

/** C. conso L221-10: no payment within 7 days of an off-premises contract. */
export const PAYMENT_WAIT_TEXT = `Aucun paiement ne peut être exigé ni reçu de votre part avant l’expiration d’un délai de 7${NBSP}jours à compter de votre accord (article L221-10 du Code de la consommation).`;

/** On an invoice: the first day a payment may be received. */
export const paymentFromText = (date: string): string =>
  `Contrat conclu hors établissement\u00a0: aucun paiement ne peut être reçu avant le ${formatDate(date)} (article L221-10 du Code de la consommation).`;

/** C. conso L612-1, L616-1: the consumer mediator. */
export const mediatorText = (mediator: { readonly name: string; readonly website: string }): string =>
  `En cas de litige que nous n’aurions pas pu régler ensemble, vous pouvez recourir gratuitement au médiateur de la consommation\u00a0: ${mediator.name}, ${mediator.website} (articles L612-1 et suivants du Code de la consommation).`;

/** The model withdrawal form (annex to C. conso R221-1), filled with what is known. */
export function withdrawalFormLines(input: {
  readonly issuer: { readonly legalName: string; readonly address: PostalAddress };
  readonly number: string;
  readonly issueDate: string;
  readonly title: string;
  readonly clientName: string;
  readonly clientAddress: PostalAddress;
  /** The e-mail address the withdrawal may be sent to (the annex asks it when there is one). */
  readonly email?: string | undefined;
}): string[] {
  return [
    '(Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous rétracter du contrat.)',
    `À l’attention de ${input.issuer.legalName}, ${oneLine(input.issuer.address)}${input.email ? `, ${input.email}` : ''}\u00a0:`,
    `Je vous notifie par la présente ma rétractation du contrat portant sur la prestation de services ci-dessous\u00a0: devis ${numbered(input.number)} du ${formatDate(input.issueDate)} — ${input.title}.`,
    'Commandé le\u00a0: ………………………………',
    `Nom du consommateur\u00a0: ${input.clientName}`,
    `Adresse du consommateur\u00a0: ${oneLine(input.clientAddress)}`,
    'Signature du consommateur (uniquement en cas de notification du présent formulaire sur papier)\u00a0:',
    'Date\u00a0: ………………………………',
  ];
}

/** L221-25: the express request to start before the end of the withdrawal period, as the client ticks it. */
export const EARLY_START_REQUEST =
  'Je demande expressément que les travaux commencent avant la fin du délai de rétractation de 14 jours. Je sais que, si je me rétracte ensuite, je paierai les travaux déjà réalisés.';

/** When the works start (L111-1 3°), and how long they last. */
export function worksStartText(works: {
  readonly startDate?: string | undefined;
  readonly startWithinDays?: number | undefined;
}): string | undefined {
  if (works.startDate) return `le ${formatDate(works.startDate)}`;
  if (works.startWithinDays) return `au plus tard ${works.startWithinDays}${NBSP}jours après votre accord`;
  return undefined;
}

/** The nature of the operation (e-invoicing mention), as quotes and invoices print it. */
export const operationNatureLabels: Record<OperationNature, string> = {
  services: 'Prestations de services',
  goods: 'Livraison de biens',
  mixed: 'Opération mixte (livraison de biens et prestations de services)',
};

/** « Agrément » (the State's, C. trav. L7232-1) or « Autorisation » (the département's, CASF L313-1). */
export const sapAuthorisationName = (a: Pick<SapAuthorisation, 'kind'>): string => (a.kind === 'agrement' ? 'Agrément' : 'Autorisation');

/**
 * The provider's agrément or autorisation as an SAP invoice prints it next to its declaration
 * (C. trav. D7233-1: its number and date, where it applies), with who granted it and until when.
 */
export function sapAuthorisationText(a: SapAuthorisation): string {
  const granted = a.kind === 'agrement' ? 'délivré' : 'délivrée';
  const basis = a.kind === 'agrement' ? 'article L7232-1 du Code du travail' : 'article L313-1 du Code de l’action sociale et des familles';
  const until = a.validUntil ? `, valable jusqu’au ${unbreakableDate(a.validUntil)}` : '';
  return `${sapAuthorisationName(a)} ${numbered(a.number)} du ${unbreakableDate(a.grantedOn)}, ${granted} par ${a.issuer} (${basis})${until}.`;
}
