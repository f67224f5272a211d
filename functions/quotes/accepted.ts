/**
 * Consumer of `QuoteAccepted`: the entrepreneur who wrote the quote learns by e-mail that the
 * client accepted it. The entrepreneur and the client are loaded through the onboarding door;
 * one no longer in the quote's territory counts as missing. Logs name ids only.
 */
import type { EventDetail } from '../events/catalog.ts';
import { type Client, clientName, type Entrepreneur, loadClient, loadEntrepreneur } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import { NotFoundError } from '../shared/errors.ts';
import { formatDateTime, formatEuros } from '../shared/french.ts';
import { logger } from '../shared/observability.ts';

export interface AcceptedMailInput {
  readonly firstName: string;
  readonly number: string;
  readonly revision: number;
  readonly clientName?: string | undefined;
  readonly acceptedAt: string;
  readonly grossCents: number;
}

/** Plain French, no link: the back office shows the quote and its evidence. */
export function quoteAcceptedEmail(input: AcceptedMailInput): { subject: string; text: string } {
  const revision = input.revision > 1 ? ` (révision ${input.revision})` : '';
  const forClient = input.clientName ? ` pour ${input.clientName}` : '';
  const subject = `Devis n° ${input.number} accepté${forClient}`;
  const text = [
    `Bonjour ${input.firstName},`,
    '',
    `Votre devis n° ${input.number}${revision}${forClient} a été accepté le ${formatDateTime(input.acceptedAt)}.`,
    `Montant total : ${formatEuros(input.grossCents)} TTC.`,
    '',
    'Le devis signé et la preuve de l’accord sont dans votre espace Oui Ensemble ; vous pouvez maintenant préparer la facture.',
    '',
    'Bien cordialement,',
    'Le réseau Oui Ensemble',
  ].join('\n');
  return { subject, text };
}

async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export type NotifyOutcome = { readonly notified: true; readonly messageId: string } | { readonly notified: false; readonly reason: string };

/** The record when it is in the territory of the quote (what the territory's staff see), else nothing. */
const inTerritory = <T extends { readonly etd: string }>(etd: string, record: T | undefined): T | undefined =>
  record?.etd === etd ? record : undefined;

export async function notifyQuoteAccepted(ports: Pick<Adapters, 'mailer'>, detail: EventDetail<'QuoteAccepted'>): Promise<NotifyOutcome> {
  const [author, client]: [Entrepreneur | undefined, Client | undefined] = await Promise.all([
    orMissing(loadEntrepreneur(detail.entrepreneurId)).then((e) => inTerritory(detail.etd, e)),
    orMissing(loadClient(detail.clientId)).then((c) => inTerritory(detail.etd, c)),
  ]);
  if (!author) {
    // Nobody to tell; not an error to retry.
    logger.warn('quote accepted: its entrepreneur is not in the directory', {
      quoteId: detail.quoteId,
      entrepreneurId: detail.entrepreneurId,
    });
    return { notified: false, reason: 'entrepreneur not found' };
  }
  const mail = quoteAcceptedEmail({
    firstName: author.firstName,
    number: detail.number,
    revision: detail.revision,
    clientName: client ? clientName(client) : undefined,
    acceptedAt: detail.at,
    grossCents: detail.totals.grossCents,
  });
  const { messageId } = await ports.mailer.send({ to: author.email, ...mail });
  logger.info('quote accepted: entrepreneur notified', { quoteId: detail.quoteId, entrepreneurId: author.id });
  return { notified: true, messageId };
}
