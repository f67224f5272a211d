/**
 * Metering: what each function invocation consumed, for the cost per territory (functions/network/costs.ts).
 *
 * Every entry point (HTTP and client pages: `withPowertools`; jobs: `jobHandler`; event consumers:
 * `consumerHandler`; the relay) runs its work inside `metered()`, which opens a meter in an
 * AsyncLocalStorage (the local runtime runs many invocations in one process) and, when the
 * invocation ends (answer or error), writes ONE structured line:
 *
 *   { message: 'invocation metered', meter: { fn, trigger, etd, memoryMb, durationMs, rcu, wcu, s3Requests, emails } }
 *
 * - `etd`: the territory the invocation worked for (the caller's territory for a manager or an
 *   entrepreneur, the event's for a consumer, or what the use case names with `meterTerritory()`);
 *   '' when none (operators' cross-territory reads, the jobs, the relay): that usage is shared.
 *   A property of the line, never a metric dimension (one metric per entrepreneur would cost more
 *   than the function).
 * - `rcu` / `wcu`: DynamoDB read and write capacity units, from the `ConsumedCapacity` of every
 *   answer. The shared client (functions/shared/dynamo.ts) carries `capacityMiddleware`, which asks
 *   every item call for `ReturnConsumedCapacity: 'TOTAL'`. A transaction's units are counted as
 *   DynamoDB reports them, which is how they are billed (two units per item and KB).
 * - `s3Requests`: documents stored or read (S3 PUT / GET; presigning a link makes no request);
 *   `emails`: messages sent. Both counted by `meteredAdapters()`, which `adapters()` applies once to
 *   whatever adapters the runtime installed.
 *
 * In Lambda the line goes to the function's log (CloudWatch Logs), where the daily cost job reads
 * it with Logs Insights. Offline the same line also goes to the sink the local runtime installs
 * (`useMeterSink`, installed with the local adapters by infra/local/metering.ts: a JSON-lines file per
 * day under `<data dir>/logs/metering/`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import type { Adapters, DocumentStore, Mailer } from './adapters.ts';
import { logger } from './observability.ts';

/** One metered invocation, as logged. */
export const triggers = ['http', 'job', 'event', 'stream'] as const;
/** What invoked the function: API Gateway (billed per request), the scheduler, the event bus, a table stream. */
export type Trigger = (typeof triggers)[number];

export interface MeterLine {
  /** The function (route / job / consumer name). */
  readonly fn: string;
  readonly trigger: Trigger;
  /** Territory code, '' when the invocation worked for none in particular. */
  readonly etd: string;
  readonly memoryMb: number;
  readonly durationMs: number;
  /** ISO instant the invocation started. */
  readonly at: string;
  readonly rcu: number;
  readonly wcu: number;
  readonly s3Requests: number;
  readonly emails: number;
}

export const METER_MESSAGE = 'invocation metered';

interface Meter {
  fn: string;
  trigger: Trigger;
  etd: string;
  rcu: number;
  wcu: number;
  s3Requests: number;
  emails: number;
}

const storage = new AsyncLocalStorage<Meter>();

export type MeterSink = (line: MeterLine) => void;
let sink: MeterSink | undefined;

/** The local runtime (and tests) install where the lines go besides the log. */
export function useMeterSink(next: MeterSink | undefined): void {
  sink = next;
}

/** Names the territory the current invocation works for (ignored outside an invocation). */
export function meterTerritory(etd: string | undefined): void {
  const meter = storage.getStore();
  if (meter && etd) meter.etd = etd;
}

/** Lambda's configured memory (offline: the function's context says it, 512 MB like the stack's functions). */
const memoryOf = (context: Context | undefined): number => {
  const value = Number(context?.memoryLimitInMB ?? process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 512);
  return Number.isFinite(value) && value > 0 ? value : 512;
};

/**
 * Runs one invocation under a meter and writes its line when it ends, whatever the outcome. `fn`:
 * the function's table name (the context's functionName in Lambda is the physical name).
 */
