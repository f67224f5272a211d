/** Upload links of the documents port: S3 presigned PUT (cloud) and its local stand-in (signed PUT under /_local/uploads/). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cloudAdapters } from '../../functions/shared/cloud-adapters.ts';
import { localAdapters, openDocument, storeUpload, UPLOAD_LINK_PATH, verifyUploadLink } from '../../infra/local/adapters.ts';

const options = { contentType: 'application/pdf', bytes: 1234, maxBytes: 5_000, ttlSeconds: 600 };

describe('cloud: a presigned PutObject URL', () => {
  beforeEach(() => {
    vi.stubEnv('DOCUMENTS_BUCKET', 'oui-documents-test');
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('signs the content type and the exact length, and says which headers to send', async () => {
    const link = await cloudAdapters().documents.uploadLink('payroll/receipts/exp_1', options);
    const url = new URL(link.url);
    expect(url.hostname).toContain('oui-documents-test');
    expect(url.pathname).toBe('/payroll/receipts/exp_1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    expect(link).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf', 'content-length': '1234' } });
  });

  it.each([0, 5_001, 1.5])('refuses a declared length of %s bytes', async (bytes) => {
    await expect(cloudAdapters().documents.uploadLink('payroll/receipts/exp_1', { ...options, bytes })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('offline: a signed PUT link', () => {
  const BASE = 'http://127.0.0.1:4321';
  const NOW = Date.parse('2026-03-02T10:00:00Z');
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'oui-uploads-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const documents = () => localAdapters({ dataDir, publicBaseUrl: BASE, env: {}, now: () => NOW }).documents;

  it('carries the key, type and length, signed; a change to any of them makes it invalid; it expires', async () => {
    const link = await documents().uploadLink('payroll/receipts/exp_1', options);
    expect(link.url.startsWith(`${BASE}${UPLOAD_LINK_PATH}payroll/receipts/exp_1?`)).toBe(true);
    expect(link.expiresAt).toBe(new Date(NOW + 600_000).toISOString());
    const path = link.url.slice(BASE.length);
    expect(verifyUploadLink(dataDir, path, NOW)).toEqual({
      ok: true,
      key: 'payroll/receipts/exp_1',
      contentType: 'application/pdf',
      bytes: 1234,
    });
    expect(verifyUploadLink(dataDir, path.replace('bytes=1234', 'bytes=9999'), NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyUploadLink(dataDir, path.replace('type=application%2Fpdf', 'type=text%2Fhtml'), NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyUploadLink(dataDir, path.replace('exp_1', 'exp_2'), NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyUploadLink(dataDir, path, NOW + 600_000)).toEqual({ ok: false, reason: 'expired' });
    // A download link's signature is not an upload link's.
    const download = await documents().link('payroll/receipts/exp_1', { ttlSeconds: 600, fileName: 'x.pdf' });
    const signature = new URL(download.url).searchParams.get('signature')!;
    const forged = path.replace(/signature=[^&]+/, `signature=${signature}`);
    expect(verifyUploadLink(dataDir, forged, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('stores what was uploaded where the documents store reads it', async () => {
    const body = new TextEncoder().encode('%PDF-1.7 ticket');
    await storeUpload(dataDir, 'payroll/receipts/exp_1', body, 'application/pdf');
    expect(await documents().get('payroll/receipts/exp_1')).toEqual(body);
    expect(openDocument(dataDir, 'payroll/receipts/exp_1')).toMatchObject({ contentType: 'application/pdf', bytes: body.length });
  });

  it.each([0, 5_001])('refuses a declared length of %s bytes', async (bytes) => {
    await expect(documents().uploadLink('payroll/receipts/exp_1', { ...options, bytes })).rejects.toBeInstanceOf(RangeError);
  });
});
