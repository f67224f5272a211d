/**
 * What API Gateway (HTTP API, payload 2.0) and Lambda do around a handler, rebuilt for the local
 * runtime: route selection, the v2 event, the Lambda context, the handler module cache, and the
 * reading of a v2 result. Used by the local server, `npm run invoke` and the local scheduler.
 * Nothing here imports a handler statically: handler modules load lazily, after the environment
 * is set (infra/local/tables.ts applyLocalEnv).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GrantSource } from '../../functions/grants.ts';
import type { RouteDef } from '../../functions/routes.ts';
import { FUNCTION_MEMORY_MB } from '../constructs/bundling.ts';
import { LOCAL_ACCOUNT_ID, runWithGrants } from './grants.ts';
import { LOCAL_REGION } from './tables.ts';

export { LOCAL_ACCOUNT_ID };

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `DATA_DIR` (relative to the working directory) or `.local/` at the repository root. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DATA_DIR?.trim();
  return dir ? resolve(dir) : resolve(REPO_ROOT, '.local');
}

export const LOCAL_API_ID = 'oelocal001';

// ---- Route selection ------------------------------------------------------------------------

export type RouteMatch =
  | { readonly kind: 'match'; readonly route: RouteDef; readonly pathParameters: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

const segmentsOf = (path: string): string[] => path.split('/').slice(1);
const isParam = (segment: string): boolean => /^\{[^}]+\}$/.test(segment);

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A route template split once: its segments, and for each either the parameter's name or
 * undefined for a static segment. `matchRoute` runs on every request of the local server; the
 * templates of a table are split once per table, not once per request and route.
 */
interface CompiledRoute {
  readonly route: RouteDef;
  readonly segments: readonly string[];
  readonly params: readonly (string | undefined)[];
}

const compiledTables = new WeakMap<readonly RouteDef[], Map<number, CompiledRoute[]>>();

/** The routes of `table` by number of segments, each list in table order. */
function compiled(table: readonly RouteDef[]): Map<number, CompiledRoute[]> {
  let byLength = compiledTables.get(table);
  if (!byLength) {
    byLength = new Map();
    for (const route of table) {
      const segments = segmentsOf(route.path);
      const entry = { route, segments, params: segments.map((s) => (isParam(s) ? s.slice(1, -1) : undefined)) };
      const list = byLength.get(segments.length);
      if (list) list.push(entry);
      else byLength.set(segments.length, [entry]);
    }
    compiledTables.set(table, byLength);
  }
  return byLength;
}

/** Path parameters when the request's segments (raw and decoded) fit `template`, otherwise undefined. */
function fit(template: CompiledRoute, got: readonly string[], decoded: readonly string[]): Record<string, string> | undefined {
  const { segments, params: names } = template;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < segments.length; i++) {
    const name = names[i];
    if (name !== undefined) {
      if (got[i] === '') return undefined;
      params ??= {};
      params[name] = decoded[i]!;
    } else if (segments[i] !== decoded[i]) {
      return undefined;
    }
  }
  return params ?? {};
}

/** Negative when `a` is more specific: the first static segment beats a parameter, left to right. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.min(a.params.length, b.params.length); i++) {
    const pa = a.params[i] !== undefined;
    const pb = b.params[i] !== undefined;
    if (pa !== pb) return pa ? 1 : -1;
  }
  return 0;
}

/**
 * Selects the route as API Gateway does: among the routes of the request's method whose path fits,
 * the most specific wins (`GET /partners/me` beats `GET /partners/{id}`). A path that fits only
 * routes of other methods is a 405 with those methods in `allow`; no fit at all is a 404.
 */
