/** The local identity provider: key file, Cognito-shaped claims, and the authorizer's refusals. */
import { KeyObject, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadOrCreateSigningKey,
  signingKeyPath,
  signToken,
  TokenError,
  stillValid,
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

  it('are verified in full: header, signature over header and payload, then every claim', async () => {
    const key = await loadOrCreateSigningKey(tempDir());
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: 'local-operator',
      'cognito:groups': ['operator'],
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      iat: now,
      exp: now + 600,
    };
    const header = { alg: 'ES256', kid: key.kid, typ: 'JWT' };
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    /** A compact JWS of any header and payload, signed with the key (ES256, r‖s). */
    const signed = (h: unknown, p: unknown) => {
      const input = `${b64(h)}.${b64(p)}`;
      const signature = sign('sha256', Buffer.from(input), { key: KeyObject.from(key.privateKey), dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    };

    expect(await verifyBearer(`Bearer ${signed(header, claims)}`, key)).toMatchObject({ sub: 'local-operator' });
    // The signature covers the payload: another payload under a valid signature is refused.
    const [h, , s] = signed(header, claims).split('.') as [string, string, string];
    expect(await reason(verifyBearer(`Bearer ${h}.${b64({ ...claims, 'cognito:groups': ['manager'] })}.${s}`, key))).toBe('bad-signature');
    expect(await reason(verifyBearer(`Bearer ${h}.${b64(claims)}.${s.slice(0, -2)}`, key))).toBe('bad-signature');
    // Only ES256, never an unsigned token; no unknown critical extension; a header naming no algorithm is malformed.
    expect(await reason(verifyBearer(`Bearer ${b64({ alg: 'none' })}.${b64(claims)}.AAAA`, key))).toBe('bad-signature');
    expect(await reason(verifyBearer(`Bearer ${signed({ ...header, alg: 'HS256' }, claims)}`, key))).toBe('bad-signature');
    expect(await reason(verifyBearer(`Bearer ${signed({ ...header, crit: ['exp'], exp: 1 }, claims)}`, key))).toBe('malformed');
    expect(await reason(verifyBearer(`Bearer ${signed({ kid: key.kid }, claims)}`, key))).toBe('malformed');
    expect(await reason(verifyBearer(`Bearer ${signed({ ...header, kid: 'local-other' }, claims)}`, key))).toBe('bad-signature');
    // Claims, once the signature holds.
    expect(await reason(verifyBearer(`Bearer ${signed(header, { ...claims, nbf: now + 600 })}`, key))).toBe('not-yet-valid');
    expect(await reason(verifyBearer(`Bearer ${signed(header, { ...claims, exp: now - 1 })}`, key))).toBe('expired');
    const { sub: _sub, ...withoutSub } = claims;
    expect(await reason(verifyBearer(`Bearer ${signed(header, withoutSub)}`, key))).toBe('invalid-claims');
    expect(await reason(verifyBearer(`Bearer ${signed(header, { ...claims, aud: ['someone-else'] })}`, key))).toBe('wrong-audience');
    expect(await reason(verifyBearer(`Bearer ${signed(header, ['not', 'an', 'object'])}`, key))).toBe('malformed');
  });
});

describe('a token verified once (the local server verifies each token in full once per key)', () => {
  afterEach(() => vi.useRealTimers());

  it('is refused again once expired, with the reason jose gives', async () => {
    const key = await loadOrCreateSigningKey(tempDir());
    const issuedAt = new Date('2026-11-30T10:00:00Z');
    vi.useFakeTimers({ now: issuedAt, toFake: ['Date'] });
    const token = await signToken({ role: 'operator', now: issuedAt, ttlSeconds: 60 }, key);
    const first = await verifyBearer(`Bearer ${token}`, key);
    expect(await verifyBearer(token, key)).toBe(first); // the same claims, not verified again
    expect(Object.isFrozen(first)).toBe(true);
    vi.setSystemTime(new Date(issuedAt.getTime() + 59_999));
    expect(await verifyBearer(`Bearer ${token}`, key)).toBe(first);
    vi.setSystemTime(new Date(issuedAt.getTime() + 60_000)); // exp <= now
    expect(await reason(verifyBearer(`Bearer ${token}`, key))).toBe('expired');
  });

  it('is refused by another key, and a changed byte is another token, verified in full', async () => {
    const key = await loadOrCreateSigningKey(tempDir());
    const other = await loadOrCreateSigningKey(tempDir());
    const token = await signToken({ role: 'operator' }, key);
    await verifyBearer(`Bearer ${token}`, key);
    expect(await reason(verifyBearer(`Bearer ${token}`, other))).toBe('bad-signature');
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`;
    expect(await reason(verifyBearer(`Bearer ${h}.${p}.${flipped}`, key))).toBe('bad-signature');
    expect(await verifyBearer(`Bearer ${token}`, key)).toMatchObject({ sub: expect.any(String) });
  });

  it.each([
    [{ exp: 101 }, 100, true],
    [{ exp: 100 }, 100, false],
    [{ exp: 101, nbf: 100 }, 100, true],
    [{ exp: 101, nbf: 101 }, 100, false],
    [{ exp: '101' }, 100, false],
    [{}, 100, false],
  ])('time window of %o at %d: %s (as jose: nbf > now or exp <= now is refused)', (claims, now, valid) => {
    expect(stillValid(claims as never, now)).toBe(valid);
  });
});
