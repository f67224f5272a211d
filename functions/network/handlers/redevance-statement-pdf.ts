import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { statementPdfLink } from '../statements.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.redevanceStatementPdf, async ({ principal, params }) =>
  ok(await statementPdfLink(ports(), principal, params.id)),
);
