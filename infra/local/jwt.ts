/**
 * The local identity provider: an ES256 key kept in the data directory signs tokens with the claims
 * shape of a Cognito ID token (`sub`, `cognito:groups`, `custom:etd`, `token_use: 'id'`), and the
 * local server verifies them the way API Gateway's JWT authorizer does: signature, issuer,
 * audience, expiry (and not-before).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SignJWT,
  decodeProtectedHeader,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { CLAIM_ENTITY, CLAIM_ETD, CLAIM_GROUPS, rolesWithEntity } from '../../functions/shared/auth.ts';
import { createKeyFileOnce } from './adapters.ts';
import { isRole, type Role } from '../../functions/shared/roles.ts';

export const LOCAL_ISSUER = 'urn:oui-ensemble:local-idp';
export const LOCAL_AUDIENCE = 'oui-ensemble-local';
export const ALG = 'ES256';
export const DEFAULT_TTL_SECONDS = 3600;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export const signingKeyPath = (dataDir: string): string => join(dataDir, 'keys', 'jwt-signing-key.json');

async function fromJwk(jwk: JWK & { kid?: string }): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.kid) throw new Error('not an ES256 private JWK with a kid');
  const { d: _d, ...publicJwk } = jwk;
  return {
    kid: jwk.kid,
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
  };
}

/**
 * The signing key of a data directory, created once: `<dataDir>/keys/jwt-signing-key.json`, a
 * private JWK readable by its owner only (0600). Safe when two processes create it at once.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const path = signingKeyPath(dataDir);
  const read = async () => {
    chmodSync(path, 0o600);
    try {
      return await fromJwk(JSON.parse(readFileSync(path, 'utf8')) as JWK);
    } catch (error) {
      throw new Error(`${path} is not a usable signing key (${(error as Error).message}); delete it to create a new one`);
    }
  };
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `local-${randomUUID()}`, alg: ALG, use: 'sig' };
  createKeyFileOnce(path, JSON.stringify(jwk, null, 2) + '\n');
  return read();
}

// ---- Signing --------------------------------------------------------------------------------

export interface TokenRequest {
  readonly role: Role;
  /** Territory (département code) of a manager or an entrepreneur: required for those roles. */
  readonly etd?: string;
  readonly sub?: string;
  /** The record an entrepreneur or partner acts as (`custom:entityId`); default: `sub`. */
  readonly entityId?: string;
  readonly ttlSeconds?: number;
  /** Overrides for tests (expired or foreign tokens). */
  readonly issuer?: string;
  readonly audience?: string;
  readonly now?: Date;
}

export const defaultSub = (role: Role): string => `local-${role}`;

export function rolesNeedingEtd(role: Role): boolean {
  return role === 'manager' || role === 'entrepreneur';
}

/** A token with the claims of a Cognito ID token (no e-mail: nothing more than the API needs). */
export async function signToken(request: TokenRequest, key: SigningKey): Promise<string> {
  if (!isRole(request.role)) throw new Error(`unknown role ${String(request.role)}`);
  if (rolesNeedingEtd(request.role) && !request.etd) throw new Error(`a ${request.role} token must name its territory (etd)`);
  const iat = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const ttl = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const claims: JWTPayload = {
    [CLAIM_GROUPS]: [request.role],
    ...(request.etd ? { [CLAIM_ETD]: request.etd } : {}),
    // The record an entrepreneur or partner acts as; locally `--sub` names it (and is the subject too).
    ...(rolesWithEntity.includes(request.role) ? { [CLAIM_ENTITY]: request.entityId ?? request.sub ?? defaultSub(request.role) } : {}),
    token_use: 'id',
    auth_time: iat,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(request.sub ?? defaultSub(request.role))
    .setIssuer(request.issuer ?? LOCAL_ISSUER)
    .setAudience(request.audience ?? LOCAL_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key.privateKey);
}

// ---- Verification ---------------------------------------------------------------------------

export type TokenFailure =
  | 'missing'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'invalid-claims';

const details: Record<TokenFailure, string> = {
  missing: 'No bearer token: send an Authorization: Bearer <token> header.',
  malformed: 'The bearer token is malformed (not a compact JWS).',
  'bad-signature': 'The bearer token signature is invalid (not signed by this identity provider).',
  expired: 'The bearer token has expired.',
  'not-yet-valid': 'The bearer token is not valid yet.',
  'wrong-issuer': 'The bearer token was issued by another issuer.',
  'wrong-audience': 'The bearer token was issued for another audience.',
  'invalid-claims': 'The bearer token claims are invalid.',
};

export class TokenError extends Error {
  readonly reason: TokenFailure;
  constructor(reason: TokenFailure, detail?: string) {
    super(detail ?? details[reason]);
    this.name = 'TokenError';
    this.reason = reason;
  }
}

export type Claims = JWTPayload & Record<string, unknown>;
export type Verifier = (authorizationHeader: string | undefined) => Promise<Claims>;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Verifies an `Authorization` header value as API Gateway's JWT authorizer does (the `Bearer `
 * prefix is optional there too) and returns the token's claims; throws a TokenError naming why not.
 */