export async function metered<R>(
  who: { readonly fn: string; readonly trigger: Trigger; readonly etd?: string | undefined },
  context: Context | undefined,
  run: () => Promise<R>,
): Promise<R> {
  const meter: Meter = { fn: who.fn, trigger: who.trigger, etd: who.etd ?? '', rcu: 0, wcu: 0, s3Requests: 0, emails: 0 };
  const started = performance.now();
  const at = new Date().toISOString();
  try {
    return await storage.run(meter, run);
  } finally {
    const line: MeterLine = {
      fn: meter.fn,
      trigger: meter.trigger,
      etd: meter.etd,
      memoryMb: memoryOf(context),
      // Lambda bills each invocation's duration rounded up to the millisecond.
      durationMs: Math.max(1, Math.ceil(performance.now() - started)),
      at,
      rcu: round3(meter.rcu),
      wcu: round3(meter.wcu),
      s3Requests: meter.s3Requests,
      emails: meter.emails,
    };
    logger.info(METER_MESSAGE, { meter: line });
    try {
      sink?.(line);
    } catch {
      // a sink that fails never fails the invocation
    }
  }
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

// ---- DynamoDB ------------------------------------------------------------------------------------

interface ConsumedCapacityLike {
  readonly CapacityUnits?: number;
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
}

/** The item operations that take `ReturnConsumedCapacity` (document-client names included). */
const ITEM_OPERATION = /^(Get|Put|Update|Delete|Query|Scan|BatchGet|BatchWrite|TransactGet|TransactWrite|BatchExecute|Execute)/;
const READ_OPERATION = /^(Get|BatchGet|TransactGet|Query|Scan)/;

/**
 * Read and write units of one answer. DynamoDB reports `ReadCapacityUnits` / `WriteCapacityUnits`
 * when it can tell them apart, else only `CapacityUnits`, which belong to the operation's kind.
 */
export function capacityOf(operation: string, consumed: ConsumedCapacityLike | readonly ConsumedCapacityLike[] | undefined) {
  const units = { rcu: 0, wcu: 0 };
  addUnits(units, operation, consumed);
  return units;
}

/** Adds an answer's units to `into` (a meter), without allocating: it runs on every DynamoDB call. */
function addUnits(
  into: { rcu: number; wcu: number },
  operation: string,
  consumed: ConsumedCapacityLike | readonly ConsumedCapacityLike[] | undefined,
): void {
  if (Array.isArray(consumed)) for (const c of consumed as readonly ConsumedCapacityLike[]) addOne(into, operation, c);
  else if (consumed !== undefined) addOne(into, operation, consumed as ConsumedCapacityLike);
}

function addOne(into: { rcu: number; wcu: number }, operation: string, c: ConsumedCapacityLike): void {
  if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
    into.rcu += c.ReadCapacityUnits ?? 0;
    into.wcu += c.WriteCapacityUnits ?? 0;
  } else if (READ_OPERATION.test(operation)) into.rcu += c.CapacityUnits ?? 0;
  else into.wcu += c.CapacityUnits ?? 0;
}

export const CAPACITY_MIDDLEWARE = 'meteringConsumedCapacity';

/**
 * The middleware of the shared DynamoDB client: every item call made within an invocation asks for
 * its consumed capacity (`TOTAL`) and the answer's units go to the invocation's meter. The caller's
 * input is not changed. Other calls (DescribeTable…) get no handler of it at all, and a call outside
 * any invocation (a script, the seed) goes straight on: nothing to count, nothing asked.
 */
// biome-ignore lint/suspicious/noExplicitAny: any client's middleware stack (its add() is generic over the client's own input and output types)
export function addCapacityMiddleware(client: { middlewareStack: { add: (...args: any[]) => void; identify?: () => string[] } }): void {
  if (client.middlewareStack.identify?.().some((name) => name.startsWith(CAPACITY_MIDDLEWARE))) return;
  client.middlewareStack.add(
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's handler types are generic per command
    (next: (args: any) => Promise<any>, context: { commandName?: string }) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      if (!ITEM_OPERATION.test(operation)) return next;
      return async (args: { input: Record<string, unknown> }) => {
        const meter = storage.getStore();
        if (!meter) return next(args);
        const result = await next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } });
        addUnits(meter, operation, (result?.output as { ConsumedCapacity?: ConsumedCapacityLike } | undefined)?.ConsumedCapacity);
        return result;
      };
    },
    { step: 'initialize', priority: 'low', name: CAPACITY_MIDDLEWARE, override: true },
  );
}

// ---- S3 and SES ----------------------------------------------------------------------------------

function count(field: 's3Requests' | 'emails'): void {
  const meter = storage.getStore();
  if (meter) meter[field]++;
}

const METERED = Symbol('metered');

/** The adapters with S3 requests and e-mails counted (applied once by `adapters()`). */
export function meteredAdapters(inner: Adapters): Adapters {
  if ((inner as { [METERED]?: true })[METERED]) return inner;
  const countedDocuments = (d: DocumentStore): DocumentStore => {
    return {
      put: (key, body, contentType) => {
        count('s3Requests');
        return d.put(key, body, contentType);
      },
      get: (key) => {
        count('s3Requests');
        return d.get(key);
      },
      link: (key, options) => d.link(key, options),
      uploadLink: (key, options) => d.uploadLink(key, options),
    };
  };
  const countedMailer = (m: Mailer): Mailer => ({
    send: (message) => {
      count('emails');
      return m.send(message);
    },
  });
  // Wrapped once, on first use (the inner ones are made lazily too), not on every `adapters().documents`.
  let documents: DocumentStore | undefined;
  let mailer: Mailer | undefined;
  const wrapped: Adapters = {
    get documents() {
      documents ??= countedDocuments(inner.documents);
      return documents;
    },
    get mailer() {
      mailer ??= countedMailer(inner.mailer);
      return mailer;
    },
    get secrets() {
      return inner.secrets;
    },
    get payments() {
      return inner.payments;
    },
    publicBaseUrl: () => inner.publicBaseUrl(),
  };
  // Not enumerable: a test's `{ ...adapters(), documents }` is a new set of adapters, metered in turn.
  Object.defineProperty(wrapped, METERED, { value: true, enumerable: false });
  return wrapped;
}