export function matchRoute(method: string, rawPath: string, table: readonly RouteDef[]): RouteMatch {
  const got = segmentsOf(rawPath);
  const candidates = compiled(table).get(got.length);
  if (!candidates) return { kind: 'not-found' };
  const decoded = got.map(safeDecode);
  const wanted = method.toUpperCase();
  const fitting: { readonly template: CompiledRoute; readonly params: Record<string, string> }[] = [];
  for (const template of candidates) {
    const params = fit(template, got, decoded);
    if (params) fitting.push({ template, params });
  }
  const sameMethod = fitting.filter((f) => f.template.route.method === wanted).sort((a, b) => bySpecificity(a.template, b.template));
  const best = sameMethod[0];
  if (best) return { kind: 'match', route: best.template.route, pathParameters: best.params };
  if (fitting.length) return { kind: 'method-not-allowed', allow: [...new Set(fitting.map((f) => f.template.route.method))].sort() };
  return { kind: 'not-found' };
}

// ---- The v2 event ---------------------------------------------------------------------------

export interface HttpRequestInput {
  readonly route: Pick<RouteDef, 'method' | 'path' | 'auth'>;
  readonly method: string;
  /** The request target as received: path and optional `?query`. */
  readonly url: string;
  /** Header pairs as received (node's `req.rawHeaders` layout: name, value, name, value…). */
  readonly rawHeaders: readonly string[];
  readonly body?: Buffer;
  readonly pathParameters?: Record<string, string>;
  readonly sourceIp?: string;
  readonly protocol?: string;
  /** Claims of a verified token: present for JWT routes. */
  readonly claims?: Record<string, unknown>;
  readonly requestId?: string;
  readonly now?: Date;
}

/** API Gateway hands JWT claims over as strings; arrays become "[a b]" (as Go prints them). */
export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) flat[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') flat[name] = JSON.stringify(value);
    else flat[name] = String(value);
  }
  return flat;
}

/** Lower-cased names; repeated headers joined with commas; the cookie header moves to `cookies`. */
export function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

/** Query parameters as API Gateway gives them: percent-decoded, repeated names joined by commas. */
export function parseQueryString(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const params: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    params[name] = name in params ? `${params[name]},${value}` : value;
  }
  return Object.keys(params).length ? params : undefined;
}

/** Content types API Gateway passes as text; every other body arrives base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/javascript' ||
    type === 'application/graphql'
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

let lastTime = { second: Number.NaN, text: '' };

/** `12/Mar/2026:19:03:58 +0000`, the format of `requestContext.time` (formatted once per second). */
export function apiGatewayTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastTime.second) {
    lastTime = {
      second,
      text: `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`,
    };
  }
  return lastTime.text;
}

