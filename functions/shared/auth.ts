/**
 * The caller, as API Gateway's JWT authorizer (cloud) or the local server (offline) hands it
 * over in `requestContext.authorizer.jwt.claims`. Both runtimes carry the claims of a Cognito ID
 * token: `sub`, `cognito:groups` (one role), `custom:etd` (the territory of a manager or an
 * entrepreneur). Scope rules live here so every handler applies the same ones.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError, NotFoundError, UnauthorizedError } from './errors.ts';
import { isRole, type Role } from './roles.ts';

export interface Principal {
  readonly sub: string;
  readonly role: Role;
  /** Territory of a manager or an entrepreneur; absent for operators and partners. */
  readonly etd?: string;
}

export const CLAIM_GROUPS = 'cognito:groups';
export const CLAIM_ETD = 'custom:etd';

/** HTTP APIs flatten array claims to "[a b]"; tokens verified locally keep arrays. */
export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

export function principalFromEvent(event: Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>): Principal {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') {
    throw new UnauthorizedError('A valid bearer token is required.');
  }
  const role = parseGroups(claims[CLAIM_GROUPS]).find(isRole);
  if (!role) throw new ForbiddenError('The token carries no known role.');
  const etd = typeof claims[CLAIM_ETD] === 'string' && claims[CLAIM_ETD] !== '' ? (claims[CLAIM_ETD] as string) : undefined;
  if ((role === 'manager' || role === 'entrepreneur') && !etd) {
    throw new ForbiddenError(`A ${role} token must name its territory (${CLAIM_ETD}).`);
  }
  return { sub: claims.sub, role, ...(etd ? { etd } : {}) };
}

export function requireRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.includes(principal.role)) {
    throw new ForbiddenError(`The ${principal.role} role may not call this route.`);
  }
}

/** Operators see every territory; managers and entrepreneurs only their own. */
export function canSeeEtd(principal: Principal, etd: string): boolean {
  return principal.role === 'operator' || principal.etd === etd;
}

/** Objects outside the caller's scope are answered as missing: their existence is not revealed. */
export function assertVisible(visible: boolean, what: string): void {
  if (!visible) throw new NotFoundError(`${what} not found.`);
}

/** The territory a list or a write applies to: the caller's own, or for operators the one asked. */
export function scopedEtd(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.role === 'operator') return requested;
  if (requested !== undefined && requested !== principal.etd) {
    throw new NotFoundError(`Territory ${requested} not found.`);
  }
  return principal.etd;
}
