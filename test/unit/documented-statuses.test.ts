import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOpenApi, contractFor } from '../../functions/meta/openapi.ts';
import { routeKey, routes, type RouteDef } from '../../functions/routes.ts';
import type { ResponseSpec } from '../../functions/shared/contract.ts';
import { parseRequestLogLine, readObserved, statusRecorder, undocumented } from '../support/documented-statuses.ts';

const document = buildOpenApi() as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> }>
  >;
};
const operation = (route: Pick<RouteDef, 'method' | 'path'>) => document.paths[route.path]![route.method.toLowerCase()]!;
const table = routes as readonly RouteDef[];
const statusesOf = (key: string) => Object.keys(operation(table.find((r) => routeKey(r) === key)!).responses).map(Number);

describe('each route’s responses come from its contract', () => {
  it.each(table.map((r) => [routeKey(r), r] as const))(
    '%s documents exactly the statuses of its contract, with their media types',
    (_, route) => {
      const contract = contractFor(route);
      expect(contract, 'every route has a contract').toBeDefined();
      const declared = Object.entries(contract!.responses) as [string, ResponseSpec][];
      expect(declared.length).toBeGreaterThan(0);
      const documented = operation(route).responses;
      expect(Object.keys(documented).sort()).toEqual(declared.map(([status]) => status).sort());
      for (const [status, response] of declared) {
        expect(Object.keys(documented[status]!.content ?? {}).sort(), `${status} media types`).toEqual([...response.media].sort());
        if (response.location) expect(documented[status]!.headers).toHaveProperty('Location');
      }
    },
  );

  it.each(table.map((r) => [routeKey(r), r] as const))('%s documents the statuses every route of its kind can answer', (_, route) => {
    const statuses = statusesOf(routeKey(route));
    expect(statuses).toEqual(expect.arrayContaining([413, 500]));
    expect(statuses.some((s) => s >= 200 && s < 400)).toBe(true);
    if (route.auth !== 'public') expect(statuses).toEqual(expect.arrayContaining([401, 403, 404]));
    else expect(statuses).not.toContain(401);
    if (Object.values(route.tables).includes('write')) expect(statuses).toContain(409);
    const contract = contractFor(route)!;
    if ('body' in contract && contract.body) expect(statuses).toEqual(expect.arrayContaining([400, 415]));
    if ('form' in contract && contract.form) {
      expect(statuses).toEqual(expect.arrayContaining([400, 415]));
      expect(Object.keys(operation(route).responses['415']!.content!)).toEqual(['text/html']);
    }
  });

  it('documents the statuses issue 7 found missing', () => {
    for (const key of [
      'POST /quotes/{id}/send',
      'POST /invoices/{id}/issue',
      'POST /quotes/{id}/revisions',
      'GET /quotes/{id}/pdf',
      'GET /invoices/{id}/pdf',
    ]) {
      expect(statusesOf(key), key).toContain(409);
    }
    expect(statusesOf('POST /webhooks/stripe')).toEqual(expect.arrayContaining([400, 409]));
    expect(statusesOf('POST /webhooks/stripe')).not.toContain(401);
    for (const key of ['POST /q/{token}/accept', 'POST /q/{token}/decline', 'POST /pay/{token}/checkout'])
      expect(statusesOf(key), key).toContain(415);
    const checkout = operation({ method: 'POST', path: '/pay/{token}/checkout' }).responses;
    expect(checkout['303']?.headers).toHaveProperty('Location');
    expect(checkout['303']?.content).toBeUndefined();
    expect(checkout['200']).toBeUndefined();
    expect(statusesOf('PATCH /quotes/{id}')).toContain(412);
    expect(statusesOf('POST /quotes/{id}/send')).toContain(503);
  });

  it('gives JSON successes their schema, refusals the Problem schema, pages HTML', () => {
    const send = operation({ method: 'POST', path: '/quotes/{id}/send' }).responses;
    expect(send['200']!.content!['application/json']).toHaveProperty('schema.properties.state');
    expect(send['409']!.content!['application/problem+json']).toEqual({ schema: { $ref: '#/components/schemas/Problem' } });
    const page = operation({ method: 'GET', path: '/q/{token}' }).responses;
    expect(Object.keys(page['200']!.content!)).toEqual(['text/html']);
    expect(Object.keys(page['413']!.content!)).toEqual(['application/problem+json']);
  });
});

describe('observed statuses against documented ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oui-statuses-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the route key and status of the server’s request lines only', () => {
    expect(parseRequestLogLine('[http] POST /quotes/{id}/send 409 12ms')).toEqual({ routeKey: 'POST /quotes/{id}/send', status: 409 });
    expect(parseRequestLogLine('[http] GET /_local/documents/{key+} 200 3ms')).toEqual({
      routeKey: 'GET /_local/documents/{key+}',
      status: 200,
    });
    expect(parseRequestLogLine('[http] GET (no route) 404 1ms')).toBeUndefined();
    expect(parseRequestLogLine('[http] POST /quotes handler CreateQuote failed: boom 500')).toBeUndefined();
  });

  it('records one file per server and reads every pair once', () => {
    const first = statusRecorder(dir);
    const second = statusRecorder(dir);
    first('[http] GET /health 200 4ms');
    first('[http] GET /health 200 2ms');
    second('[http] POST /webhooks/stripe 400 9ms');
    second('not a request line');
    expect(readdirSync(dir)).toHaveLength(2);
    expect(readObserved(dir)).toEqual([
      { routeKey: 'GET /health', status: 200 },
      { routeKey: 'POST /webhooks/stripe', status: 400 },
    ]);
  });

  it('names an answered status the document lacks, and ignores what is no route of the table', () => {
    const keys = table.map(routeKey);
    const observed = [
      { routeKey: 'POST /quotes/{id}/send', status: 409 },
      { routeKey: 'POST /quotes/{id}/send', status: 418 },
      { routeKey: 'GET /pay/{token}', status: 303 },
      { routeKey: 'GET /_local/documents/{key+}', status: 403 },
    ];
    expect(undocumented(observed, document, keys)).toEqual([
      { routeKey: 'POST /quotes/{id}/send', status: 418 },
      { routeKey: 'GET /pay/{token}', status: 303 },
    ]);
  });
});