export function buildHttpEvent(input: HttpRequestInput): APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2 {
  const now = input.now ?? new Date();
  const q = input.url.indexOf('?');
  const rawPath = q < 0 ? input.url : input.url.slice(0, q);
  const rawQueryString = q < 0 ? '' : input.url.slice(q + 1);
  const { headers, cookies } = collectHeaders(input.rawHeaders);
  const method = input.method.toUpperCase();
  const routeKey = `${input.route.method} ${input.route.path}`;
  const domainName = headers.host ?? 'localhost';
  const queryStringParameters = parseQueryString(rawQueryString);
  const pathParameters = input.pathParameters && Object.keys(input.pathParameters).length ? input.pathParameters : undefined;
  const body = input.body?.length ? input.body : undefined;
  const text = body ? isTextContentType(headers['content-type']) : false;

  const requestContext = {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: LOCAL_API_ID,
    ...(input.claims && input.route.auth !== 'public'
      ? { authorizer: { jwt: { claims: flattenClaims(input.claims), scopes: null } } }
      : {}),
    domainName,
    domainPrefix: domainName.split('.')[0]!,
    http: {
      method,
      path: rawPath,
      protocol: input.protocol ?? 'HTTP/1.1',
      sourceIp: input.sourceIp ?? '127.0.0.1',
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: input.requestId ?? randomUUID(),
    routeKey,
    stage: '$default',
    time: apiGatewayTime(now),
    timeEpoch: now.getTime(),
  };

  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext,
    ...(pathParameters ? { pathParameters } : {}),
    ...(body ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: Boolean(body) && !text,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

// ---- The Lambda context ---------------------------------------------------------------------

export interface ContextOptions {
  readonly functionName: string;
  readonly awsRequestId?: string;
  /** Time budget of the invocation (API Gateway's integration timeout is 30 s). */
  readonly timeoutMs?: number;
  readonly memoryLimitInMB?: number;
}

/** `2026/03/12`, the UTC day of a log stream's name, formatted once per day rather than per invocation. */
let streamDay = { until: 0, text: '' };
function logStreamDay(now: number): string {
  if (now >= streamDay.until || now < streamDay.until - 86_400_000) {
    const start = now - (now % 86_400_000);
    streamDay = { until: start + 86_400_000, text: new Date(start).toISOString().slice(0, 10).replaceAll('-', '/') };
  }
  return streamDay.text;
}

export function buildLambdaContext(options: ContextOptions): Context {
  const awsRequestId = options.awsRequestId ?? randomUUID();
  const now = Date.now();
  const deadline = now + (options.timeoutMs ?? 29_000);
  const day = logStreamDay(now);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? FUNCTION_MEMORY_MB),
    awsRequestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]local${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {
      throw new Error('context.done is not supported: return a promise');
    },
    fail: () => {
      throw new Error('context.fail is not supported: return a promise');
    },
    succeed: () => {
      throw new Error('context.succeed is not supported: return a promise');
    },
  };
}

// ---- Handler modules ------------------------------------------------------------------------

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const handlers = new Map<string, Promise<LambdaHandler>>();
/** The handlers loaded, by the module path as named (no path resolution on every invocation). */
const loaded = new Map<string, LambdaHandler>();

/**
 * The `handler` export of a module named relative to the repository root, imported once. A module
 * that fails to load is not cached, so a handler written while the server runs is picked up.
 */
export function loadHandler(modulePath: string): Promise<LambdaHandler> {
  const file = isAbsolute(modulePath) ? modulePath : resolve(REPO_ROOT, modulePath);
  let loading = handlers.get(file);
  if (!loading) {
    loading = import(pathToFileURL(file).href).then((mod: { handler?: unknown }) => {
      if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler function`);
      loaded.set(modulePath, mod.handler as LambdaHandler);
      return mod.handler as LambdaHandler;
    });
    handlers.set(file, loading);
    loading.catch(() => handlers.delete(file));
  }
  return loading;
}

/** A function to invoke: its handler module and its entry's grants (tables and capabilities). */
export interface InvokeTarget extends GrantSource {
  readonly handler: string;
}

/**
 * Runs one function once, like Lambda: loads the module (cached), builds a context, awaits the
 * result, all with only the grants of `target` (infra/local/grants.ts): what it was not granted
 * is refused as AWS would refuse it.
 */
export function invokeHandler(target: InvokeTarget, event: unknown, options: Partial<ContextOptions> = {}): Promise<unknown> {
  const warm = loaded.get(target.handler);
  if (!warm) {
    return runWithGrants(target, async () => {
      const handler = await loadHandler(target.handler);
      return handler(event, buildLambdaContext({ ...options, functionName: target.fn }));
    });
  }
  // A warm handler is called straight away: no module lookup, no promise wrapping the handler's own.
  try {
    return Promise.resolve(runWithGrants(target, () => warm(event, buildLambdaContext({ ...options, functionName: target.fn }))));
  } catch (error) {
    return Promise.reject(error);
  }
}

// ---- The v2 result --------------------------------------------------------------------------

export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * Reads a handler's result as API Gateway does with payload 2.0: a structured result (with
 * `statusCode`) is taken as is; anything else is a 200 whose JSON is the body.
 */
export function readHttpResult(result: unknown): HttpResult {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, unknown>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.headers ?? {})) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
    const body =
      r.body === undefined || r.body === null
        ? Buffer.alloc(0)
        : r.isBase64Encoded
          ? Buffer.from(r.body, 'base64')
          : Buffer.from(String(r.body), 'utf8');
    return { statusCode: Number(r.statusCode), headers, cookies: r.cookies ?? [], body };
  }
  if (result === undefined || result === null) {
    return { statusCode: 200, headers: {}, cookies: [], body: Buffer.alloc(0) };
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body, 'utf8') };
}
