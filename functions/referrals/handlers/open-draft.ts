import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { openDraft, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.openDraft, async ({ principal, params, body }) =>
  ok(await present(await openDraft(ports(), principal, params.id, body, new Date()))),
);
