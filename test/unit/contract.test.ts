import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes, routeKey, type RouteDef } from '../../functions/routes.ts';
import { jobs } from '../../functions/jobs.ts';
import { buildOpenApi, contractFor } from '../../functions/meta/openapi.ts';

const repo = new URL('../../', import.meta.url);

describe('route table', () => {
  it('has unique route keys and function names', () => {
    const keys = routes.map(routeKey);
    const fns = [...routes.map((r) => r.fn), ...jobs.map((j) => j.fn)];
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(fns).size).toBe(fns.length);
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s has a handler module and a contract', async (_, route: RouteDef) => {
    expect(existsSync(new URL(route.handler, repo))).toBe(true);
    expect(contractFor(route)).toBeDefined();
  });

  it.each(jobs.map((j) => [j.fn, j] as const))('job %s has a handler module', (_, job) => {
    expect(existsSync(new URL(job.handler, repo))).toBe(true);
  });
});

describe('OpenAPI document', () => {
  const document = buildOpenApi() as any;

  it('is OpenAPI 3.1 with every route of the table', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) expect(document.paths[route.path][route.method.toLowerCase()].operationId).toBe(route.fn);
  });

  it('marks public and secured routes', () => {
    expect(document.paths['/public/entrepreneurs'].get.security).toEqual([]);
    expect(document.paths['/etds'].post.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/etds'].post['x-roles']).toEqual(['operator']);
  });

  it('describes bodies, parameters and problems from the zod schemas', () => {
    const create = document.paths['/entrepreneurs'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['etd', 'cae', 'email', 'birthYear', 'competences', 'poles']));
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.competences.items.enum).toEqual(['developer', 'recruiter', 'trainer', 'tutor', 'coordinator']);
    expect(create.responses['400'].content['application/problem+json']).toBeDefined();
    expect(create.responses['201']).toBeDefined();
    const list = document.paths['/entrepreneurs'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(['etd', 'state', 'limit', 'cursor']);
    expect(document.paths['/entrepreneurs/{id}'].patch.responses['412']).toBeDefined();
  });
});
