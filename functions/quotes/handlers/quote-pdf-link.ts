import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { pdfLink } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.quotePdfLink, async ({ principal, params }) =>
  ok(await pdfLink(ports(), principal, params.id)),
);
