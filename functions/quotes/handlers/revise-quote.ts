import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { present, reviseQuote } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.reviseQuote, async ({ principal, params }) => {
  const revision = await present(ports(), await reviseQuote(principal, params.id, new Date()));
  return created(revision, revision.links.self);
});
