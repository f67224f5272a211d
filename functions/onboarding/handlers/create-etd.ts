import * as contracts from '../contracts.ts';
import { created, httpHandler } from '../../shared/http.ts';
import { createEtd } from '../service.ts';

export const handler = httpHandler(contracts.createEtd, async ({ principal, body }) => {
  const etd = await createEtd(principal, body, new Date());
  return created(etd, `/etds/${etd.code}`);
});
