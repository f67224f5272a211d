import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { setRate } from '../rates.ts';

export const handler = httpHandler(contracts.setRedevanceRate, async ({ principal, params, body }) => {
  const rate = await setRate(principal, params.code, body, new Date());
  return created(rate, `/etds/${params.code}/redevance/rates`);
});
