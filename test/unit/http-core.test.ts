import { describe, expect, it } from 'vitest';
import { canSeeEtd, parseGroups, principalFromEvent, scopedEtd } from '../../functions/shared/auth.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../functions/shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../functions/shared/pagination.ts';
import { toProblem } from '../../functions/shared/problem.ts';
import { newId } from '../../functions/shared/ids.ts';
import { parisDate, parisYear } from '../../functions/shared/clock.ts';

const withClaims = (claims?: Record<string, unknown>) =>
  ({ requestContext: { authorizer: claims ? { jwt: { claims } } : undefined } }) as never;

describe('principal from the authorizer claims', () => {
  it.each([
    ['[manager]', ['manager']],
    ['[manager operator]', ['manager', 'operator']],
    [['partner'], ['partner']],
    ['entrepreneur', ['entrepreneur']],
    [undefined, []],
  ])('groups %j → %j', (value, expected) => expect(parseGroups(value)).toEqual(expected));

  it('reads an API Gateway flattened claim set', () => {
    expect(principalFromEvent(withClaims({ sub: 'u1', 'cognito:groups': '[manager]', 'custom:etd': '44' }))).toEqual({
      sub: 'u1',
      role: 'manager',
      etd: '44',
    });
  });

  it('reads the record an entrepreneur or partner acts as, not its Cognito sub', () => {
    const claims = { sub: '8f1e…-uuid', 'cognito:groups': '[entrepreneur]', 'custom:etd': '44', 'custom:entityId': 'ent_01' };
    expect(principalFromEvent(withClaims(claims))).toEqual({ sub: '8f1e…-uuid', role: 'entrepreneur', etd: '44', entityId: 'ent_01' });
    expect(principalFromEvent(withClaims({ sub: 'u2', 'cognito:groups': '[operator]', 'custom:entityId': 'ent_01' }))).toEqual({
      sub: 'u2',
      role: 'operator',
    });
  });

  it.each([
    [undefined, UnauthorizedError],
    [{ 'cognito:groups': '[operator]' }, UnauthorizedError],
    [{ sub: 'u1', 'cognito:groups': '[root]' }, ForbiddenError],
    [{ sub: 'u1', 'cognito:groups': '[manager]' }, ForbiddenError],
    [{ sub: 'u1', 'cognito:groups': '[manager operator]', 'custom:etd': '44' }, ForbiddenError],
    [{ sub: 'u1', 'cognito:groups': '[entrepreneur]', 'custom:etd': '44' }, ForbiddenError],
    [{ sub: 'u1', 'cognito:groups': '[partner]' }, ForbiddenError],
  ])('refuses %j', (claims, error) => expect(() => principalFromEvent(withClaims(claims))).toThrow(error));

  it('scopes territories', () => {
    const operator = { sub: 'o', role: 'operator' } as const;
    const manager = { sub: 'm', role: 'manager', etd: '44' } as const;
    expect(canSeeEtd(operator, '85')).toBe(true);
    expect(canSeeEtd(manager, '44')).toBe(true);
    expect(canSeeEtd(manager, '85')).toBe(false);
    expect(scopedEtd(operator, undefined)).toBeUndefined();
    expect(scopedEtd(operator, '85')).toBe('85');
    expect(scopedEtd(manager, undefined)).toBe('44');
    expect(() => scopedEtd(manager, '85')).toThrow(NotFoundError);
  });
});

describe('problem details (RFC 9457)', () => {
  it('names each invalid field', () => {
    const problem = toProblem(new ValidationError([{ path: 'caes.samad.siret', message: 'is not a valid SIRET (check digit)' }]), '/etds');
    expect(problem).toMatchObject({ status: 400, title: 'Invalid request', instance: '/etds', errors: [{ path: 'caes.samad.siret' }] });
    expect(problem.type).toMatch(/\/validation$/);
  });

  it('carries extensions of a conflict', () => {
    expect(toProblem(new ConflictError('nope', { allowed: ['active'] }))).toMatchObject({
      status: 409,
      detail: 'nope',
      allowed: ['active'],
    });
  });

  it('never echoes an unexpected error', () => {
    const problem = toProblem(new Error('secret table name arn:aws:dynamodb:…'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});

describe('cursors', () => {
  const key = { pk: 'ENT#1', sk: '#ENT', gsi1pk: 'ETD#44#ENT', gsi1sk: 'active#2026#1' };
  const names = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];

  it('round-trips within the partition', () => {
    expect(decodeCursor(encodeCursor(key), names, { gsi1pk: 'ETD#44#ENT' })).toEqual(key);
  });

  it('keeps a cursor to the sort-key range it was taken from (a changed filter is refused)', () => {
    const prefix = { name: 'gsi1sk', prefix: 'active#' };
    expect(decodeCursor(encodeCursor(key), names, { gsi1pk: 'ETD#44#ENT' }, prefix)).toEqual(key);
    expect(() => decodeCursor(encodeCursor(key), names, { gsi1pk: 'ETD#44#ENT' }, { name: 'gsi1sk', prefix: 'applied#' })).toThrow(
      ValidationError,
    );
  });

  it.each([
    ['empty values', encodeCursor({ ...key, sk: '' })],
    ['another territory', encodeCursor({ ...key, gsi1pk: 'ETD#85#ENT' })],
    ['extra keys', encodeCursor({ ...key, x: '1' })],
    ['non-string values', encodeCursor({ ...key, sk: 1 })],
    ['garbage', 'not-a-cursor'],
    ['an array', Buffer.from('[]').toString('base64url')],
  ])('refuses %s', (_, cursor) => expect(() => decodeCursor(cursor, names, { gsi1pk: 'ETD#44#ENT' })).toThrow(ValidationError));
});

describe('ids and Paris dates', () => {
  it('makes sortable, prefixed ids', () => {
    const a = newId('ent', new Date('2026-01-01T00:00:00Z'));
    const b = newId('ent', new Date('2026-06-01T00:00:00Z'));
    expect(a).toMatch(/^ent_[0-9a-z]{26}$/);
    expect(a < b).toBe(true);
  });

  it.each([
    ['2026-12-31T22:59:59Z', '2026-12-31', 2026],
    ['2026-12-31T23:00:00Z', '2027-01-01', 2027],
    ['2026-07-31T22:00:00Z', '2026-08-01', 2026],
  ])('%s is %s in Paris', (instant, date, year) => {
    expect(parisDate(new Date(instant))).toBe(date);
    expect(parisYear(new Date(instant))).toBe(year);
  });
});
