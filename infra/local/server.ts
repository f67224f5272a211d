/**
 * The local HTTP front door: what API Gateway (HTTP API, JWT authorizer) does in the cloud, on
 * node:http. It serves every route of functions/routes.ts by building the same v2 events and
 * calling the same handler modules in process. Its own refusals (401, 404, 405, 413, and a 500
 * when a handler cannot be loaded or throws) are RFC 9457 problems.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routes as routeTable, type RouteDef } from '../../functions/routes.ts';
import { failure, type HttpError, NotFoundError, PayloadTooLargeError, UnauthorizedError } from '../../functions/shared/errors.ts';
import { problemResponse, toProblem, PROBLEM_TYPE_BASE } from '../../functions/shared/problem.ts';
import { DOCUMENT_LINK_PATH, openDocument, storeUpload, UPLOAD_LINK_PATH, verifyDocumentLink, verifyUploadLink } from './adapters.ts';
import { buildHttpEvent, invokeHandler, matchRoute, readHttpResult, type HttpResult } from './apigw.ts';
import { attachmentDisposition } from '../../functions/shared/cloud-adapters.ts';
import { TokenError, verifierFor, type SigningKey, type Verifier } from './jwt.ts';

/** The Lambda synchronous payload limit (and so API Gateway's): 6 MB. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

export interface LocalServerOptions {
  /** Key whose public half verifies tokens; or a ready verifier. */
  readonly signingKey?: SigningKey;
  readonly verifier?: Verifier;
  readonly port?: number;
  readonly host?: string;
  readonly routes?: readonly RouteDef[];
  /** One line per request; default: stdout. Pass `() => {}` to silence. */
  readonly log?: (line: string) => void;
  readonly maxRequestBytes?: number;
  /**
   * Data directory of the local adapters (infra/local/adapters.ts): when given, the server also
   * serves their signed document links under /_local/documents/ (the S3 stand-in).
   */
  readonly dataDir?: string;
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly server: Server;
  /** Requests being served right now. */
  inFlight(): number;
  /** Stops accepting, lets in-flight requests finish (at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

class MethodNotAllowedError extends failure(405, 'Method not allowed', 'method-not-allowed') {}

function send(res: ServerResponse, result: HttpResult, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = { ...result.headers, ...extraHeaders };
  if (result.cookies.length) headers['set-cookie'] = [...result.cookies];
  res.writeHead(result.statusCode, headers);
  res.end(result.body);
}

function problem(error: HttpError | Error, instance: string, requestId: string, extensions: Record<string, unknown> = {}): HttpResult {
  const p = { ...toProblem(error, instance), ...extensions };
  return readHttpResult(problemResponse(p, requestId) satisfies APIGatewayProxyStructuredResultV2);
}

class BodyTooLarge extends Error {}

/** What a client's browser shows for a refused document link: short, French, no detail. */
function linkRefusal(res: ServerResponse, status: 403 | 404, message: string): number {
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Oui Ensemble</title></head><body><p>${message}</p></body></html>\n`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
  return status;
}

/**
 * GET /_local/documents/{key+}?expires&name&signature: what S3 does with a presigned URL. The
 * signature and expiry are checked, then the file is streamed as an attachment.
 */
function serveDocumentLink(dataDir: string, req: IncomingMessage, res: ServerResponse): number {
  const check = verifyDocumentLink(dataDir, req.url ?? '/');
  if (!check.ok) {
    return linkRefusal(
      res,
      403,
      check.reason === 'expired'
        ? 'Ce lien a expiré. Demandez un nouveau lien à votre entrepreneur Oui Ensemble.'
        : 'Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier, ou demandez-en un nouveau.',
    );
  }
  const document = openDocument(dataDir, check.key);
  if (!document) return linkRefusal(res, 404, 'Ce document est introuvable.');
  res.writeHead(200, {
    'content-type': document.contentType,
    'content-length': document.bytes,
    'content-disposition': attachmentDisposition(check.fileName),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(document.path)
    .on('error', () => res.destroy())
    .pipe(res);
  return 200;
}

/** What S3 answers to a refused presigned PUT: 403 with a short reason (no detail of the signature). */
function uploadRefusal(res: ServerResponse, status: 400 | 403, code: string, message: string): number {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
  return status;
}

/**
 * PUT /_local/uploads/{key+}?expires&type&bytes&signature: what S3 does with a presigned PUT whose
 * signature covers the content type and the length. The signature and expiry are checked, then the
 * request's Content-Type and Content-Length must be the signed ones; the bytes are stored privately.
 */
async function takeUpload(dataDir: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const check = verifyUploadLink(dataDir, req.url ?? '/');
  if (!check.ok) {
    return uploadRefusal(res, 403, check.reason === 'expired' ? 'AccessDenied' : 'SignatureDoesNotMatch', `Request ${check.reason}`);
  }
  const declared = req.headers['content-length'];
  if (req.headers['content-type'] !== check.contentType || declared !== String(check.bytes)) {
    return uploadRefusal(res, 403, 'SignatureDoesNotMatch', 'Content-Type and Content-Length must be those of the link');
  }
  let body: Buffer;
  try {
    body = await readBody(req, check.bytes);
  } catch {
    return uploadRefusal(res, 400, 'IncompleteBody', 'The body is longer than its Content-Length');
  }
  if (body.length !== check.bytes) return uploadRefusal(res, 400, 'IncompleteBody', 'The body is shorter than its Content-Length');
  const stored = await storeUpload(dataDir, check.key, body, check.contentType);
  res.writeHead(200, { etag: `"${stored.sha256.slice(0, 32)}"`, 'content-length': 0 });
  res.end();
  return 200;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        fail(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => ok(Buffer.concat(chunks)));
    req.once('error', fail);
  });
}

const EMPTY_BODY = Buffer.alloc(0);

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const tooLarge = (limit: number) => new PayloadTooLargeError(`The request body must not exceed ${limit} bytes (the Lambda payload limit).`);

export async function createLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const verifier = options.verifier ?? (options.signingKey ? verifierFor(options.signingKey) : undefined);
  if (!verifier) throw new Error('createLocalServer needs a signingKey or a verifier');
  const verify: Verifier = verifier;
  const table = options.routes ?? (routeTable as readonly RouteDef[]);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const limit = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  let active = 0;
  let closing = false;
  const idleWaiters: (() => void)[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<{ status: number; routeKey: string }> {
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const rawPath = url.split('?')[0] || '/';
    const unrouted = `${method} (no route)`;
    const sendProblem = (error: Error, extensions?: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const result = problem(error, rawPath, requestId, extensions);
      send(res, result, { 'apigw-requestid': requestId, ...headers });
      return result.statusCode;
    };

    // Oversized bodies are refused from their declared length, before anything is read.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      return { status: sendProblem(tooLarge(limit), {}, { connection: 'close' }), routeKey: unrouted };
    }

    if (options.dataDir && method === 'GET' && rawPath.startsWith(DOCUMENT_LINK_PATH)) {
      return { status: serveDocumentLink(options.dataDir, req, res), routeKey: `GET ${DOCUMENT_LINK_PATH}{key+}` };
    }
    if (options.dataDir && method === 'PUT' && rawPath.startsWith(UPLOAD_LINK_PATH)) {
      return { status: await takeUpload(options.dataDir, req, res), routeKey: `PUT ${UPLOAD_LINK_PATH}{key+}` };
    }

    const match = matchRoute(method, rawPath, table);
    if (match.kind === 'not-found') {
      return { status: sendProblem(new NotFoundError(`No route for ${method} ${rawPath}.`)), routeKey: unrouted };
    }
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ');
      return {
        status: sendProblem(new MethodNotAllowedError(`${rawPath} does not accept ${method}; it accepts ${allow}.`), {}, { allow }),
        routeKey: unrouted,
      };
    }
    const { route, pathParameters } = match;
    const routeKey = `${route.method} ${route.path}`;

    let claims: Record<string, unknown> | undefined;
    if (route.auth !== 'public') {
      try {
        claims = await verify(req.headers.authorization);
      } catch (error) {
        const reason = error instanceof TokenError ? error.reason : 'malformed';
        const detail = error instanceof Error ? error.message : 'Invalid bearer token.';
        const challenge =
          reason === 'missing'
            ? 'Bearer realm="oui-ensemble"'
            : `Bearer realm="oui-ensemble", error="invalid_token", error_description="${reason}"`;
        return { status: sendProblem(new UnauthorizedError(detail), { reason }, { 'www-authenticate': challenge }), routeKey };
      }
    }

    let body: Buffer;
    try {
      // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): nothing to wait for.
      body = hasBody(req) ? await readBody(req, limit) : EMPTY_BODY;
    } catch (error) {
      if (error instanceof BodyTooLarge) return { status: sendProblem(tooLarge(limit), {}, { connection: 'close' }), routeKey };
      throw error;
    }

    const event = buildHttpEvent({
      route,
      method,
      url,
      rawHeaders: req.rawHeaders,
      body,
      pathParameters,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
      ...(claims ? { claims } : {}),
      requestId,
    });
    let result: HttpResult;
    try {
      result = readHttpResult(await invokeHandler(route, event, { awsRequestId: requestId }));
    } catch (error) {
      // API Gateway answers 500 when the integration fails; the cause stays in the server's log.
      log(`[http] ${routeKey} handler ${route.fn} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { status: sendProblem(new Error('handler failure')), routeKey };
    }
    send(res, result, { 'apigw-requestid': requestId, ...(closing ? { connection: 'close' } : {}) });
    return { status: result.statusCode, routeKey };
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    // A request counts as in flight until its response is flushed (or its connection dropped).
    active++;
    res.once('close', () => {
      active--;
      if (active === 0) idleWaiters.splice(0).forEach((wake) => wake());
    });
    handle(req, res).then(
      ({ status, routeKey }) => {
        // Route templates only: no path values, no query string, no body (no personal data).
        log(`[http] ${routeKey} ${status} ${Math.round(performance.now() - started)}ms`);
      },
      (error: unknown) => {
        log(
          `[http] ${(req.method ?? '').toUpperCase()} (unhandled) 500 server error: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ type: PROBLEM_TYPE_BASE + 'internal', title: 'Internal error', status: 500 }));
        } else {
          res.destroy();
        }
      },
    );
  });
  // Requests (and their bodies) must arrive within the API Gateway-like 30 s budget.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  const close = (graceMs = 30_000): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      if (active > 0) {
        await Promise.race([new Promise<void>((wake) => idleWaiters.push(wake)), new Promise((r) => setTimeout(r, graceMs).unref())]);
      }
      // Every response is flushed now: keep-alive connections left are idle.
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), 1000);
      await stopped;
      clearTimeout(forced);
    })();
    return closed;
  };

  return { url, port, host, server, inFlight: () => active, close };
}
