import { gunzipSync } from 'node:zlib';
import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { OPENAPI_DOCUMENT_GZIP_BASE64 } from '../openapi-document.ts';

/** The document generated from the contracts by `npm run openapi` (functions/meta/openapi-document.ts), decoded once. */
let document: Record<string, unknown> | undefined;

export const handler = httpHandler(contracts.openApi, async () => {
  document ??= JSON.parse(gunzipSync(Buffer.from(OPENAPI_DOCUMENT_GZIP_BASE64, 'base64')).toString('utf8')) as Record<string, unknown>;
  return ok(document);
});
