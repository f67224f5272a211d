import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { withholdingRates } from '../withholding.ts';

export const handler = httpHandler(contracts.withholdingRates, async ({ principal, params }) =>
  ok(await withholdingRates(principal, params.id, new Date())),
);
