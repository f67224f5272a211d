import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { sendQuote } from '../send.ts';
import { present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.sendQuote, async ({ principal, params }) =>
  ok(await present(ports(), await sendQuote(ports(), principal, params.id, new Date()))),
);
