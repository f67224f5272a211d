import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { updateCaeLegal } from '../service.ts';

/** An operator records a CAE's insurance (renewed every year), SAP declaration or consumer mediator. */
export const handler = httpHandler(contracts.updateCaeLegal, async ({ principal, params, body }) =>
  ok(await updateCaeLegal(principal, params.code, params.cae, body, new Date())),
);
