import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { declarationPdfLink } from '../declarations.ts';

export const handler = httpHandler(contracts.declarationPdfLink, async ({ principal, params }) =>
  ok(await declarationPdfLink(adapters(), principal, params.id, params.period)),
);
