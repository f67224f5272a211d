/**
 * The caller, as API Gateway's JWT authorizer (cloud) or the local server (offline) hands it
 * over in `requestContext.authorizer.jwt.claims`. Both runtimes carry the claims of a Cognito ID
 * token: `sub`, `cognito:groups` (exactly one role), `custom:etd` (the territory of a manager or an
 * entrepreneur), `custom:entityId` (the entrepreneur or partner record the login acts as: Cognito's
 * own `sub` is a random UUID, so the link is an attribute the app client cannot write).
 * Scope rules live here so every handler applies the same ones.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError, NotFoundError, UnauthorizedError } from './errors.ts';
import { isRole, type Role } from './roles.ts';

export interface Principal {
  /** The login (audit trail: who did it). */
  readonly sub: string;
  readonly role: Role;
  /** Territory of a manager or an entrepreneur; absent for operators and partners. */
  readonly etd?: string;
  /** The entrepreneur (`ent_…`) or partner (`par_…`) record an entrepreneur or partner login acts as. */
  readonly entityId?: string;
}

export const CLAIM_GROUPS = 'cognito:groups';
export const CLAIM_ETD = 'custom:etd';
export const CLAIM_ENTITY = 'custom:entityId';

/** The roles whose login acts as one record of the directory. */
export const rolesWithEntity: readonly Role[] = ['entrepreneur', 'partner'];

/** HTTP APIs flatten array claims to "[a b]"; tokens verified locally keep arrays. */
export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function principalFromEvent(event: Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>): Principal {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') {
    throw new UnauthorizedError('A valid bearer token is required.');
  }
  const known = parseGroups(claims[CLAIM_GROUPS]).filter(isRole);
  if (known.length === 0) throw new ForbiddenError('The token carries no known role.');
  if (known.length > 1) throw new ForbiddenError('The token carries more than one role; a login has exactly one.');
  const role = known[0]!;
  const text = (name: string) => (typeof claims[name] === 'string' && claims[name] !== '' ? (claims[name] as string) : undefined);
  const etd = text(CLAIM_ETD);
  if ((role === 'manager' || role === 'entrepreneur') && !etd) {
    throw new ForbiddenError(`A ${role} token must name its territory (${CLAIM_ETD}).`);
  }
  const entityId = text(CLAIM_ENTITY);
  if (rolesWithEntity.includes(role) && !entityId) {
    throw new ForbiddenError(`A ${role} token must name the record it acts as (${CLAIM_ENTITY}).`);
  }
  return { sub: claims.sub, role, ...(etd ? { etd } : {}), ...(entityId && rolesWithEntity.includes(role) ? { entityId } : {}) };
}

export function requireRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.includes(principal.role)) {
    throw new ForbiddenError(`The ${principal.role} role may not call this route.`);
  }
}

/** The record an entrepreneur or partner login acts as. */
export function selfId(principal: Principal): string {
  if (!principal.entityId) throw new ForbiddenError(`This ${principal.role} login is linked to no record.`);
  return principal.entityId;
}

/** Operators see every territory; managers and entrepreneurs only their own. */
export function canSeeEtd(principal: Principal, etd: string): boolean {
  return principal.role === 'operator' || principal.etd === etd;
}

/** The territory a list or a write applies to: the caller's own, or for operators the one asked. */
export function scopedEtd(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.role === 'operator') return requested;
  if (requested !== undefined && requested !== principal.etd) {
    throw new NotFoundError(`Territory ${requested} not found.`);
  }
  return principal.etd;
}
