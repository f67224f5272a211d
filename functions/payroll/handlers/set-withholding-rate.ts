import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { setWithholdingRate } from '../withholding.ts';

export const handler = httpHandler(contracts.setWithholdingRate, async ({ principal, params, body }) =>
  ok(await setWithholdingRate(principal, params.id, body, new Date())),
);
