import { created, httpHandler } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { present, reviseQuote } from '../service.ts';

export const handler = httpHandler(contracts.reviseQuote, async ({ principal, params }) => {
  const revision = await present(await reviseQuote(principal, params.id, new Date()));
  return created(revision, revision.links.self);
});
