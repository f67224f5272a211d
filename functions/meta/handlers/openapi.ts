import { acceptsGzip, header, httpHandler, type Reply } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { OPENAPI_DOCUMENT_GZIP_BASE64 } from '../openapi-document.ts';

/**
 * The document generated from the contracts by `npm run openapi` (functions/meta/openapi-document.ts),
 * kept compressed: sent as it is to a client that takes gzip (browsers, fetch, curl --compressed),
 * 34 KB rather than 440; inflated once, on first demand, for one that does not.
 */
let text: string | undefined;

export const handler = httpHandler(contracts.openApi, async ({ event }): Promise<Reply> => {
  const vary = { vary: 'accept-encoding' };
  if (acceptsGzip(header(event, 'accept-encoding'))) {
    return { status: 200, headers: { ...vary, 'content-encoding': 'gzip' }, json: { text: OPENAPI_DOCUMENT_GZIP_BASE64, base64: true } };
  }
  const { gunzipSync } = await import('node:zlib');
  text ??= gunzipSync(Buffer.from(OPENAPI_DOCUMENT_GZIP_BASE64, 'base64')).toString('utf8');
  return { status: 200, headers: vary, json: { text } };
});
