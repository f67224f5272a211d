/**
 * GET /openapi.json sends the document as it is kept, gzip-compressed, to a client that takes
 * gzip, and inflated to one that does not (functions/meta/handlers/openapi.ts); `acceptsGzip`
 * reads Accept-Encoding as RFC 9110 says.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/meta/handlers/openapi.ts';
import { buildOpenApi } from '../../functions/meta/openapi.ts';
import { acceptsGzip } from '../../functions/shared/http.ts';

const context = { awsRequestId: 'r1', functionName: 'OpenApi', getRemainingTimeInMillis: () => 10_000 } as never;
const event = (headers: Record<string, string>) =>
  ({
    version: '2.0',
    routeKey: 'GET /openapi.json',
    rawPath: '/openapi.json',
    rawQueryString: '',
    headers,
    requestContext: { requestId: 'req-1', http: { method: 'GET', path: '/openapi.json' } },
    isBase64Encoded: false,
  }) as never;

describe('GET /openapi.json', () => {
  it('sends the compressed document to a client that takes gzip', async () => {
    const result = await handler(event({ 'accept-encoding': 'gzip, deflate, br' }), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(result.isBase64Encoded).toBe(true);
    const document = JSON.parse(gunzipSync(Buffer.from(result.body!, 'base64')).toString('utf8'));
    expect(document).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('sends it inflated to one that does not', async () => {
    const refusals: Record<string, string>[] = [{}, { 'accept-encoding': 'identity' }, { 'Accept-Encoding': 'br, gzip;q=0' }];
    for (const headers of refusals) {
      const result = await handler(event(headers), context);
      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-encoding']).toBeUndefined();
      expect(result.isBase64Encoded).toBe(false);
      expect(JSON.parse(result.body!)).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
    }
  });

  it.each([
    ['gzip', true],
    ['GZIP;q=0.5', true],
    ['deflate, x-gzip', true],
    ['*', true],
    ['br;q=1, *;q=0.1', true],
    ['gzip;q=0, *', false],
    ['*;q=0', false],
    ['identity', false],
    ['', false],
    [undefined, false],
  ])('Accept-Encoding %j takes gzip: %s', (value, expected) => {
    expect(acceptsGzip(value)).toBe(expected);
  });
});
