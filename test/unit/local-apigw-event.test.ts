/** The API Gateway HTTP API v2 events, Lambda contexts and results of the local runtime. */
import { describe, expect, it } from 'vitest';
import { findRoute } from '../../functions/routes.ts';
import {
  apiGatewayTime,
  buildHttpEvent,
  buildLambdaContext,
  flattenClaims,
  parseQueryString,
  readHttpResult,
} from '../../infra/local/apigw.ts';

const now = new Date('2026-03-12T19:03:58.123Z');
const listRoute = findRoute('GET /entrepreneurs');
const createRoute = findRoute('POST /etds');
const publicRoute = findRoute('GET /public/entrepreneurs');

describe('buildHttpEvent', () => {
  it('joins repeated query parameters with commas and percent-decodes them, like API Gateway', () => {
    const event = buildHttpEvent({
      route: listRoute,
      method: 'GET',
      url: '/entrepreneurs?etd=44&etd=85&state=active&q=a%20b%2Cc&flag',
      rawHeaders: [],
      now,
    });
    expect(event.rawQueryString).toBe('etd=44&etd=85&state=active&q=a%20b%2Cc&flag');
    expect(event.queryStringParameters).toEqual({ etd: '44,85', state: 'active', q: 'a b,c', flag: '' });
    expect(event.rawPath).toBe('/entrepreneurs');
  });

  it('omits queryStringParameters, pathParameters, cookies and body when there are none', () => {
    const event = buildHttpEvent({ route: publicRoute, method: 'GET', url: '/public/entrepreneurs', rawHeaders: ['Host', 'x'], now });
    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('body');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('lower-cases header names, joins repeated headers with commas and moves cookies out', () => {
    const event = buildHttpEvent({
      route: publicRoute,
      method: 'GET',
      url: '/public/entrepreneurs',
      rawHeaders: [
        'Host',
        '127.0.0.1:3000',
        'X-Trace',
        'a',
        'x-trace',
        'b',
        'User-Agent',
        'curl/8.5',
        'Cookie',
        'theme=dark; lang=fr',
        'Accept',
        'application/json',
      ],
      now,
    });
    expect(event.headers).toEqual({ host: '127.0.0.1:3000', 'x-trace': 'a,b', 'user-agent': 'curl/8.5', accept: 'application/json' });
    expect(event.cookies).toEqual(['theme=dark', 'lang=fr']);
    expect(event.requestContext.http).toEqual({
      method: 'GET',
      path: '/public/entrepreneurs',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'curl/8.5',
    });
    expect(event.requestContext.domainName).toBe('127.0.0.1:3000');
  });

  it('passes text bodies as utf-8 and other content types base64-encoded', () => {
    const json = Buffer.from('{"name":"Loire-Atlantique ✓"}', 'utf8');
    const asJson = buildHttpEvent({
      route: createRoute,
      method: 'POST',
      url: '/etds',
      rawHeaders: ['Content-Type', 'application/json; charset=utf-8'],
      body: json,
      now,
    });
    expect(asJson).toMatchObject({ body: '{"name":"Loire-Atlantique ✓"}', isBase64Encoded: false });

    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
    const asPdf = buildHttpEvent({
      route: createRoute,
      method: 'POST',
      url: '/etds',
      rawHeaders: ['Content-Type', 'application/pdf'],
      body: pdf,
      now,
    });
    expect(asPdf.isBase64Encoded).toBe(true);
    expect(Buffer.from(asPdf.body!, 'base64')).toEqual(pdf);

    const untyped = buildHttpEvent({ route: createRoute, method: 'POST', url: '/etds', rawHeaders: [], body: Buffer.from('hello'), now });
    expect(untyped).toMatchObject({ body: Buffer.from('hello').toString('base64'), isBase64Encoded: true });

    const form = buildHttpEvent({
      route: createRoute,
      method: 'POST',
      url: '/etds',
      rawHeaders: ['content-type', 'text/plain'],
      body: Buffer.from('é'),
      now,
    });
    expect(form).toMatchObject({ body: 'é', isBase64Encoded: false });
  });

  it('carries the request context of payload 2.0, with flattened JWT claims on JWT routes only', () => {
    const claims = { sub: 'local-manager', 'cognito:groups': ['manager'], 'custom:etd': '44', exp: 1773345838, token_use: 'id' };
    const event = buildHttpEvent({
      route: findRoute('GET /entrepreneurs/{id}'),
      method: 'GET',
      url: '/entrepreneurs/ent_1',
      rawHeaders: ['host', 'localhost:3000'],
      pathParameters: { id: 'ent_1' },
      claims,
      requestId: 'req-1',
      now,
    });
    expect(event).toMatchObject({ version: '2.0', routeKey: 'GET /entrepreneurs/{id}', pathParameters: { id: 'ent_1' } });
    expect(event.requestContext).toMatchObject({
      routeKey: 'GET /entrepreneurs/{id}',
      stage: '$default',
      requestId: 'req-1',
      time: '12/Mar/2026:19:03:58 +0000',
      timeEpoch: now.getTime(),
      authorizer: {
        jwt: {
          claims: { sub: 'local-manager', 'cognito:groups': '[manager]', 'custom:etd': '44', exp: '1773345838', token_use: 'id' },
          scopes: null,
        },
      },
    });
    const open = buildHttpEvent({ route: publicRoute, method: 'GET', url: '/public/entrepreneurs', rawHeaders: [], claims, now });
    expect(open.requestContext).not.toHaveProperty('authorizer');
  });

  it('flattens array claims the way HTTP APIs print them', () => {
    expect(flattenClaims({ 'cognito:groups': ['operator', 'manager'], n: 3, b: true, none: null })).toEqual({
      'cognito:groups': '[operator manager]',
      n: '3',
      b: 'true',
    });
  });

  it('parses query strings without a value or with empty pairs', () => {
    expect(parseQueryString('')).toBeUndefined();
    expect(parseQueryString('&&')).toBeUndefined();
    expect(parseQueryString('a=1&&b')).toEqual({ a: '1', b: '' });
  });

  it('formats requestContext.time with a two-digit day', () => {
    expect(apiGatewayTime(new Date('2026-01-05T03:04:05Z'))).toBe('05/Jan/2026:03:04:05 +0000');
  });
});

describe('Lambda context and result', () => {
  it('names the function and counts the remaining time down from the budget', () => {
    const context = buildLambdaContext({ functionName: 'GetPartner', awsRequestId: 'r-1', timeoutMs: 5000 });
    expect(context).toMatchObject({
      functionName: 'GetPartner',
      awsRequestId: 'r-1',
      functionVersion: '$LATEST',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/GetPartner',
    });
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-3:000000000000:function:GetPartner');
    const left = context.getRemainingTimeInMillis();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(5000);
  });

  it('reads structured, base64 and inferred results like API Gateway', () => {
    expect(readHttpResult({ statusCode: 201, headers: { Location: '/etds/44' }, cookies: ['a=1'], body: '{"ok":true}' })).toEqual({
      statusCode: 201,
      headers: { location: '/etds/44' },
      cookies: ['a=1'],
      body: Buffer.from('{"ok":true}'),
    });
    expect(readHttpResult({ statusCode: 200, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true }).body).toEqual(
      Buffer.from([1, 2, 3]),
    );
    expect(readHttpResult({ status: 'ok' })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from('{"status":"ok"}'),
    });
    expect(readHttpResult(undefined).statusCode).toBe(200);
  });
});
