import { adapters } from '../../shared/adapters.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { issueAttestations } from '../attestations.ts';
import * as contracts from '../contracts.ts';
import { canRegister } from '../domain/access.ts';

export const handler = httpHandler(contracts.issueAttestations, async ({ principal, params }) => {
  if (!canRegister(principal, params.code)) throw new NotFoundError(`Territory ${params.code} not found.`);
  return ok(await issueAttestations(adapters(), params.code, params.year, new Date()));
});
