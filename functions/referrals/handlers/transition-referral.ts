import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { present, transition } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.transition, async ({ principal, params, body }) =>
  ok(await present(await transition(ports(), principal, params.id, body, new Date()))),
);