export async function verifyBearer(authorizationHeader: string | undefined, key: SigningKey): Promise<Claims> {
  const value = (authorizationHeader ?? '').trim();
  const token = value.replace(/^bearer\s+/i, '').trim();
  if (token === '' || /^bearer$/i.test(token)) throw new TokenError('missing');
  const verified = verifiedTokens(key);
  const known = verified.get(token);
  if (known && stillValid(known, Math.floor(Date.now() / 1000))) return known;
  const claims = await verifyToken(token, key);
  remember(verified, token, claims);
  return claims;
}

/**
 * The tokens already verified with a key, by their exact compact form (signature included), for
 * the local server's every request: an ES256 verification is the largest cost of a local request
 * (≈ 0.2 ms of the event loop, issue 14). Only a token that passed the whole check is kept; its
 * signature, issuer and audience do not change with time, and what does (expiry, not-before) is
 * checked again on every use, as jose checks it (`nbf > now` or `exp <= now`, in seconds, no
 * tolerance): outside that window the token goes through jose again, which refuses it with its own
 * reason. Any other string (a byte changed) is another key of the map, verified in full.
 */
const verifiedByKey = new WeakMap<SigningKey, Map<string, Claims>>();
const MAX_VERIFIED_TOKENS = 10_000;

function verifiedTokens(key: SigningKey): Map<string, Claims> {
  let verified = verifiedByKey.get(key);
  if (!verified) {
    verified = new Map();
    verifiedByKey.set(key, verified);
  }
  return verified;
}

/** As jose's time checks (jwt_claims_set.js, clockTolerance 0), on a numeric `exp` and `nbf`. */
export const stillValid = (claims: Claims, now: number): boolean =>
  typeof claims.exp === 'number' && claims.exp > now && (claims.nbf === undefined || (typeof claims.nbf === 'number' && claims.nbf <= now));

function remember(verified: Map<string, Claims>, token: string, claims: Claims): void {
  if (verified.size >= MAX_VERIFIED_TOKENS) verified.delete(verified.keys().next().value as string); // the oldest
  for (const value of Object.values(claims)) if (Array.isArray(value)) Object.freeze(value);
  verified.set(token, Object.freeze(claims));
}

/** The whole check, by jose: header, signature, then the claims. */
async function verifyToken(token: string, key: SigningKey): Promise<Claims> {
  if (!COMPACT_JWS.test(token)) throw new TokenError('malformed');
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new TokenError('malformed');
  }
  if (kid !== undefined && kid !== key.kid) throw new TokenError('bad-signature', 'The bearer token was signed by an unknown key (kid).');
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [ALG],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    return payload as Claims;
  } catch (error) {
    throw toTokenError(error);
  }
}

function toTokenError(error: unknown): TokenError {
  if (error instanceof errors.JWTExpired) return new TokenError('expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new TokenError('wrong-issuer');
    if (error.claim === 'aud') return new TokenError('wrong-audience');
    if (error.claim === 'nbf' || error.claim === 'iat') return new TokenError('not-yet-valid');
    return new TokenError('invalid-claims', `The bearer token claim "${error.claim}" is invalid or missing.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenError('bad-signature');
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenError('bad-signature', 'The bearer token is not signed with ES256.');
  return new TokenError('malformed');
}

export const verifierFor =
  (key: SigningKey): Verifier =>
  (header) =>
    verifyBearer(header, key);
