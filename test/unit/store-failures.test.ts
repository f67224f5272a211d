/**
 * A DynamoDB failure is never told as "not found": reading the parties of a new quote or invoice
 * throttled gives a 500 problem (logged, counted), while a real absence stays a 400 naming the field.
 */
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as createQuote } from '../../functions/quotes/handlers/create-quote.ts';
import { handler as createInvoice } from '../../functions/invoices/handlers/create-invoice.ts';
import { metrics } from '../../functions/shared/observability.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeAll(() => {
  process.env.TABLE_DIRECTORY = 'directory-under-test';
  process.env.TABLE_SALES = 'sales-under-test';
});
afterEach(() => {
  dynamo.reset();
  vi.restoreAllMocks();
});

const context = { awsRequestId: 'r1', functionName: 'Test', getRemainingTimeInMillis: () => 10_000 } as never;
const managerClaims = { sub: 'mgr-44', 'cognito:groups': '[manager]', 'custom:etd': '44' };
const entrepreneurId = 'ent_01kb0000000000000000000000';
const clientId = 'cli_01kb0000000000000000000000';
const line = { description: 'Aide à domicile', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 2_500, vatRate: '20' };
const address = { line1: '4 rue des Lilas', postalCode: '44000', city: 'Nantes' };

const routes = {
  quote: {
    handler: createQuote,
    path: '/quotes',
    body: {
      etd: '44',
      cae: 'SAMAD',
      entrepreneurId,
      clientId,
      siteAddress: address,
      title: 'Ménage',
      housingOver2Years: false,
      lines: [line],
    },
  },
  invoice: {
    handler: createInvoice,
    path: '/invoices',
    body: { etd: '44', cae: 'SAMAD', entrepreneurId, clientId, kind: 'standard', title: 'Ménage', lines: [line] },
  },
};

async function post(route: (typeof routes)[keyof typeof routes]) {
  const event = {
    version: '2.0',
    routeKey: `POST ${route.path}`,
    rawPath: route.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST', path: route.path },
      authorizer: { jwt: { claims: managerClaims, scopes: null } },
    },
    body: JSON.stringify(route.body),
    isBase64Encoded: false,
  } as never;
  const result = await route.handler(event, context);
  return { status: result.statusCode, type: result.headers?.['content-type'], problem: JSON.parse(result.body ?? '{}') };
}

const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: {} });

describe.each(Object.entries(routes))('POST /%ss', (_, route) => {
  it('a throttled read of the entrepreneur is a 500 problem, logged and counted — not a 400 "no such entrepreneur"', async () => {
    dynamo.on(GetCommand).rejects(throttled());
    const counted = vi.spyOn(metrics, 'addMetric');
    const { status, type, problem } = await post(route);
    expect(status).toBe(500);
    expect(type).toBe('application/problem+json');
    expect(problem).toMatchObject({ status: 500, type: expect.stringMatching(/internal$/) });
    expect(problem).not.toHaveProperty('errors');
    expect(counted).toHaveBeenCalledWith('UnexpectedErrors', expect.anything(), 1);
  });

  it('a throttled read of the client is a 500 too, once the entrepreneur was found', async () => {
    const entrepreneur = {
      pk: `ENT#${entrepreneurId}`,
      id: entrepreneurId,
      etd: '44',
      cae: 'SAMAD',
      state: 'active',
      firstName: 'M',
      lastName: 'L',
    };
    dynamo.on(GetCommand).callsFake((input: { Key: { pk: string } }) => {
      if (input.Key.pk.startsWith('ENT#')) return { Item: entrepreneur };
      throw throttled();
    });
    const { status } = await post(route);
    expect(status).toBe(500);
  });

  it('a real absence stays a 400 naming the field', async () => {
    dynamo.on(GetCommand).resolves({});
    const { status, type, problem } = await post(route);
    expect(status).toBe(400);
    expect(type).toBe('application/problem+json');
    expect(problem.errors).toEqual([{ path: 'entrepreneurId', message: 'no entrepreneur with this id in this territory' }]);
  });
});
