/**
 * The OpenAPI 3.1 document, generated from the route table (paths, methods, roles) and the zod
 * contracts (parameters, bodies, responses). Served by `GET /openapi.json` in both runtimes.
 */
import * as z from 'zod';
import { contracts as metaContracts } from './contracts.ts';
import { contracts as onboardingContracts } from '../onboarding/contracts.ts';
import { contracts as quoteContracts, pages as quotePages } from '../quotes/contracts.ts';
import { contracts as invoiceContracts } from '../invoices/contracts.ts';
import { contracts as paymentContracts, pages as paymentPages } from '../payments/contracts.ts';
import { routeKey, routes, type RouteDef } from '../routes.ts';
import type { HandlerSpec } from '../shared/http.ts';

type AnySpec = HandlerSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

const allContracts: readonly AnySpec[] = [...Object.values(metaContracts), ...Object.values(onboardingContracts), ...Object.values(quoteContracts), ...Object.values(invoiceContracts), ...Object.values(paymentContracts)] as AnySpec[];

interface AnyPage {
  readonly route: string;
  readonly params?: z.ZodType | undefined;
  readonly form?: z.ZodType | undefined;
  readonly description: string;
}
const allPages: readonly AnyPage[] = [...Object.values(quotePages), ...Object.values(paymentPages)] as AnyPage[];

export function contractFor(route: Pick<RouteDef, 'method' | 'path'>): AnySpec | AnyPage | undefined {
  return allContracts.find((c) => c.route === routeKey(route)) ?? allPages.find((p) => p.route === routeKey(route));
}

const isPage = (c: AnySpec | AnyPage): c is AnyPage => 'description' in c;

/** A client page: HTML in, HTML out (forms are application/x-www-form-urlencoded). */
function pageOperation(route: RouteDef, page: AnyPage): Record<string, unknown> {
  const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
  return {
    operationId: route.fn,
    summary: route.summary,
    tags: [route.tag],
    security: [],
    parameters: parameters(page.params, 'path'),
    ...(page.form ? { requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: jsonSchema(page.form, 'input') } } } } : {}),
    responses: {
      '200': html(page.description),
      '400': html('The form is incomplete (a French page says what to fix)'),
      '404': html('Unknown link'),
      '409': html('Already answered, or the document changed'),
      '410': html('Expired or replaced by a new revision'),
    },
  };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDef[]) {
    const contract = contractFor(route);
    if (!contract) throw new Error(`no contract for ${routeKey(route)}`);
    if (isPage(contract)) {
      paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: pageOperation(route, contract) };
      continue;
    }
    const secured = route.auth !== 'public';
    const operation: Record<string, unknown> = {
      operationId: route.fn,
      summary: route.summary,
      tags: [route.tag],
      ...(secured ? { security: [{ bearer: [] }], 'x-roles': route.auth.roles } : { security: [] }),
      parameters: [...parameters(contract.params, 'path'), ...parameters(contract.query, 'query')],
      ...(contract.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } } } }
        : {}),
      responses: {
        ...(contract.success
          ? {
              [String(contract.success.status)]: {
                description: contract.success.description,
                content: { 'application/json': { schema: jsonSchema(contract.success.schema, 'output') } },
              },
            }
          : {}),
        ...(contract.body || contract.query || contract.params ? { '400': problem('Invalid input: `errors` names each field') } : {}),
        ...(secured ? { '401': problem('Missing, invalid or expired token'), '403': problem('The role may not call this route') } : {}),
        ...(contract.params || secured ? { '404': problem('Not found, or outside the caller\u2019s territory') } : {}),
        ...(contract.body ? { '409': problem('Conflict with the current state'), '413': problem('Body too large'), '415': problem('Body is not JSON') } : {}),
        ...(route.method === 'PATCH' ? { '412': problem('Stale version') } : {}),
      },
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Oui Ensemble back office',
      version: '0.1.0',
      description: 'Onboarding of territories (ETD), entrepreneurs, clients and partner companies; renovation quotes and the client pages to accept them; invoices, credit notes and online payment (Stripe). Amounts are integer cents; dates of business are Europe/Paris.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token (cloud) or `npm run -s token` (local)' } },
      schemas: { Problem: problemSchema },
    },
  };
}
