/**
 * Latency of the local API: `GET /entrepreneurs/{id}` through the local server (token check, v2
 * event, middy + Powertools handler, GetItem on DynamoDB Local) against a raw GetItem of the same
 * item on the same DynamoDB Local, both at the same number of requests in flight.
 *
 * And in process, one request at a time as a Lambda container serves them (what Lambda bills): the
 * handler invoked with the API Gateway v2 event of that request, as the local runtime invokes it
 * (`invokeHandler`: its grants, a Lambda context), against the raw GetItem, also one at a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { unfilteredEnv } from '../../infra/local/grants.ts';
import { applyLocalEnv, ensureTables } from '../../infra/local/tables.ts';
import type { LocalServer } from '../../infra/local/server.ts';

export interface LatencyOptions {
  readonly concurrency: number;
  /** Measured requests per kind. */
  readonly requests: number;
  /** Warm-up requests per kind (not recorded). */
  readonly warmup: number;
  /** The measured requests of a kind run in this many alternating blocks (raw, API, raw, API…). */
  readonly blocks: number;
  /** Upper bound on the time of one block; a block stops issuing requests after it. */
  readonly blockTimeoutMs: number;
  readonly log: (line: string) => void;
}

export interface Summary {
  readonly count: number;
  readonly errors: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Requests per second, over the wall time of the measured blocks. */
  readonly throughput: number;
}

export interface LatencyResult {
  readonly api: Summary;
  readonly raw: Summary;
  /**
   * One at a time, in process: `handler`, the handler export called with (event, context) as the Lambda runtime
   * calls it; `local`, the same through the local runtime's `invokeHandler` (its grant view of the
   * environment and the DynamoDB grant check, costs Lambda does not have); `raw`, a GetItem.
   */
  readonly inProcess: { readonly handler: Summary; readonly local: Summary; readonly raw: Summary };
  readonly entrepreneurId: string;
  readonly concurrency: number;
  readonly setupMs: number;
}

interface Load {
  latencies: number[];
  errors: number;
  wallMs: number;
  firstError?: string;
}

const newLoad = (): Load => ({ latencies: [], errors: 0, wallMs: 0 });

/** Adds a load's calls to another's. */
function addLoad(into: Load, load: Load): void {
  into.latencies.push(...load.latencies);
  into.errors += load.errors;
  into.wallMs += load.wallMs;
  into.firstError ??= load.firstError;
}

