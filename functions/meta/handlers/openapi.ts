import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { buildOpenApi } from '../openapi.ts';

let document: Record<string, unknown> | undefined;

export const handler = httpHandler(contracts.openApi, async () => {
  document ??= buildOpenApi();
  return ok(document);
});
