import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { sendQuote } from '../send.ts';
import { present } from '../service.ts';

export const handler = httpHandler(contracts.sendQuote, async ({ principal, params }) =>
  ok(await present(await sendQuote(principal, params.id, new Date()))),
);