/** `count` calls of `op`, `concurrency` of them in flight at any time, until done or past the deadline. */
async function runLoad(op: () => Promise<void>, count: number, concurrency: number, timeoutMs: number): Promise<Load> {
  const load = newLoad();
  const started = performance.now();
  const deadline = started + timeoutMs;
  let issued = 0;
  const worker = async () => {
    while (issued < count && performance.now() < deadline) {
      issued++;
      const t = performance.now();
      try {
        await op();
        load.latencies.push(performance.now() - t);
      } catch (error) {
        load.errors++;
        load.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  load.wallMs = performance.now() - started;
  return load;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN;

function summarize(loads: readonly Load[]): Summary {
  const all = loads.flatMap((l) => l.latencies).sort((a, b) => a - b);
  const wall = loads.reduce((s, l) => s + l.wallMs, 0);
  return {
    count: all.length,
    errors: loads.reduce((s, l) => s + l.errors, 0),
    p50: percentile(all, 50),
    p90: percentile(all, 90),
    p99: percentile(all, 99),
    max: all.at(-1) ?? Number.NaN,
    mean: all.reduce((s, v) => s + v, 0) / (all.length || 1),
    throughput: all.length / (wall / 1000),
  };
}

/** GET over a keep-alive connection pool; resolves with the status and the body. */
function httpGet(agent: Agent, url: URL, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', fail);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.once('error', fail);
    req.end();
  });
}

export async function measureLatency(options: LatencyOptions): Promise<LatencyResult> {
  const { concurrency, log } = options;
  const setupStarted = performance.now();
  let ddb: DynamoDbLocal | undefined;
  let server: LocalServer | undefined;
  let raw: DynamoDBClient | undefined;
  let agent: Agent | undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oui-bench-'));
  try {
    ddb = await startDynamoDbLocal();
    log(`  DynamoDB Local (in memory) on ${ddb.endpoint}, pid ${ddb.pid}`);
    const tableEnv = await ensureTables(ddb.endpoint, { prefix: `bench-${process.pid}-` });
    applyLocalEnv(ddb.endpoint, tableEnv);
    // The handlers log at INFO, as in Lambda (infra/constructs/function.ts): each invocation writes its
    // metering line to stdout, a cost Lambda's invocations pay too. Their Logger is built already, when
    // this module's import of infra/local/grants.ts is evaluated: no setting here could change its level.
    // Modules that build SDK clients are loaded only now, with the local endpoints and tables set.
    const { seedDemo } = await import('../../infra/local/seed.ts');
    const { listEntrepreneurs } = await import('../../functions/onboarding/service.ts');
    const { keys, table } = await import('../../functions/onboarding/store.ts');
    const { loadOrCreateSigningKey, signToken } = await import('../../infra/local/jwt.ts');
    const { createLocalServer } = await import('../../infra/local/server.ts');
    const { buildHttpEvent, buildLambdaContext, invokeHandler, loadHandler, readHttpResult } = await import('../../infra/local/apigw.ts');
    const { verifyBearer } = await import('../../infra/local/jwt.ts');
    const { routes } = await import('../../functions/routes.ts');
    // The X-Ray SDK in automatic mode, as in Lambda (scripts/bench/xray-automatic.ts).
    const xray = (await import('aws-xray-sdk-core')).default;
    if (!xray.isAutomaticMode())
      throw new Error(
        'the X-Ray SDK is in manual mode (import scripts/bench/xray-automatic.ts first): the in-process figures would not be those of Lambda',
      );

    const seeded = await seedDemo();
    if (!seeded.created) throw new Error(`seed did not run on fresh tables (${seeded.reason})`);
    const page = await listEntrepreneurs({ sub: 'bench', role: 'operator' }, { etd: '44', limit: 1 });
    const entrepreneur = page.items[0] as { id?: string } | undefined;
    if (!entrepreneur?.id) throw new Error('the demo data holds no entrepreneur of ETD 44');
    const id = entrepreneur.id;

    const key = await loadOrCreateSigningKey(dataDir);
    const token = await signToken({ role: 'manager', etd: '44', sub: 'bench-manager' }, key);
    server = await createLocalServer({ signingKey: key, port: 0, host: '127.0.0.1', log: () => {} });
    const url = new URL(`/entrepreneurs/${encodeURIComponent(id)}`, server.url);
    if (url.hostname !== '127.0.0.1') throw new Error(`refusing to load ${url.host}: loopback only`);
    agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const httpAgent = agent;

    const first = await httpGet(httpAgent, url, headers);
    if (first.status !== 200 || (JSON.parse(first.body) as { id?: string }).id !== id) {
      throw new Error(`GET ${url.pathname} answered ${first.status}: ${first.body.slice(0, 300)}`);
    }
    const apiOp = async () => {
      const { status, body } = await httpGet(httpAgent, url, headers);
      if (status !== 200) throw new Error(`status ${status}: ${body.slice(0, 200)}`);
    };

    // The raw call: a client built as functions/shared/dynamo.ts builds its own (SDK defaults,
    // endpoint from AWS_ENDPOINT_URL_DYNAMODB), one GetItem of the same key.
    const rawClient = new DynamoDBClient({});
    raw = rawClient;
    const { pk, sk } = keys.entrepreneur(id);
    const getItem = new GetItemCommand({ TableName: table(), Key: { pk: { S: pk }, sk: { S: sk } } });
    const firstRaw = await rawClient.send(getItem);
    if (!firstRaw.Item) throw new Error('raw GetItem found no item');
    const rawOp = async () => {
      const { Item } = await rawClient.send(getItem);
      if (!Item) throw new Error('raw GetItem found no item');
    };
    // In process: the v2 event the local server would build for the same request, a fresh one per call.
    const route = routes.find((r) => r.fn === 'GetEntrepreneur');
    if (!route) throw new Error('no GetEntrepreneur route');
    const claims = await verifyBearer(`Bearer ${token}`, key);
    let invocation = 0;
    const eventFor = (requestId: string) =>
      buildHttpEvent({
        route,
        method: 'GET',
        url: url.pathname,
        rawHeaders: ['authorization', `Bearer ${token}`, 'accept', 'application/json', 'host', url.host],
        pathParameters: { id },
        claims,
        requestId,
      });
    const expect200 = (answer: unknown) => {
      const result = readHttpResult(answer);
      if (result.statusCode !== 200) throw new Error(`status ${result.statusCode}: ${result.body.toString('utf8').slice(0, 200)}`);
    };
    // Through the local runtime, as `npm start` invokes it (grants enforced).
    const localOp = async () => {
      const requestId = `bench-${++invocation}`;
      expect200(await invokeHandler(route, eventFor(requestId), { awsRequestId: requestId }));
    };
    // As the Lambda runtime invokes it: the module's handler export, (event, context).
    const lambdaHandler = await loadHandler(route.handler);
    const handlerOp = async () => {
      const requestId = `bench-${++invocation}`;
      const context = buildLambdaContext({ awsRequestId: requestId, functionName: route.fn });
      expect200(await lambdaHandler(eventFor(requestId), context));
    };
    await localOp();
    await handlerOp();
    const setupMs = performance.now() - setupStarted;
    log(`  ready in ${(setupMs / 1000).toFixed(1)} s; entrepreneur ${id}; server ${server.url}`);

    // Warm-up: JIT of both JVM and Node, connection pools of both clients.
    for (const [name, op] of [
      ['raw', rawOp],
      ['api', apiOp],
    ] as const) {
      const w = await runLoad(op, options.warmup, concurrency, options.blockTimeoutMs);
      if (w.errors) throw new Error(`warm-up of ${name}: ${w.errors} errors, first: ${w.firstError}`);
    }

    const loads = { raw: [] as Load[], api: [] as Load[] };
    const perBlock = Math.ceil(options.requests / options.blocks);
    for (let b = 0; b < options.blocks; b++) {
      for (const [name, op] of [
        ['raw', rawOp],
        ['api', apiOp],
      ] as const) {
        const load = await runLoad(op, perBlock, concurrency, options.blockTimeoutMs);
        if (load.errors) log(`  ${name} block ${b + 1}: ${load.errors} errors, first: ${load.firstError}`);
        loads[name].push(load);
        log(`  ${name} block ${b + 1}/${options.blocks}: ${load.latencies.length} requests in ${(load.wallMs / 1000).toFixed(2)} s`);
      }
    }
    // One at a time, in process: a warm-up of each, then the calls in turn. Lambda has no view of
    // the environment: the raw call and the handler read the process's own environment, as there;
    // only the local runtime's row keeps the view (a proxy every read goes through) its grants need.
    const lambdaEnv = unfilteredEnv();
    const asInLambda = (op: () => Promise<void>) => async () => {
      const view = process.env;
      process.env = lambdaEnv;
      try {
        await op();
      } finally {
        process.env = view;
      }
    };
    const rawInLambda = asInLambda(rawOp);
    const handlerInLambda = asInLambda(handlerOp);
    const sequential = { handler: [] as Load[], local: [] as Load[], raw: [] as Load[] };
    const inProcessRequests = Math.max(100, Math.ceil(options.requests / 3));
    for (const op of [rawInLambda, handlerInLambda, localOp]) await runLoad(op, Math.min(options.warmup, 300), 1, options.blockTimeoutMs);
    // Call by call in turn (raw, handler, local runtime, raw…), so that the drift of a shared VM
    // and the garbage collections fall on the three alike (in 3 blocks, each bounded in time).
    const kinds = [
      ['raw', rawInLambda],
      ['handler', handlerInLambda],
      ['local', localOp],
    ] as const;
    for (let b = 0; b < options.blocks; b++) {
      const block = { raw: newLoad(), handler: newLoad(), local: newLoad() };
      const blockStarted = performance.now();
      for (let i = 0; i < Math.ceil(inProcessRequests / options.blocks); i++) {
        if (performance.now() - blockStarted > options.blockTimeoutMs) break;
        for (const [name, op] of kinds) addLoad(block[name], await runLoad(op, 1, 1, options.blockTimeoutMs));
      }
      for (const [name] of kinds) {
        if (block[name].errors) log(`  in process ${name} block ${b + 1}: ${block[name].errors} errors, first: ${block[name].firstError}`);
        sequential[name].push(block[name]);
      }
    }
    log(`  in process, one at a time: ${sequential.handler.reduce((n, l) => n + l.latencies.length, 0)} handler invocations`);
    return {
      api: summarize(loads.api),
      raw: summarize(loads.raw),
      inProcess: { handler: summarize(sequential.handler), local: summarize(sequential.local), raw: summarize(sequential.raw) },
      entrepreneurId: id,
      concurrency,
      setupMs,
    };
  } finally {
    agent?.destroy();
    raw?.destroy();
    try {
      await server?.close(5000);
    } finally {
      try {
        await ddb?.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
}
