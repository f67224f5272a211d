/** The shared HTTP core on a real handler: every refusal is problem+json, names its cause, writes nothing. */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as createEtd } from '../../functions/onboarding/handlers/create-etd.ts';
import { demoEtds } from '../../infra/local/demo-data.ts';

const documents = mockClient(DynamoDBDocumentClient);
beforeAll(() => {
  process.env.TABLE_DIRECTORY = 'directory-under-test';
});
afterEach(() => documents.reset());

const context = { awsRequestId: 'r1', functionName: 'CreateEtd', getRemainingTimeInMillis: () => 10_000 } as never;
const operatorClaims = { sub: 'op-1', 'cognito:groups': '[operator]' };

function event(
  body: string | undefined,
  { claims = operatorClaims as Record<string, unknown> | null, contentType = 'application/json', base64 = false } = {},
) {
  return {
    version: '2.0',
    routeKey: 'POST /etds',
    rawPath: '/etds',
    rawQueryString: '',
    headers: contentType ? { 'content-type': contentType } : {},
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST', path: '/etds' },
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    body: base64 && body !== undefined ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  } as never;
}

async function call(e: never) {
  const result = await createEtd(e, context);
  return { status: result.statusCode, type: result.headers?.['content-type'], problem: JSON.parse(result.body ?? '{}') };
}

const valid = JSON.stringify(demoEtds[0]);

describe('refusals before any write', () => {
  it.each([
    ['no claims', event(valid, { claims: null }), 401, /token/],
    ['unknown role', event(valid, { claims: { sub: 'x', 'cognito:groups': '[root]' } }), 403, /role/],
    [
      'role not allowed on the route',
      event(valid, { claims: { sub: 'x', 'cognito:groups': '[manager]', 'custom:etd': '44' } }),
      403,
      /manager role may not/,
    ],
    ['text/plain body', event(valid, { contentType: 'text/plain' }), 415, /application\/json/],
    ['no content type', event(valid, { contentType: '' }), 415, /application\/json/],
    ['malformed JSON', event('{"code": "44",'), 400, /not valid JSON/],
    ['empty body', event(''), 400, /JSON body is required/],
    ['oversized body', event(JSON.stringify({ ...demoEtds[0], name: 'x'.repeat(70_000) })), 413, /65536 bytes/],
    ['JSON array', event('[]'), 400, /object/],
  ])('%s → %i', async (_, e, status, detail) => {
    const { status: got, type, problem } = await call(e);
    expect(got).toBe(status);
    expect(type).toBe('application/problem+json');
    expect(problem.status).toBe(status);
    expect(problem.detail).toMatch(detail);
    expect(documents.calls()).toHaveLength(0);
  });

  it('names every invalid field', async () => {
    const body = { ...demoEtds[0], code: '99', caes: { ...demoEtds[0].caes, msg: { ...demoEtds[0].caes.msg, siret: '123' } }, extra: true };
    const { status, problem } = await call(event(JSON.stringify(body)));
    expect(status).toBe(400);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['', 'caes.msg.siret', 'code']);
    expect(problem.errors.find((e: { path: string }) => e.path === '').message).toMatch(/unknown field\(s\): extra/);
    expect(documents.calls()).toHaveLength(0);
  });

  it('accepts a base64-encoded body (as API Gateway may send it)', async () => {
    documents.onAnyCommand().resolves({});
    const { status } = await call(event(valid, { base64: true }));
    expect(status).toBe(201);
  });

  it('maps an unexpected failure to a 500 problem that reveals nothing', async () => {
    documents.onAnyCommand().rejects(new Error('arn:aws:dynamodb:eu-west-3:123:table/secret'));
    const { status, problem } = await call(event(valid));
    expect(status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/arn:|secret/);
  });
});
