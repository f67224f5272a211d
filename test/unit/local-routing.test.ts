/** Route selection of the local server: the same precedence as API Gateway HTTP APIs. */
import { describe, expect, it } from 'vitest';
import { routes, type RouteDef } from '../../functions/routes.ts';
import { matchRoute } from '../../infra/local/apigw.ts';

const table = routes as readonly RouteDef[];
const fnOf = (method: string, path: string, t: readonly RouteDef[] = table) => {
  const m = matchRoute(method, path, t);
  return m.kind === 'match' ? m.route.fn : m.kind;
};

describe('matchRoute', () => {
  it('lets a static segment beat a parameter: /partners/me is not /partners/{id}', () => {
    expect(fnOf('GET', '/partners/me')).toBe('GetOwnPartner');
    const m = matchRoute('GET', '/partners/par_123', table);
    expect(m).toMatchObject({ kind: 'match', route: { fn: 'GetPartner' }, pathParameters: { id: 'par_123' } });
  });

  it('does not depend on the order of the table', () => {
    const param: RouteDef = {
      method: 'GET',
      path: '/things/{id}',
      fn: 'GetThing',
      handler: 'x.ts',
      auth: 'public',
      tables: {},
      summary: '',
      tag: '',
    };
    const fixed: RouteDef = { ...param, path: '/things/special', fn: 'Special' };
    const deeper: RouteDef = { ...param, path: '/things/{id}/parts/first', fn: 'FirstPart' };
    const deeperParam: RouteDef = { ...param, path: '/things/{id}/parts/{part}', fn: 'Part' };
    for (const t of [
      [param, fixed, deeper, deeperParam],
      [deeperParam, deeper, fixed, param],
    ]) {
      expect(fnOf('GET', '/things/special', t)).toBe('Special');
      expect(fnOf('GET', '/things/other', t)).toBe('GetThing');
      expect(fnOf('GET', '/things/a/parts/first', t)).toBe('FirstPart');
      expect(fnOf('GET', '/things/a/parts/second', t)).toBe('Part');
    }
  });

  it('selects among the routes of the request method only', () => {
    expect(fnOf('POST', '/entrepreneurs/ent_1/transitions')).toBe('TransitionEntrepreneur');
    expect(fnOf('PATCH', '/entrepreneurs/ent_1')).toBe('UpdateEntrepreneur');
    expect(fnOf('get', '/entrepreneurs/ent_1/history')).toBe('EntrepreneurHistory');
  });

  it('answers 405 with the allowed methods when only other methods fit the path', () => {
    expect(matchRoute('DELETE', '/etds', table)).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'POST'] });
    expect(matchRoute('DELETE', '/partners/me', table)).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
    expect(matchRoute('PUT', '/entrepreneurs/ent_1', table)).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'PATCH'] });
  });

  it('answers 404 when no route fits, including a trailing slash or an extra segment', () => {
    expect(fnOf('GET', '/nothing')).toBe('not-found');
    expect(fnOf('GET', '/etds/')).toBe('not-found');
    expect(fnOf('GET', '/etds/44/extra')).toBe('not-found');
    expect(fnOf('GET', '/')).toBe('not-found');
  });

  it('URL-decodes path parameters', () => {
    expect(matchRoute('GET', '/etds/2%41', table)).toMatchObject({ pathParameters: { code: '2A' } });
    expect(matchRoute('GET', '/clients/a%20b', table)).toMatchObject({ pathParameters: { id: 'a b' } });
    expect(matchRoute('GET', '/clients/%E0%A4%A', table)).toMatchObject({ pathParameters: { id: '%E0%A4%A' } });
  });

  it('reaches every route of the table', () => {
    for (const route of table) {
      const path = route.path.replace(/\{\w+\}/g, 'x1');
      expect(fnOf(route.method, path)).toBe(route.fn);
    }
  });
});
