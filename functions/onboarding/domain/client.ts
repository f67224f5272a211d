/** Clients. Pure rules. */
import type { Client } from '../schemas.ts';

/** The name a client is addressed by on documents, pages and e-mails: a company's legal name, a person's first and last names. */
export const clientName = (client: Client): string =>
  client.kind === 'company' ? client.legalName : `${client.firstName} ${client.lastName}`;
