/**
 * The OpenAPI 3.1 document, generated from the route table (paths, methods, roles) and the zod
 * contracts (parameters, bodies), and each route's responses from the statuses its contract
 * declares (functions/shared/contract.ts) and from nothing else. Served by `GET /openapi.json` in both runtimes.
 */
import * as z from '../shared/zod.ts';
import { contracts as metaContracts } from './contracts.ts';
import { contracts as onboardingContracts } from '../onboarding/contracts.ts';
import { contracts as quoteContracts, pages as quotePages } from '../quotes/contracts.ts';
import { contracts as invoiceContracts } from '../invoices/contracts.ts';
import { contracts as paymentContracts, pages as paymentPages } from '../payments/contracts.ts';
import { contracts as payrollContracts } from '../payroll/contracts.ts';
import { contracts as referralContracts, pages as referralPages } from '../referrals/contracts.ts';
import { contracts as networkContracts } from '../network/contracts.ts';
import { contracts as cesuContracts } from '../cesu/contracts.ts';
import { routeKey, routes, type RouteDef } from '../routes.ts';
import { built, type PageShape, type ResponseSpec, type Responses, type SchemaArg } from '../shared/contract.ts';
import type { HandlerSpec } from '../shared/http.ts';

type AnySpec = HandlerSpec<z.ZodMiniType | undefined, z.ZodMiniType | undefined, z.ZodMiniType | undefined> & {
  readonly responses: Responses;
};

const allContracts: readonly AnySpec[] = [
  ...Object.values(metaContracts),
  ...Object.values(onboardingContracts),
  ...Object.values(quoteContracts),
  ...Object.values(invoiceContracts),
  ...Object.values(paymentContracts),
  ...Object.values(payrollContracts),
  ...Object.values(referralContracts),
  ...Object.values(networkContracts),
  ...Object.values(cesuContracts),
] as AnySpec[];

type AnyPage = PageShape & { readonly responses: Responses };
const allPages: readonly AnyPage[] = [
  ...Object.values(quotePages),
  ...Object.values(paymentPages),
  ...Object.values(referralPages),
] as AnyPage[];

export function contractFor(route: Pick<RouteDef, 'method' | 'path'>): AnySpec | AnyPage | undefined {
  return allContracts.find((c) => c.route === routeKey(route)) ?? allPages.find((p) => p.route === routeKey(route));
}

export const isPage = (c: AnySpec | AnyPage): c is AnyPage => 'description' in c;

/** The OpenAPI responses of a route: exactly the statuses its contract declares (functions/shared/contract.ts). */
function responsesOf(responses: Responses): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(responses) as [string, ResponseSpec][]) {
    const content: Record<string, unknown> = {};
    for (const media of response.media) {
      content[media] =
        media === 'application/json'
          ? { schema: response.schema ? jsonSchema(response.schema, 'output') : {} }
          : media === 'application/problem+json'
            ? { schema: { $ref: '#/components/schemas/Problem' } }
            : { schema: { type: 'string' } };
    }
    out[status] = {
      description: response.description,
      ...(response.location
        ? { headers: { Location: { description: response.location, required: true, schema: { type: 'string', format: 'uri' } } } }
        : {}),
      ...(response.media.length ? { content } : {}),
    };
  }
  return out;
}

function jsonSchema(schema: SchemaArg, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(built(schema), { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(schema: SchemaArg | undefined, where: 'path' | 'query') {
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
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDef[]) {
    const contract = contractFor(route);
    if (!contract) throw new Error(`no contract for ${routeKey(route)}`);
    const secured = route.auth !== 'public';
    const page = isPage(contract);
    const operation: Record<string, unknown> = {
      operationId: route.fn,
      summary: route.summary,
      tags: [route.tag],
      ...(secured ? { security: [{ bearer: [] }], 'x-roles': route.auth.roles } : { security: [] }),
      parameters: [...parameters(contract.params, 'path'), ...(page ? [] : parameters(contract.query, 'query'))],
      ...(page && contract.form
        ? {
            requestBody: {
              required: true,
              content: { 'application/x-www-form-urlencoded': { schema: jsonSchema(contract.form, 'input') } },
            },
          }
        : {}),
      ...(!page && contract.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } } } }
        : {}),
      responses: responsesOf(contract.responses),
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Oui Ensemble back office',
      version: '0.1.0',
      description:
        'Onboarding of territories (ETD), entrepreneurs, clients and partner companies; renovation quotes and the client pages to accept them; invoices, credit notes and online payment (Stripe). Amounts are integer cents; dates of business are Europe/Paris.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Cognito ID token (cloud) or `npm run -s token` (local)',
        },
      },
      schemas: { Problem: problemSchema },
    },
  };
}
