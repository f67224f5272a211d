/** The local identity provider: key file, Cognito-shaped claims, and the authorizer's refusals. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadOrCreateSigningKey,
  signingKeyPath,
  signToken,
  TokenError,
  verifyBearer,
  type TokenFailure,
} from '../../infra/local/jwt.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'oui-jwt-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function reason(promise: Promise<unknown>): Promise<TokenFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as TokenError).reason;
  }
  throw new Error('expected a TokenError');
}

describe('signing key', () => {
  it('is created once, as a private JWK readable by its owner only', async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([loadOrCreateSigningKey(dir), loadOrCreateSigningKey(dir)]);
    expect(a.kid).toBe(b.kid);
    expect((await loadOrCreateSigningKey(dir)).kid).toBe(a.kid);
    expect(statSync(signingKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(signingKeyPath(dir), 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: a.kid });
  });
});

describe('tokens', () => {
  it('carry the claims of a Cognito ID token, without e-mail', async () => {
    const key = await loadOrCreateSigningKey(tempDir());
    const token = await signToken({ role: 'manager', etd: '44' }, key);
    const claims = decodeJwt(token);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: key.kid });
    expect(claims).toMatchObject({
      sub: 'local-manager',
      'cognito:groups': ['manager'],
      'custom:etd': '44',
      token_use: 'id',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims).not.toHaveProperty('email');
    expect(await verifyBearer(`Bearer ${token}`, key)).toMatchObject({ sub: 'local-manager' });
    expect(await verifyBearer(token, key)).toMatchObject({ sub: 'local-manager' }); // prefix optional, as on API Gateway
    const operator = decodeJwt(await signToken({ role: 'operator', sub: 'op-7', ttlSeconds: 60 }, key));
    expect(operator).not.toHaveProperty('custom:etd');
    expect(operator.exp! - operator.iat!).toBe(60);
    await expect(signToken({ role: 'entrepreneur' }, key)).rejects.toThrow(/territory/);
  });

  it('are refused with a reason: missing, malformed, bad signature, expired, wrong issuer or audience', async () => {
    const key = await loadOrCreateSigningKey(tempDir());
    const other = await loadOrCreateSigningKey(tempDir());
    const good = await signToken({ role: 'operator' }, key);
    const [h, p, s] = good.split('.') as [string, string, string];
    const flipped = s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`;

    expect(await reason(verifyBearer(undefined, key))).toBe('missing');
    expect(await reason(verifyBearer('Bearer ', key))).toBe('missing');
    expect(await reason(verifyBearer('Bearer not-a-jwt', key))).toBe('malformed');
    expect(await reason(verifyBearer('Bearer a.b.c', key))).toBe('malformed');
    expect(await reason(verifyBearer(`Bearer ${h}.${p}.${flipped}`, key))).toBe('bad-signature');
    expect(await reason(verifyBearer(`Bearer ${await signToken({ role: 'operator' }, other)}`, key))).toBe('bad-signature');
    const expired = await signToken({ role: 'operator', now: new Date(Date.now() - 7200_000) }, key);
    expect(await reason(verifyBearer(`Bearer ${expired}`, key))).toBe('expired');
    expect(await reason(verifyBearer(`Bearer ${await signToken({ role: 'operator', audience: 'someone-else' }, key)}`, key))).toBe(
      'wrong-audience',
    );
    expect(await reason(verifyBearer(`Bearer ${await signToken({ role: 'operator', issuer: 'https://elsewhere' }, key)}`, key))).toBe(
      'wrong-issuer',
    );
  });
});
