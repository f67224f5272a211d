/**
 * `GET /openapi.json` serves the document generated ahead by `npm run openapi`
 * (functions/meta/openapi-document.ts): it must be the document the route table and the contracts
 * make today.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT_GZIP_BASE64 } from '../../functions/meta/openapi-document.ts';
import { buildOpenApi } from '../../functions/meta/openapi.ts';
import { documentSource } from '../../scripts/openapi.ts';

const served = () => gunzipSync(Buffer.from(OPENAPI_DOCUMENT_GZIP_BASE64, 'base64')).toString('utf8');

describe('the OpenAPI document served', () => {
  it('is the one the contracts make, keys in the same order (else run `npm run openapi`)', () => {
    // Compared as text: the order of paths, operations and properties is what a reader of the
    // document sees, and toEqual would ignore it.
    expect(served()).toBe(JSON.stringify(buildOpenApi()));
  });

  it('round-trips through the generator: what it writes decodes to what it was given', () => {
    const document = { openapi: '3.1.0', paths: { '/x': { get: { summary: 'Créer un devis « test »' } } } };
    const source = documentSource(document);
    const base64 = /'([A-Za-z0-9+/=]+)'/.exec(source)?.[1];
    expect(base64).toBeDefined();
    expect(JSON.parse(gunzipSync(Buffer.from(base64!, 'base64')).toString('utf8'))).toEqual(document);
  });
});
